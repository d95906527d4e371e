"""A visitor's first journey through the real pages, in a real Chromium.

Register → verify by the mailed link → sign in → create an API token → use it on the
API → sign out; and the language switch. Fields are found by their ``name``/``id`` and
buttons by their type, never by their (translated) text.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from playwright.sync_api import expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
EMAIL = "peneliti.data@example.org"
PASSWORD = "rahasia-kuat-123"
_VERIFY_LINK = re.compile(r"https?://\S+/verify/[^\s<>\"']+")


def _path(page: Any) -> str:
    return urlsplit(page.url).path


def _verify_link(app: Flask) -> str:
    messages = app.extensions["pst.mailer"].messages()
    assert messages, "no mail in the outbox"
    msg = email.message_from_bytes(messages[-1].read_bytes(), policy=email.policy.default)
    assert msg["To"] == EMAIL
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None, "the mail has no text part"
    match = _VERIFY_LINK.search(body.get_content())
    assert match, "no /verify/ link in the mail's text"
    return match.group(0)


def _api_me(base_url: str, token: str) -> tuple[int, dict[str, Any]]:
    """``GET /api/v1/me`` outside the browser: no cookies, no proxy, just the token."""
    address = urlsplit(base_url)
    conn = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    try:
        conn.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def _screenshot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_register_verify_sign_in_token_api_sign_out(
    app: Flask, live_server: str, page: Any
) -> None:
    # Register, filling every field of the form.
    page.goto(f"{live_server}/register")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    form = page.locator("main form.form")
    form.locator("#email").fill(EMAIL)
    form.locator("#password").fill(PASSWORD)
    form.locator("#confirm").fill(PASSWORD)
    form.locator("#full_name").fill("Siti Rahmawati")
    form.locator("#phone").fill("0812 3456 7890")
    form.locator("#id_type").select_option("ktp")
    form.locator("#id_number").fill("1771012345678901")
    form.locator("#institution").fill("Universitas Bengkulu")
    form.locator("#institution_kind").select_option("education")
    form.locator("#occupation").fill("Dosen")
    form.locator("#education").select_option("s2")
    form.locator("input[name=gender][value=female]").check()
    form.locator("#birth_year").fill("1988")
    form.locator("#consent").check()
    form.locator("input[type=submit], button[type=submit]").click()

    # "Check your email": the same URL, no form any more, the address repeated.
    page.wait_for_load_state()
    expect(page.locator("main form.form")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(EMAIL)
    expect(page.locator("main a[href='/verify']")).to_be_visible()

    # Open the mailed link: it verifies the address and leads to the sign-in page.
    link = _verify_link(app)
    assert link.startswith(live_server + "/verify/")
    page.goto(link)
    assert _path(page) == "/login"
    expect(page.locator(".flash-success")).to_be_visible()

    # Sign in.
    form = page.locator("main form.form")
    form.locator("#email").fill(EMAIL)
    form.locator("#password").fill(PASSWORD)
    form.locator("input[type=submit], button[type=submit]").click()
    page.wait_for_url(f"{live_server}/")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("header form[action='/logout']")).to_have_count(1)

    # Create an API token; its value is shown once.
    page.goto(f"{live_server}/tokens")
    form = page.locator("main form.form")
    form.locator("#name").fill("skrip analisis")
    form.locator("input[type=submit], button[type=submit]").click()
    token_field = page.locator("#new-token")
    expect(token_field).to_be_visible()
    token = token_field.input_value()
    assert token.startswith("pst_")
    expect(page.locator("main table")).to_contain_text("skrip analisis")
    _screenshot(page, "journey-tokens.png")

    # The token works on the API.
    status, me = _api_me(live_server, token)
    assert status == 200
    assert me["email"] == EMAIL

    # Sign out with the header's button.
    page.locator("header form[action='/logout'] button[type=submit]").click()
    page.wait_for_url(f"{live_server}/")
    expect(page.locator("header a[href='/login']")).to_be_visible()
    expect(page.locator("header form[action='/logout']")).to_have_count(0)
    page.goto(f"{live_server}/profile")
    assert _path(page) == "/login"


def test_register_page_on_a_phone(make_page: Callable[..., Any], live_server: str) -> None:
    page = make_page(390, 844)
    page.goto(f"{live_server}/register")
    expect(page.locator("main form.form #email")).to_be_visible()
    _screenshot(page, "register-phone.png")


def test_language_switch_sticks(live_server: str, page: Any) -> None:
    page.goto(f"{live_server}/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    with page.expect_navigation():
        page.locator("header form.lang-switch button[type=submit][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert _path(page) == "/"
    page.goto(f"{live_server}/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _sign_in(page: Any, live_server: str, email: str, *, remember: bool = False) -> None:
    page.goto(f"{live_server}/login")
    form = page.locator("main form.form")
    form.locator("#email").fill(email)
    form.locator("#password").fill(PASSWORD)
    if remember:
        form.locator("#remember").check()
    form.locator("input[type=submit], button[type=submit]").click()
    page.wait_for_url(f"{live_server}/")


def _kept_cookies_get_in(make_page: Callable[..., Any], live_server: str, cookies: Any) -> bool:
    """A fresh browser given cookies someone copied earlier: is it signed in?"""
    other = make_page()
    other.context.add_cookies(cookies)
    other.goto(f"{live_server}/profile")
    return _path(other) == "/profile"


def test_password_change_and_sign_out_end_the_other_devices(
    session: Any, live_server: str, make_page: Callable[..., Any]
) -> None:
    """The office PC and a phone kept signed in: a password change on the PC signs the
    phone out (its remember-me cookie too), the PC stays; signing out on the PC ends it,
    and copies of either browser's cookies get nowhere."""
    from factories import user

    user(session, email=EMAIL, password=PASSWORD)
    office, phone = make_page(), make_page(390, 844)
    _sign_in(office, live_server, EMAIL)
    _sign_in(phone, live_server, EMAIL, remember=True)
    phone_cookies = phone.context.cookies()
    assert any(c["name"] == "remember_token" for c in phone_cookies)
    assert _kept_cookies_get_in(make_page, live_server, phone_cookies)

    office.goto(f"{live_server}/profile")
    office.locator("#password-current").fill(PASSWORD)
    office.locator("#password-password").fill("sandi-baru-kuat-456")
    office.locator("#password-confirm").fill("sandi-baru-kuat-456")
    with office.expect_navigation():
        office.locator("input[name=password-submit]").click()
    assert _path(office) == "/profile"
    expect(office.locator(".flash-success")).to_be_visible()

    phone.goto(f"{live_server}/profile")
    assert _path(phone) == "/login"
    assert not _kept_cookies_get_in(make_page, live_server, phone_cookies)

    office_cookies = office.context.cookies()
    office.locator("header form[action='/logout'] button[type=submit]").click()
    office.wait_for_url(f"{live_server}/")
    assert not _kept_cookies_get_in(make_page, live_server, office_cookies)

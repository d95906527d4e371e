"""A staff member's two-factor journey in a real Chromium, when it is required.

Password → sent to enrolment (QR code and key) → the code an authenticator app would
compute from the key shown → ten recovery codes → the staff hub; signed out, the next
sign-in asks for a code: the one already used is refused, the next step's is taken.
The app's clock runs from a fixed moment and the test moves it a step on (no waiting
30 seconds for a new code). Fields are found by ``id``, buttons by type.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
from factories import PASSWORD, user
from helpers import WEDNESDAY_10, FakeClock
from playwright.sync_api import expect

from app.accounts.models import Role

EMAIL = "petugas.pst@example.org"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WEDNESDAY_10, running=True)


@pytest.fixture
def config_overrides(clock: FakeClock) -> dict[str, Any]:
    return {"CLOCK": clock, "TOTP_REQUIRED_FOR_STAFF": True}


def _path(page: Any) -> str:
    return urlsplit(page.url).path


def _submit(page: Any) -> None:
    with page.expect_navigation():
        page.locator(
            "main form.form input[type=submit], main form.form button[type=submit]"
        ).click()


def test_staff_enrol_and_sign_in_with_a_computed_code(
    session: Any, live_server: str, page: Any, clock: FakeClock
) -> None:
    user(session, email=EMAIL, role=Role.OFFICER, full_name="Budi Petugas")

    page.goto(f"{live_server}/login")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    _submit(page)
    # Not signed in yet: the enrolment page, with the secret as a QR code and as text.
    assert _path(page) == "/account/two-factor"
    expect(page.locator("header form[action='/logout']")).to_have_count(0)
    qr = page.locator("main img.qr")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('main img.qr').naturalWidth") > 0
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    app_on_the_phone = pyotp.TOTP(secret)

    page.locator("#code").fill(app_on_the_phone.at(clock()))
    _submit(page)
    codes = page.locator("ul.recovery-codes li")
    expect(codes).to_have_count(10)
    with page.expect_navigation():
        page.locator("main a.button").click()
    assert _path(page) == "/staff"
    expect(page.locator("header form[action='/logout']")).to_have_count(1)

    used = app_on_the_phone.at(clock())
    page.locator("header form[action='/logout'] button[type=submit]").click()
    page.wait_for_url(f"{live_server}/")

    # The next sign-in asks for a code; the one just used is refused.
    clock.advance(seconds=1)
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    _submit(page)
    assert _path(page) == "/login/code"
    page.goto(f"{live_server}/staff")
    assert _path(page) == "/login"  # half signed in opens nothing
    page.goto(f"{live_server}/login/code")
    page.locator("#code").fill(used)
    _submit(page)
    expect(page.locator("#code-error")).to_be_visible()
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")

    clock.advance(seconds=30)  # the app shows the next step's code
    page.locator("#code").fill(app_on_the_phone.at(clock()))
    _submit(page)
    assert _path(page) == "/staff"
    expect(page.locator(".flash-success")).to_be_visible()

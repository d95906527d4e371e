"""A BPS employee signs in through SSO in a real Chromium: PST's sign-in page → the
provider's login page (node-oidc-provider on 127.0.0.1, tests/oidckit.py) → back at
PST on the staff hub with the role the provider's realm roles map to; signing out
ends the provider's session too (RP-initiated logout) and comes back to PST's home.

Staff must use an authenticator here (``TOTP_REQUIRED_FOR_STAFF``): the SSO sign-in
stands for it (``OIDC_SKIP_LOCAL_TOTP``), so no enrolment page appears.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import oidckit
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.models import Role, User


@pytest.fixture
def config_overrides(oidc_provider: Any) -> dict[str, Any]:
    return {**oidckit.sso_config(oidc_provider), "TOTP_REQUIRED_FOR_STAFF": True}


def test_sign_in_through_the_provider_lands_on_a_staff_page(
    session: Any, live_server: str, page: Any, oidc_provider: Any
) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Masuk dengan SSO BPS").click()
    page.wait_for_url(oidc_provider.issuer + "/interaction/**")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(oidckit.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/staff")
    expect(page.locator("header form[action='/logout']")).to_have_count(1)

    # The provider's "pst-admin" made an administrator: the accounts page opens.
    page.goto(f"{live_server}/staff/users")
    assert urlsplit(page.url).path == "/staff/users"
    expect(page.locator("main h1")).to_be_visible()
    person = session.scalar(select(User).where(User.email == "admin.sso@bps.go.id"))
    assert person.role == Role.ADMIN

    # Sign out: PST's sessions end, then the provider asks to end its own.
    page.locator("header form[action='/logout'] button[type=submit]").click()
    page.wait_for_url(oidc_provider.issuer + "/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{live_server}/")
    expect(page.locator("header form[action='/logout']")).to_have_count(0)

    # The provider's session is over: SSO asks for the password again.
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Masuk dengan SSO BPS").click()
    page.wait_for_url(oidc_provider.issuer + "/interaction/**")
    expect(page.get_by_label("Password")).to_be_visible()

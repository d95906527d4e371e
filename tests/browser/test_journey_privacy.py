"""A service user's privacy journey in a real Chromium, on a phone-sized screen.

An administrator has published version 2 of the privacy notice; the reader, who
accepted version 1, signs in and lands on the page asking again: it shows what changed,
refuses "accept" without the box ticked, and once accepted goes on to the page asked
for. The consents are then listed under My PST.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from factories import PASSWORD, user
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.consent_models import Consent, ConsentChannel
from app.accounts.models import Role
from app.accounts.services import consent
from app.db import utcnow

EMAIL = "pembaca.privasi@example.org"


def _submit(page: Any) -> None:
    with page.expect_navigation():
        page.locator("main form.form input[type=submit]").click()


def test_a_new_version_is_accepted_after_sign_in(
    session: Any, live_server: str, make_page: Any
) -> None:
    reader = user(session, email=EMAIL, full_name="Rina Pembaca")
    admin = user(session, role=Role.ADMIN)
    consent.publish(
        session,
        body_id="## Baru\nBuku tamu disimpan 3 tahun.",
        body_en="## New\nThe guest book is kept for 3 years.",
        changes_id="Masa simpan buku tamu menjadi 3 tahun.",
        changes_en="Guest book kept for 3 years.",
        actor_id=admin.id,
        now=utcnow(),
    )
    page = make_page(width=390, height=844)  # a phone
    page.goto(f"{live_server}/login?next=/profile")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    _submit(page)
    assert urlsplit(page.url).path == "/account/privacy/accept"
    expect(page.locator("main")).to_contain_text("Masa simpan buku tamu menjadi 3 tahun.")

    _submit(page)  # the box not ticked
    assert urlsplit(page.url).path == "/account/privacy/accept"
    expect(page.locator("#accept-error")).to_be_visible()

    page.locator("#accept").check()
    _submit(page)
    assert urlsplit(page.url).path == "/profile"

    page.goto(f"{live_server}/account/privacy")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    session.expire_all()
    latest = session.scalars(
        select(Consent).where(Consent.user_id == reader.id).order_by(Consent.id.desc())
    ).first()
    assert latest.channel == ConsentChannel.RECONSENT and latest.notice.number == 2

"""Front-desk journeys in a real browser.

Kiosk: a receptionist enrols the tablet's browser as the kiosk (the kiosk pages answer
nothing else) and signs out; a first-time visitor signs the guest book on it and gets a
number.
Desk: an officer calls the number (the display board shows it), serves and finishes it;
the visitor rates the service on the kiosk; the record appears on the dashboard.

The office clock (``CLOCK``) runs in real time from a Wednesday 10:00 WIB, so the
journeys do not depend on the day the tests run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from factories import PASSWORD, user
from helpers import WEDNESDAY_10, FakeClock
from playwright.sync_api import expect

from app.accounts.models import Role
from app.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"CLOCK": FakeClock(WEDNESDAY_10, running=True)}


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit], form.form input[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))


def _enrol(kiosk: Any, base: str) -> None:
    """The receptionist makes this browser the kiosk, then signs out of it."""
    kiosk.goto(f"{base}/desk/kiosk")
    expect(kiosk.locator("#kiosk-only")).to_be_visible()  # not yet a kiosk
    user(db.session, role=Role.RECEPTIONIST, email="resepsionis@example.org")
    _sign_in(kiosk, base, "resepsionis@example.org")
    kiosk.goto(f"{base}/staff/desk/kiosks")
    kiosk.fill("#name", "Tablet lobi")
    kiosk.click("#enrol")
    expect(kiosk).to_have_url(re.compile(r"/desk/kiosk$"))
    kiosk.goto(f"{base}/account")
    kiosk.locator("header form[action='/logout'] button[type=submit]").click()
    expect(kiosk.locator("header form[action='/logout']")).to_have_count(0)


def _guest_book(kiosk: Any, base: str) -> str:
    _enrol(kiosk, base)
    kiosk.goto(f"{base}/desk/kiosk")
    kiosk.click("#start-guestbook")
    kiosk.click("#first-visit")
    kiosk.check("#services-0")  # library
    kiosk.select_option("#purpose", "research")
    kiosk.fill("#need", "Data kemiskinan per kabupaten")
    kiosk.fill("#full_name", "Rudi Hartono")
    kiosk.fill("#email", "rudi@example.org")
    kiosk.fill("#phone", "0812 7777 8888")
    kiosk.select_option("#id_type", "ktp")
    kiosk.fill("#id_number", "1771011111111111")
    kiosk.fill("#institution", "Universitas Bengkulu")
    kiosk.select_option("#institution_kind", "education")
    kiosk.fill("#occupation", "Mahasiswa")
    kiosk.select_option("#education", "d4_s1")
    kiosk.check("#gender-0")
    kiosk.fill("#birth_year", "2001")
    kiosk.check("#consent")
    kiosk.click("form.form input[type=submit]")
    expect(kiosk.locator("#ticket-number")).to_have_text("A-001")
    return kiosk.url


def test_kiosk_guest_book_to_ticket(make_page: Any, live_server: str, app: Any) -> None:
    kiosk = make_page(width=1024, height=1366)  # a tablet on its stand
    _guest_book(kiosk, live_server)
    expect(kiosk.locator("#ticket-status")).to_be_visible()
    expect(kiosk.locator(".ticket-qr img")).to_be_visible()
    qr = kiosk.locator(".ticket-qr img")
    expect(qr).to_have_js_property("complete", True)
    assert qr.evaluate("img => img.naturalWidth") > 0
    with kiosk.expect_popup() as popup:
        kiosk.click("#print-80")
    assert popup.value.url.endswith("/print?w=80")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kiosk.screenshot(path=str(ARTIFACTS / "desk-kiosk-ticket.png"), full_page=True)

    # On a phone the same guest book works (the QR code's status page too).
    phone = make_page(width=390, height=844)
    phone.goto(kiosk.url.replace("?kiosk=1", ""))
    expect(phone.locator("#ticket-number")).to_have_text("A-001")


def test_desk_call_serve_finish_rate_and_dashboard(
    make_page: Any, live_server: str, app: Any
) -> None:
    user(db.session, role=Role.OFFICER, email="petugas@example.org", full_name="Budi Petugas")
    kiosk = make_page(width=1024, height=1366)
    ticket_url = _guest_book(kiosk, live_server)

    board = make_page(width=1920, height=1080)
    board.goto(f"{live_server}/desk/board")
    expect(board.locator(".board-call").first).to_have_class(re.compile("empty"))

    officer = make_page()
    _sign_in(officer, live_server, "petugas@example.org")
    officer.goto(f"{live_server}/staff/desk/console")
    officer.fill("#desk", "1")
    officer.check("#services-0")
    officer.click("details form input[type=submit]")
    officer.click("#call-next")
    expect(officer.locator("#current-number")).to_have_text("A-001")

    # The board follows within its polling interval (2 s).
    expect(board.locator(".board-call.latest .board-number")).to_have_text("A-001", timeout=5_000)
    expect(board.locator(".board-call.latest .board-desk")).to_contain_text("1")
    # So does the visitor's number page.
    kiosk.goto(ticket_url)
    expect(kiosk.locator("#ticket-desk")).to_be_visible(timeout=10_000)

    officer.click("#start")
    officer.fill("#products", "Statistik Daerah Provinsi Bengkulu 2025")
    officer.fill("#note", "Tabel kemiskinan per kabupaten")
    officer.click("#finish")
    expect(officer.locator(".flash-success")).to_be_visible()
    expect(officer.locator("#call-next")).to_be_visible()

    # The visitor rates on the kiosk: the number page offers it once the service ends.
    rate = kiosk.locator("#ticket-rate a")
    expect(rate).to_be_visible(timeout=10_000)
    rate.click()
    for element in range(1, 10):
        kiosk.check(
            f"#u{element}-{3 if element != 3 else 2}"
        )  # 4 everywhere, 3 for completion time
    kiosk.fill("#comment", "Petugas ramah dan cepat")
    kiosk.click("form.rating-form input[type=submit]")
    expect(kiosk.locator("#thanks")).to_be_visible()

    officer.goto(f"{live_server}/staff/desk/dashboard")
    recent = officer.locator("#recent-records")
    expect(recent).to_contain_text("A-001")
    expect(recent).to_contain_text("Rudi Hartono")
    expect(recent.locator(".badge.ok")).to_be_visible()
    # One respondent: 8 × 4 + 3 = 35; 35 / 9 × 25 = 97,22 (Indonesian decimal comma), grade A.
    expect(officer.locator("#ikm-overall")).to_contain_text("97,22")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    officer.screenshot(path=str(ARTIFACTS / "desk-dashboard.png"), full_page=True)
    board.screenshot(path=str(ARTIFACTS / "desk-board.png"))

"""From an FS3 draft to a verified recommendation letter, in a real browser.

The requester saves a half-filled draft, completes and submits it; an officer verifies
it with the checklist and passes it; the head approves it; the requester downloads the
letter (``pdftotext`` finds its number and organiser) and opens the verification page
from it, which confirms the letter — while a tampered code is refused. A second journey
checks that matching answers appear as a question is typed (the page's own script,
under the site's CSP).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from factories import PASSWORD, user
from playwright.sync_api import expect

from advisory.settings import Settings
from app.accounts.models import Role
from app.extensions import db

#: The advisory settings with their defaults (services get them explicitly).
SETTINGS = Settings()

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"

FS3 = {
    "#organiser": "Dinas Kesehatan Provinsi Bengkulu",
    "#organiser_address": "Jl. Padang Harapan No. 108, Kota Bengkulu",
    "#contact_name": "Dewi Anggraini",
    "#contact_phone": "0812 3456 7890",
    "#contact_email": "dewi@example.org",
    "#manager_name": "dr. Herwan Antoni",
    "#objectives": "Mengukur prevalensi stunting balita menurut kabupaten/kota.",
    "#collection_method": "Wawancara tatap muka (CAPI) dan pengukuran antropometri",
    "#sampling_method": "Two-stage stratified sampling",
    "#population": "Rumah tangga dengan balita",
    "#sample_size": "4200",
    "#variables": "umur, berat badan, tinggi badan, imunisasi",
    "#region": "Provinsi Bengkulu (10 kabupaten/kota)",
    "#period_start": "2027-03-01",
    "#period_end": "2027-04-30",
}
TITLE = "Survei Status Gizi Balita Provinsi Bengkulu 2027"


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit], form.form input[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))


def test_fs3_draft_to_verified_letter(
    make_page: Any, page: Any, live_server: str, tmp_path: Path, app: Any
) -> None:
    user(
        db.session,
        email="dewi@example.org",
        full_name="Dewi Anggraini",
        institution="Dinkes Bengkulu",
    )
    user(db.session, role=Role.OFFICER, email="petugas@example.org", full_name="Budi Petugas")
    user(db.session, role=Role.HEAD, email="kepala@example.org", full_name="Ir. Kepala Kantor")

    # The requester: a draft first, on a phone-sized screen.
    _login(page, live_server, "dewi@example.org")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/advisory/recommendations/new")
    page.fill("#title", TITLE)
    page.click("#save")
    expect(page).to_have_url(re.compile(r"/advisory/recommendations/\d+/edit$"))
    expect(page.locator("#title")).to_have_value(TITLE)
    expect(page.locator("#missing")).to_be_visible()  # what is still to fill
    rec_id = re.search(r"/recommendations/(\d+)/edit", page.url).group(1)
    for selector, value in FS3.items():
        page.fill(selector, value)
    page.select_option("#recurrence", "recurring")
    page.select_option("#frequency", "yearly")
    page.select_option("#design", "cross_section")
    page.click("#submit_form")
    expect(page).to_have_url(re.compile(rf"/advisory/recommendations/{rec_id}$"))
    expect(page.locator("#status .st-submitted")).to_be_visible()

    # The officer verifies it with the checklist.
    officer = make_page()
    _login(officer, live_server, "petugas@example.org")
    officer.goto(f"{live_server}/staff/advisory")
    officer.locator("#to-verify a", has_text=TITLE).click()
    expect(officer.locator("#no-similar")).to_be_visible()  # the duplicate check ran
    for box in officer.locator("input[type=checkbox][id^=check_]").all():
        box.check()
    officer.click("#pass_form")
    expect(officer.locator("#status .st-passed")).to_be_visible()

    # The head approves; the letter is issued.
    head = make_page()
    _login(head, live_server, "kepala@example.org")
    head.on("dialog", lambda dialog: dialog.accept())  # "Approve and issue the letter?"
    head.goto(f"{live_server}/staff/advisory/recommendations/{rec_id}")
    head.locator("form[action$='/approve'] button[type=submit]").click()
    expect(head.locator("#status .st-approved")).to_be_visible()
    number = head.locator(".letter-number").first.inner_text().strip()
    assert re.fullmatch(r"B-001/1700/PS\.000/\d{4}", number)

    # The requester downloads the letter and checks it.
    page.reload()
    expect(page.locator("#status .st-approved")).to_be_visible()
    with page.expect_download() as info:
        page.locator(".letter-box a[download]").click()
    saved = tmp_path / "surat.pdf"
    info.value.save_as(saved)
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(saved), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert number in text and "Dinas Kesehatan Provinsi Bengkulu" in text and TITLE in text

    page.locator(".letter-box a[href*='/letters/verify/']").click()
    expect(page.locator(".verdict.genuine")).to_be_visible()
    expect(page.locator("#verify-title")).to_have_text(TITLE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "advisory-letter-verified.png"), full_page=True)

    # A forger changes one character of the code: refused, and nothing is shown.
    code = re.search(r"[?&]c=([A-Z2-7]+)", page.url).group(1)
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    page.goto(page.url.replace(f"c={code}", f"c={forged}"))
    expect(page.locator(".verdict.forged")).to_be_visible()
    expect(page.locator("#verify-title")).to_have_count(0)
    # Typed by hand on the public form, with dashes and in lower case, it passes again.
    page.fill("#number", number)
    page.fill("#c", "-".join(code[i : i + 4] for i in range(0, len(code), 4)).lower())
    page.click("#send")
    expect(page.locator(".verdict.genuine")).to_be_visible()


def test_answers_appear_while_typing(page: Any, live_server: str, app: Any) -> None:
    from advisory import consultations, faq
    from app.blobs import current_store
    from app.db import utcnow

    asker = user(db.session, email="tanya@example.org")
    officer = user(db.session, role=Role.OFFICER, email="petugas@example.org")
    c = consultations.create_consultation(
        db.session,
        current_store(),
        requester=asker,
        subject="Inflasi",
        body="Inflasi?",
        now=utcnow(),
        settings=SETTINGS,
    )
    consultations.answer(
        db.session,
        current_store(),
        c.id,
        actor=officer,
        body="BRS bulanan.",
        now=utcnow(),
        settings=SETTINGS,
    )
    faq.publish(
        db.session,
        c.id,
        actor=officer,
        question="Di mana data inflasi Kota Bengkulu?",
        answer="Di Berita Resmi Statistik bulanan.",
        now=utcnow(),
    )
    user(db.session, email="dewi@example.org")

    _login(page, live_server, "dewi@example.org")
    page.goto(f"{live_server}/advisory/ask")
    page.locator("#subject").press_sequentially("data inflasi", delay=30)
    suggestion = page.locator("#suggestions a", has_text="inflasi Kota Bengkulu")
    expect(suggestion).to_be_visible()
    expect(suggestion).to_have_attribute("href", re.compile(r"/advisory/faq/\d+$"))

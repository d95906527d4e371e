"""An officer puts a publication in; a reader finds it by a word inside it.

Upload a PDF on the officer page → follow the ingest job → open the publication →
search inside it → a reader's catalogue search shows it with a snippet and the page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from factories import PASSWORD, make_pdf, user
from playwright.sync_api import expect

from app.accounts.models import Role
from app.extensions import db

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit], form.form input[type=submit]")


def test_officer_ingests_and_reader_finds_pages(
    page: Any, live_server: str, tmp_path: Path, app: Any
) -> None:
    officer = user(db.session, role=Role.OFFICER, email="petugas@example.org")
    assert officer.id
    pdf = make_pdf(
        tmp_path / "padi.pdf",
        [
            "Kata Pengantar",
            "Produksi padi Kabupaten Seluma naik dibanding tahun lalu",
            "Luas panen menurut kecamatan",
        ],
    )
    _login(page, live_server, "petugas@example.org")
    page.goto(f"{live_server}/staff/catalog/upload")
    page.set_input_files("#file", str(pdf))
    page.fill("#title", "Luas Panen dan Produksi Padi Kabupaten Seluma 2024")
    page.fill("#subjects", "Pertanian, Padi")
    page.click("form.form input[type=submit]")
    expect(page).to_have_url(re.compile(r"/staff/jobs/[0-9a-f]{32}$"))
    open_link = page.locator("a.button[href^='/publications/']")
    expect(open_link).to_be_visible(timeout=30_000)
    open_link.click()
    expect(page.locator("h1")).to_contain_text("Produksi Padi")

    page.fill("#q-in", "kecamatan")
    page.locator("#q-in").press("Enter")
    expect(page.locator("#page-3")).to_be_visible()

    page.goto(f"{live_server}/catalog/search?q=produksi")
    card = page.locator(".pub-card").first
    expect(card).to_contain_text("Seluma")
    expect(card.locator("mark").first).to_be_visible()
    expect(card.locator(".pages a").first).to_have_text("2")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "catalog-search.png"), full_page=True)

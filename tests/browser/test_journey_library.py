"""A reader finds a publication, reads it online and downloads a copy with their name.

Search → open the publication → read pages online (images arrive, go to a page, find a
word inside) → download → ``pdftotext`` finds the reader's name on every page.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from factories import PASSWORD, make_pdf, user
from playwright.sync_api import expect

from app import jobs
from app.blobs import current_store
from app.extensions import db
from catalog import cataloguing
from catalog.ingest import Limits

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def test_reader_searches_reads_and_downloads(
    page: Any, live_server: str, tmp_path: Path, app: Any
) -> None:
    pdf = make_pdf(
        tmp_path / "kesra.pdf",
        [
            "Statistik Kesejahteraan Rakyat Provinsi Bengkulu",
            "Persentase penduduk miskin menurut kabupaten",
            "Rata-rata lama sekolah",
            "Angka harapan hidup dan imunisasi balita",
        ],
    )
    cataloguing.ingest(
        db.session,
        current_store(),
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": "Statistik Kesejahteraan Rakyat Provinsi Bengkulu 2025"},
    )
    jobs.run_queued_here(db.session)
    user(db.session, email="dewi@example.org", full_name="Dewi Anggraini")

    page.goto(f"{live_server}/login")
    page.fill("#email", "dewi@example.org")
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit], form.form input[type=submit]")

    page.goto(f"{live_server}/catalog/search?q=imunisasi")
    page.locator(".pub-card a").first.click()
    expect(page.locator("h1")).to_contain_text("Kesejahteraan Rakyat")

    page.get_by_role("link", name="Baca daring").click()
    first = page.locator("#page-1 img")
    expect(first).to_be_visible()
    expect(first).to_have_js_property("complete", True)
    assert first.evaluate("img => img.naturalWidth") > 0  # a real image arrived
    page.fill("#find", "imunisasi")
    page.locator("#find").press("Enter")
    expect(page.locator("#find-results li").first).to_contain_text("4")
    expect(page.locator("#page-4.hit")).to_be_visible()
    fourth = page.locator("#page-4 img")
    expect(fourth).to_have_js_property("complete", True)
    assert fourth.evaluate("img => img.naturalWidth") > 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "library-reader.png"))

    page.go_back()
    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh PDF").click()
    download = info.value
    saved = tmp_path / "unduhan.pdf"
    download.save_as(saved)
    assert download.suggested_filename.startswith("Statistik-Kesejahteraan-Rakyat")
    text = subprocess.run(
        ["pdftotext", "-layout", str(saved), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) == 4
    for number, content in enumerate(pages, 1):
        assert "Dewi Anggraini" in content, f"page {number} lacks the reader's name"
        assert "dewi@example.org" in content

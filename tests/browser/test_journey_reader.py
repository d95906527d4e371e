"""On a phone, a reader follows a search hit into the reader: the filters open from a
button above the results, "found on page 6" opens the reader at page 6 with the words
marked in that page's text, the toolbar keeps to a tenth of the screen, and zooming
widens the page without leaving it.
"""

from __future__ import annotations

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
PHONE = {"width": 390, "height": 844}
PLACES = ("Seluma", "Kaur", "Lebong", "Mukomuko", "Kepahiang", "Rejang", "Kota", "Selatan")


def _yearbook(tmp_path: Path) -> int:
    """An eight-page yearbook with a running header and footer; page 6 alone speaks of
    vaccination (imunisasi)."""
    pages = []
    for n, place in enumerate(PLACES, start=1):
        topic = "Cakupan imunisasi balita" if n == 6 else "Produksi padi sawah"
        pages.append(
            f"Provinsi Bengkulu Dalam Angka 2024\n{topic} di {place}\n"
            f"Luas panen {place} naik {n} persen.\nHalaman {n}"
        )
    publication = cataloguing.ingest(
        db.session,
        current_store(),
        make_pdf(tmp_path / "dda.pdf", pages),
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": "Provinsi Bengkulu Dalam Angka 2024", "subjects": ["Kesehatan"]},
    )
    jobs.run_queued_here(db.session)
    return int(publication.id)


def test_phone_reader_follows_a_search_hit_to_the_marked_page(
    make_page: Any, live_server: str, tmp_path: Path
) -> None:
    pub_id = _yearbook(tmp_path)
    user(db.session, email="rina@example.org", full_name="Rina Marlina")
    page = make_page(**PHONE)
    page.goto(f"{live_server}/login")
    page.fill("#email", "rina@example.org")
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit], form.form input[type=submit]")

    page.goto(f"{live_server}/catalog/search?q=imunisasi")
    # The filters fold behind a button above the results, and open from it.
    toggle = page.locator("button.filters-toggle")
    filters = page.locator("#filters")
    expect(toggle).to_be_visible()
    expect(filters).to_be_hidden()
    assert toggle.bounding_box()["y"] < page.locator(".pub-card").first.bounding_box()["y"]
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(filters).to_be_visible()
    expect(filters).to_be_focused()
    expect(filters).to_contain_text("Kesehatan")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-phone-filters.png"))
    page.keyboard.press("Escape")
    expect(filters).to_be_hidden()
    expect(toggle).to_be_focused()

    card = page.locator(".pub-card").first
    expect(card.locator(".snippet")).to_contain_text("imunisasi")
    expect(card.locator(".snippet")).not_to_contain_text("Dalam Angka")
    card.locator(".pages a", has_text="6").click()

    page.wait_for_url(f"**/publications/{pub_id}/read?page=6*")
    sixth = page.locator("#page-6")
    expect(sixth).to_have_class("reader-page hit")
    marked = sixth.locator("details.page-text[open] .page-text-body")
    expect(marked).to_have_attribute("lang", "id")
    expect(marked.locator("mark")).to_have_text("imunisasi")
    image = sixth.locator("img")
    expect(image).to_have_attribute("alt", "Halaman 6 dari 8")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    assert 0 <= sixth.bounding_box()["y"] < PHONE["height"] / 2  # page 6 is in view

    page.screenshot(path=str(ARTIFACTS / "reader-phone.png"))
    toolbar = page.locator(".reader-tools")
    assert toolbar.bounding_box()["height"] <= PHONE["height"] / 10
    widths = {}
    for label in ("75%", "100%", "150%", "200%"):
        toolbar.get_by_role("link", name=label, exact=True).click()
        expect(toolbar.locator("a[aria-current=true]")).to_have_text(label)
        widths[label] = image.evaluate("img => img.getBoundingClientRect().width")
        box = sixth.bounding_box()
        assert box["y"] < PHONE["height"] / 2 and box["y"] + box["height"] > 0, label
        assert "page=6" in page.url
    assert widths["75%"] < widths["100%"] < widths["150%"] < widths["200%"]
    assert widths["200%"] > PHONE["width"]  # wider than the screen: it scrolls sideways
    page.screenshot(path=str(ARTIFACTS / "reader-phone-200.png"))

    # Reload at the zoom chosen: the same page, at the same zoom.
    page.reload()
    expect(toolbar.locator("a[aria-current=true]")).to_have_text("200%")
    assert 0 <= page.locator("#page-6").bounding_box()["y"] < PHONE["height"] / 2

    # Another page's text opens from its own disclosure.
    third = page.locator("#page-3")
    third.scroll_into_view_if_needed()
    third.locator("summary").click()
    expect(third.locator(".page-text-body")).to_contain_text("Produksi padi sawah di Lebong")

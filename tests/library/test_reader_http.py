"""The online reader over HTTP: opened at a page with the words searched for marked in
that page's text, each page's text offered (in the publication's language), zoom levels
that keep the page, and the same access checks on a page's text as on its image."""

from __future__ import annotations

import pytest
from factories import PASSWORD, make_pdf, user
from helpers import submit

from app import jobs
from app.blobs import current_store
from app.extensions import db
from catalog import cataloguing
from catalog.ingest import Limits
from catalog.models import Access

PAGES = [
    "Jumlah penduduk Kota Bengkulu",
    "Inflasi bulanan",
    "Produksi padi Seluma\nLuas panen <b>padi</b> sawah",
]


@pytest.fixture
def publication(session, tmp_path):
    pdf = make_pdf(tmp_path / "p.pdf", PAGES)
    found = cataloguing.ingest(
        session,
        current_store(),
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": "Statistik Daerah Kota Bengkulu 2025"},
    )
    jobs.run_queued_here(db.session)  # the index job
    return found


def _login(client, session, **fields):
    person = user(session, **fields)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    return person


def test_reader_opens_at_the_page_with_the_words_marked(client, session, publication):
    _login(client, session)
    html = client.get(f"/publications/{publication.id}/read?page=3&q=padi").get_data(as_text=True)
    page3 = html[html.index('id="page-3"') :]
    assert 'class="reader-page hit"' in html[html.index('id="page-3"') - 40 :][:80]
    assert '<details class="page-text" open>' in page3
    assert '<div class="page-text-body" lang="id">' in page3
    assert "Luas panen &lt;b&gt;<mark>padi</mark>&lt;/b&gt; sawah" in page3  # escaped, marked
    assert 'alt="Halaman 3 dari 3"' in page3
    assert 'data-start="3"' in html
    # The pages holding the words, listed above the pages, each a link to it.
    hits = html[html.index('id="find-results"') : html.index('class="reader-pages')]
    assert f"/publications/{publication.id}/read?page=3&amp;q=padi#page-3" in hits
    assert "hidden" not in hits.split(">")[0]
    # Without words, nothing is marked and no page is a hit.
    plain = client.get(f"/publications/{publication.id}/read?page=3").get_data(as_text=True)
    assert "<mark>" not in plain and "reader-page hit" not in plain


def test_every_page_offers_its_text(client, session, publication):
    _login(client, session)
    html = client.get(f"/publications/{publication.id}/read").get_data(as_text=True)
    assert html.count('<details class="page-text">') == 3
    assert "Teks halaman 2" in html
    text = client.get(f"/publications/{publication.id}/pages/2/text?q=inflasi")
    assert text.status_code == 200
    body = text.get_data(as_text=True)
    assert '<div class="page-text-body" lang="id"><mark>Inflasi</mark> bulanan</div>' in body
    assert client.get(f"/publications/{publication.id}/pages/4/text").status_code == 404
    assert client.get(f"/publications/{publication.id}/pages/1/text?q=(((").status_code == 200


def test_zoom_keeps_the_page(client, session, publication):
    _login(client, session)
    html = client.get(f"/publications/{publication.id}/read?page=2&zoom=2").get_data(as_text=True)
    assert 'class="reader-pages zoom-2"' in html
    for level in (0, 3):
        assert f"/publications/{publication.id}/read?page=2&amp;zoom={level}#page-2" in html
    assert f"/publications/{publication.id}/read?page=2#page-2" in html  # 100%: the default
    assert 'sizes="(min-width: 68rem) 1584px, 150vw"' in html
    # The goto form keeps the zoom; an unknown zoom is the default.
    assert '<input type="hidden" name="zoom" value="2">' in html
    other = client.get(f"/publications/{publication.id}/read?zoom=9").get_data(as_text=True)
    assert 'class="reader-pages zoom-1"' in other


def test_page_text_has_the_image_access_checks(client, session, publication):
    url = f"/publications/{publication.id}/pages/1/text"
    assert client.get(url).status_code == 302  # sign in first
    _login(client, session)
    publication.access = Access.SALE
    session.commit()
    assert client.get(url).status_code == 403
    assert client.get(f"/publications/{publication.id}/pages/1").status_code == 403

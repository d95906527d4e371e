"""Publication cards (``catalog.http.publication_card``): their fixed part is made once per
publication, language and script root and kept, and a change of the publication, of
its visibility or of the words searched shows at once."""

from __future__ import annotations

from typing import Any

import pytest
from factories import make_pdf, user
from markupsafe import escape

from app.accounts.models import Role
from app.blobs import current_store
from catalog import cataloguing, http, services
from catalog.ingest import Limits
from catalog.models import Access, Status

PAGES = ["Pengantar", "Jumlah penduduk menurut kabupaten", "Inflasi bulanan Kota Bengkulu"]
TITLE = "Statistik Kependudukan Bengkulu"


@pytest.fixture
def publication(app, session, tmp_path):
    app.config["PAGE_CACHE"] = False  # every page below is rendered
    pdf = make_pdf(tmp_path / "p.pdf", PAGES)
    return cataloguing.ingest(
        session,
        current_store(),
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": TITLE, "subjects": ["Kependudukan"], "kat_no": "2101018.17"},
    )


@pytest.fixture
def builds(monkeypatch) -> list[Any]:
    """The cards made (not taken from the cache), as their publications' ids."""
    made: list[Any] = []
    original = http._build_card

    def counted(pub: Any, has_file: bool) -> Any:
        made.append(pub.id)
        return original(pub, has_file)

    monkeypatch.setattr(http, "_build_card", counted)
    return made


def _cards(html: str) -> int:
    return html.count('class="pub-card"')


def test_a_card_is_made_once_per_publication_and_language(client, publication, builds):
    first = client.get("/catalog/search?q=penduduk").text
    assert _cards(first) == 1 and builds == [publication.id]
    again = client.get("/catalog/search?q=penduduk").text
    assert again == first and builds == [publication.id]  # kept
    # The same card on the catalogue's home: the same kept part.
    assert TITLE in client.get("/catalog").text and builds == [publication.id]
    client.set_cookie("pst_lang", "en")
    english = client.get("/catalog/search?q=penduduk").text
    assert "Cat. no. 2101018.17" in english and "No. Katalog" not in english
    assert builds == [publication.id, publication.id]  # made again in English
    client.set_cookie("pst_lang", "id")
    assert "No. Katalog 2101018.17" in client.get("/catalog/search?q=penduduk").text


def test_a_changed_publication_shows_its_new_card(client, session, publication):
    officer = user(session, role=Role.OFFICER)
    before = client.get("/catalog/search?q=penduduk").text
    assert TITLE in before and "2101018.17" in before and "access-open" in before
    services.update_publication(
        session,
        publication.id,
        {"title": "Penduduk Bengkulu Hasil Sensus", "kat_no": "2101099.17", "access": "sale"},
        actor_id=officer.id,
    )
    for path in ("/catalog/search?q=penduduk", "/catalog"):
        html = client.get(path).text
        assert "Penduduk Bengkulu Hasil Sensus" in html and TITLE not in html, path
        assert "2101099.17" in html and "2101018.17" not in html, path
        assert "access-sale" in html and "access-open" not in html, path
    # A sold publication's page hits stay on its own page (not the reader's).
    html = client.get("/catalog/search?q=penduduk").text
    assert f"/publications/{publication.id}?q=penduduk#page-2" in html and "/read?" not in html


def test_a_withdrawn_publication_leaves_the_lists_at_once(client, session, publication):
    officer = user(session, role=Role.OFFICER)
    assert _cards(client.get("/catalog/search?q=penduduk").text) == 1
    services.set_status(session, publication.id, Status.WITHDRAWN, actor_id=officer.id)
    assert _cards(client.get("/catalog/search?q=penduduk").text) == 0
    assert _cards(client.get("/catalog").text) == 0
    services.set_status(session, publication.id, Status.ACTIVE, actor_id=officer.id)
    assert _cards(client.get("/catalog/search?q=penduduk").text) == 1


def test_links_carry_the_words_as_url_for_writes_them(app, client, publication):
    words = "'penduduk' & <kabupaten>"  # quoted in the link, escaped in the HTML
    html = client.get("/catalog/search", query_string={"q": words}).text
    assert _cards(html) == 1
    with app.test_request_context():
        from flask import url_for

        title = url_for("catalog.publication", pub_id=publication.id, q=words)
        page = url_for("library.read", pub_id=publication.id, page=2, q=words)
    assert f'<h3><a href="{escape(title)}">{TITLE}</a></h3>' in html
    assert f'<a href="{escape(page)}#page-2">2</a>' in html
    # Without words: no query, and no page links.
    plain = client.get("/catalog").text
    assert f'<h3><a href="/publications/{publication.id}">{TITLE}</a></h3>' in plain


def test_cards_follow_the_script_root(client, publication):
    assert f'href="/publications/{publication.id}' in client.get("/catalog").text
    mounted = client.get("/catalog", base_url="http://localhost/pst").text
    assert f'href="/pst/publications/{publication.id}' in mounted
    assert f'href="/publications/{publication.id}' not in mounted
    assert f'href="/publications/{publication.id}' in client.get("/catalog").text


def test_the_kept_cards_are_bounded(app, client, session, publication, monkeypatch):
    monkeypatch.setattr(http, "MAX_CARDS", 2)
    officer = user(session, role=Role.OFFICER)
    for n in range(4):  # four versions of the card, each kept under its own key
        services.update_publication(
            session, publication.id, {"kat_no": f"21010{n}"}, actor_id=officer.id
        )
        assert f"21010{n}" in client.get("/catalog").text
    assert len(app.extensions["pst.catalog.cards"].cards) == 2


def test_a_print_only_record_has_the_print_card(client, session, publication):
    publication.master_key = None
    publication.cover_key = None
    publication.access = Access.OPEN
    session.commit()
    html = client.get("/catalog").text
    assert '<div class="pub-cover placeholder" aria-hidden="true">Cetak</div>' in html
    assert '<span class="badge">hanya cetak</span>' in html

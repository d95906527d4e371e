"""What the catalogue serves to machines: structured metadata on publication pages (read
back with extruct), Atom feeds (feedparser), citation exports, and series pages."""

from __future__ import annotations

import json
from datetime import date

import extruct
import feedparser
import lxml.html
import pytest
from factories import PASSWORD, user
from helpers import submit
from sqlalchemy import select

from app.accounts.models import Role
from app.audit import AuditEvent
from catalog import cataloguing
from catalog.models import Kind, Publication, Series, Status
from catalog.series import ensure_series, title_without_year

HOSTILE = '</script><script>alert("x")</script> & <b>"Inflasi"</b> \' --> <!--'


def _record(session, title, **meta):
    publication = cataloguing.add_record(session, {"title": title, **meta}, actor_id=None)
    session.commit()
    return publication


@pytest.fixture
def book(session):
    publication = _record(
        session,
        "Provinsi Bengkulu Dalam Angka 2024",
        isbn="978-602-1234-56-7",
        issn="2088-5032",
        kat_no="1102001.17",
        rl_date=date(2024, 2, 28),
        subjects=["Kependudukan", "Sosial"],
        abstract="Ringkasan data provinsi.",
    )
    publication.cover_key = "c" * 64  # a cover to point og:image at (never fetched here)
    session.commit()
    return publication


def _login(client, session, role):
    person = user(session, role=role)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    return person


def _meta(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in lxml.html.fromstring(html).iter("meta"):
        key = node.get("name") or node.get("property")
        if key:
            found.setdefault(key, []).append(node.get("content"))
    return found


def _structured(client, url):
    html = client.get(url).get_data(as_text=True)
    data = extruct.extract(html, base_url="http://localhost/", syntaxes=["json-ld", "opengraph"])
    return html, data


# --- structured metadata -----------------------------------------------------------


def test_publication_page_has_book_json_ld_highwire_and_opengraph(client, session, book):
    html, data = _structured(client, f"/publications/{book.id}")
    (ld,) = data["json-ld"]
    assert ld["@type"] == "Book" and ld["name"] == book.title
    assert ld["isbn"] == "978-602-1234-56-7" and ld["datePublished"] == "2024-02-28"
    assert ld["author"]["name"] == "Badan Pusat Statistik Provinsi Bengkulu"
    assert ld["url"] == f"http://localhost/publications/{book.id}"
    assert ld["image"] == f"http://localhost/publications/{book.id}/cover"
    assert {"propertyID": "BPS catalogue number", "value": "1102001.17"}.items() <= (
        ld["identifier"][0].items()
    )
    og = dict(data["opengraph"][0]["properties"])
    assert og["og:title"] == book.title and og["og:type"] == "book"
    assert og["og:image"] == ld["image"] and og["og:url"] == ld["url"]
    assert og["og:description"] == "Ringkasan data provinsi."
    meta = _meta(html)
    assert meta["citation_title"] == [book.title]
    assert meta["citation_author"] == ["Badan Pusat Statistik Provinsi Bengkulu"]
    assert meta["citation_publication_date"] == ["2024/02/28"]
    assert meta["citation_isbn"] == ["978-602-1234-56-7"]
    assert meta["citation_issn"] == ["2088-5032"]
    assert meta["citation_language"] == ["id"]
    assert meta["citation_keywords"] == ["Kependudukan; Sosial"]
    # Downloads are stamped per reader and need a sign-in: no PDF is open to crawlers.
    assert "citation_pdf_url" not in meta
    assert meta["twitter:card"] == ["summary_large_image"]


def test_brs_and_publications_without_isbn_are_reports(client, session):
    brs = _record(session, "Inflasi Mei 2024", kind=Kind.BRS.value, isbn="978-1")
    plain = _record(session, "Statistik Tanpa ISBN")
    for item in (brs, plain):
        _html, data = _structured(client, f"/publications/{item.id}")
        assert data["json-ld"][0]["@type"] == "Report"
        assert dict(data["opengraph"][0]["properties"])["og:type"] == "article"


def test_hostile_title_cannot_break_out_of_the_json_ld_script(client, session):
    item = _record(session, HOSTILE, abstract=HOSTILE)
    html, data = _structured(client, f"/publications/{item.id}")
    assert data["json-ld"][0]["name"] == " ".join(HOSTILE.split())
    assert data["json-ld"][0]["abstract"] == " ".join(HOSTILE.split())
    assert html.count("<script") == html.count("</script>")  # no script element added
    assert 'alert("x")</script>' not in html
    assert _meta(html)["citation_title"] == [" ".join(HOSTILE.split())]


def test_withdrawn_publication_exposes_nothing_to_the_public(client, session, book):
    book.status = Status.WITHDRAWN
    session.commit()
    assert client.get(f"/publications/{book.id}").status_code == 404
    for fmt in ("bib", "ris", "json"):
        assert client.get(f"/publications/{book.id}/cite.{fmt}").status_code == 404


# --- citation exports --------------------------------------------------------------------


def test_citation_text_and_export_menu_on_the_page(client, book):
    html = client.get(f"/publications/{book.id}").get_data(as_text=True)
    page = lxml.html.fromstring(html)
    (text,) = page.xpath('//*[@id="citation-text"]/text()')
    assert text == (
        "Badan Pusat Statistik Provinsi Bengkulu. (2024). Provinsi Bengkulu Dalam Angka 2024."
        " Bengkulu: BPS Provinsi Bengkulu."
    )
    links = page.xpath('//details[@class="cite-export"]//a/@href')
    assert links == [f"/publications/{book.id}/cite.{f}" for f in ("bib", "ris", "json")]


def test_citation_exports_download(client, book):
    bib = client.get(f"/publications/{book.id}/cite.bib")
    assert bib.mimetype == "application/x-bibtex"
    assert f'filename="bps2024_{book.id}.bib"' in bib.headers["Content-Disposition"]
    assert bib.get_data(as_text=True).startswith(f"@book{{bps2024_{book.id},")
    ris = client.get(f"/publications/{book.id}/cite.ris").get_data(as_text=True)
    assert "TY  - BOOK\r\n" in ris and "SN  - 978-602-1234-56-7\r\n" in ris
    csl = json.loads(client.get(f"/publications/{book.id}/cite.json").get_data(as_text=True))
    assert csl[0]["URL"] == f"http://localhost/publications/{book.id}"
    assert client.get(f"/publications/{book.id}/cite.doc").status_code == 404


# --- feeds -------------------------------------------------------------------------------


def test_release_feed_is_valid_atom_of_public_publications(client, session, book):
    older = _record(session, "Statistik 2023 <&>", rl_date=date(2023, 5, 1), abstract="A\x01B")
    gone = _record(session, "Ditarik", rl_date=date(2024, 6, 1))
    gone.status = Status.WITHDRAWN
    session.commit()
    response = client.get("/feeds/releases.atom")
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.id == "http://localhost/feeds/releases.atom"
    assert {link.rel for link in feed.feed.links} == {"self", "alternate"}
    assert feed.feed.updated
    assert [e.title for e in feed.entries] == [book.title, "Statistik 2023 <&>"]
    first = feed.entries[0]
    assert first.id == first.link == f"http://localhost/publications/{book.id}"
    assert first.summary == "Ringkasan data provinsi."
    assert first.published.startswith("2024-02-27T17:00:00")  # 00:00 WIB
    assert {t.term for t in first.tags} == {"Kependudukan", "Sosial"}
    assert feed.entries[1].summary == "AB" and older.id


def test_subject_feed_lists_only_that_subject(client, session, book):
    _record(session, "Ekonomi Bengkulu", subjects=["Ekonomi"])
    subject = next(s for s in book.subjects if s.name == "Kependudukan")
    feed = feedparser.parse(client.get(f"/feeds/subjects/{subject.id}.atom").get_data())
    assert not feed.bozo and [e.title for e in feed.entries] == [book.title]
    assert "Kependudukan" in feed.feed.title
    assert client.get("/feeds/subjects/99999.atom").status_code == 404


def test_empty_feed_is_still_valid(client):
    feed = feedparser.parse(client.get("/feeds/releases.atom").get_data())
    assert not feed.bozo and feed.entries == [] and feed.feed.updated


def test_catalogue_pages_link_their_feeds(client, session, book):
    subject = next(s for s in book.subjects if s.name == "Sosial")
    for url, expected in (
        ("/catalog", {"/feeds/releases.atom"}),
        (f"/publications/{book.id}", {"/feeds/releases.atom"}),
        (
            "/catalog/search?subject=Sosial",
            {"/feeds/releases.atom", f"/feeds/subjects/{subject.id}.atom"},
        ),
    ):
        page = lxml.html.fromstring(client.get(url).get_data(as_text=True))
        feeds = page.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
        assert set(feeds) == expected, url


# --- series and editions -----------------------------------------------------------------


def test_title_without_year():
    assert title_without_year("Provinsi Bengkulu Dalam Angka 2024") == (
        "Provinsi Bengkulu Dalam Angka"
    )
    assert title_without_year("Statistik Daerah Provinsi Bengkulu (2023/2024)") == (
        "Statistik Daerah Provinsi Bengkulu"
    )
    assert title_without_year("Indikator 2020-2024 Bengkulu") == "Indikator Bengkulu"


def test_ingest_joins_the_series_its_title_names(session):
    series = ensure_series(session, "Provinsi  Bengkulu Dalam Angka", actor_id=None)
    session.commit()
    again = _record(session, "PROVINSI BENGKULU DALAM ANGKA 2025")
    other = _record(session, "Statistik Daerah Provinsi Bengkulu 2025")
    assert again.series_id == series.id and other.series_id is None
    assert ensure_series(session, "provinsi bengkulu dalam angka", actor_id=None).id == series.id


def test_officer_creates_a_series_inline_and_picks_it(client, session, book):
    officer = _login(client, session, Role.OFFICER)
    older = _record(session, "Provinsi Bengkulu Dalam Angka 2023", rl_date=date(2023, 2, 28))
    form = {"title": book.title, "subjects": "", "language": "id", "kind": "publication"}
    form["access"] = "open"
    response = submit(
        client,
        f"/staff/catalog/{book.id}/edit",
        {**form, "series_id": "None", "new_series": "Provinsi Bengkulu Dalam Angka"},
    )
    assert response.status_code == 302
    series = session.scalars(select(Series)).one()
    session.refresh(book)
    assert book.series_id == series.id
    created = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "catalog.series_created")
    ).one()
    assert created.actor_id == officer.id
    # The older edition's form suggests the series its title names, and saving keeps it.
    page = client.get(f"/staff/catalog/{older.id}/edit").get_data(as_text=True)
    assert "series-suggested" in page
    chosen = lxml.html.fromstring(page).xpath('//select[@name="series_id"]/option[@selected]')
    assert [o.get("value") for o in chosen] == [str(series.id)]
    submit(
        client,
        f"/staff/catalog/{older.id}/edit",
        {**form, "title": older.title, "series_id": str(series.id)},
    )
    session.refresh(older)
    assert older.series_id == series.id
    bad = submit(client, f"/staff/catalog/{older.id}/edit", {**form, "series_id": "424242"})
    assert bad.status_code == 422


def test_series_page_and_other_editions_list_public_editions_newest_first(client, session):
    series = ensure_series(session, "Statistik Daerah Provinsi Bengkulu", actor_id=None)
    session.commit()
    editions = [
        _record(session, f"Statistik Daerah Provinsi Bengkulu {year}", rl_date=date(year, 9, 1))
        for year in (2022, 2024, 2023)
    ]
    withdrawn = _record(
        session, "Statistik Daerah Provinsi Bengkulu 2021", rl_date=date(2021, 9, 1)
    )
    withdrawn.status = Status.WITHDRAWN
    session.commit()
    assert all(p.series_id == series.id for p in [*editions, withdrawn])
    page = lxml.html.fromstring(client.get(f"/series/{series.id}").get_data(as_text=True))
    titles = page.xpath('//article[@class="pub-card"]//h3/a/text()')
    assert titles == [f"Statistik Daerah Provinsi Bengkulu {y}" for y in (2024, 2023, 2022)]
    html = client.get(f"/publications/{editions[0].id}").get_data(as_text=True)
    others = lxml.html.fromstring(html).xpath('//ul[@class="edition-list"]//a/text()')
    assert others == [f"Statistik Daerah Provinsi Bengkulu {y}" for y in (2024, 2023)]
    _html, data = _structured(client, f"/publications/{editions[0].id}")
    assert data["json-ld"][0]["isPartOf"]["name"] == series.title


def test_series_without_public_editions_is_not_found(client, session):
    series = ensure_series(session, "Seri Kosong", actor_id=None)
    session.commit()
    assert client.get(f"/series/{series.id}").status_code == 404
    assert client.get("/series/99999").status_code == 404


def test_publication_query_count_unchanged_without_series(client, session, book):
    assert session.get(Publication, book.id).series is None
    html = client.get(f"/publications/{book.id}").get_data(as_text=True)
    assert 'class="editions"' not in html


def test_new_record_form_joins_the_series_its_title_names(client, session):
    _login(client, session, Role.OFFICER)
    series = ensure_series(session, "Statistik Daerah Provinsi Bengkulu", actor_id=None)
    session.commit()
    form = {"subjects": "", "language": "id", "kind": "publication", "access": "open"}
    for title, chosen in (
        ("Statistik Daerah Provinsi Bengkulu 2025", "None"),
        ("Buku Lain 2025", str(series.id)),
        ("Statistik Daerah Provinsi Bengkulu 2026", None),
    ):
        data = {**form, "title": title}
        if chosen is not None:
            data["series_id"] = chosen
        assert submit(client, "/staff/catalog/new-record", data).status_code == 302
    rows = session.execute(select(Publication.title, Publication.series_id)).all()
    assert sorted(rows) == [
        ("Buku Lain 2025", series.id),
        ("Statistik Daerah Provinsi Bengkulu 2025", series.id),
        ("Statistik Daerah Provinsi Bengkulu 2026", series.id),
    ]

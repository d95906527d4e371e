"""Catalogue pages and API over HTTP: browse, search, publication page, officer upload."""

from __future__ import annotations

import io
import json

import pytest
from factories import PASSWORD, make_pdf, user
from helpers import submit
from sqlalchemy import select

from app.accounts import services as accounts
from app.accounts.models import Role
from app.blobs import current_store
from app.jobs import Job
from catalog import cataloguing, services
from catalog.ingest import Limits
from catalog.models import Publication

PAGES = ["Pengantar", "Jumlah penduduk menurut kabupaten", "Inflasi bulanan <b>Kota</b> Bengkulu"]


@pytest.fixture
def publication(session, tmp_path):
    pdf = make_pdf(tmp_path / "p.pdf", PAGES)
    return cataloguing.ingest(
        session,
        current_store(),
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={
            "title": "Statistik Kependudukan Bengkulu",
            "subjects": ["Kependudukan"],
            "kat_no": "2101018.17",
        },
    )


def _login(client, session, role):
    person = user(session, role=role)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    return person


def test_catalog_home_lists_new_releases_and_subjects(client, publication):
    html = client.get("/catalog").get_data(as_text=True)
    assert "Statistik Kependudukan Bengkulu" in html
    assert "Kependudukan" in html


def test_empty_catalog_has_friendly_states(client):
    assert client.get("/catalog").status_code == 200
    assert client.get("/catalog/search?q=apa").status_code == 200


def test_search_page_shows_snippets_and_page_numbers(client, publication):
    html = client.get("/catalog/search?q=penduduk").get_data(as_text=True)
    assert "Statistik Kependudukan Bengkulu" in html
    assert "<mark>" in html
    assert "#page-2" in html


def test_search_with_facet_filter_and_bad_values(client, publication):
    assert client.get("/catalog/search?subject=Kependudukan").status_code == 200
    for query in ("year=abc", "page=-5", "q=" + "x" * 5000):
        assert client.get(f"/catalog/search?{query}").status_code == 200
    for query in ("q=%22", "q=((("):  # no words to search for: the reader's to fix
        assert client.get(f"/catalog/search?{query}").status_code == 400
    # A null character is refused with a message everywhere (app.security).
    assert client.get("/catalog/search?type=%00").status_code == 400


def test_publication_page_and_search_inside(client, publication):
    html = client.get(f"/publications/{publication.id}?q=inflasi").get_data(as_text=True)
    assert "2101018.17" in html
    assert 'id="page-3"' in html
    assert "<b>Kota</b>" not in html  # text from the PDF is escaped
    with client.get(f"/publications/{publication.id}/cover") as cover:
        assert cover.status_code == 200
        assert cover.data.startswith(b"\x89PNG")
    assert client.get("/publications/999999").status_code == 404


def test_publication_page_subtitle_once_and_in_the_readers_language(client, session, publication):
    """An English subtitle equal to the English title is shown once; a subtitle that only
    names the kind ("Berita Resmi Statistik") follows the page's language."""
    from catalog.models import Kind

    publication.subtitle = publication.title_en = "Bengkulu Population Statistics"
    session.commit()
    html = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert html.count("Bengkulu Population Statistics") == 1
    publication.subtitle, publication.kind = "Berita Resmi Statistik", Kind.BRS
    session.commit()
    client.set_cookie("pst_lang", "en")
    html = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert "Berita Resmi Statistik" not in html and "Official statistical news (BRS)" in html
    client.set_cookie("pst_lang", "id")
    html = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert "Berita Resmi Statistik (BRS)" in html


def test_withdrawn_publication_is_hidden_from_readers(client, session, publication):
    officer = user(session, role=Role.OFFICER)
    from catalog.models import Status

    services.set_status(
        session, publication.id, Status.WITHDRAWN, actor_id=officer.id, reason="ralat"
    )
    assert client.get(f"/publications/{publication.id}").status_code == 404


def test_officer_uploads_and_follows_the_job(client, session, tmp_path):
    _login(client, session, Role.OFFICER)
    pdf = make_pdf(tmp_path / "u.pdf", ["Produksi padi Kabupaten Seluma"])
    token_page = "/staff/catalog/upload"
    response = submit(
        client,
        token_page,
        {
            "file": (io.BytesIO(pdf.read_bytes()), "padi.pdf"),
            "title": "Luas Panen dan Produksi Padi",
            "subjects": "Pertanian, Padi",
            "language": "id",
            "kind": "publication",
            "access": "open",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    created = session.scalar(select(Publication))
    assert created.title == "Luas Panen dan Produksi Padi"
    assert f"/publications/{created.id}" in job_page


def test_upload_of_a_non_pdf_gets_a_field_error(client, session):
    _login(client, session, Role.OFFICER)
    response = submit(
        client,
        "/staff/catalog/upload",
        {
            "file": (io.BytesIO(b"GIF89a not a pdf"), "x.pdf"),
            "language": "id",
            "kind": "publication",
            "access": "open",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert 'id="file-error"' in response.get_data(as_text=True)
    assert session.scalar(select(Job)) is None


def test_readers_cannot_reach_officer_pages(client, session, publication):
    _login(client, session, Role.USER)
    assert client.get("/staff/catalog/upload").status_code == 403
    assert client.get(f"/staff/catalog/{publication.id}/edit").status_code == 403


def test_officer_edits_and_withdraws(client, session, publication):
    _login(client, session, Role.OFFICER)
    page = f"/staff/catalog/{publication.id}/edit"
    response = submit(
        client,
        page,
        {
            "title": "Judul Baru",
            "subjects": "Kependudukan, Sosial",
            "language": "id",
            "kind": "publication",
            "access": "sale",
        },
    )
    assert response.status_code == 302
    session.refresh(publication)
    assert publication.title == "Judul Baru" and publication.access.value == "sale"
    officer_box = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert publication.updated_by.full_name in officer_box  # who changed it, and when
    response = submit(
        client,
        f"/staff/catalog/{publication.id}/withdraw",
        {"reason": "ralat"},
        page=f"/publications/{publication.id}",
    )
    session.refresh(publication)
    assert publication.status.value == "withdrawn"


# --- API ------------------------------------------------------------------------------


def test_api_list_get_and_pages(client, publication):
    listing = client.get("/api/v1/publications?q=penduduk").json
    assert listing["total"] == 1
    item = listing["items"][0]
    assert item["publication"]["id"] == publication.id and item["pages"] == [2]
    assert "subject" in listing["facets"]
    one = client.get(f"/api/v1/publications/{publication.id}").json
    assert one["kat_no"] == "2101018.17" and one["pages"] == 3
    pages = client.get(f"/api/v1/publications/{publication.id}/pages?q=inflasi").json
    assert pages[0]["page"] == 3
    assert client.get("/api/v1/publications/424242").status_code == 404
    bad = client.get("/api/v1/publications?per_page=1000")
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"


def test_api_ingest_needs_an_officer_token(client, session, tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", ["Kemiskinan di Bengkulu"])
    reader = user(session)
    _t, reader_token = accounts.create_api_token(session, reader, "t")
    officer = user(session, role=Role.OFFICER)
    _t, officer_token = accounts.create_api_token(session, officer, "t")

    def post(token, meta=None):
        data = {"file": (io.BytesIO(pdf.read_bytes()), "a.pdf")}
        if meta is not None:
            data["meta"] = meta
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.post(
            "/api/v1/publications", data=data, headers=headers, content_type="multipart/form-data"
        )

    assert post(None).status_code == 401
    assert post(reader_token).status_code == 403
    assert post(officer_token, meta="{oops").status_code == 422
    response = post(officer_token, meta=json.dumps({"title": "Profil Kemiskinan"}))
    assert response.status_code == 202
    job = client.get(
        response.headers["Location"], headers={"Authorization": f"Bearer {officer_token}"}
    ).json
    assert job["state"] == "done"
    assert job["result"]["pages"] == 1


def test_catalog_operations_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    ids = {
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert {
        "listPublications",
        "getPublication",
        "searchPublicationPages",
        "ingestPublication",
    } <= ids


def test_site_home_shows_new_releases(client, publication):
    html = client.get("/").get_data(as_text=True)
    assert "Statistik Kependudukan Bengkulu" in html
    assert f"/publications/{publication.id}" in html


def test_a_page_hit_opens_the_reader_at_that_page(client, session, publication):
    # "Found on page 2" on a result card, and page 2 in the publication's own page hits,
    # open the reader at page 2 with the words to mark (they were plain text or an
    # anchor on the same page before).
    reader = f"/publications/{publication.id}/read?page=2&amp;q=penduduk#page-2"
    assert reader in client.get("/catalog/search?q=penduduk").get_data(as_text=True)
    page = client.get(f"/publications/{publication.id}?q=penduduk").get_data(as_text=True)
    assert f'<a href="{reader}"><strong>Halaman 2</strong></a>' in page


def test_outline_entries_open_the_reader(client, session, publication):
    publication.outline_json = json.dumps(
        [
            {"title": "Pengantar", "page": 1, "level": 0},
            {"title": "Inflasi", "page": 3, "level": 1},
            {"title": "Tanpa halaman", "page": None, "level": 0},
        ]
    )
    session.commit()
    page = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert f'<a href="/publications/{publication.id}/read?page=3#page-3">Inflasi</a>' in page
    assert "Tanpa halaman" in page and ">Tanpa halaman</a>" not in page


def test_a_sold_publication_keeps_its_page_hits_on_its_own_page(client, session, publication):
    from catalog.models import Access

    publication.access = Access.SALE
    session.commit()
    html = client.get("/catalog/search?q=penduduk").get_data(as_text=True)
    assert f"/publications/{publication.id}?q=penduduk#page-2" in html
    assert "/read?" not in html


def test_a_corrected_typo_says_what_was_searched(client, publication):
    html = client.get("/catalog/search?q=Kependudukn").get_data(as_text=True)
    assert "Menampilkan hasil untuk <strong>kependudukan</strong>" in html
    assert "/catalog/search?q=Kependudukn&amp;exact=1" in html
    assert "Cari Kependudukn saja" in html
    assert "Statistik Kependudukan Bengkulu" in html
    only = client.get("/catalog/search?q=Kependudukn&exact=1").get_data(as_text=True)
    assert "Menampilkan hasil untuk" not in only
    assert "Statistik Kependudukan Bengkulu" not in only


def test_search_filters_open_from_a_button_above_the_results(client, publication):
    html = client.get("/catalog/search?q=penduduk&subject=Kependudukan").get_data(as_text=True)
    button = html.index('aria-controls="filters"')
    assert 'aria-expanded="false"' in html[button - 300 : button + 100]
    assert "Penyaring (1)" in html
    assert button < html.index('id="filters"') < html.index('class="pub-card"')

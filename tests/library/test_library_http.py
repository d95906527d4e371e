"""The library over HTTP: download and read online, the API, the download database,
tracing a leaked file (page and CLI), and the access checks on every route."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import timedelta

import pytest
from factories import PASSWORD, make_pdf, user
from helpers import csrf_token, submit
from PIL import Image

from app.accounts import services as accounts
from app.accounts.models import Role
from app.blobs import current_store
from app.db import utcnow
from app.i18n import format_wib
from catalog import cataloguing
from catalog.ingest import Limits
from catalog.models import Access
from library.access import day_start
from library.models import Download, DownloadStatus

PAGES = ["Jumlah penduduk Kota Bengkulu", "Inflasi bulanan", "Produksi padi Seluma"]


@pytest.fixture
def publication(session, tmp_path):
    pdf = make_pdf(tmp_path / "p.pdf", PAGES)
    return cataloguing.ingest(
        session,
        current_store(),
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": "Statistik Daerah Kota Bengkulu 2025"},
    )


def _login(client, session, **fields):
    person = user(session, **fields)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    return person


def _download(client, pub_id):
    page = f"/publications/{pub_id}"
    return client.post(
        f"/publications/{pub_id}/download", data={"csrf_token": csrf_token(client, page)}
    )


def test_publication_page_offers_reading_and_download(client, session, publication):
    html = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert "/login" in html  # anonymous: sign in first
    _login(client, session)
    html = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert f"/publications/{publication.id}/read" in html
    assert f"/publications/{publication.id}/download" in html


def test_download_over_http(client, session, publication, tmp_path):
    reader = _login(client, session, full_name="Budi Santoso")
    response = _download(client, publication.id)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = response.get_data()
    (tmp_path / "d.pdf").write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count("Budi Santoso") >= 3
    row = session.query(Download).one()
    assert row.user_id == reader.id
    assert row.code == response.headers["X-Download-Code"]
    assert row.status == DownloadStatus.COMPLETE


def test_download_needs_sign_in_and_csrf(client, session, publication):
    response = client.post(f"/publications/{publication.id}/download")
    assert response.status_code in (302, 400)
    _login(client, session)
    assert client.post(f"/publications/{publication.id}/download").status_code == 400  # no CSRF
    assert session.query(Download).count() == 0


@pytest.mark.parametrize("config_overrides", [{"LIBRARY_DAILY_QUOTA": 1}])
def test_quota_reached_is_a_clear_message(client, session, publication):
    _login(client, session)
    assert _download(client, publication.id).status_code == 200
    response = _download(client, publication.id)
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "batas" in html or "limit" in html


def test_read_only_publication_reads_but_does_not_download(client, session, publication):
    publication.access = Access.READ_ONLY
    session.commit()
    _login(client, session)
    html = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert f"/publications/{publication.id}/download" not in html
    response = _download(client, publication.id)
    assert response.status_code == 302 and session.query(Download).count() == 0
    reader = client.get(f"/publications/{publication.id}/read")
    assert reader.status_code == 200
    image = client.get(f"/publications/{publication.id}/pages/1")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert "private" in image.headers["Cache-Control"]
    assert Image.open(io.BytesIO(image.get_data())).width == 900


def test_sale_publication_is_neither_read_nor_downloaded(client, session, publication):
    publication.access = Access.SALE
    session.commit()
    _login(client, session)
    assert client.get(f"/publications/{publication.id}/read").status_code == 302
    assert client.get(f"/publications/{publication.id}/pages/1").status_code == 403
    assert client.get(f"/publications/{publication.id}/find?q=padi").status_code == 403
    # Nothing to read or download: no empty "read or download" box under the badge.
    page = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert "access-panel" not in page


def test_reader_pages_and_search_inside(client, session, publication):
    assert client.get(f"/publications/{publication.id}/pages/1").status_code == 302
    _login(client, session)
    html = client.get(f"/publications/{publication.id}/read?w=1300&page=2").get_data(as_text=True)
    assert html.count('loading="lazy"') == 3
    assert f"/publications/{publication.id}/pages/2?w=1300" in html
    assert client.get(f"/publications/{publication.id}/pages/4").status_code == 404
    assert client.get(f"/publications/{publication.id}/pages/1?w=5000").status_code == 200
    from app import jobs
    from app.extensions import db

    jobs.run_queued_here(db.session)  # the index job
    found = client.get(f"/publications/{publication.id}/find?q=padi").get_json()
    assert [h["page"] for h in found["hits"]] == [3]
    assert "<mark>" in found["hits"][0]["snippet_html"]


def test_unverified_reader_cannot_read(session, publication):
    from library.access import check_read
    from library.errors import NotVerified

    with pytest.raises(NotVerified):  # (such an account cannot even sign in)
        check_read(session, user(session, verified=False), publication)


def test_api_download_with_token(client, session, publication):
    reader = user(session)
    token = accounts.create_api_token(session, reader, "skrip")[1]
    url = f"/api/v1/publications/{publication.id}/download"
    assert client.get(url).status_code == 401
    response = client.get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_data().startswith(b"%PDF-")
    assert session.query(Download).one().channel == "api"
    missing = client.get(
        "/api/v1/publications/999/download", headers={"Authorization": f"Bearer {token}"}
    )
    assert missing.status_code == 404


@pytest.mark.parametrize("config_overrides", [{"LIBRARY_DAILY_QUOTA": 1}])
def test_api_quota_is_429_problem(client, session, publication):
    reader = user(session)
    token = accounts.create_api_token(session, reader, "skrip")[1]
    url = f"/api/v1/publications/{publication.id}/download"
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(url, headers=headers).status_code == 200
    response = client.get(url, headers=headers)
    assert response.status_code == 429
    assert response.mimetype == "application/problem+json"


def test_download_database_and_tracing(client, session, publication, tmp_path, app):
    reader = _login(client, session, full_name="Rina Marlina")
    data = _download(client, publication.id).get_data()
    leaked = tmp_path / "leaked.pdf"
    leaked.write_bytes(data)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

    _login(client, session, role=Role.USER)
    assert client.get("/staff/library/downloads").status_code == 403

    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    _login(client, session, role=Role.OFFICER)
    html = client.get("/staff/library/downloads?q=rina").get_data(as_text=True)
    assert "Rina Marlina" in html and reader.email in html
    html = client.get("/staff/library/downloads?q=nobody").get_data(as_text=True)
    assert "Rina Marlina" not in html
    token = csrf_token(client, "/staff/library/downloads")
    response = client.post(
        "/staff/library/identify",
        data={"csrf_token": token, "file": (io.BytesIO(data), "bocor.pdf")},
        content_type="multipart/form-data",
    )
    assert "Rina Marlina" in response.get_data(as_text=True)

    result = app.test_cli_runner().invoke(args=["watermark", "identify", str(leaked)])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found["downloads"][0]["user"]["email"] == reader.email
    assert found["downloads"][0]["publication"]["id"] == publication.id

    clean = make_pdf(tmp_path / "clean.pdf", ["tanpa tanda"])
    result = app.test_cli_runner().invoke(args=["watermark", "identify", str(clean)])
    assert result.exit_code == 1
    assert json.loads(result.output)["downloads"] == []


def test_download_operation_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    ops = {
        op["operationId"]
        for path in spec["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    assert "downloadPublication" in ops


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("config_overrides", [{"LIBRARY_DAILY_QUOTA": 1}])
def test_used_up_quota_offers_no_download_and_says_when_it_comes_back(
    app, client, session, publication, lang
):
    """Finding: the button stayed at "Sisa unduhan hari ini: 0" and offered a download that
    the quota refuses. With none left, the page says so and when they come back instead."""
    client.set_cookie("pst_lang", lang)
    _login(client, session)
    assert _download(client, publication.id).status_code == 200
    html = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert f"/publications/{publication.id}/download" not in html
    with app.test_request_context("/", headers={"Cookie": f"pst_lang={lang}"}):
        back = format_wib(day_start(utcnow()) + timedelta(days=1))  # the next WIB midnight
    assert back in html
    if lang == "id":
        assert "Jatah unduhan hari ini sudah habis" in html
        assert "Sisa unduhan hari ini: 0" not in html
    else:
        assert "You have used up today's downloads" in html
        assert "Downloads left today: 0" not in html
    assert f"/publications/{publication.id}/read" in html  # reading online is not counted

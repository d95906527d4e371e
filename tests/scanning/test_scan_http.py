"""The scanning pages over HTTP: an officer scans (SANE ``test`` backend), edits the
pages and finishes into a publication; a reader asks for a scan; the officer answers."""

from __future__ import annotations

import re

import pytest
from factories import PASSWORD
from helpers import submit
from test_scan_kit import sane_dir, scan_config  # noqa: F401 - fixture

import scanning.batches
import scanning.requests
from app.jobs import Job
from library.models import ScanStatus


@pytest.fixture
def config_overrides(sane_dir: str) -> dict[str, object]:  # noqa: F811
    return scan_config(sane_dir)


@pytest.fixture
def login(app, client):  # client: sets the isolated test client class
    def sign_in(person):
        own = app.test_client()
        own.set_cookie("pst_lang", "en")
        response = submit(own, "/login", {"email": person.email, "password": PASSWORD})
        assert response.status_code == 302
        return own

    return sign_in


def _token(client, url):
    match = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', client.get(url).get_data(as_text=True)
    )
    assert match
    return match.group(1)


def test_officer_scans_edits_and_finishes(app, session, login, officer, reader):
    assert login(reader).get("/staff/library/scan").status_code == 403
    client = login(officer)
    home = client.get("/staff/library/scan")
    assert home.status_code == 200 and "Scan a new batch" in home.get_data(as_text=True)

    made = submit(client, "/staff/scanning/new", {"title": ""}, page="/staff/library/scan")
    assert made.status_code == 302
    batch_url = made.headers["Location"]
    batch_id = batch_url.rstrip("/").rsplit("/", 1)[1]
    page = client.get(batch_url).get_data(as_text=True)
    assert 'value="test:0"' in page and "/static/scanning/scan.js" in page
    assert "<script>" not in page  # CSP: no inline scripts

    scanned = submit(
        client,
        f"{batch_url}/scan",
        {"device": "test:0", "source": "adf", "mode": "gray", "resolution": "150", "pages": "3"},
        page=batch_url,
    )
    assert scanned.status_code == 302
    state = client.get(f"{batch_url}/state").get_json()
    assert len(state["pages"]) == 3 and state["scan"]["state"] == "done"
    assert state["error"] is None
    thumb = client.get(state["pages"][0]["thumb"])
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert (
        scanning.batches.load_batch(scanning.batches.scans_root(), batch_id)["settings"][
            "resolution"
        ]
        == 150
    )

    first, second, third = (p["id"] for p in state["pages"])
    token = _token(client, batch_url)
    for pid, action in ((first, "rotate-right"), (first, "down"), (third, "delete")):
        done = client.post(f"{batch_url}/pages/{pid}/{action}", data={"csrf_token": token})
        assert done.status_code == 302
    assert (
        client.post(f"{batch_url}/pages/{first}/explode", data={"csrf_token": token}).status_code
        == 404
    )
    state = client.get(f"{batch_url}/state").get_json()
    assert [(p["id"], p["rotation"]) for p in state["pages"]] == [(second, 0), (first, 90)]
    assert "Page 2" in client.get(batch_url).get_data(as_text=True)

    refused = submit(client, f"{batch_url}/finish", {"title": "", "access": "open"}, page=batch_url)
    assert refused.status_code == 422
    assert "Give the publication a title." in refused.get_data(as_text=True)
    finished = submit(
        client,
        f"{batch_url}/finish",
        {"title": "Peta Grid Uji", "kat_no": "", "access": "read_only"},
        page=batch_url,
    )
    assert finished.status_code == 302
    job_url = finished.headers["Location"]
    job_page = client.get(job_url).get_data(as_text=True)
    job_id = job_url.rsplit("/", 1)[1]
    record = session.get(Job, job_id)
    assert record.state == "done", record.message
    pub_id = record.result_data["publication_id"]
    assert f"/publications/{pub_id}" in job_page and "Open the publication" in job_page
    polled = client.get(f"{job_url}/state").get_json()
    assert polled["state"] == "done" and polled["result_url"].endswith(f"/publications/{pub_id}")
    assert client.get(batch_url).status_code == 302  # a finished batch leads to its job
    assert "No batches in progress." in client.get("/staff/library/scan").get_data(as_text=True)


def test_discard_a_batch(login, officer):
    client = login(officer)
    made = submit(client, "/staff/scanning/new", {"title": "Coba"}, page="/staff/library/scan")
    batch_url = made.headers["Location"]
    gone = submit(client, f"{batch_url}/discard", {}, page=batch_url)
    assert gone.status_code == 302
    assert client.get(batch_url).status_code == 404


def test_reader_asks_officer_scans_or_declines(
    app, session, login, officer, reader, make_publication, outbox
):
    book = make_publication(title="Bengkulu Dalam Angka 2018", printed=True)
    online_only = make_publication(printed=False)
    me = login(reader)
    url = f"/library/publications/{book.id}/scan-requests/new"
    assert me.get(f"/library/publications/{online_only.id}/scan-requests/new").status_code == 302

    bad = submit(me, url, {"pages": "20-12", "purpose": "Skripsi"})
    assert bad.status_code == 422
    assert "a range goes from a lower to a higher page" in bad.get_data(as_text=True)
    too_many = submit(me, url, {"pages": "1-500", "purpose": "Skripsi"})
    assert too_many.status_code == 422
    good = submit(me, url, {"pages": "12 - 20; 31", "purpose": "Skripsi"})
    assert good.status_code == 302
    assert submit(me, url, {"pages": "12-20, 31", "purpose": "Lagi"}).status_code == 422  # twice
    mine = me.get("/library/scan-requests").get_data(as_text=True)
    assert "Bengkulu Dalam Angka 2018" in mine and "12-20, 31" in mine
    # "My library requests" lists scan requests beside reading and softcopy requests.
    library = me.get("/library/requests").get_data(as_text=True)
    assert "Scanned pages of printed publications" in library
    assert "Bengkulu Dalam Angka 2018" in library and "12-20, 31" in library
    request_id = scanning.requests.reader_requests(session, reader.id)[0][0].id

    desk = login(officer)
    assert "Bengkulu Dalam Angka 2018" in desk.get("/staff/library/scan-requests").get_data(
        as_text=True
    )
    detail = f"/staff/library/scan-requests/{request_id}"
    assert "Scan these pages" in desk.get(detail).get_data(as_text=True)
    made = submit(desk, "/staff/scanning/new", {"scan_request": str(request_id)}, page=detail)
    batch_page = desk.get(made.headers["Location"]).get_data(as_text=True)
    assert "Scan request of" in batch_page and "12-20, 31" in batch_page
    assert "Continue the batch" in desk.get(detail).get_data(as_text=True)

    declined = submit(
        desk, f"{detail}/decline", {"reason": "Buku sedang dijilid ulang"}, page=detail
    )
    assert declined.status_code == 302
    assert scanning.requests.get_request(session, request_id).status == ScanStatus.DECLINED
    assert len(outbox.messages()) == 1
    assert "Buku sedang dijilid ulang" in me.get("/library/scan-requests").get_data(as_text=True)
    assert "Buku sedang dijilid ulang" in me.get("/library/requests").get_data(as_text=True)


def test_parse_pages():
    assert scanning.requests.parse_pages("12 - 20; 31", max_pages=60) == (
        "12-20, 31",
        [*range(12, 21), 31],
    )
    for bad in ("", "abc", "0", "5-3", "1-10, 5", "1-61"):
        with pytest.raises(scanning.requests.InvalidPages):
            scanning.requests.parse_pages(bad, max_pages=60)

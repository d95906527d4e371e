"""The scanning bridge: the API's idempotent page uploads, and ``pst scan`` — locally
(into this instance) and through a real HTTP server, resuming after a dropped
connection without rescanning or sending a page twice."""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import user
from imagekit import PARAGRAPHS, text_page
from test_scan_kit import (
    CARD_IN,
    sane_dir,  # noqa: F401 - fixture
    scan_config,
    write_pages,
)
from werkzeug.serving import make_server

import scanning.batches
import scanning.cli
import scanning.pages
from app.accounts.models import Role
from app.accounts.services import create_api_token
from app.jobs import Job
from catalog.indexing import search_index
from catalog.models import Publication


@pytest.fixture
def config_overrides(sane_dir: str) -> dict[str, object]:  # noqa: F811
    return scan_config(sane_dir)


@pytest.fixture
def officer_token(session) -> str:
    officer = user(session, role=Role.OFFICER)
    _token, plain = create_api_token(session, officer, "scanner")
    session.commit()
    return plain


def _png(lines: list[str]) -> bytes:
    out = io.BytesIO()
    text_page(lines, dpi=150, size_in=CARD_IN).save(out, "PNG")
    return out.getvalue()


def _put(client, token, batch_id, number, body, sha=None):
    return client.put(
        f"/api/v1/scan-batches/{batch_id}/pages/{number}",
        data={
            "file": (io.BytesIO(body), f"page-{number}.png"),
            "sha256": sha or hashlib.sha256(body).hexdigest(),
        },
        headers={"Authorization": f"Bearer {token}"},
        content_type="multipart/form-data",
    )


def test_page_uploads_are_idempotent(app, client, session, officer_token, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this test's own temporary folder
    auth = {"Authorization": f"Bearer {officer_token}"}
    reader = user(session)
    _t, reader_token = create_api_token(session, reader, "mine")
    session.commit()
    assert client.post("/api/v1/scan-batches", json={"title": "X"}).status_code == 401
    refused = client.post(
        "/api/v1/scan-batches",
        json={"title": "X"},
        headers={"Authorization": f"Bearer {reader_token}"},
    )
    assert refused.status_code == 403

    made = client.post(
        "/api/v1/scan-batches",
        json={"title": "Indikator Ekonomi Bengkulu", "device": "test:0", "resolution": 150},
        headers=auth,
    )
    assert made.status_code == 201, made.get_json()
    batch_id = made.get_json()["id"]
    one, two = _png(PARAGRAPHS[0]), _png(PARAGRAPHS[1])

    assert _put(client, officer_token, batch_id, 2, two).status_code == 201  # out of order
    assert _put(client, officer_token, batch_id, 1, one).status_code == 201
    again = _put(client, officer_token, batch_id, 1, one)  # a resumed upload
    assert again.status_code == 200
    assert _put(client, officer_token, batch_id, 1, two).status_code == 409
    cut = _put(client, officer_token, batch_id, 3, one[:500], sha=hashlib.sha256(one).hexdigest())
    assert cut.status_code == 422
    junk = b"not an image"
    assert _put(client, officer_token, batch_id, 3, junk).status_code == 422

    held = client.get(f"/api/v1/scan-batches/{batch_id}", headers=auth).get_json()
    assert [(p["number"], p["sha256"]) for p in held["pages"]] == [
        (1, hashlib.sha256(one).hexdigest()),
        (2, hashlib.sha256(two).hexdigest()),
    ]
    assert not list(Path(tempfile.gettempdir()).glob("pst-page-*"))  # received, then stored

    missing = client.post(
        f"/api/v1/scan-batches/{batch_id}/finish", json={"pages": 3}, headers=auth
    )
    assert missing.status_code == 422
    assert "3" in missing.get_json()["detail"]
    finished = client.post(
        f"/api/v1/scan-batches/{batch_id}/finish", json={"pages": 2}, headers=auth
    )
    assert finished.status_code == 202
    job = client.get(finished.headers["Location"], headers=auth).get_json()
    assert job["state"] == "done", job
    publication = session.get(Publication, job["result"]["publication_id"])
    assert publication.title == "Indikator Ekonomi Bengkulu" and publication.page_count == 2
    repeat = client.post(f"/api/v1/scan-batches/{batch_id}/finish", json={"pages": 2}, headers=auth)
    assert repeat.status_code == 202 and repeat.get_json()["id"] == job["id"]
    scanners = client.get("/api/v1/scanners", headers=auth).get_json()
    assert {"test:0", "pnm:0"} <= {s["name"] for s in scanners}


def test_pst_scan_ingests_locally_into_a_searchable_publication(app, session, tmp_path):
    source = write_pages(tmp_path / "src", 1)[0]

    result = app.test_cli_runner().invoke(
        args=[
            "scan",
            "--device",
            "pnm:0",
            "--option",
            f"filename={source}",
            "--resolution",
            "200",
            "--title",
            "Penduduk Bengkulu (pindaian)",
        ]
    )

    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    publication = session.get(Publication, outcome["publication_id"])
    assert publication.title == "Penduduk Bengkulu (pindaian)" and publication.page_count == 1
    assert [h.pub_id for h in search_index().query("kepadatan").hits] == [publication.id]
    assert scanning.pages.list_batches(scanning.batches.scans_root()) == []


@pytest.fixture
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_pst_scan_through_the_server_resumes_after_a_dropped_connection(
    app,
    session,
    officer_token,
    live_server,
    sane_dir,  # noqa: F811 - the fixture
    tmp_path,
    monkeypatch,
):
    work = tmp_path / "work"
    args = [
        "scan",
        "--device",
        "test:0",
        "--source",
        "adf",
        "--pages",
        "3",
        "--resolution",
        "75",
        "--server",
        live_server,
        "--token",
        officer_token,
        "--title",
        "Uji Jembatan Pemindai",
        "--work-dir",
        str(work),
        "--sane-config",
        sane_dir,
    ]
    sent: list[int] = []
    real_upload = scanning.cli.Bridge.upload

    def flaky(self, path, fields, file):
        number = int(path.rsplit("/", 1)[1])
        if number == 2:
            raise scanning.cli.TransportError("connection reset by peer")
        sent.append(number)
        return real_upload(self, path, fields, file)

    monkeypatch.setattr(scanning.cli, "RETRIES", 1)
    monkeypatch.setattr(scanning.cli.Bridge, "upload", flaky)
    runner = app.test_cli_runner()

    first = runner.invoke(args=args)

    assert first.exit_code == 1, first.output
    assert "cannot be reached" in first.output
    state = json.loads((work / "state.json").read_text())
    assert state["scanned"] and state["batch_id"]
    assert {n: p["acked"] for n, p in state["pages"].items()} == {"1": True, "2": False, "3": False}
    assert not (work / state["pages"]["1"]["file"]).exists()  # acknowledged: deleted
    assert (work / state["pages"]["2"]["file"]).is_file()  # kept until acknowledged
    assert sent == [1]

    def counting(self, path, fields, file):
        sent.append(int(path.rsplit("/", 1)[1]))
        return real_upload(self, path, fields, file)

    monkeypatch.setattr(scanning.cli.Bridge, "upload", counting)
    scanned = []
    real_scan = scanning.cli._scan_into
    monkeypatch.setattr(
        scanning.cli, "_scan_into", lambda *a, **k: scanned.append(1) or real_scan(*a, **k)
    )

    second = runner.invoke(args=args)

    assert second.exit_code == 0, second.output
    assert scanned == []  # nothing scanned again
    assert sent == [1, 2, 3]  # page 1 not sent twice
    outcome = json.loads(second.stdout.strip().splitlines()[-1])
    publication = session.get(Publication, outcome["publication_id"])
    assert publication.title == "Uji Jembatan Pemindai" and publication.page_count == 3
    assert not work.exists()
    job = session.get(Job, state["job_id"]) if state.get("job_id") else None
    assert job is None  # the finish happened in the second run
    tombstone = scanning.batches.load_batch(scanning.batches.scans_root(), state["batch_id"])
    assert tombstone["state"] == "done"

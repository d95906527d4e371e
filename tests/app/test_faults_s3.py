"""Fault injection on S3: the blob server goes away and comes back (issue #15).

A real moto server over HTTP, stopped while a reader downloads: the request answers with
a message (no 500), nothing is charged to the reader's quota, no download record is left
in flight, and once the server is back the same reader downloads the whole copy.
"""

from __future__ import annotations

import socket

import boto3
import pytest
from factories import PASSWORD, make_pdf, user
from helpers import base_config, submit
from moto.server import ThreadedMotoServer
from sqlalchemy import select

from app.blobs import current_store
from app.db import utcnow
from app.extensions import db as _db
from catalog import cataloguing
from catalog.ingest import Limits
from library.access import downloads_today
from library.models import Download, DownloadStatus
from library.settings import Settings


class _Moto:
    """A moto S3 server on a fixed port that can be stopped and started again (its data
    lives in this process, so it survives a restart)."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: ThreadedMotoServer | None = None

    def start(self) -> None:
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


@pytest.fixture
def moto(monkeypatch):
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    server = _Moto()
    server.start()
    client = boto3.client(
        "s3",
        endpoint_url=server.url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket="pst-faults")
    client.close()
    yield server
    server.stop()


def test_s3_down_during_a_download_charges_nothing_and_the_reader_gets_it_later(
    make_app, app, tmp_path, database_url, moto
):
    web = make_app(
        {
            **base_config(tmp_path / "s3", database_url),
            "STORAGE_URL": "s3://pst-faults/blobs",
            "S3_ENDPOINT_URL": moto.url,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing",
            "LIBRARY_DAILY_QUOTA": 1,
        }
    )
    with web.app_context():
        pdf = make_pdf(tmp_path / "p.pdf", ["Halaman satu", "Halaman dua"])
        pub = cataloguing.ingest(
            _db.session,
            current_store(),
            pdf,
            actor_id=None,
            limits=Limits(timeout_s=60),
            meta={"title": "Statistik Daerah"},
        )
        reader = user(_db.session, email="pembaca@example.org", password=PASSWORD)
        pub_id, reader_id = pub.id, reader.id
        _db.session.remove()
    client = web.test_client()
    signed_in = submit(client, "/login", {"email": "pembaca@example.org", "password": PASSWORD})
    assert signed_in.status_code == 302
    page = f"/publications/{pub_id}"

    moto.stop()
    response = submit(client, f"{page}/download", {}, page=page)
    assert response.status_code == 302  # back to the publication, with a message
    shown = client.get(page).get_data(as_text=True)
    assert "tidak dapat dibaca saat ini" in shown  # "cannot be read right now; try later"
    with web.app_context():
        rows = list(_db.session.scalars(select(Download)))
        assert all(row.status != DownloadStatus.STARTED for row in rows), rows
        assert downloads_today(_db.session, reader_id, utcnow(), Settings()) == 0
        _db.session.remove()

    moto.start()
    response = submit(client, f"{page}/download", {}, page=page)
    assert response.status_code == 200
    data = response.get_data()
    assert data.startswith(b"%PDF")
    with web.app_context():
        assert downloads_today(_db.session, reader_id, utcnow(), Settings()) == 1
        _db.session.remove()

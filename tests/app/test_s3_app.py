"""The app on S3 storage (production configuration) over real HTTP to moto."""

from __future__ import annotations

import subprocess

import pytest
from helpers import base_config
from s3kit import moto_s3

from app.blobs import check_blobs, current_store, save_blob
from app.extensions import db as _db


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_s3("pst-app") as (endpoint, _client):
        yield endpoint


@pytest.fixture
def s3_app(make_app, app, tmp_path, database_url, s3_endpoint, monkeypatch):
    """An app configured only by settings, as production is (``app`` empties tables)."""
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    cfg = {
        **base_config(tmp_path / "s3", database_url),
        "STORAGE_URL": "s3://pst-app/blobs",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }
    application = make_app(cfg)
    with application.app_context():
        yield application
        _db.session.remove()


def test_blobs_round_trip_through_s3(s3_app, tmp_path):
    store = current_store()
    assert store.describe() == "s3://pst-app/blobs"
    source = tmp_path / "publikasi.pdf"
    source.write_bytes(b"%PDF-1.7\n" + b"x" * 100_000)
    ref = save_blob(_db.session, store, source, content_type="application/pdf")
    _db.session.commit()
    with store.open(ref.key) as fh:
        assert fh.read() == source.read_bytes()
    assert check_blobs(_db.session, store).ok


def test_healthz_on_s3(s3_app):
    response = s3_app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["checks"]["storage"]["backend"] == "s3"


def test_healthz_when_bucket_is_missing(make_app, app, tmp_path, database_url, s3_endpoint):
    cfg = {
        **base_config(tmp_path / "s3b", database_url),
        "STORAGE_URL": "s3://no-such-bucket",
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }
    response = make_app(cfg).test_client().get("/healthz")
    assert response.status_code == 503
    assert "testing" not in response.get_data(as_text=True)


def test_stamped_download_from_s3_master(s3_app, tmp_path):
    """The library fetches the master from S3 once into its cache (verified against its
    hash) and stamps from there; the local store's path shortcut is not used."""
    from pathlib import Path

    from factories import make_pdf, user

    from app.db import utcnow
    from catalog import cataloguing
    from catalog.ingest import Limits
    from library import downloads
    from library.models import DownloadStatus
    from library.settings import Settings

    store = current_store()
    assert store.local_path("0" * 64) is None
    pdf = make_pdf(tmp_path / "p.pdf", ["Halaman satu", "Halaman dua"])
    pub = cataloguing.ingest(
        _db.session, store, pdf, actor_id=None, limits=Limits(timeout_s=60), meta={"title": "S3"}
    )
    reader = user(_db.session, full_name="Pembaca Awan")
    cache = Path(s3_app.instance_path) / "cache"
    prepared = downloads.start_download(
        _db.session,
        store,
        user=reader,
        publication=pub,
        office="BPS",
        settings=Settings(daily_quota=5),
        cache_dir=cache,
        now=utcnow(),
    )
    assert prepared.master.is_relative_to(cache)
    outcomes = []
    stamping = downloads.open_stamp(_db.session, prepared, utcnow())
    data = b"".join(downloads.stream_download(prepared, stamping, lambda _i, o: outcomes.append(o)))
    assert outcomes[-1]["status"] == DownloadStatus.COMPLETE
    out = tmp_path / "out.pdf"
    out.write_bytes(data)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert text.count("Pembaca Awan") >= 2

"""``pst backup`` on S3 storage: the bucket is listed (key, size, SHA-256), not copied,
and ``pst restore`` compares the list with the bucket, refusing (changing nothing) when
objects are missing unless told to accept it."""

from __future__ import annotations

import json

import pytest
from backupkit import cli as _cli
from backupkit import empty_url
from helpers import base_config
from s3kit import moto_s3
from sqlalchemy import inspect, text

from app.blobs import current_store, save_blob
from app.extensions import db as _db

__all__ = ["empty_url"]  # a fixture


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_s3("pst-backup") as found:
        yield found


def test_s3_blobs_are_listed_and_checked_against_the_bucket(
    app, make_app, tmp_path, database_url, empty_url, s3_endpoint, monkeypatch
):
    endpoint, client = s3_endpoint
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    s3 = {
        "STORAGE_URL": "s3://pst-backup/blobs",
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
        "BACKUP_SIGNING_KEY": "kunci-tanda-tangan-cadangan-s3-" + "t" * 16,
    }
    source = make_app({**base_config(tmp_path / "s3-source", database_url), **s3})
    with source.app_context():
        refs = [
            save_blob(_db.session, current_store(), _file(tmp_path, content))
            for content in (b"tiga", b"empat")
        ]
        _db.session.commit()
        folder = tmp_path / "s3-backup"
        made = _cli(source, "backup", folder)
        assert made.exit_code == 0, made.output
        _db.session.remove()
    assert not (folder / "blobs").exists()  # listed, not copied
    listing = json.loads((folder / "blobs.json").read_text())
    assert sorted((b["key"], b["size"], b["sha256"]) for b in listing["blobs"]) == sorted(
        (ref.key, ref.size, ref.key) for ref in refs
    )
    client.delete_object(
        Bucket="pst-backup", Key=f"blobs/{refs[0].key[:2]}/{refs[0].key[2:4]}/{refs[0].key}"
    )

    config = {**base_config(tmp_path / "s3-target", empty_url), **s3}
    target = make_app(config)
    with target.app_context():
        refused = _cli(target, "restore", folder)
        assert refused.exit_code == 1
        assert "s3://pst-backup/blobs lacks 1 blobs of the backup" in refused.output
        assert refs[0].key in refused.output
        assert not inspect(_db.engine).get_table_names()  # nothing restored
        accepted = _cli(target, "restore", folder, "--accept-missing-blobs")
        assert accepted.exit_code == 0, accepted.output
        assert "signature: good" in accepted.output
        assert _db.session.scalar(text("SELECT count(*) FROM blobs")) == 2
        _db.session.remove()


def _file(tmp_path, content: bytes):
    path = tmp_path / f"blob-{content.decode()}"
    path.write_bytes(content)
    return path

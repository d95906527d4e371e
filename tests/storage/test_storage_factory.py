"""open_store: building stores from configuration URLs."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from storage import BlobState, LocalStore, S3Store, StorageError, open_store
from storage.disposition import content_disposition


def test_file_url(tmp_path: Path) -> None:
    store = open_store(f"file://{tmp_path}/blobs")
    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "blobs"
    assert store.describe() == f"local:{tmp_path}/blobs"


def test_file_url_with_localhost_and_escapes(tmp_path: Path) -> None:
    store = open_store(f"file://localhost{tmp_path}/my%20blobs")
    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "my blobs"


def test_plain_absolute_path(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "blobs"))
    assert isinstance(store, LocalStore)
    assert store.root == tmp_path / "blobs"


def test_s3_url_with_options() -> None:
    store = open_store(
        "s3://pst-files/prod/blobs/",
        endpoint_url="http://127.0.0.1:9",
        region_name="ap-southeast-3",
        access_key_id="AKIAEXAMPLE",
        secret_access_key="hush-hush",
        multipart_threshold=16 * 1024 * 1024,
        multipart_chunksize=None,  # unset config values count as absent
    )
    assert isinstance(store, S3Store)
    try:
        assert (store.bucket, store.prefix) == ("pst-files", "prod/blobs")
        assert store.describe() == "s3://pst-files/prod/blobs"
        assert "hush" not in repr(store)
        assert store.client.meta.region_name == "ap-southeast-3"
        assert store.client.meta.endpoint_url == "http://127.0.0.1:9"
    finally:
        store.client.close()


def test_s3_url_without_prefix() -> None:
    store = open_store("s3://pst-files", region_name="us-east-1")
    assert isinstance(store, S3Store)
    try:
        assert store.prefix == ""
        assert store.describe() == "s3://pst-files"
    finally:
        store.client.close()


def test_s3_store_from_url_works(moto_endpoint: str) -> None:
    store = open_store(
        "s3://pst-storage-tests/from-url",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        access_key_id="testing",
        secret_access_key="testing",
    )
    assert isinstance(store, S3Store)
    try:
        ref = store.put(io.BytesIO(b"via open_store"))
        assert store.verify(ref.key) is BlobState.OK
        store.ping()
    finally:
        store.client.close()


@pytest.mark.parametrize(
    "url",
    [
        "relative/path",
        "",
        "http://example.org/blobs",
        "ftp://example.org/blobs",
        "gs://bucket/prefix",
        "file://otherhost/srv/blobs",
        "file:relative",
        "s3://",
        "s3:///prefix-without-bucket",
        "s3://AKIA:secret@bucket/prefix",
        "s3://bucket/prefix?region=eu-west-1",
    ],
)
def test_bad_urls(url: str) -> None:
    with pytest.raises(StorageError) as caught:
        open_store(url)
    assert "secret" not in str(caught.value)


def test_unknown_scheme_message() -> None:
    with pytest.raises(StorageError, match=r"unsupported storage URL scheme 'gs'.*s3://"):
        open_store("gs://bucket")


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("s3://bucket", {"colour": "blue"}),
        ("/srv/blobs", {"endpoint_url": "http://x"}),
    ],
)
def test_unexpected_options(url: str, options: dict[str, Any]) -> None:
    with pytest.raises(StorageError, match="option"):
        open_store(url, **options)


def test_local_ignores_none_options(tmp_path: Path) -> None:
    assert isinstance(open_store(str(tmp_path), endpoint_url=None), LocalStore)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("report.pdf", "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"),
        (
            "Statistik Daerah 2024.pdf",
            'attachment; filename="Statistik Daerah 2024.pdf"; '
            "filename*=UTF-8''Statistik%20Daerah%202024.pdf",
        ),
        (
            "Résumé.pdf",
            "attachment; filename=\"Resume.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf",
        ),
        (
            'a"b\\c/d\r\n.pdf',
            "attachment; filename=\"a_b_c_d__.pdf\"; filename*=UTF-8''a%22b_c_d__.pdf",
        ),
        ("", "attachment; filename=\"download\"; filename*=UTF-8''download"),
    ],
)
def test_content_disposition(filename: str, expected: str) -> None:
    assert content_disposition(filename) == expected

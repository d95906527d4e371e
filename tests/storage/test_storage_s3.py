"""S3Store against moto's standalone server, over real HTTP."""

from __future__ import annotations

import hashlib
import io
import socket
import urllib.request
import uuid
from typing import Any

import pytest

from storage import (
    BlobNotFound,
    BlobRef,
    BlobState,
    BlobTooLarge,
    InvalidKey,
    S3Store,
    StorageError,
    check_store,
)

DATA = b"PST blob in S3\n" * 1000
KEY = hashlib.sha256(DATA).hexdigest()
MIB = 1024 * 1024


def test_round_trip(s3_store: S3Store, s3_raw: Any) -> None:
    ref = s3_store.put(io.BytesIO(DATA))

    assert ref == BlobRef(KEY, len(DATA))
    assert s3_store.exists(KEY)
    assert s3_store.size(KEY) == len(DATA)
    with s3_store.open(KEY) as stream:
        assert stream.read() == DATA
    head = s3_raw.head_object(
        Bucket=s3_store.bucket, Key=f"{s3_store.prefix}/{KEY[:2]}/{KEY[2:4]}/{KEY}"
    )
    assert head["ContentType"] == "application/octet-stream"
    assert head["Metadata"] == {"sha256": KEY}


def test_empty_prefix_has_no_leading_slash(make_s3_store: Any, s3_raw: Any) -> None:
    bucket = f"pst-empty-prefix-{uuid.uuid4().hex[:8]}"
    s3_raw.create_bucket(Bucket=bucket)
    store = make_s3_store(bucket=bucket, prefix="")

    store.put(io.BytesIO(DATA))

    listed = s3_raw.list_objects_v2(Bucket=bucket)["Contents"]
    assert [item["Key"] for item in listed] == [f"{KEY[:2]}/{KEY[2:4]}/{KEY}"]
    assert list(store.iter_keys()) == [KEY]
    assert store.describe() == f"s3://{bucket}"


def test_put_is_idempotent(s3_store: S3Store, monkeypatch: pytest.MonkeyPatch) -> None:
    uploads: list[str] = []
    real_upload = s3_store.client.upload_fileobj

    def counting_upload(*args: Any, **kwargs: Any) -> None:
        uploads.append(args[2])
        real_upload(*args, **kwargs)

    monkeypatch.setattr(s3_store.client, "upload_fileobj", counting_upload)

    first = s3_store.put(io.BytesIO(DATA))
    second = s3_store.put(io.BytesIO(DATA))

    assert first == second
    assert len(uploads) == 1
    assert list(s3_store.iter_keys()) == [KEY]


def test_large_blob_goes_multipart(make_s3_store: Any, s3_raw: Any, generated_stream: Any) -> None:
    store = make_s3_store(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
    total = 12 * MIB + 17
    content = generated_stream.content(total, seed=3)

    ref = store.put(generated_stream(total, seed=3))

    assert ref == BlobRef(hashlib.sha256(content).hexdigest(), total)
    head = s3_raw.head_object(Bucket=store.bucket, Key=store.object_key(ref.key))
    # A multipart upload's ETag is "<md5 of part md5s>-<part count>".
    assert head["ETag"].strip('"').endswith("-3")
    assert head["ContentLength"] == total
    assert store.verify(ref.key) is BlobState.OK


def test_small_blob_is_single_part(s3_store: S3Store, s3_raw: Any) -> None:
    s3_store.put(io.BytesIO(DATA))
    head = s3_raw.head_object(Bucket=s3_store.bucket, Key=s3_store.object_key(KEY))
    assert "-" not in head["ETag"]


def test_open_streams(s3_store: S3Store, generated_stream: Any) -> None:
    total = 3 * MIB + 5
    content = generated_stream.content(total, seed=5)
    ref = s3_store.put(io.BytesIO(content))

    with s3_store.open(ref.key) as stream:
        assert isinstance(stream, io.BufferedReader)
        assert stream.readable()
        assert stream.read(10) == content[:10]
        buffer = bytearray(1000)
        assert stream.readinto(buffer) == 1000
        assert bytes(buffer) == content[10:1010]
        rest = bytearray()
        while piece := stream.read(64 * 1024):
            rest += piece
        assert bytes(rest) == content[1010:]
    assert stream.closed


def test_open_closed_early(s3_store: S3Store) -> None:
    s3_store.put(io.BytesIO(DATA))
    stream = s3_store.open(KEY)
    assert stream.read(3) == DATA[:3]
    stream.close()
    # The connection was given back, so the store keeps working.
    with s3_store.open(KEY) as again:
        assert again.read() == DATA


def test_missing_blob(s3_store: S3Store) -> None:
    with pytest.raises(BlobNotFound):
        s3_store.open(KEY)
    with pytest.raises(BlobNotFound):
        s3_store.size(KEY)
    assert not s3_store.exists(KEY)
    s3_store.delete(KEY)  # absent: no error
    assert s3_store.verify(KEY) is BlobState.MISSING


def test_delete(s3_store: S3Store) -> None:
    s3_store.put(io.BytesIO(DATA))
    s3_store.delete(KEY)
    assert not s3_store.exists(KEY)
    assert list(s3_store.iter_keys()) == []


@pytest.mark.parametrize("key", ["../etc/passwd", KEY.upper(), KEY[:-1], KEY + "\n"])
@pytest.mark.parametrize("method", ["open", "exists", "size", "delete", "verify", "url"])
def test_invalid_keys_are_rejected(s3_store: S3Store, key: str, method: str) -> None:
    with pytest.raises(InvalidKey):
        getattr(s3_store, method)(key)


def test_max_bytes(s3_store: S3Store) -> None:
    with pytest.raises(BlobTooLarge):
        s3_store.put(io.BytesIO(DATA), max_bytes=len(DATA) - 1)
    assert not s3_store.exists(KEY)
    assert s3_store.put(io.BytesIO(DATA), max_bytes=len(DATA)).key == KEY


def test_verify_detects_corruption(s3_store: S3Store, s3_raw: Any) -> None:
    s3_store.put(io.BytesIO(DATA))
    assert s3_store.verify(KEY) is BlobState.OK

    s3_raw.put_object(Bucket=s3_store.bucket, Key=s3_store.object_key(KEY), Body=b"tampered")

    assert s3_store.verify(KEY) is BlobState.CORRUPT


def test_iter_keys_skips_foreign_objects(s3_store: S3Store, s3_raw: Any) -> None:
    keys = sorted(s3_store.put(io.BytesIO(b"blob %d" % i)).key for i in range(3))
    bucket, prefix = s3_store.bucket, s3_store.prefix
    stray = hashlib.sha256(b"stray").hexdigest()
    for name in (
        f"{prefix}/README",
        f"{prefix}/{keys[0][:2]}/{keys[0][2:4]}/notes.txt",
        f"{prefix}/00/00/{stray}",  # a valid key under the wrong fan-out
        f"{prefix}/{stray[:2]}/{stray[2:4]}/{stray}/extra",
        f"{prefix}-other/{stray[:2]}/{stray[2:4]}/{stray}",  # a sibling prefix
    ):
        s3_raw.put_object(Bucket=bucket, Key=name, Body=b"x")

    assert sorted(s3_store.iter_keys()) == keys
    # The sizes come from the same listing (a backup's manifest of the bucket).
    assert sorted(s3_store.iter_sizes()) == sorted((key, len(b"blob 0")) for key in keys)


def test_check_store(s3_store: S3Store, s3_raw: Any) -> None:
    good = s3_store.put(io.BytesIO(b"good")).key
    bad = s3_store.put(io.BytesIO(b"bad")).key
    s3_raw.put_object(Bucket=s3_store.bucket, Key=s3_store.object_key(bad), Body=b"evil")
    absent = hashlib.sha256(b"absent").hexdigest()

    report = check_store(s3_store, [good, bad, absent])

    assert (report.checked, report.missing, report.corrupt) == (3, [absent], [bad])
    assert not report.ok
    whole = check_store(s3_store)
    assert (whole.checked, whole.missing, whole.corrupt) == (2, [], [bad])


def test_presigned_url_downloads(s3_store: S3Store) -> None:
    s3_store.put(io.BytesIO(DATA))

    url = s3_store.url(KEY, expires=60, filename="Statistik Daerah 2024.pdf")

    assert url is not None
    assert url.startswith("http://127.0.0.1:")
    assert "X-Amz-Signature=" in url
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - moto on localhost
        assert response.read() == DATA
        disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Statistik Daerah 2024.pdf"')


def test_url_rejects_bad_expiry(s3_store: S3Store) -> None:
    with pytest.raises(ValueError, match="expires"):
        s3_store.url(KEY, expires=0)
    with pytest.raises(ValueError, match="expires"):
        s3_store.url(KEY, expires=8 * 24 * 3600)


def test_ping(s3_store: S3Store) -> None:
    s3_store.ping()


def test_ping_missing_bucket(make_s3_store: Any) -> None:
    store = make_s3_store(bucket="no-such-bucket-here")

    with pytest.raises(StorageError, match="bucket does not exist") as caught:
        store.ping()
    assert "testing" not in str(caught.value)
    assert str(caught.value).startswith("s3://no-such-bucket-here/")


def test_errors_on_missing_bucket_are_storage_errors(make_s3_store: Any) -> None:
    store = make_s3_store(bucket="no-such-bucket-here")
    with pytest.raises(StorageError):
        store.put(io.BytesIO(DATA))
    with pytest.raises(StorageError):
        list(store.iter_keys())


def test_ping_unreachable_endpoint() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port once the socket is closed: connections are refused.
    store = S3Store(
        "bucket",
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name="us-east-1",
        access_key_id="AKIAEXAMPLEKEY",
        secret_access_key="very-secret-value",
    )
    try:
        with pytest.raises(StorageError, match="cannot connect") as caught:
            store.ping()
    finally:
        store.client.close()
    assert "very-secret-value" not in str(caught.value)
    assert "AKIAEXAMPLEKEY" not in str(caught.value)
    assert "secret" not in store.describe()

"""LocalStore: content addressing, streaming, limits, key validation and atomic writes."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from storage import (
    BlobNotFound,
    BlobRef,
    BlobState,
    BlobTooLarge,
    InvalidKey,
    LocalStore,
    StorageError,
)

DATA = b"PST blob storage round trip\n" * 100
KEY = hashlib.sha256(DATA).hexdigest()


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_constructor_touches_nothing(tmp_path: Path) -> None:
    LocalStore(tmp_path / "later")
    assert not (tmp_path / "later").exists()


def test_round_trip(local_store: LocalStore) -> None:
    ref = local_store.put(io.BytesIO(DATA))

    assert ref == BlobRef(key=KEY, size=len(DATA))
    assert local_store.exists(KEY)
    assert local_store.size(KEY) == len(DATA)
    with local_store.open(KEY) as stream:
        assert stream.read() == DATA
    path = local_store.root / KEY[:2] / KEY[2:4] / KEY
    assert path.read_bytes() == DATA


def test_put_from_path(local_store: LocalStore, tmp_path: Path) -> None:
    source = tmp_path / "upload.bin"
    source.write_bytes(DATA)

    assert local_store.put(source).key == KEY
    assert local_store.put(str(source)).key == KEY


def test_empty_blob(local_store: LocalStore) -> None:
    ref = local_store.put(io.BytesIO(b""))

    assert ref == BlobRef(hashlib.sha256(b"").hexdigest(), 0)
    with local_store.open(ref.key) as stream:
        assert stream.read() == b""


def test_put_is_idempotent(local_store: LocalStore) -> None:
    first = local_store.put(io.BytesIO(DATA))
    second = local_store.put(io.BytesIO(DATA))

    assert first == second
    root = local_store.root
    blobs = [p for p in stored_files(root) if p.relative_to(root).parts[0] != "tmp"]
    assert blobs == [local_store.root / KEY[:2] / KEY[2:4] / KEY]
    assert list((local_store.root / "tmp").iterdir()) == []


def test_streams_large_non_seekable_source(local_store: LocalStore, generated_stream: Any) -> None:
    total = 20 * 1024 * 1024 + 123
    expected = hashlib.sha256()
    check = generated_stream(total, seed=7)
    while piece := check.read(1 << 20):
        expected.update(piece)
    source = generated_stream(total, seed=7)
    assert not source.seekable()

    tracemalloc.start()
    try:
        ref = local_store.put(source)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert ref == BlobRef(expected.hexdigest(), total)
    # Chunked copying keeps a few MiB at most in flight, never the 20 MiB blob.
    assert peak < 8 * 1024 * 1024
    assert local_store.verify(ref.key) is BlobState.OK


def test_max_bytes_rejects_and_leaves_nothing(local_store: LocalStore) -> None:
    with pytest.raises(BlobTooLarge):
        local_store.put(io.BytesIO(DATA), max_bytes=len(DATA) - 1)

    assert list(local_store.iter_keys()) == []
    assert list((local_store.root / "tmp").iterdir()) == []
    assert not local_store.exists(KEY)


def test_max_bytes_allows_exact_size(local_store: LocalStore) -> None:
    assert local_store.put(io.BytesIO(DATA), max_bytes=len(DATA)).size == len(DATA)


def test_max_bytes_stops_reading_early(local_store: LocalStore, generated_stream: Any) -> None:
    source = generated_stream(50 * 1024 * 1024)

    with pytest.raises(BlobTooLarge):
        local_store.put(source, max_bytes=1000)

    # Detecting the overflow needs one byte past the limit, not the whole upload.
    assert source._delivered == 1001


BAD_KEYS = [
    "../etc/passwd",
    "../../" + "a" * 58,
    KEY.upper(),
    KEY[:-1],
    KEY + "0",
    KEY + "\n",
    "",
    "/" + KEY[1:],
    KEY[:10] + "/" + KEY[11:],
    "g" * 64,
]


@pytest.mark.parametrize("key", BAD_KEYS)
@pytest.mark.parametrize("method", ["open", "exists", "size", "delete", "verify", "url"])
def test_invalid_keys_are_rejected(local_store: LocalStore, key: str, method: str) -> None:
    with pytest.raises(InvalidKey):
        getattr(local_store, method)(key)
    assert not local_store.root.exists()


def test_missing_blob(local_store: LocalStore) -> None:
    with pytest.raises(BlobNotFound):
        local_store.open(KEY)
    with pytest.raises(BlobNotFound):
        local_store.size(KEY)
    assert not local_store.exists(KEY)
    local_store.delete(KEY)  # absent: no error
    assert local_store.verify(KEY) is BlobState.MISSING


def test_verify_detects_corruption_and_deletion(local_store: LocalStore) -> None:
    local_store.put(io.BytesIO(DATA))
    assert local_store.verify(KEY) is BlobState.OK

    path = local_store.root / KEY[:2] / KEY[2:4] / KEY
    corrupted = bytearray(path.read_bytes())
    corrupted[10] ^= 0x01
    path.write_bytes(bytes(corrupted))
    assert local_store.verify(KEY) is BlobState.CORRUPT

    local_store.delete(KEY)
    assert local_store.verify(KEY) is BlobState.MISSING
    assert not path.exists()


def test_iter_keys_skips_tmp_and_stray_names(local_store: LocalStore) -> None:
    keys = sorted(local_store.put(io.BytesIO(b"blob %d" % i)).key for i in range(5))
    root = local_store.root
    (root / "tmp" / "put-leftover").write_bytes(b"x")
    (root / "README").write_text("not a blob")
    (root / keys[0][:2] / keys[0][2:4] / "notes.txt").write_text("junk")
    # A valid key filed under the wrong fan-out directories is not a blob of this store.
    misplaced = hashlib.sha256(b"misplaced").hexdigest()
    wrong_dir = root / "00" / "00"
    wrong_dir.mkdir(parents=True, exist_ok=True)
    (wrong_dir / misplaced).write_bytes(b"misplaced")
    (root / "zz").mkdir()

    assert sorted(local_store.iter_keys()) == keys
    assert sorted(local_store.iter_sizes()) == [(key, len(b"blob 0")) for key in keys]


def test_iter_keys_on_missing_root(tmp_path: Path) -> None:
    assert list(LocalStore(tmp_path / "nothing").iter_keys()) == []


def test_failed_source_leaves_no_partial_blob(
    local_store: LocalStore, generated_stream: Any
) -> None:
    total = 3 * 1024 * 1024
    fail_after = 2 * 1024 * 1024 + 5
    full_key = hashlib.sha256(generated_stream.content(total)).hexdigest()
    partial_key = hashlib.sha256(generated_stream.content(fail_after)).hexdigest()

    with pytest.raises(ConnectionResetError):
        local_store.put(generated_stream(total, fail_after=fail_after))

    assert not local_store.exists(full_key)
    assert not local_store.exists(partial_key)
    assert list(local_store.iter_keys()) == []
    assert list((local_store.root / "tmp").iterdir()) == []


def test_permissions(local_store: LocalStore) -> None:
    local_store.put(io.BytesIO(DATA))
    umask = os.umask(0)
    os.umask(umask)

    path = local_store.root / KEY[:2] / KEY[2:4] / KEY
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 & ~umask
    for directory in (local_store.root / KEY[:2], path.parent, local_store.root / "tmp"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o750 & ~umask


def test_ping_creates_root(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "fresh" / "blobs")
    store.ping()
    assert (tmp_path / "fresh" / "blobs").is_dir()
    assert list((tmp_path / "fresh" / "blobs" / "tmp").iterdir()) == []


def test_ping_fails_when_root_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "blobs").write_text("not a directory")
    store = LocalStore(tmp_path / "blobs")

    with pytest.raises(StorageError, match="not writable"):
        store.ping()
    with pytest.raises(StorageError):
        store.put(io.BytesIO(DATA))


def test_url_and_describe(local_store: LocalStore) -> None:
    local_store.put(io.BytesIO(DATA))
    assert local_store.url(KEY, filename="report.pdf") is None
    assert local_store.describe() == f"local:{local_store.root}"
    assert local_store.describe() in repr(local_store)


def test_open_streams(local_store: LocalStore) -> None:
    local_store.put(io.BytesIO(DATA))
    with local_store.open(KEY) as stream:
        assert stream.read(5) == DATA[:5]
        assert stream.read() == DATA[5:]
    assert stream.closed


def test_local_path_for_random_access(local_store: LocalStore) -> None:
    ref = local_store.put(io.BytesIO(b"%PDF-1.7 master"))
    path = local_store.local_path(ref.key)
    assert path is not None and path.read_bytes() == b"%PDF-1.7 master"
    assert local_store.local_path("0" * 64) is None
    with pytest.raises(InvalidKey):
        local_store.local_path("../../etc/passwd")

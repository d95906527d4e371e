"""check_store: auditing a store against itself or against the keys a database expects."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from storage import CheckReport, LocalStore, check_store


def corrupt(store: LocalStore, key: str) -> None:
    path = store.root / key[:2] / key[2:4] / key
    path.write_bytes(path.read_bytes() + b"!")


def test_empty_store_is_ok(local_store: LocalStore) -> None:
    report = check_store(local_store)
    assert report == CheckReport(checked=0, missing=[], corrupt=[])
    assert report.ok


def test_whole_store(local_store: LocalStore) -> None:
    keys = [local_store.put(io.BytesIO(b"blob %d" % i)).key for i in range(4)]
    assert check_store(local_store).ok

    corrupt(local_store, keys[2])
    report = check_store(local_store)

    assert report.checked == 4
    assert report.missing == []
    assert report.corrupt == [keys[2]]
    assert not report.ok


def test_expected_keys(local_store: LocalStore) -> None:
    good = local_store.put(io.BytesIO(b"good")).key
    bad = local_store.put(io.BytesIO(b"bad")).key
    unlisted = local_store.put(io.BytesIO(b"not in the database")).key
    corrupt(local_store, bad)
    gone = local_store.put(io.BytesIO(b"gone")).key
    local_store.delete(gone)
    progress: list[int] = []

    # Rows sharing a blob repeat its key; a malformed key can name no blob.
    report = check_store(
        local_store, iter([good, bad, gone, good, "NOT-A-KEY"]), progress=progress.append
    )

    assert report.checked == 4
    assert report.missing == [gone, "NOT-A-KEY"]
    assert report.corrupt == [bad]
    assert unlisted not in report.missing + report.corrupt
    assert progress == [1, 2, 3, 4]


def test_all_expected_present(local_store: LocalStore) -> None:
    keys = [local_store.put(io.BytesIO(b"x" * i)).key for i in range(3)]
    report = check_store(local_store, keys)
    assert report.ok
    assert report.checked == 3


def test_everything_missing(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "never-written")
    key = hashlib.sha256(b"absent").hexdigest()
    assert check_store(store, [key]).missing == [key]

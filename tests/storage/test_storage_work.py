"""Work files: named, replaceable files of work in progress beside the blobs, on both
backends (the local filesystem and S3 over real HTTP to moto)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from storage import BlobNotFound, BlobTooLarge, InvalidKey


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(f"{request.param}_store")


def test_work_files_are_written_replaced_listed_and_deleted(store: Any) -> None:
    assert store.put_work("scans/b1/batch.json", io.BytesIO(b'{"v": 1}')) == 8
    store.put_work("scans/b1/pages/p1.png", io.BytesIO(b"page one"))
    store.put_work("scans/b2/batch.json", io.BytesIO(b"{}"))
    store.put_work("scans/b1/batch.json", io.BytesIO(b'{"v": 2}'))  # replaced whole

    assert store.read_work("scans/b1/batch.json") == b'{"v": 2}'
    listed = {f.name: f.size for f in store.list_work("scans/b1")}
    assert listed == {"scans/b1/batch.json": 8, "scans/b1/pages/p1.png": 8}
    assert all(f.modified > 0 for f in store.list_work("scans"))
    assert sorted(store.list_work_folders("scans")) == ["scans/b1", "scans/b2"]
    assert list(store.list_work_folders("nothing")) == []
    assert list(store.iter_keys()) == []  # never taken for content-addressed blobs

    store.delete_work("scans/b1/pages/p1.png")
    store.delete_work("scans/b1/pages/p1.png")  # absent: not an error
    assert not store.work_exists("scans/b1/pages/p1.png")
    with pytest.raises(BlobNotFound):
        store.open_work("scans/b1/pages/p1.png")
    assert [f.name for f in store.list_work("scans/b1")] == ["scans/b1/batch.json"]
    assert [f.name for f in store.list_work("scans/none")] == []


def test_a_work_file_over_its_limit_stores_nothing(store: Any) -> None:
    with pytest.raises(BlobTooLarge):
        store.put_work("uploads/u1.pdf", io.BytesIO(b"x" * 11), max_bytes=10)
    assert not store.work_exists("uploads/u1.pdf")


@pytest.mark.parametrize(
    "name", ["", "/etc/passwd", "../x", "scans/../../x", "scans/.hidden", "a//b", "a/b/", "a\nb"]
)
def test_work_file_names_are_plain_relative_paths(store: Any, name: str) -> None:
    with pytest.raises(InvalidKey):
        store.put_work(name, io.BytesIO(b"x"))
    with pytest.raises(InvalidKey):
        store.open_work(name)

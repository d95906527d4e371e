"""The search index under concurrency: writers, readers during commits, atomic rebuilds."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.search import PubDoc, SearchError, SearchIndex
from catalog.search import index as search_index
from catalog.search.generations import IndexDir


def doc(pub_id: int, title: str = "Statistik Penduduk", *pages: str) -> PubDoc:
    return PubDoc(pub_id=pub_id, title=title, pages=list(pages or ["penduduk dan inflasi"]))


def test_concurrent_writers_both_succeed(tmp_path: Path) -> None:
    path = tmp_path / "search"
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(first: int) -> None:
        index = SearchIndex(path, procs=1)  # separate instances, one index
        try:
            barrier.wait()
            for i in range(first, first + 5):
                index.add([doc(i)])
        except BaseException as exc:  # collected: a LockError must never escape
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n * 100,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert SearchIndex(path).count() == 20


def test_concurrent_writer_processes(tmp_path: Path) -> None:
    path = tmp_path / "search"
    code = (
        "import sys; from catalog.search import PubDoc, SearchIndex\n"
        "ix = SearchIndex(sys.argv[1], procs=1); base = int(sys.argv[2])\n"
        "for i in range(base, base + 5): ix.add([PubDoc(pub_id=i, title='t', pages=['x'])])\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path), str(b)]) for b in (0, 100)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    assert SearchIndex(path).count() == 10


def test_writer_gives_up_with_search_error(tmp_path: Path) -> None:
    path = tmp_path / "search"
    SearchIndex(path).add([doc(1)])
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with IndexDir(path.resolve()).write_lock(5.0):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(5)
    started = time.monotonic()
    with pytest.raises(SearchError, match="busy"):
        SearchIndex(path, writer_timeout=0.3).add([doc(2)])
    assert 0.25 < time.monotonic() - started < 3
    release.set()
    holder.join()
    SearchIndex(path).add([doc(2)])
    assert SearchIndex(path).count() == 2


@pytest.fixture
def committing_writer(tmp_path: Path) -> Iterator[Path]:
    """An index that another process keeps committing to (small commits, with merges)."""
    path = tmp_path / "search"
    SearchIndex(path, procs=1).add([doc(i) for i in range(20)])
    stop = tmp_path / "stop"
    code = (
        "import sys, pathlib; from catalog.search import PubDoc, SearchIndex\n"
        "ix = SearchIndex(sys.argv[1], procs=1); stop = pathlib.Path(sys.argv[2]); i = 0\n"
        "while not stop.exists() and i < 2000:\n"
        "    i += 1\n"
        "    ix.add([PubDoc(pub_id=1000 + i % 50, title='Penduduk', pages=['penduduk'])])\n"
        "    if i % 7 == 0: ix.delete([1000 + (i * 3) % 50])\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(path), str(stop)])
    try:
        yield path
    finally:
        stop.touch()
        assert proc.wait(timeout=60) == 0


def test_readers_never_fail_while_a_writer_commits(committing_writer: Path) -> None:
    for i in range(300):
        if i % 2:  # a cold open, as a newly started worker process would do
            search_index.close_searchers()
        index = SearchIndex(committing_writer)
        result = index.query("penduduk")
        assert result.total >= 20
        assert index.count() >= 20
        assert index.check() >= 20


def test_rebuild_swaps_atomically(tmp_path: Path) -> None:
    path = tmp_path / "search"
    index = SearchIndex(path, procs=1)
    index.add([doc(i, "Inflasi Lama", "inflasi") for i in range(1, 31)])
    seen: set[int] = set()
    stop = threading.Event()
    errors: list[BaseException] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                seen.add(SearchIndex(path).query("", per_page=1).total)
            except BaseException as exc:
                errors.append(exc)

    t = threading.Thread(target=reader)
    t.start()
    try:
        for _ in range(3):
            assert index.rebuild(doc(i, "Penduduk Baru", "penduduk") for i in range(100, 110)) == 10
            assert index.rebuild(doc(i, "Inflasi Lama", "inflasi") for i in range(1, 31)) == 30
        assert index.rebuild(doc(i, "Penduduk Baru", "penduduk") for i in range(100, 110)) == 10
    finally:
        stop.set()
        t.join()
    assert errors == []
    assert seen <= {10, 30}  # always a whole index, old or new
    assert index.count() == 10
    assert index.query("inflasi").total == 0
    assert index.query("penduduk").total == 10
    generations = [p for p in path.iterdir() if p.name.startswith("gen-")]
    assert len(generations) == 2  # the live one and the previous one


def test_failed_rebuild_keeps_the_old_index(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "search", procs=1)
    index.add([doc(1), doc(2)])

    def broken() -> Iterator[PubDoc]:
        yield doc(10)
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(broken())
    assert index.count() == 2
    assert sorted(h.pub_id for h in index.query("penduduk").hits) == [1, 2]


def test_rebuild_in_parallel_processes(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "search", procs=2)
    docs = [doc(i, f"Publikasi {i}", f"halaman {i} penduduk", "inflasi") for i in range(150)]
    assert index.rebuild([*docs, doc(7, "Ganti", "lain")]) == 150  # a repeated id: the last wins
    assert index.count() == 150
    assert index.query("penduduk").total == 149
    assert index.search_pages(42, "inflasi")[0].page == 2

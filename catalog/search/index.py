"""``SearchIndex``: the catalogue's full-text index — writing, reading, health.

Writers are serialised by the index's write lock (threads and processes), waited for
up to ``writer_timeout``; Whoosh's own lock is taken with a timeout too and retried,
so a LockError never reaches the caller (a ``SearchError`` does, after the wait).
Readers share ONE long-lived Whoosh searcher per process and index path, refreshed
when a commit or a rebuild is seen, and reopened after a fork; opening it is retried
on the FileNotFoundError a concurrent commit can cause. Queries of one process run
one at a time on it (Whoosh readers are not thread-safe; the GIL serialises them
anyway).
"""

from __future__ import annotations

import atexit
import itertools
import os
import threading
import time
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from catalog.search.analysis import _stemmer
from catalog.search.generations import IndexDir, close_searcher, open_searcher, retry_missing
from catalog.search.memory import keep_freed_memory
from catalog.search.models import PageHit, PubDoc, Results, SearchError
from catalog.search.querying import parse
from catalog.search.results import FACETS, pages_of, run_query
from catalog.search.schema import document, make_codec, make_schema
from catalog.search.snapshot import Snapshot
from catalog.search.whoosh_imports import LockError, SegmentWriter
from catalog.search.writer import FastMpWriter, FastSegmentWriter

# Whoosh's in-memory posting pool before it spills to disk: 256 MB. Segments as separate
# files, not one compound file: Whoosh copies a compound file's parts into memory when it
# opens a segment (its BufferFile wraps the mmap in a BytesIO) — the whole index, per
# process, on every open.
WRITER_OPTIONS: dict[str, Any] = {"limitmb": 256, "compound": False}
PARALLEL_FROM = 64  # a rebuild of at least this many publications uses several processes


_shared: dict[tuple[int, str], _Shared] = {}
_shared_guard = threading.Lock()


class _Shared:
    """This process's one searcher of an index path, as a ``Snapshot``."""

    def __init__(self, root: Path) -> None:
        keep_freed_memory()  # queries reuse their buffers' memory (see memory.py)
        self.lock = threading.RLock()
        self.dir = IndexDir(root)
        self.stamp: tuple[int, int] | None = None
        self.gen: Path | None = None
        self.ix: Any = None
        self.snap: Snapshot | None = None

    def snapshot(self) -> Snapshot | None:
        """The up-to-date snapshot (call with ``self.lock`` held); ``None``: no index."""
        stamp = self.dir.stamp()
        if stamp is None:
            self.close()
            return None
        if stamp != self.stamp or self.ix is None:
            gen = self.dir.current()
            if gen is None:
                self.close()
                return None
            if gen != self.gen or self.ix is None:  # a rebuild swapped generations
                self.ix, self.gen = self.dir.open(gen), gen
            self.stamp = stamp
        old = self.snap
        if old is None or old.ix is not self.ix or old.generation != self.ix.latest_generation():
            self.snap = retry_missing(lambda: _open_snapshot(self.ix, old))
            if old is not None:
                close_searcher(old.searcher)
        return self.snap

    def close(self) -> None:
        """Close the searcher (call with ``self.lock`` held)."""
        if self.snap is not None:
            close_searcher(self.snap.searcher)
        self.snap = self.ix = self.gen = self.stamp = None


def _open_snapshot(ix: Any, previous: Snapshot | None) -> Snapshot:
    searcher, generation = open_searcher(ix)
    try:
        return Snapshot(searcher, generation, previous)
    except BaseException:
        close_searcher(searcher)
        raise


def close_searchers() -> None:
    """Close this process's searchers (at exit; tests). They reopen when next used."""
    with _shared_guard:
        shared = [s for (pid, _), s in _shared.items() if pid == os.getpid()]
        _shared.clear()
    for one in shared:
        with one.lock:
            one.close()


atexit.register(close_searchers)


class SearchIndex:
    """The full-text index of the catalogue at ``path`` (created on first write); the
    Whoosh ``SearchEngine``."""

    name = "whoosh"
    transactional = False  # written by the index job, after the catalogue commits

    def __init__(
        self, path: str | Path, *, writer_timeout: float = 30.0, procs: int | None = None
    ) -> None:
        self.path = Path(path)
        self._root = self.path.resolve()  # no disk access beyond resolving links
        self.writer_timeout = writer_timeout
        self.procs = procs if procs is not None else min(os.cpu_count() or 1, 4)

    # -- reading ---------------------------------------------------------------------

    def _shared(self) -> _Shared:
        key = (os.getpid(), str(self._root))  # a forked child opens its own
        with _shared_guard:
            found = _shared.get(key)
            if found is None:
                found = _shared[key] = _Shared(Path(key[1]))
            return found

    def query(
        self,
        q: str,
        *,
        filters: dict[str, str | int] | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        facets: bool = True,
        correct: bool = True,
        hidden: Collection[int] = (),
    ) -> Results:
        """A page of publications matching ``q`` (empty ``q``: browse, newest first),
        without the ``hidden`` ones."""
        pq = parse(q or "")
        shared = self._shared()
        with shared.lock, _errors("query"):
            snap = shared.snapshot()
            if snap is None:
                return Results(0, [], {name: [] for name in FACETS} if facets else {})
            return run_query(
                snap,
                pq,
                dict(filters or {}),
                sort,
                page,
                per_page,
                facets,
                q if correct else None,
                hidden,
            )

    def search_pages(self, pub_id: int, q: str, *, limit: int = 50) -> list[PageHit]:
        """The pages of publication ``pub_id`` that match ``q``, best first."""
        pq = parse(q or "")
        if not pq.positives:
            return []
        shared = self._shared()
        with shared.lock, _errors("search"):
            snap = shared.snapshot()
            if snap is None:
                return []
            docnum = snap.searcher.document_number(pub_id=str(pub_id))
            if docnum is None:
                return []
            return pages_of(snap, pq, docnum, limit)

    def count(self) -> int:
        """The number of publications in the index (0 before the first write)."""
        shared = self._shared()
        with shared.lock, _errors("count"):
            snap = shared.snapshot()
            return snap.doc_count if snap else 0

    def exists(self) -> bool:
        """Whether an index has been written here yet (a fresh instance has none)."""
        return IndexDir(self._root).current() is not None

    def check(self) -> int:
        """Health check: open the index and return its count; ``SearchError`` if broken."""
        if IndexDir(self._root).current() is None:
            raise SearchError(f"There is no search index at {self.path} (run a rebuild).")
        try:
            return self.count()
        except SearchError:
            raise
        except Exception as exc:  # any failure to read the index is ill health
            raise SearchError(f"The search index at {self.path} is unreadable: {exc}") from exc

    def health(self) -> dict[str, Any]:
        """The engine, the number of publications and when the index last changed
        (``None``: no index yet); ``SearchError`` if the index cannot be read."""
        if not self.exists():
            return {"engine": self.name, "documents": 0, "indexed_at": None}
        documents = self.check()
        return {"engine": self.name, "documents": documents, "indexed_at": self.changed_at()}

    def changed_at(self) -> float | None:
        """When the index was last written (seconds since the epoch), ``None``: never."""
        gen = IndexDir(self._root).current()
        if gen is None:
            return None
        # Each commit writes a new table of contents (_MAIN_<n>.toc) in the generation.
        times = [p.stat().st_mtime for p in gen.glob("*.toc")]
        return max(times, default=None)

    # -- writing ---------------------------------------------------------------------

    def add(self, docs: Iterable[PubDoc]) -> None:
        """Add publications, replacing any with the same ``pub_id``; one commit."""
        batch = list({d.pub_id: d for d in docs}.values())
        if batch:
            self._write(lambda w: [w.update_document(**document(d)) for d in batch])

    def delete(self, pub_ids: Iterable[int]) -> None:
        """Remove publications (unknown ids are ignored); one commit."""
        ids = sorted({str(i) for i in pub_ids})
        if ids:
            self._write(lambda w: [w.delete_by_term("pub_id", i) for i in ids])

    def _write(self, fill: Any) -> None:
        idir = IndexDir(self._root)
        with _errors("write"), idir.write_lock(self.writer_timeout) as deadline:
            gen = idir.current()
            fresh = gen is None
            if gen is None:
                gen, ix = idir.new_generation(make_schema())
            else:
                ix = idir.open(gen)
            # A Whoosh writer commits when its block ends and cancels when it raises.
            with self._writer(ix, deadline) as writer:
                fill(writer)
            if fresh:
                idir.switch(gen)

    def _writer(self, ix: Any, deadline: float, **kwargs: Any) -> Any:
        """A Whoosh writer, waiting (up to the deadline) for Whoosh's own lock."""
        while True:
            try:
                wait = min(1.0, max(0.0, deadline - time.monotonic()))
                return ix.writer(timeout=wait, **WRITER_OPTIONS, codec=make_codec(), **kwargs)
            except LockError:
                if time.monotonic() >= deadline:
                    raise SearchError(
                        f"The search index at {self.path} is locked by another writer; "
                        f"gave up after {self.writer_timeout:g} s."
                    ) from None

    def rebuild(self, docs: Iterable[PubDoc]) -> int:
        """Build a fresh index from ``docs`` and swap it in atomically; its count."""
        idir = IndexDir(self._root)
        keep_freed_memory()
        with _errors("rebuild"), idir.write_lock(self.writer_timeout):
            gen, ix = idir.new_generation(make_schema())
            try:
                count = self._fill(ix, iter(docs))
                idir.switch(gen)
            except BaseException:
                idir.discard(gen)
                raise
        return count

    def _fill(self, ix: Any, docs: Iterable[PubDoc]) -> int:
        head = list(itertools.islice(docs, PARALLEL_FROM))
        parallel = self.procs > 1 and len(head) >= PARALLEL_FROM
        if parallel:
            _stemmer()  # loaded once here, not in every writer process (they fork)
            writer = FastMpWriter(
                ix,
                procs=self.procs,
                batchsize=4,
                multisegment=True,
                **WRITER_OPTIONS,
                codec=make_codec(),
            )
        else:
            writer = FastSegmentWriter(ix, **WRITER_OPTIONS, codec=make_codec())
        seen: set[int] = set()
        again: dict[int, PubDoc] = {}
        with writer:  # commits at the end of the block, cancels if it raises
            for doc in itertools.chain(head, docs):
                if doc.pub_id in seen:
                    again[doc.pub_id] = doc
                    continue
                seen.add(doc.pub_id)
                writer.add_document(**document(doc))
        if again:  # the same pub_id twice: the last one wins, as with add()
            with SegmentWriter(ix, **WRITER_OPTIONS, codec=make_codec()) as rewriter:
                for doc in again.values():
                    rewriter.update_document(**document(doc))
        count = int(retry_missing(lambda: ix.refresh().doc_count()))
        if count != len(seen):  # e.g. a crashed worker process: never swap that in
            raise SearchError(f"Rebuild incomplete: {count} of {len(seen)} publications.")
        return count


class _errors:
    """Turn OS and lock errors of an operation into ``SearchError``."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        if isinstance(exc, OSError | LockError) and not isinstance(exc, SearchError):
            raise SearchError(f"Search index {self.what} failed: {exc}") from exc

"""The index directory: generations of a Whoosh index, the pointer to the live one, locks.

Layout of ``path``::

    CURRENT          the name of the live generation ("gen-000003"), replaced atomically
    gen-000003/      a complete Whoosh index (the live one)
    gen-000002/      the previous one, kept for readers still on it until the next swap
    write.lock       held by whoever writes (add, delete, rebuild), across processes

``rebuild`` builds a fresh generation beside the live one and swaps ``CURRENT``
(``os.replace``: atomic), so readers see the old index or the new, never a mix.
"""

from __future__ import annotations

import contextlib
import io
import mmap
import os
import re
import shutil
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from catalog.search.models import SearchError
from catalog.search.whoosh_imports import (
    EmptyIndexError,
    EmptyReader,
    FileStorage,
    MultiReader,
    Searcher,
    SegmentReader,
    StructFile,
    index,
)

POINTER = "CURRENT"
LOCK_NAME = "write.lock"
_GEN = re.compile(r"^gen-(\d{6})$")
_OPEN_TRIES = 8
T = TypeVar("T")

_thread_locks: dict[str, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


def retry_missing(fn: Callable[[], T]) -> T:
    """Call ``fn``, again if it hits a file a concurrent commit just removed.

    Whoosh lists an index's files, then opens them; a commit merging segments in
    between makes the open fail with FileNotFoundError (measured: ~1 in 3,300 opens).
    """
    for attempt in range(_OPEN_TRIES):
        try:
            return fn()
        except (FileNotFoundError, EmptyIndexError) as exc:
            _close_abandoned(exc)
            if attempt == _OPEN_TRIES - 1:
                raise
            time.sleep(0.002 * 2**attempt)
    raise AssertionError("unreachable")


def _close_abandoned(exc: BaseException) -> None:
    """Close the files a failed Whoosh open left open (e.g. a segment reader that
    opened its term file, then failed on its postings file), rather than leave them
    to the garbage collector (a ResourceWarning, an error under ``-W error``)."""
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        for value in list(frame.f_locals.values()):
            owned = vars(value).values() if type(value).__module__.startswith("whoosh") else ()
            for item in (value, *owned):
                if not isinstance(item, io.IOBase | StructFile):
                    continue
                if not (getattr(item, "closed", False) or getattr(item, "is_closed", False)):
                    with contextlib.suppress(Exception):
                        item.close()


class MappedStorage(FileStorage):  # type: ignore[misc]
    """A Whoosh file storage that reads segment files through ``mmap``.

    Whoosh reads postings, term info and columns with ``StructFile.get`` — a seek and a
    read on a buffered file, a few microseconds each, a hundred-odd times per query; a
    slice of a shared read-only mapping costs a fraction of that. (Whoosh maps only
    compound segment files, which this engine does not write.)
    """

    def open_file(self, name: str, **kwargs: Any) -> Any:
        structfile = super().open_file(name, **kwargs)
        try:
            mapped = mmap.mmap(structfile.file.fileno(), 0, access=mmap.ACCESS_READ)
        except (AttributeError, OSError, ValueError):  # e.g. an empty file: read normally
            return structfile

        def get(position: int, length: int) -> bytes:
            return mapped[position : position + length]

        structfile.get = get  # get_int, get_array etc. go through it too
        structfile.pst_mapping = mapped  # lives as long as the file object
        return structfile


def open_searcher(ix: Any) -> tuple[Any, int]:
    """A Whoosh searcher of the latest commit of ``ix``, and that commit's generation.

    Opens the segments itself rather than with ``ix.searcher()``/``refresh()``: when a
    segment fails to open (a concurrent commit deleted it), Whoosh leaves the segments it
    had opened open; and its ``refresh`` never reuses a reader yet closes only some.
    """
    toc = ix._read_toc()
    storage = MappedStorage(ix.storage.folder)
    readers: list[Any] = []
    try:
        for segment in toc.segments:
            readers.append(SegmentReader(storage, toc.schema, segment, generation=toc.generation))
    except BaseException:
        for r in readers:
            r.close()
        raise
    if not readers:
        reader = EmptyReader(toc.schema)
    elif len(readers) == 1:
        reader = readers[0]
    else:
        reader = MultiReader(readers, generation=toc.generation)
    return Searcher(reader, fromindex=ix), int(toc.generation)


def close_searcher(searcher: Any) -> None:
    """Close every segment reader of ``searcher`` that is still open."""
    for leaf, _ in searcher.reader().leaf_readers():
        if not getattr(leaf, "is_closed", True):
            leaf.close()


class IndexDir:
    """The directory of one search index (see the module docstring)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def current(self) -> Path | None:
        """The live generation's directory; ``None`` before the first write."""
        try:
            name = (self.root / POINTER).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        if not _GEN.match(name):
            raise SearchError(f"Search index pointer {self.root / POINTER} is corrupt: {name!r}")
        return self.root / name

    def stamp(self) -> tuple[int, int] | None:
        """Changes whenever ``CURRENT`` is replaced (cheap: one stat)."""
        try:
            st = os.stat(self.root / POINTER)
        except FileNotFoundError:
            return None
        return st.st_ino, st.st_mtime_ns

    def open(self, gen: Path) -> Any:
        """The Whoosh index of generation ``gen``."""
        return retry_missing(lambda: index.open_dir(str(gen)))

    def new_generation(self, schema: Any) -> tuple[Path, Any]:
        """A new, empty generation directory and its Whoosh index (not live yet)."""
        numbers = [int(m.group(1)) for p in self._generations() if (m := _GEN.match(p.name))]
        gen = self.root / f"gen-{max(numbers, default=0) + 1:06d}"
        gen.mkdir()
        return gen, index.create_in(str(gen), schema)

    def switch(self, gen: Path) -> None:
        """Make ``gen`` the live generation (atomically), then drop all but the last two."""
        previous = self.current()
        tmp = self.root / f"{POINTER}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="ascii") as f:
            f.write(gen.name + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.root / POINTER)
        with contextlib.suppress(OSError):  # make the rename durable
            fd = os.open(self.root, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        keep = {gen, previous}
        for old in self._generations():
            if old not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def discard(self, gen: Path) -> None:
        """Remove a generation that never went live (a failed rebuild)."""
        shutil.rmtree(gen, ignore_errors=True)

    def _generations(self) -> list[Path]:
        return sorted(p for p in self.root.iterdir() if p.is_dir() and _GEN.match(p.name))

    @contextlib.contextmanager
    def write_lock(self, timeout: float) -> Iterator[float]:
        """Hold the index's write lock (threads and processes); yields the deadline."""
        deadline = time.monotonic() + timeout
        with _thread_locks_guard:
            tlock = _thread_locks.setdefault(str(self.root), threading.Lock())
        if not tlock.acquire(timeout=max(timeout, 0.0)):
            raise _busy(self.root, timeout)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            flock = FileStorage(str(self.root)).lock(LOCK_NAME)
            delay = 0.005
            while not flock.acquire(blocking=False):
                if time.monotonic() >= deadline:
                    raise _busy(self.root, timeout)
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
            try:
                yield deadline
            finally:
                flock.release()
        finally:
            tlock.release()


def _busy(root: Path, timeout: float) -> SearchError:
    return SearchError(
        f"The search index at {root} is busy: another writer held it for {timeout:g} s "
        "(a rebuild may be running). Try again later."
    )

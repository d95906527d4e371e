"""Whoosh's segment writer with a posting pool kept in memory, grouped by term.

Whoosh collects every posting of a segment as a ``(field, term, doc, weight, value)``
tuple in a pool that it sorts at commit (spilling sorted runs to disk past
``limitmb``), then hands the postings one by one to the codec, which checks and
buffers each in Python. With a document per publication a segment holds a few
hundred thousand postings, and that path took half of the indexing time. Here the
pool groups postings by field and term as they arrive (documents come in order, so
each term's postings are already sorted by document), and the commit writes each
term's blocks of 128 postings at once through the codec's own block writer: the
files are byte for byte what Whoosh writes (a test compares them). Past the memory
budget (``POOL_BYTES``) the pool hands everything to Whoosh's own pool and behaves as
before.
"""

from __future__ import annotations

from array import array
from typing import Any

from catalog.search.whoosh_imports import MpWriter, SegmentWriter, SubWriterTask

#: Postings (estimated bytes) one writer keeps in memory before Whoosh's pool, which
#: spills sorted runs to disk, takes over: 100,000 pages of a rebuild fit.
POOL_BYTES = 768 * 1024 * 1024


class MemoryPool:
    """A posting pool grouped by field and term, in memory up to ``limit`` bytes."""

    def __init__(self, fallback: Any, limit: int) -> None:
        self.fallback = fallback  # Whoosh's PostingPool, used once the budget is spent
        self.fieldnames: set[str] = fallback.fieldnames
        self.limit = limit
        self.size = 0
        self.spilled = False
        self.fields: dict[str, dict[bytes, list[tuple[str, bytes, int, float, bytes]]]] = {}

    def add(self, item: tuple[str, bytes, int, float, bytes]) -> None:
        if self.spilled:
            self.fallback.add(item)
            return
        terms = self.fields.get(item[0])
        if terms is None:
            terms = self.fields[item[0]] = {}
            self.fieldnames.add(item[0])
        found = terms.get(item[1])
        if found is None:
            terms[item[1]] = [item]
        else:
            found.append(item)
        # A rough size: the tuple, the list slot, the value bytes.
        self.size += 120 + len(item[4] or b"")
        if self.size > self.limit:
            self._spill()

    def _spill(self) -> None:
        add = self.fallback.add
        for terms in self.fields.values():
            for items in terms.values():
                for item in items:
                    add(item)
        self.fields.clear()
        self.spilled = True

    def iter_postings(self) -> Any:
        if self.spilled:
            return self.fallback.iter_postings()
        return (
            item
            for fieldname in sorted(self.fields)
            for term in sorted(self.fields[fieldname])
            for item in self.fields[fieldname][term]
        )

    def save(self) -> None:
        self.fallback.save()

    def cleanup(self) -> None:
        # The postings are not freed one by one here: a writer process exits without
        # freeing them at all, and an in-process writer's go with it.
        self.fallback.cleanup()


class FastSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """A Whoosh ``SegmentWriter`` with a :class:`MemoryPool` and a bulk commit."""

    pool: MemoryPool

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self.pool = MemoryPool(self.pool, POOL_BYTES)

    def _flush_segment(self) -> None:
        pool = self.pool
        if pool.spilled or self.codec.length_stats:
            super()._flush_segment()
            return
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        for fieldname in sorted(pool.fields):
            terms = pool.fields[fieldname]
            fieldwriter.start_field(fieldname, self.schema[fieldname])
            for term in sorted(terms):
                fieldwriter.start_term(term)
                _write_postings(fieldwriter._postwriter, terms[term])
                fieldwriter.finish_term()
            fieldwriter.finish_field()
        fieldwriter.close()


def _write_postings(writer: Any, items: list[tuple[str, bytes, int, float, bytes]]) -> None:
    """Fill a Whoosh 3 postings writer with one term's postings (ascending documents),
    block by block, as its ``add_posting`` would have (without lengths: the codec keeps
    no length statistics); the last block is written by ``finish_postings``."""
    limit = writer._blocklimit
    for start in range(0, len(items), limit):
        if start:
            writer._write_block()
        _, _, ids, weights, values = zip(*items[start : start + limit], strict=True)
        writer._ids = array("I", ids)
        writer._weights = array("f", weights)
        writer._values = list(filter(None, values))  # as add_posting: empty ones dropped
        writer._maxweight = max(0, *weights)


class FastSubWriterTask(SubWriterTask):  # type: ignore[misc]
    """Whoosh's multi-process sub-writer, writing with :class:`FastSegmentWriter`.

    Whoosh's ``run`` names its writer class inline; this is that loop for the
    ``multisegment`` case (each process writes its own segment), the only one used.
    """

    def run(self) -> None:
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = FastSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment), timeout=5)


class FastMpWriter(MpWriter):  # type: ignore[misc]
    """Whoosh's multi-process writer (``multisegment`` only) with fast sub-writers."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        if not kwargs.get("multisegment"):
            raise ValueError("FastMpWriter writes one segment per process: multisegment=True")
        super().__init__(ix, **kwargs)

    def _new_task(self) -> Any:
        task = FastSubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True
        )
        self.tasks.append(task)
        task.start()
        return task

"""One generation of the index as the query engine sees it, with its caches.

A ``Snapshot`` wraps the process's Whoosh searcher for one index generation and holds,
as flat per-document arrays (global doc numbers), what every query needs: which
documents are live, their facet values and dates, and the BM25 length normaliser of
each text field. Per-segment parts are carried over from the previous snapshot, so a
refresh after a small commit reads only the new segment. Posting lists and the score
arrays of query clauses are cached per snapshot within a memory budget.
"""

from __future__ import annotations

import collections
import math
import operator
from array import array
from collections import OrderedDict
from typing import Any

from catalog.search.postings import EMPTY, Postings, read_postings
from catalog.search.schema import (
    FACET_SEP,
    NO_POSITIONS,
    TEXT_FIELDS,
    VALUE_SEP,
    decode_positions,
    page_texts,
    read_page,
)

K1, B = 1.2, 0.75  # BM25, Whoosh's defaults
_CACHE_BYTES = 96 * 1024 * 1024  # per cache (posting lists; clause score arrays)
_TEXT_CACHE_BYTES = 32 * 1024 * 1024  # per cache (stored fields; decompressed pages)


class _Segment:
    """The immutable per-document data of one segment (reused across generations)."""

    def __init__(self, leaf: Any) -> None:
        n = leaf.doc_count_all()
        self.subjects: list[tuple[str, ...]] = []
        self.years: list[str] = []
        self.kinds: list[str] = []
        self.languages: list[str] = []
        self.dates: list[int] = []
        self.lengths: dict[str, list[int]] = {f: [] for f in TEXT_FIELDS}
        if not n:
            return
        facets = leaf.column_reader("facets", translate=False)
        dates = leaf.column_reader("date")
        for i in range(n):
            subj, year, kind, lang = bytes(facets[i]).decode().split(FACET_SEP)
            self.subjects.append(tuple(subj.split(VALUE_SEP)) if subj else ())
            self.years.append(year)
            self.kinds.append(kind)
            self.languages.append(lang)
        self.dates = [int(dates[i]) for i in range(n)]
        self.lengths = {
            f: [leaf.doc_field_length(i, f, 0) or 0 for i in range(n)] for f in TEXT_FIELDS
        }


def _files_present(leaf: Any) -> bool:
    """Whether a segment's column files (opened lazily by Whoosh) are still there.

    A missing column file reads as default values, silently — a commit merged the
    segment away meanwhile. (Length columns may be legitimately absent; and a stale
    snapshot's lengths matter little.)
    """
    perdoc = leaf._perdoc  # its has_column also knows Whoosh's own "_stored" column
    names = ("facets", "date", "body", "_stored")
    return not leaf.doc_count_all() or all(perdoc.has_column(c) for c in names)


class _LRU:
    """A least-recently-used mapping bounded by an estimate of its values' bytes."""

    def __init__(self, budget: int) -> None:
        self.items: OrderedDict[Any, tuple[Any, int]] = OrderedDict()
        self.budget, self.used = budget, 0

    def get(self, key: Any) -> Any:
        item = self.items.get(key)
        if item is None:
            return None
        self.items.move_to_end(key)
        return item[0]

    def put(self, key: Any, value: Any, size: int) -> None:
        old = self.items.pop(key, None)
        self.used += size - (old[1] if old else 0)
        self.items[key] = (value, size)
        while self.used > self.budget and len(self.items) > 1:
            _, (_, freed) = self.items.popitem(last=False)
            self.used -= freed


class Snapshot:
    """A searcher of one generation plus the arrays and caches queries use."""

    def __init__(self, searcher: Any, generation: int, previous: Snapshot | None = None) -> None:
        self.searcher = searcher
        self.generation = generation
        self.ix = searcher._ix  # the Whoosh index it was opened from
        self.reader = searcher.reader()
        self.leaves: list[tuple[Any, int]] = list(self.reader.leaf_readers())
        try:
            self._load(previous)
        except Exception as exc:  # reads of a vanished file fail in all sorts of ways
            if not all(_files_present(leaf) for leaf, _ in self.leaves):
                raise FileNotFoundError("segments merged away while opening") from exc
            raise
        # Everything is open now; if the files are still there, they are the ones opened.
        if not all(_files_present(leaf) for leaf, _ in self.leaves):
            raise FileNotFoundError("segments merged away while opening")
        self._postings = _LRU(_CACHE_BYTES)
        self.clauses = _LRU(_CACHE_BYTES)
        self._stored = _LRU(_TEXT_CACHE_BYTES)
        self._pages = _LRU(_TEXT_CACHE_BYTES)

    def _load(self, previous: Snapshot | None) -> None:
        """Read the per-document arrays, opening every file Whoosh would open lazily."""
        known = previous.segments if previous else {}
        self.segments: dict[str, _Segment] = {}
        self.subjects: list[tuple[str, ...]] = []
        self.years: list[str] = []
        self.kinds: list[str] = []
        self.languages: list[str] = []
        self.dates: list[int] = []
        lengths: dict[str, list[int]] = {f: [] for f in TEXT_FIELDS}
        live = array("d")
        for leaf, _offset in self.leaves:
            segid = leaf.segment().segment_id() if hasattr(leaf, "segment") else str(id(leaf))
            seg = known.get(segid) or _Segment(leaf)
            self.segments[segid] = seg
            self.subjects += seg.subjects
            self.years += seg.years
            self.kinds += seg.kinds
            self.languages += seg.languages
            self.dates += seg.dates
            for f in TEXT_FIELDS:
                lengths[f] += seg.lengths[f]
            n = leaf.doc_count_all()
            if leaf.has_deletions():
                live.extend(0.0 if leaf.is_deleted(i) else 1.0 for i in range(n))
            else:
                live.extend([1.0] * n)
        self.live = live
        self.size = len(live)
        self.doc_count = int(sum(live))
        self.norm: dict[str, list[float]] = {}
        for f in TEXT_FIELDS:
            lens = lengths[f]
            avg = (sum(lens) / len(lens)) if lens else 1.0
            self.norm[f] = [K1 * (1 - B + B * dl / (avg or 1.0)) for dl in lens]
        # Open every file now (Whoosh opens column files lazily): files of a segment a
        # commit merges away stay readable once open, but can no longer be opened.
        self._columns = [
            leaf.column_reader("body", translate=False) if leaf.doc_count_all() else None
            for leaf, _ in self.leaves
        ]
        for leaf, offset in self.leaves:
            if leaf.doc_count_all():
                self.searcher.stored_fields(offset)

    def postings(self, fieldname: str, text: str) -> Postings:
        """The (cached) postings of a term; empty for an unknown term."""
        key = (fieldname, text)
        found = self._postings.get(key)
        if found is None:
            found = read_postings(self.reader, fieldname, text) if text else EMPTY
            self._postings.put(key, found, found.nbytes() + 100)
        return found  # type: ignore[no-any-return]

    def positions(self, fieldname: str, text: str, docnum: int, one: bool = False) -> array[int]:
        """Positions of a term in one document (ascending; do not modify), from its
        (cached) posting list.

        ``one``: only this document is wanted (search inside a publication) — if the list
        is not cached, skip to the document in Whoosh rather than read the whole list.
        """
        found = self._postings.get((fieldname, text))
        if found is not None or not one:
            return self.postings(fieldname, text).positions_of(docnum)
        leaf, local = self.leaf_of(docnum)
        if (fieldname, text) not in leaf:
            return NO_POSITIONS
        m = leaf.postings(fieldname, text)
        m.skip_to(local)
        if m.is_active() and m.id() == local:
            return decode_positions(m.value())
        return NO_POSITIONS

    def idf(self, postings: Postings) -> float:
        """Whoosh's BM25 inverse document frequency of a term."""
        return math.log(max(self.doc_count, 1) / (len(postings.ids) + 1)) + 1.0

    def zeros(self) -> array[float]:
        """A fresh score array, one zero per document."""
        return array("d", bytes(8 * self.size))

    def term_scores(self, fieldname: str, text: str, boost: float) -> array[float] | None:
        """BM25 scores of ``fieldname:text`` times ``boost``, per document; ``None`` if
        no document has the term. Built with C-level ``map`` calls, no Python loop."""
        post = self.postings(fieldname, text)
        if not post.ids:
            return None
        k = boost * self.idf(post) * (K1 + 1)
        tfs = post.tfs
        lengths = map(self.norm[fieldname].__getitem__, post.ids)
        values = map(operator.truediv, map(k.__mul__, tfs), map(operator.add, tfs, lengths))
        dense = self.zeros()
        collections.deque(map(dense.__setitem__, post.ids, values), maxlen=0)
        return dense

    def bm25(self, fieldname: str, docnum: int, tf: float, idf: float) -> float:
        """The BM25 score of ``tf`` occurrences with inverse document frequency ``idf``."""
        return idf * (K1 + 1) * tf / (tf + self.norm[fieldname][docnum])

    def leaf_of(self, docnum: int) -> tuple[Any, int]:
        """The segment reader holding ``docnum`` and the doc number inside it."""
        for leaf, offset in reversed(self.leaves):
            if docnum >= offset:
                return leaf, docnum - offset
        raise IndexError(docnum)

    def _column_of(self, docnum: int) -> tuple[Any, int]:
        """The body column reader of the segment holding ``docnum``, and its local number."""
        for (_leaf, offset), column in zip(
            reversed(self.leaves), reversed(self._columns), strict=True
        ):
            if docnum >= offset:
                return column, docnum - offset
        raise IndexError(docnum)

    def page_text(self, docnum: int, page: int) -> str:
        """The text of one page (1-based) of ``docnum``, ``""`` if it has no such page."""
        key = (docnum, page)
        found = self._pages.get(key)
        if found is None:
            column, local = self._column_of(docnum)
            found = read_page(column, local, page)
            if found is None:
                found = page_texts(bytes(column[local]), [page]).get(page, "")
            self._pages.put(key, found, 2 * len(found) + 100)
        return found  # type: ignore[no-any-return]

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of ``docnum`` (a fresh dict: the caller may change it)."""
        found = self._stored.get(docnum)
        if found is None:
            found = dict(self.searcher.stored_fields(docnum))
            size = sum(len(v) for v in found.values() if isinstance(v, str))
            self._stored.put(docnum, found, 2 * size + 200)
        return dict(found)

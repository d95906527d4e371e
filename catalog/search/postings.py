"""Whole posting lists read from Whoosh in bulk, and the positions they carry.

Whoosh's matchers hand out one posting per Python call (several calls per posting
once scored); with one document per publication a term has at most a few thousand
postings, so reading a list block by block into plain lists and working on those is
an order of magnitude faster. Deleted documents are left in; the caller masks them.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any

from catalog.search.schema import NO_POSITIONS, decode_positions
from catalog.search.whoosh_imports import FilterMatcher, W3LeafMatcher


@dataclass
class Postings:
    """The postings of one term: global doc numbers (ascending), frequencies, values."""

    ids: list[int]
    tfs: list[float]
    values: list[bytes | None]
    _where: dict[int, int] | None = field(default=None, repr=False)

    def value_of(self, docnum: int) -> bytes | None:
        """The encoded value (positions) of ``docnum``, ``None`` if it lacks the term."""
        if self._where is None:
            self._where = dict(zip(self.ids, range(len(self.ids)), strict=True))
        i = self._where.get(docnum)
        return None if i is None else self.values[i]

    def positions_of(self, docnum: int) -> array[int]:
        """The positions of the term in ``docnum``, ascending (empty when absent)."""
        value = self.value_of(docnum)
        return decode_positions(value) if value else NO_POSITIONS

    def nbytes(self) -> int:
        """A rough size, for the cache's budget."""
        return 24 * len(self.ids) + sum(len(v) for v in self.values if v)


EMPTY = Postings([], [], [])


def read_postings(reader: Any, fieldname: str, text: str) -> Postings:
    """All postings of ``fieldname:text`` across the segments of ``reader``."""
    ids: list[int] = []
    tfs: list[float] = []
    values: list[bytes | None] = []
    for leaf, offset in reader.leaf_readers():
        if (fieldname, text) not in leaf:
            continue
        m = leaf.postings(fieldname, text)
        if isinstance(m, FilterMatcher):  # deletions: masked by the caller instead
            m = m.child
        if isinstance(m, W3LeafMatcher) and hasattr(m, "_read_values"):
            _read_blocks(m, offset, ids, tfs, values)
            continue
        while m.is_active():  # inlined postings (a rare term): a short list
            ids.append(offset + m.id())
            tfs.append(m.weight())
            values.append(m.value())
            m.next()
    return Postings(ids, tfs, values)


def _read_blocks(
    m: Any, offset: int, ids: list[int], tfs: list[float], values: list[bytes | None]
) -> None:
    """Read a Whoosh 3 on-disk posting list a block (up to 128 postings) at a time."""
    while m.is_active():
        m._read_ids()
        m._read_weights()
        m._read_values()
        ids.extend(map(offset.__add__, m._ids) if offset else m._ids)
        tfs.extend(m._weights)
        values.extend(m._values)
        m._next_block()

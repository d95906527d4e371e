"""The Whoosh schema (one document per publication) and the analysis of a ``PubDoc`` into it.

Three text fields — ``head`` (title, subtitle, English title, catalogue numbers),
``meta`` (abstract, subjects) and ``body`` (all pages) — each hold two kinds of term:
the exact lower-cased word (``penduduk``) and, prefixed with ``~``, its Sastrawi stem
(``~duduk``; Porter stems for the English title). Exact terms carry the matches that
rank first and serve phrases, prefixes and page numbers; stems let "kependudukan" meet
"penduduk". A stem term is left out of a document when its only word there is the stem
itself ("padi" alone: no "~padi"), which saves a third of the postings; a query then
takes the exact term in its place (see ``matching.stem_scores``). Page ``n`` of the body
starts at position ``n * PAGE_STRIDE``, so the position of a match tells its page; the
per-page texts ride along in the same field's column, each page compressed on its own so
that one page reads without the others.

Analysis happens inside ``WordsField.index`` with C-speed built-ins rather than
Whoosh's per-token pipeline, and inside the writer, so Whoosh's multi-process writer
(``procs``) spreads it over the cores.
"""

from __future__ import annotations

import itertools
import struct
import sys
import zlib
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

import numpy
from lz4 import block as lz4_block

from catalog.search.analysis import STEM_MARK, stem_en, stem_id, tokens
from catalog.search.models import PubDoc
from catalog.search.running import body_pages
from catalog.search.whoosh_imports import W3Codec, columns, fields, formats

PAGE_STRIDE = 1 << 16  # page n's words are at n*PAGE_STRIDE + i (a page holds < 65,536)
TEXT_FIELDS = ("head", "meta", "body")
FILTER_FIELDS = {
    "subject": "f_subject",
    "year": "f_year",
    "type": "f_type",
    "language": "f_language",
    "access": "f_access",
}
FACET_SEP, VALUE_SEP = "\x1e", "\x1f"
_UINT = struct.Struct("!I")  # whoosh.system.pack_uint
_PAGE_COUNT = struct.Struct("!I")
_LZ4 = 1 << 31  # in the page count: the pages are LZ4 blocks (zlib streams without it)
_SWAP = sys.byteorder != "little"
U32 = "I" if array("I").itemsize == 4 else "L"
NO_POSITIONS: array[int] = array(U32)  # shared: never modified


Positions = Any  # a list of ints, or a uint32 numpy array (long texts)
_NUMPY_FROM = 512  # tokens from which a text is grouped with numpy


def group_positions(chunks: Sequence[str], first: int, english: str = "") -> dict[str, Positions]:
    """Term -> ascending positions for the words of ``chunks`` (chunk k at
    ``(first+k)*PAGE_STRIDE``): a list, or a uint32 numpy array for long texts.

    ``english`` is extra text whose stems are English (Porter) ones.
    """
    english_start = -1
    if english:
        english_start = (first + len(chunks)) * PAGE_STRIDE
        chunks = [*chunks, english]
    pages = [tokens(text) for text in chunks]
    if sum(map(len, pages)) >= _NUMPY_FROM:
        grouped = _grouped_numpy(pages, first)
    else:
        grouped = _grouped_lists(pages, first)
    return _add_stems(grouped, english_start)


def _grouped_lists(pages: list[list[str]], first: int) -> dict[str, Positions]:
    grouped: dict[str, Positions] = {}
    get = grouped.get
    for k, words in enumerate(pages):
        for pos, word in enumerate(words, (first + k) * PAGE_STRIDE):
            lst = get(word)
            if lst is None:
                grouped[word] = [pos]
            else:
                lst.append(pos)
    return grouped


def _grouped_numpy(pages: list[list[str]], first: int) -> dict[str, Positions]:
    """The same as ``_grouped_lists``, the per-word work in C: words numbered in order
    of first appearance, positions sorted by (word, position) with a stable sort."""
    words = list(itertools.chain.from_iterable(pages))
    lengths = numpy.array([len(p) for p in pages], dtype=numpy.int64)
    starts = numpy.arange(first, first + len(pages), dtype=numpy.int64) * PAGE_STRIDE
    before = numpy.cumsum(lengths) - lengths  # tokens before each page
    positions = numpy.arange(len(words), dtype=numpy.int64) + numpy.repeat(starts - before, lengths)
    number = {word: i for i, word in enumerate(dict.fromkeys(words))}
    ids = numpy.fromiter(map(number.__getitem__, words), dtype=numpy.int64, count=len(words))
    ordered = positions[numpy.argsort(ids, kind="stable")].astype(numpy.uint32)
    ends = numpy.cumsum(numpy.bincount(ids, minlength=len(number))).tolist()
    return {word: ordered[a:b] for word, a, b in zip(number, [0, *ends], ends, strict=False)}


def _add_stems(grouped: dict[str, Positions], english_start: int) -> dict[str, Positions]:
    # stem -> its words and their positions; a stem whose only word is the stem itself
    # is left out ("~padi" would repeat "padi"): queries fall back on the exact term then.
    # Positions lists are shared, never copied, until a stem has several words.
    table = _stem_table()
    by_stem: dict[str, list[Any]] = {}  # stem -> [word, positions, word, positions, ...]
    for word, poses in grouped.items():
        stem = table.get(word, _UNKNOWN)
        if stem == _UNKNOWN:
            stem = table[word] = stem_id(word)
        if stem is not None:
            found = by_stem.get(stem)
            if found is None:
                by_stem[stem] = [word, poses]
            else:
                found += (word, poses)
        if english_start >= 0 and poses[-1] >= english_start:
            english = stem_en(word)
            if english != stem:
                found = by_stem.get(english)
                if found is None:
                    by_stem[english] = [word, poses]
                else:
                    found += (word, poses)
    for stem, found in by_stem.items():
        if len(found) > 2:
            merged = found[1::2]
            if isinstance(merged[0], list):
                grouped[STEM_MARK + stem] = sorted(itertools.chain.from_iterable(merged))
            else:
                grouped[STEM_MARK + stem] = numpy.sort(numpy.concatenate(merged))
        elif found[0] != stem:
            grouped[STEM_MARK + stem] = found[1]
    return grouped


_UNKNOWN = "\0"  # no token holds it
_STEMS: dict[str, str | None] = {}
_STEMS_MAX = 262_144


def _stem_table() -> dict[str, str | None]:
    """Word -> Sastrawi stem, a plain dict (a lookup per distinct word of every
    document: cheaper than the cached function), emptied when it grows too large."""
    if len(_STEMS) > _STEMS_MAX:
        _STEMS.clear()
    return _STEMS


class PagedPositions(formats.Positions):  # type: ignore[misc]
    """Whoosh ``Positions`` with the positions as a little-endian uint32 array.

    Whoosh pickles position deltas; an array encodes and decodes at memory speed,
    which is what phrase checks and page numbers spend their time on.
    """

    def encode(self, poslist: Positions) -> bytes:
        """``uint count + uint32[] positions``."""
        if isinstance(poslist, numpy.ndarray):
            return _UINT.pack(len(poslist)) + poslist.astype("<u4", copy=False).tobytes()
        arr = array(U32, poslist)
        if _SWAP:
            arr.byteswap()
        return _UINT.pack(len(arr)) + arr.tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        """The positions encoded by ``encode``."""
        return decode_positions(valuestring).tolist()


def positions_array(value: bytes) -> numpy.ndarray[Any, numpy.dtype[numpy.uint32]]:
    """The positions in a ``PagedPositions`` posting value as a read-only numpy view."""
    return numpy.frombuffer(value, "<u4", offset=_UINT.size)


def decode_positions(value: bytes) -> array[int]:
    """The positions in a ``PagedPositions`` posting value."""
    arr = array(U32)
    arr.frombytes(value[_UINT.size :])
    if _SWAP:
        arr.byteswap()
    return arr


class WordsField(fields.FieldType):  # type: ignore[misc]
    """A scorable text field of exact words and ``~stems``, with positions.

    Its value is a string, or a list of page texts (``pages=True``: page 1 first).
    """

    def __init__(self, pages: bool = False) -> None:
        super().__init__(PagedPositions(), analyzer=None, scorable=True)
        self.pages = pages
        if pages:
            self.column_type = columns.VarBytesColumn()

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        """``(term bytes, frequency, weight, encoded positions)`` per distinct term."""
        if isinstance(value, str):
            grouped = group_positions([value], 0)
        elif self.pages:
            grouped = group_positions(value, 1)
        else:  # (text, english text)
            grouped = group_positions([value[0]], 0, value[1])
        encode = self.format.encode
        for term, poses in grouped.items():
            n = len(poses)
            yield term.encode(), n, float(n), encode(poses)

    def to_column_value(self, value: Any) -> bytes:
        """The page texts, each compressed on its own (LZ4: a tenth of zlib's time),
        behind a table of where each ends; the count's top bit says "LZ4, ends" (the
        zlib format before it had a table of sizes)."""
        blobs = [lz4_block.compress(p.encode(), store_size=True) for p in value]
        ends = struct.pack(f"!{len(blobs)}I", *itertools.accumulate(map(len, blobs)))
        return _PAGE_COUNT.pack(len(blobs) | _LZ4) + ends + b"".join(blobs)

    def from_column_value(self, value: bytes) -> bytes:
        """Column bytes are read raw (see ``page_texts``)."""
        return value


def _decompress(data: bytes, lz4: bool) -> str:
    return (lz4_block.decompress(data) if lz4 else zlib.decompress(data)).decode()


def page_texts(blob: bytes, wanted: Sequence[int] | None = None) -> dict[int, str]:
    """Page number (1-based) -> text, for the ``wanted`` pages (all when ``None``)."""
    if not blob:
        return {}
    (head,) = _PAGE_COUNT.unpack_from(blob)
    count, lz4 = head & ~_LZ4, bool(head & _LZ4)
    table = struct.unpack_from(f"!{count}I", blob, _PAGE_COUNT.size)
    data = _PAGE_COUNT.size + 4 * count
    ends = table if lz4 else tuple(itertools.accumulate(table))
    starts = [data, *(data + e for e in ends)]
    pages = range(1, count + 1) if wanted is None else [p for p in wanted if 1 <= p <= count]
    return {p: _decompress(blob[starts[p - 1] : starts[p]], lz4) for p in pages}


def read_page(column: Any, local: int, page: int) -> str | None:
    """The text of page ``page`` (1-based) of document ``local`` of a segment's body
    column, reading only where that page lies and the page itself (a publication's
    column value runs to megabytes); ``""`` when there is no such page. ``None`` when
    the column reader is not the Whoosh one this relies on."""
    try:
        length = column._lengths[local]
        base = column._basepos + column._offsets[local]
        get = column._dbfile.get
    except AttributeError:
        return None
    if not length or page < 1:
        return ""
    (head,) = _PAGE_COUNT.unpack(get(base, _PAGE_COUNT.size))
    count, lz4 = head & ~_LZ4, bool(head & _LZ4)
    if page > count:
        return ""
    data = base + _PAGE_COUNT.size + 4 * count
    if lz4:  # a table of ends: this page's start is the previous one's end
        if page == 1:
            start, (end,) = 0, struct.unpack("!I", get(base + _PAGE_COUNT.size, 4))
        else:
            start, end = struct.unpack("!2I", get(base + _PAGE_COUNT.size + 4 * (page - 2), 8))
    else:  # zlib: a table of sizes
        sizes = struct.unpack(f"!{page}I", get(base + _PAGE_COUNT.size, 4 * page))
        start = sum(sizes[:-1])
        end = start + sizes[-1]
    return _decompress(get(data + start, end - start), lz4)


class Codec(W3Codec):  # type: ignore[misc]
    """Whoosh's codec without per-block length statistics: they serve only Whoosh's own
    block-max scoring, which this engine does not use (it reads whole posting lists and
    scores with the per-document lengths), and gathering them cost a lookup per posting
    at every flush — a tenth of the indexing time."""

    length_stats = False


def make_codec() -> W3Codec:
    """The codec, posting blocks uncompressed: with whole publications per document
    the blocks are large and decompressing them dominated query time (index +65%)."""
    return Codec(compression=0)


def make_schema() -> fields.Schema:
    """The schema of the catalogue index."""
    return fields.Schema(
        pub_id=fields.ID(stored=True, unique=True),
        head=WordsField(),
        meta=WordsField(),
        body=WordsField(pages=True),
        f_subject=fields.ID(),
        f_year=fields.ID(),
        f_type=fields.ID(),
        f_language=fields.ID(),
        f_access=fields.ID(),
        facets=fields.COLUMN(columns.VarBytesColumn()),
        date=fields.COLUMN(columns.NumericColumn("i")),
        title=fields.STORED(),
        subtitle=fields.STORED(),
        abstract=fields.STORED(),
    )


def document(doc: PubDoc) -> dict[str, Any]:
    """The Whoosh fields of one publication (raw text: the writer analyses it)."""
    facet = FACET_SEP.join(
        [VALUE_SEP.join(doc.subjects), str(doc.year or ""), doc.kind, doc.language]
    )
    out: dict[str, Any] = {
        "pub_id": str(doc.pub_id),
        "head": (f"{doc.title} {doc.subtitle} {doc.kat_no} {doc.pub_no}", doc.title_en),
        "meta": " ".join([*doc.subjects, doc.abstract]),
        "body": body_pages(doc.pages),  # without running headers and footers
        "f_type": doc.kind,
        "f_language": doc.language,
        "f_access": doc.access,
        "facets": facet.encode(),
        "date": doc.release_date.toordinal() if doc.release_date else 0,
        "title": doc.title,
        "subtitle": doc.subtitle,
        "abstract": doc.abstract,
    }
    if doc.subjects:
        out["f_subject"] = list(doc.subjects)
    if doc.year is not None:
        out["f_year"] = str(doc.year)
    return out

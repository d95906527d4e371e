"""The byte layout of a master: header, objects and their exact ranges, xref, trailer.

The fast path copies objects as raw bytes, so it accepts only files whose layout it
has verified end to end: a ``%PDF`` header at offset 0, one classic cross-reference
table (no update sections, no xref or object streams, no encryption) whose every
in-use entry points at ``num gen obj`` of the right number, objects that tile the body
with nothing but blanks and comments between them, and ``startxref``/``%%EOF`` at the very end.
That is what pypdf's writer produces at ingest. Anything else raises ``Unsupported``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .errors import NotAPdfError, Unsupported
from .syntax import WHITESPACE, Buffer, Dict, Parser, Ref, Value

__all__ = ["Layout", "PdfObject", "read_layout"]

_HEADER = re.compile(rb"%PDF-(\d\.\d)[^\r\n]*(?:\r\n|\r|\n)")
_HEADER_REST = re.compile(rb"(?:%[^\r\n]*(?:\r\n|\r|\n)|[\x00\t\n\x0c\r ])*")
_BLANKS = re.compile(rb"[\x00\t\n\x0c\r ]*")
# Between objects: blanks and comments (qpdf's QDF mode writes "%% Page 1").
_GAP = re.compile(rb"(?:[\x00\t\n\x0c\r ]+|%[^\r\n]*)*")
_SUBSECTION = re.compile(rb"(\d+) (\d+)[ \t]*(?:\r\n|\r|\n)")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)")
_STARTXREF = re.compile(rb"startxref[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+%%EOF")
_STREAM_EOL = re.compile(rb"stream(?:\r\n|\n)")
_ENDSTREAM = re.compile(rb"(?:\r\n|\r|\n)?endstream")
_TAIL = 1024  # startxref and %%EOF must lie in the last kilobyte
# Most levels of indirection followed when resolving a value (a -> b -> c ...).
_MAX_HOPS = 32


@dataclass
class PdfObject:
    """One in-use object: number, generation, byte range, parsed value.

    ``end`` is the offset just after ``endobj``; for a stream ``value`` is its
    dictionary and ``data`` the range of its (encoded) data.
    """

    num: int
    gen: int
    offset: int
    end: int
    value: Value
    data: tuple[int, int] | None = None


@dataclass
class Layout:
    """A verified single-revision classic-xref PDF (``xref_size``: entries needed)."""

    version: str
    body_start: int
    xref_offset: int
    xref_size: int
    objects: dict[int, PdfObject]
    order: list[PdfObject]
    free: dict[int, int]
    trailer: Dict
    buf: Buffer
    _offsets: list[int] | None = None

    def resolve(self, value: Value) -> Value:
        """``value`` with references followed (a missing object is null, as readers do)."""
        for _ in range(_MAX_HOPS):
            if not isinstance(value, Ref):
                return value
            target = self.objects.get(value.num)
            if target is None or target.gen != value.gen:
                return None
            if target.data is not None:
                return target.value  # the stream's dictionary
            value = target.value
        raise Unsupported("reference chain too long")

    def dict_object(self, ref: Value) -> PdfObject | None:
        """The object ``ref`` points at if it is a dictionary (not a stream), else None."""
        if not isinstance(ref, Ref):
            return None
        target = self.objects.get(ref.num)
        if target is None or target.gen != ref.gen or target.data is not None:
            return None
        return target if isinstance(target.value, Dict) else None

    def next_offset(self, obj: PdfObject) -> int:
        """Where the range of ``obj`` ends: the next object's offset, or the xref."""
        if self._offsets is None:
            self._offsets = [o.offset for o in self.order]
        index = bisect.bisect_right(self._offsets, obj.offset)
        return self.order[index].offset if index < len(self.order) else self.xref_offset


def _blanks_end(buf: Buffer, pos: int) -> int:
    """Where the run of blanks at ``pos`` ends."""
    match = _BLANKS.match(buf, pos)
    return match.end() if match else pos


def _gap_ok(buf: Buffer, start: int, end: int) -> bool:
    """Whether ``start:end`` holds only blanks and comments, none of them an ``%%EOF``
    (which would end an earlier revision)."""
    match = _GAP.match(buf, start, end)
    return match is not None and match.end() == end and b"%%EOF" not in buf[start:end]


def _sniff(buf: Buffer) -> tuple[str, int]:
    """The PDF version, and where the header and the comments after it end."""
    match = _HEADER.match(buf)
    if not match:
        if b"%PDF-" in buf[:1024]:
            raise Unsupported("bytes before the %PDF header")
        raise NotAPdfError("the file does not start with a %PDF header")
    rest = _HEADER_REST.match(buf, match.end())
    return match.group(1).decode(), rest.end() if rest else match.end()


def _startxref(buf: Buffer) -> int:
    tail_at = max(0, len(buf) - _TAIL)
    found = list(_STARTXREF.finditer(buf, tail_at))
    if not found:
        raise Unsupported("no startxref/%%EOF at the end of the file (truncated?)")
    last = found[-1]
    if _blanks_end(buf, last.end()) != len(buf):
        raise Unsupported("data after %%EOF")
    return int(last.group(1))


def _xref(
    buf: Buffer, parser: Parser, offset: int
) -> tuple[dict[int, tuple[int, int]], dict[int, int], Dict, int]:
    """The table at ``offset``: in-use ``num -> (offset, gen)``, free ``num -> gen``."""
    if buf[offset : offset + 4] != b"xref":
        raise Unsupported("startxref does not point at an xref table (xref stream?)")
    used: dict[int, tuple[int, int]] = {}
    free: dict[int, int] = {}
    pos = parser.skip(offset + 4)
    while (head := _SUBSECTION.match(buf, pos)) is not None:
        first, count = int(head.group(1)), int(head.group(2))
        pos = head.end()
        for num in range(first, first + count):
            entry = _ENTRY.match(buf, pos)
            if entry is None:
                raise Unsupported(f"malformed xref entry at {pos}")
            pos = entry.end()
            if num in used or num in free:
                raise Unsupported(f"object {num} listed twice in the xref")
            if entry.group(3) == b"n":
                used[num] = (int(entry.group(1)), int(entry.group(2)))
            else:
                free[num] = int(entry.group(2))
        pos = parser.skip(pos)
    word, pos = parser.keyword(pos)
    if word != b"trailer":
        raise Unsupported("no trailer after the xref table")
    trailer, pos = parser.value(pos)
    if not isinstance(trailer, Dict):
        raise Unsupported("the trailer is not a dictionary")
    return used, free, trailer, parser.skip(pos)


def _check_trailer(trailer: Dict, used: dict[int, tuple[int, int]], free: dict[int, int]) -> int:
    """Refuse what the fast path does not do; return the number of xref entries needed.

    That is one more than the highest number the table lists, not the trailer's
    /Size, which a hostile file may set to billions (the table we write has one line
    per number); numbers above it are unused, and references to them mean null.
    """
    for key, why in (
        ("Encrypt", "encrypted"),
        ("Prev", "incremental update (/Prev)"),
        ("XRefStm", "hybrid-reference file (/XRefStm)"),
    ):
        if key in trailer.entries:
            raise Unsupported(why)
    size = trailer.get("Size")
    listed = max(max(used, default=0), max(free, default=0)) + 1
    if not isinstance(size, int) or isinstance(size, bool) or size < listed:
        raise Unsupported("missing or too small trailer /Size")
    if not isinstance(trailer.get("Root"), Ref):
        raise Unsupported("the trailer has no /Root reference")
    if 0 in used:
        raise Unsupported("object 0 in use")
    return listed


def _parse_object(parser: Parser, num: int, gen: int, offset: int) -> tuple[PdfObject, int | Ref]:
    """The object at ``offset`` and its stream /Length (-1 if not a stream)."""
    buf = parser.buf
    header = b"%d %d obj" % (num, gen)
    if buf[offset : offset + len(header)] != header or buf[offset + len(header)] not in (
        WHITESPACE + b"<[(/"
    ):
        raise Unsupported(f"xref entry of object {num} does not point at '{num} {gen} obj'")
    value, pos = parser.value(offset + len(header))
    pos = parser.skip(pos)
    word, after = parser.keyword(pos)
    if word == b"endobj":
        return PdfObject(num, gen, offset, after, value), -1
    if word != b"stream" or not isinstance(value, Dict):
        raise Unsupported(f"object {num} is not closed by endobj")
    eol = _STREAM_EOL.match(buf, pos)
    if eol is None:
        raise Unsupported(f"object {num}: 'stream' not followed by an end of line")
    length = value.get("Length")
    if isinstance(length, bool) or not isinstance(length, (int, Ref)):
        raise Unsupported(f"object {num}: stream without an integer /Length")
    return PdfObject(num, gen, offset, eol.end(), value, (eol.end(), eol.end())), length


def _close_stream(parser: Parser, obj: PdfObject, length: int, limit: int) -> None:
    """Set the stream's data range and ``end`` from its /Length; check the keywords."""
    start = obj.end
    if length < 0 or start + length > limit:
        raise Unsupported(f"object {obj.num}: stream /Length runs past the object")
    close = _ENDSTREAM.match(parser.buf, start + length)
    if close is None:
        raise Unsupported(f"object {obj.num}: no endstream where /Length says")
    word, after = parser.keyword(parser.skip(close.end()))
    if word != b"endobj":
        raise Unsupported(f"object {obj.num}: no endobj after endstream")
    obj.data = (start, start + length)
    obj.end = after


def read_layout(buf: Buffer) -> Layout:
    """Verify ``buf`` (the file, or an mmap of it) and return its layout."""
    version, header_end = _sniff(buf)
    parser = Parser(buf)
    xref_offset = _startxref(buf)
    used, free, trailer, after = _xref(buf, parser, xref_offset)
    if _STARTXREF.match(buf, after) is None:
        raise Unsupported("more than one xref section, or data between trailer and startxref")
    size = _check_trailer(trailer, used, free)
    if not used:
        raise Unsupported("no objects")
    ordered = sorted((off, num, gen) for num, (off, gen) in used.items())
    body_start = ordered[0][0]
    if header_end < body_start:
        raise Unsupported("unexpected bytes between the header and the first object")
    objects: dict[int, PdfObject] = {}
    lengths: dict[int, int | Ref] = {}
    order: list[PdfObject] = []
    limits = [o[0] for o in ordered[1:]] + [xref_offset]
    for (offset, num, gen), limit in zip(ordered, limits, strict=True):
        if offset >= limit:
            raise Unsupported(f"object {num} overlaps the next one")
        obj, length = _parse_object(parser, num, gen, offset)
        objects[num] = obj
        order.append(obj)
        if length != -1:
            lengths[num] = length
    layout = Layout(version, body_start, xref_offset, size, objects, order, free, trailer, buf)
    for obj, limit in zip(order, limits, strict=True):
        if obj.num in lengths:
            resolved = layout.resolve(lengths[obj.num])
            if isinstance(resolved, bool) or not isinstance(resolved, int):
                raise Unsupported(f"object {obj.num}: /Length is not an integer")
            _close_stream(parser, obj, resolved, limit)
        if obj.end > limit or not _gap_ok(buf, obj.end, limit):
            raise Unsupported(f"unexpected bytes after object {obj.num}")
    return layout

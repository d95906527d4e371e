"""The fast path: a stamped copy of a master, streamed from its plan without parsing.

Output layout: a new header; the stamp's objects (Form XObjects, font, graphics state,
the content streams that wrap each page, XMP); then the master's objects in their
order, copied as raw bytes except the few the plan edits (pages, the resources they
use, the catalog); a new cross-reference table and trailer. The stamp comes first so
that any prefix of the file which holds a page also holds its stamp, and there is one
``%%EOF``, at the end: no cut of the file gives back an unstamped document.

Everything but the raw copy is computed before the first byte is sent, so the total
length is known up front (an HTTP ``Content-Length``). The copy reads blocks of at most
``CHUNK`` bytes; memory does not grow with the file.
"""

from __future__ import annotations

import bisect
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from .drawing import FONT_OBJECT, GSTATE_OBJECT, file_id, form_object, stream_object, xmp_object
from .errors import StaleMasterError
from .mark import Mark
from .plan import Edit, Plan

__all__ = ["CHUNK", "FastOutput", "fast_output"]

CHUNK = 1 << 20
_BINARY_COMMENT = b"%\xe2\xe3\xcf\xd3\n"  # tells transfer tools the file is binary


@dataclass(frozen=True)
class FastOutput:
    """A stamped copy ready to stream: its exact ``length`` and its ``chunks``."""

    length: int
    chunks: Iterator[bytes]


def _front(plan: Plan, mark: Mark) -> tuple[bytes, dict[int, int]]:
    """Header and the stamp's objects, with the offsets of those objects."""
    new = plan.new
    objects: list[tuple[int, bytes]] = [
        (new.font, b"%d 0 obj\n%s\nendobj\n" % (new.font, FONT_OBJECT)),
        (new.gstate, b"%d 0 obj\n%s\nendobj\n" % (new.gstate, GSTATE_OBJECT)),
    ]
    for num, placement in zip(new.forms, plan.placements, strict=True):
        objects.append(
            (
                num,
                form_object(
                    num,
                    mark,
                    placement.width,
                    placement.height,
                    placement.matrix,
                    new.font,
                    new.gstate,
                ),
            )
        )
    for num, pushes in new.heads:
        objects.append((num, stream_object(num, b"", b"q\n" * pushes)))
    prefix = plan.name_prefix.encode()
    for tail in new.tails:
        data = b"\n" + (tail.closing.encode() + b"\n" if tail.closing else b"") + b"Q\n" * tail.pops
        data += b"q /%s%d Do Q\n" % (prefix, tail.placement)
        objects.append((tail.num, stream_object(tail.num, b"", data)))
    objects.append((new.xmp, xmp_object(new.xmp, mark)))
    out = bytearray(b"%PDF-" + plan.version.encode() + b"\n" + _BINARY_COMMENT)
    offsets = {}
    for num, data in objects:
        offsets[num] = len(out)
        out += data
    return bytes(out), offsets


def _xref(plan: Plan, offsets: dict[int, int], gens: dict[int, int]) -> bytes:
    """A classic xref table over every number below the new /Size, free ones linked."""
    size = max(plan.xref_size, plan.new.size)
    free_gens = dict(plan.free)
    free = [num for num in range(1, size) if num not in offsets]
    entries = [b""] * size
    following = 0
    for num in reversed(free):
        entries[num] = b"%010d %05d f \n" % (following, free_gens.get(num, 0))
        following = num
    entries[0] = b"%010d 65535 f \n" % following
    for num, offset in offsets.items():
        entries[num] = b"%010d %05d n \n" % (offset, gens.get(num, 0))
    return b"xref\n0 %d\n" % size + b"".join(entries)


def _trailer(plan: Plan, mark: Mark, xref_at: int) -> bytes:
    size = max(plan.xref_size, plan.new.size)
    ident = file_id(mark).hex().encode()
    info = b" /Info %d %d R" % plan.info if plan.info else b""
    return b"trailer\n<< /Size %d /Root %d %d R%s /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        *plan.root,
        info,
        ident,
        ident,
        xref_at,
    )


def _edited(fh: IO[bytes], start: int, end: int, edit: Edit) -> bytes:
    fh.seek(start)
    original = fh.read(end - start)
    if len(original) != end - start or zlib.crc32(original) != edit.crc32:
        raise StaleMasterError(f"object {edit.num} is not what the plan says")
    out, last = bytearray(), 0
    for splice in edit.splices:
        out += original[last : splice.at]
        out += splice.insert
        last = splice.at + splice.delete
    out += original[last:]
    return bytes(out)


def _raw(fh: IO[bytes], start: int, end: int, plan: Plan, starts: list[int]) -> Iterator[bytes]:
    """Bytes ``start:end`` in blocks that end on object boundaries where they can,
    each object's ``num gen obj`` checked on the way (a cheap guard against a master
    that changed since its plan)."""
    objects = plan.objects
    index = bisect.bisect_left(starts, start)
    pos = start
    while pos < end:
        if end - pos <= CHUNK:
            block_end = end
        else:  # up to the last object start within reach, so that no header is split
            last = starts[bisect.bisect_right(starts, pos + CHUNK) - 1]
            block_end = last if last > pos else pos + CHUNK
        fh.seek(pos)
        block = fh.read(block_end - pos)
        if len(block) != block_end - pos:
            raise StaleMasterError("the master is shorter than its plan says")
        while index < len(starts) and starts[index] < block_end:
            offset, num, gen = objects[index]
            header = b"%d %d obj" % (num, gen)
            if block[offset - pos : offset - pos + len(header)] != header:
                raise StaleMasterError(f"object {num} is not where the plan says")
            index += 1
        yield block
        pos = block_end


def fast_output(fh: IO[bytes], plan: Plan, mark: Mark) -> FastOutput:
    """The stamped copy of the master open as ``fh`` (already checked against ``plan``)."""
    front, offsets = _front(plan, mark)
    edits = {edit.num: edit for edit in plan.edits}
    shift = len(front) - plan.body_start
    gens = {num: gen for _, num, gen in plan.objects}
    segments: list[tuple[int, int, Edit | None]] = []  # raw runs and edited objects
    run_start = plan.body_start
    ends = [offset for offset, _, _ in plan.objects[1:]] + [plan.xref_offset]
    for (offset, num, _), end in zip(plan.objects, ends, strict=True):
        offsets[num] = offset + shift
        edit = edits.get(num)
        if edit is not None:
            if offset > run_start:
                segments.append((run_start, offset, None))
            segments.append((offset, end, edit))
            run_start = end
            shift += edit.growth
    if plan.xref_offset > run_start:
        segments.append((run_start, plan.xref_offset, None))
    xref_at = plan.xref_offset + shift
    tail = _xref(plan, offsets, gens) + _trailer(plan, mark, xref_at)
    starts = [offset for offset, _, _ in plan.objects]

    def chunks() -> Iterator[bytes]:
        yield front
        for start, end, edit in segments:
            if edit is None:
                yield from _raw(fh, start, end, plan, starts)
            else:
                yield _edited(fh, start, end, edit)
        yield tail

    return FastOutput(xref_at + len(tail), chunks())

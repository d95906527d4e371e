"""The plan: everything the fast path needs to know about one master, stored as JSON.

``analyse`` computes it once per master (at ingest); each download then stamps from
the master and its plan without parsing anything. A plan is only good for the file it
was made from: ``Fingerprint`` (size, SHA-256 of the first and last 64 KiB, and of the
whole file) is checked before it is used.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import sys
import zlib
from array import array
from dataclasses import dataclass
from typing import IO, Any

from .errors import PlanError
from .geometry import Box, Placement

__all__ = [
    "FORMAT",
    "Edit",
    "Fingerprint",
    "NewObjects",
    "PagePlan",
    "Plan",
    "Splice",
    "Tail",
]

FORMAT = 1
_EDGE = 64 * 1024


@dataclass(frozen=True)
class Fingerprint:
    """Identifies the master a plan was made from, cheaply (``size``, head and tail)
    and fully (``sha256`` of the whole file, for callers that already know it)."""

    size: int
    head_sha256: str
    tail_sha256: str
    sha256: str

    @staticmethod
    def edges(fh: IO[bytes], size: int) -> tuple[str, str]:
        """SHA-256 of the first and of the last 64 KiB of ``fh``."""
        fh.seek(0)
        head = hashlib.sha256(fh.read(_EDGE)).hexdigest()
        fh.seek(max(0, size - _EDGE))
        tail = hashlib.sha256(fh.read(_EDGE)).hexdigest()
        return head, tail

    def matches(self, fh: IO[bytes]) -> bool:
        """Whether ``fh`` has this size, head and tail (the whole-file digest is not read)."""
        size = fh.seek(0, 2)
        return size == self.size and self.edges(fh, size) == (self.head_sha256, self.tail_sha256)


@dataclass(frozen=True)
class Splice:
    """Replace ``delete`` bytes at ``at`` (relative to the object's offset) by ``insert``."""

    at: int
    delete: int
    insert: bytes


@dataclass(frozen=True)
class Edit:
    """The splices of one rewritten object; ``crc32`` of its original range guards them."""

    num: int
    crc32: int
    splices: tuple[Splice, ...]

    @property
    def growth(self) -> int:
        """How many bytes longer the object becomes."""
        return sum(len(s.insert) - s.delete for s in self.splices)


@dataclass(frozen=True)
class Tail:
    """A closing content stream: ``closing`` operators (``EI``, ``ET``) if the content
    left them open, ``pops`` times ``Q``, then the stamp of ``placement``."""

    num: int
    placement: int
    closing: str
    pops: int


@dataclass(frozen=True)
class NewObjects:
    """Numbers of the objects the stamp adds (all below the master's objects in the file)."""

    font: int
    gstate: int
    xmp: int
    forms: tuple[int, ...]
    heads: tuple[tuple[int, int], ...]  # (object number, how many q)
    tails: tuple[Tail, ...]

    @property
    def size(self) -> int:
        """One more than the highest new object number."""
        return max(self.font, self.gstate, self.xmp, *self.forms, *(t.num for t in self.tails)) + 1


@dataclass(frozen=True)
class PagePlan:
    """One page as analysed: effective boxes and rotation after inheritance, how its
    content leaves the graphics state (``lowest``/``final`` q depth, operators left
    open such as ``ET``), and
    where the stamp's name was put in its resources."""

    num: int
    media_box: Box
    crop_box: Box
    rotate: int
    placement: int
    lowest: int
    final: int
    closing: str
    resources: str


@dataclass(frozen=True)
class Plan:
    """How to stamp one master on the fast path (see the module docstring)."""

    fingerprint: Fingerprint
    version: str
    body_start: int
    xref_offset: int
    xref_size: int
    objects: tuple[tuple[int, int, int], ...]  # (offset, num, gen), by offset
    free: tuple[tuple[int, int], ...]  # (num, gen)
    root: tuple[int, int]
    info: tuple[int, int] | None
    name_prefix: str
    placements: tuple[Placement, ...]
    new: NewObjects
    edits: tuple[Edit, ...]
    pages: tuple[PagePlan, ...]
    orphan_pages: int = 0

    def to_json(self) -> str:
        """The plan as a JSON document (compact; the object table is packed)."""
        flat = array("q", [v for row in self.objects for v in row])
        if sys.byteorder == "big":
            flat.byteswap()
        doc = {
            "format": FORMAT,
            "fingerprint": vars(self.fingerprint),
            "version": self.version,
            "body_start": self.body_start,
            "xref_offset": self.xref_offset,
            "xref_size": self.xref_size,
            "objects": base64.b64encode(zlib.compress(flat.tobytes())).decode(),
            "free": [list(f) for f in self.free],
            "root": list(self.root),
            "info": list(self.info) if self.info else None,
            "name_prefix": self.name_prefix,
            "placements": [[p.width, p.height, list(p.matrix)] for p in self.placements],
            "new": {
                "font": self.new.font,
                "gstate": self.new.gstate,
                "xmp": self.new.xmp,
                "forms": list(self.new.forms),
                "heads": [list(h) for h in self.new.heads],
                "tails": [[t.num, t.placement, t.closing, t.pops] for t in self.new.tails],
            },
            "edits": [
                [e.num, e.crc32, [[s.at, s.delete, s.insert.decode("latin-1")] for s in e.splices]]
                for e in self.edits
            ],
            "pages": [
                [
                    p.num,
                    list(p.media_box),
                    list(p.crop_box),
                    p.rotate,
                    p.placement,
                    p.lowest,
                    p.final,
                    p.closing,
                    p.resources,
                ]
                for p in self.pages
            ],
            "orphan_pages": self.orphan_pages,
        }
        return json.dumps(doc, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes) -> Plan:
        """Read a plan written by ``to_json``; ``PlanError`` if it is not one."""
        try:
            doc = json.loads(text)
            if doc.get("format") != FORMAT:
                raise PlanError(f"plan format {doc.get('format')!r}, expected {FORMAT}")
            return _decode(doc)
        except PlanError:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, zlib.error) as exc:
            raise PlanError(f"not a watermark plan: {exc}") from exc


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"integer expected, got {value!r}")
    return value


def _num(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"number expected, got {value!r}")
    return float(value)


def _box(value: Any) -> Box:
    x0, y0, x1, y1 = (_num(v) for v in value)
    return (x0, y0, x1, y1)


def _closing(value: Any) -> str:
    # Written verbatim into a content stream: only the known operators may pass.
    if value not in ("", "EI", "ET", "EI ET"):
        raise ValueError(f"bad closing operators {value!r}")
    return str(value)


def _pair(value: Any) -> tuple[int, int]:
    a, b = value
    return _int(a), _int(b)


def _decode(doc: dict[str, Any]) -> Plan:
    fp = doc["fingerprint"]
    flat = array("q")
    flat.frombytes(zlib.decompress(base64.b64decode(doc["objects"], validate=True)))
    if sys.byteorder == "big":
        flat.byteswap()
    if len(flat) % 3:
        raise ValueError("object table of the wrong length")
    offsets = flat[0::3]
    objects = tuple(zip(offsets, flat[1::3], flat[2::3], strict=True))
    if (flat and min(flat) < 0) or any(a >= b for a, b in itertools.pairwise(offsets)):
        raise ValueError("object table out of order")
    new = doc["new"]
    placements = []
    for width, height, matrix in doc["placements"]:
        a, b, c, d, e, f = (_num(v) for v in matrix)
        placements.append(Placement(_num(width), _num(height), (a, b, c, d, e, f)))
    edits = tuple(
        Edit(
            _int(num),
            _int(crc),
            tuple(Splice(_int(at), _int(dl), str(ins).encode("latin-1")) for at, dl, ins in spl),
        )
        for num, crc, spl in doc["edits"]
    )
    pages = tuple(
        PagePlan(
            _int(p[0]),
            _box(p[1]),
            _box(p[2]),
            _int(p[3]),
            _int(p[4]),
            _int(p[5]),
            _int(p[6]),
            _closing(p[7]),
            str(p[8]),
        )
        for p in doc["pages"]
    )
    plan = Plan(
        fingerprint=Fingerprint(
            _int(fp["size"]), str(fp["head_sha256"]), str(fp["tail_sha256"]), str(fp["sha256"])
        ),
        version=str(doc["version"]),
        body_start=_int(doc["body_start"]),
        xref_offset=_int(doc["xref_offset"]),
        xref_size=_int(doc["xref_size"]),
        objects=objects,
        free=tuple(_pair(f) for f in doc["free"]),
        root=_pair(doc["root"]),
        info=_pair(doc["info"]) if doc["info"] is not None else None,
        name_prefix=str(doc["name_prefix"]),
        placements=tuple(placements),
        new=NewObjects(
            font=_int(new["font"]),
            gstate=_int(new["gstate"]),
            xmp=_int(new["xmp"]),
            forms=tuple(_int(f) for f in new["forms"]),
            heads=tuple(_pair(h) for h in new["heads"]),
            tails=tuple(
                Tail(_int(n), _int(p), _closing(c), _int(q)) for n, p, c, q in new["tails"]
            ),
        ),
        edits=edits,
        pages=pages,
        orphan_pages=_int(doc.get("orphan_pages", 0)),
    )
    _validate(plan)
    return plan


def _validate(plan: Plan) -> None:
    """Consistency a writer relies on (a hand-edited plan must not make a broken file)."""
    nums = {num for _, num, _ in plan.objects}
    if len(nums) != len(plan.objects):
        raise PlanError("an object is listed twice")
    if plan.objects and not (
        plan.body_start <= plan.objects[0][0] and plan.objects[-1][0] < plan.xref_offset
    ):
        raise PlanError("object offsets outside the body")
    if plan.xref_offset >= plan.fingerprint.size or max(nums, default=0) >= plan.xref_size:
        raise PlanError("xref outside the file, or /Size too small")
    if len(plan.new.forms) != len(plan.placements) or plan.root[0] not in nums:
        raise PlanError("inconsistent plan")
    new = [plan.new.font, plan.new.gstate, plan.new.xmp, *plan.new.forms]
    new += [h for h, _ in plan.new.heads] + [t.num for t in plan.new.tails]
    if len(set(new)) != len(new) or min(new) < plan.xref_size:
        raise PlanError("new objects collide with the master's")
    offsets = [offset for offset, _, _ in plan.objects]
    lengths = {
        num: end - offset
        for (offset, num, _), end in zip(
            plan.objects, [*offsets[1:], plan.xref_offset], strict=True
        )
    }
    for edit in plan.edits:
        if edit.num not in nums:
            raise PlanError(f"edit of unknown object {edit.num}")
        last = 0
        for splice in edit.splices:
            if splice.at < last or splice.delete < 0:
                raise PlanError("splices out of order")
            last = splice.at + splice.delete
        if last > lengths[edit.num]:
            raise PlanError(f"splices beyond object {edit.num}")
    if any(not 0 <= t.placement < len(plan.placements) or t.pops < 1 for t in plan.new.tails):
        raise PlanError("bad tail")

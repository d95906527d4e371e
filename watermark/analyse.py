"""``analyse``: study a master once and write down how to stamp it fast (a ``Plan``).

It verifies the file's layout (``layout.read_layout``), walks the page tree applying
inheritance, measures each page's content balance (the only step that decodes
content streams), and prepares the byte splices that turn each page into
a stamped one: a new ``/Contents`` array ``[head, original..., tail]`` and the stamp's
name in the ``/XObject`` resources the page uses. Page objects that are not in the page
tree (left over by an editor) are stamped too, so no unstamped page object remains.
"""

from __future__ import annotations

import hashlib
import mmap
import zlib
from typing import IO

from .content import Balance, measure
from .decode import decode
from .errors import NotAPdfError, Unsupported, WatermarkError
from .files import Source, open_binary
from .geometry import Box, Placement, normal_box, normal_rotation, place, visible_box
from .layout import Layout, PdfObject, read_layout
from .plan import Edit, Fingerprint, NewObjects, PagePlan, Plan, Splice, Tail
from .resources import TARGET_TEXT, Targets
from .syntax import Dict, Ref
from .tree import Attrs, content_refs, orphan_pages, tree_pages

__all__ = ["analyse"]

_PREFIX = "PSTwm"


class _Analysis:
    """The state of one analysis: content balances (memoised) and the splices."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.splices: dict[int, list[Splice]] = {}
        self.targets = Targets(layout)
        self._balances: dict[tuple[Ref, ...], Balance] = {}

    def balance(self, refs: list[Ref]) -> Balance:
        """The balance of the streams ``refs`` drawn in a row (memoised: pages share)."""
        key = tuple(refs)
        if key not in self._balances:
            self._balances[key] = measure(b"\n".join(self._decoded(ref) for ref in refs))
        return self._balances[key]

    def _decoded(self, ref: Ref) -> bytes:
        target = self.layout.objects.get(ref.num)
        if target is None or target.data is None or target.gen != ref.gen:
            return b""  # a missing stream draws nothing
        assert isinstance(target.value, Dict)
        start, end = target.data
        return decode(self.layout.buf[start:end], target.value)

    def splice(self, num: int, start: int, end: int, insert: bytes) -> None:
        """Replace the file range ``start:end`` (inside object ``num``) by ``insert``."""
        self.splices.setdefault(num, []).append(Splice(start, end - start, insert))


def _ref(num: int) -> bytes:
    return b"%d 0 R" % num


def _box_of(layout: Layout, attrs: Attrs, key: str) -> Box | None:
    value = layout.resolve(attrs.get(key, (0, None))[1])
    if isinstance(value, list):
        value = [layout.resolve(v) for v in value]
    return normal_box(value)


def _edits(layout: Layout, splices: dict[int, list[Splice]]) -> tuple[Edit, ...]:
    """The splices grouped by object, made relative to it, guarded by its CRC-32."""
    edits = []
    for num in sorted(splices):
        obj = layout.objects[num]
        end = layout.next_offset(obj)
        ordered = sorted(splices[num], key=lambda s: s.at)
        relative = tuple(Splice(s.at - obj.offset, s.delete, s.insert) for s in ordered)
        last = 0
        for s in relative:
            if s.at < last:
                raise Unsupported(f"overlapping edits in object {num}")
            last = s.at + s.delete
        edits.append(Edit(num, zlib.crc32(layout.buf[obj.offset : end]), relative))
    return tuple(edits)


def _prefix(taken: set[str]) -> str:
    """A prefix for the stamp's XObject names that no name in use starts with."""
    prefix, n = _PREFIX, 0
    while any(name.startswith(prefix) for name in taken):
        n += 1
        prefix = f"{_PREFIX}{n}x"
    return prefix


class _Numbers:
    """Hands out the numbers of the objects the stamp adds, after the master's."""

    def __init__(self, first: int) -> None:
        self.next = first

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def _plan(layout: Layout, fingerprint: Fingerprint) -> Plan:
    work = _Analysis(layout)
    tree = tree_pages(layout)
    if not tree:
        raise Unsupported("the page tree holds no page")
    tree_nums = {p.obj.num for p in tree}
    orphans = orphan_pages(layout, tree_nums)
    numbers = _Numbers(layout.xref_size)
    font, gstate, xmp = numbers.take(), numbers.take(), numbers.take()
    placements: dict[Placement, int] = {}
    heads: dict[int, int] = {}  # how many q -> object
    tails: dict[tuple[int, str, int], int] = {}  # (placement, closing, Q count) -> object
    pages: list[PagePlan] = []
    wraps: list[tuple[PdfObject, list[Ref], int, int]] = []
    for page in [*tree, *orphans]:
        media, crop = visible_box(
            _box_of(layout, page.attrs, "MediaBox"), _box_of(layout, page.attrs, "CropBox")
        )
        rotate = normal_rotation(layout.resolve(page.attrs.get("Rotate", (0, 0))[1]))
        placement = placements.setdefault(place(crop, rotate), len(placements))
        refs = content_refs(layout, page.dict)
        balance = work.balance(refs)
        target, how = work.targets.of(page)
        target.names.add(placement)
        # Enough q that the content's extra Q cannot pop below ours, then a Q for every
        # q left open: the stamp is drawn in the page's initial graphics state. (An
        # extra Q, which viewers ignore at the bottom of the stack, pops one of ours:
        # the price of a clean state for the stamp on such broken content.)
        pushes = 1 - balance.lowest
        pops = pushes + balance.final
        if pushes not in heads:
            heads[pushes] = numbers.take()
        tail_key = (placement, balance.closing, pops)
        if tail_key not in tails:
            tails[tail_key] = numbers.take()
        wraps.append((page.obj, refs, heads[pushes], tails[tail_key]))
        if page.obj.num in tree_nums:
            pages.append(
                PagePlan(
                    page.obj.num,
                    media,
                    crop,
                    rotate,
                    placement,
                    balance.lowest,
                    balance.final,
                    balance.closing,
                    how,
                )
            )
    forms = tuple(numbers.take() for _ in placements)
    prefix = _prefix(work.targets.names_in_use)
    _splice_contents(work, wraps)
    _splice_names(work, prefix, forms)
    catalog = _splice_catalog(work, xmp)
    info = layout.trailer.get("Info")
    return Plan(
        fingerprint=fingerprint,
        version=max(layout.version, "1.4"),  # the stamp's transparency needs PDF 1.4
        body_start=layout.body_start,
        xref_offset=layout.xref_offset,
        xref_size=layout.xref_size,
        objects=tuple((o.offset, o.num, o.gen) for o in layout.order),
        free=tuple(sorted(layout.free.items())),
        root=(catalog.num, catalog.gen),
        info=(info.num, info.gen) if isinstance(info, Ref) and info.num in layout.objects else None,
        name_prefix=prefix,
        placements=tuple(sorted(placements, key=placements.__getitem__)),
        new=NewObjects(
            font=font,
            gstate=gstate,
            xmp=xmp,
            forms=forms,
            heads=tuple((num, pushes) for pushes, num in sorted(heads.items())),
            tails=tuple(
                Tail(num, placement, closing, pops)
                for (placement, closing, pops), num in sorted(tails.items(), key=lambda t: t[1])
            ),
        ),
        edits=_edits(layout, work.splices),
        pages=tuple(pages),
        orphan_pages=len(orphans),
    )


def _splice_contents(work: _Analysis, wraps: list[tuple[PdfObject, list[Ref], int, int]]) -> None:
    """Each page's ``/Contents`` becomes ``[head, its streams..., tail]``."""
    for obj, refs, head, tail in wraps:
        page_dict = obj.value
        assert isinstance(page_dict, Dict)
        array = b"[" + b" ".join([_ref(head), *(b"%d %d R" % r for r in refs), _ref(tail)]) + b"]"
        if "Contents" in page_dict.entries:
            work.splice(obj.num, *page_dict.spans["Contents"], array)
        else:
            at = page_dict.end - 2
            work.splice(obj.num, at, at, b" /Contents " + array + b" ")


def _splice_names(work: _Analysis, prefix: str, forms: tuple[int, ...]) -> None:
    """The stamp's Form XObjects named at each target (``/PSTwm0 12 0 R`` ...)."""
    for target in work.targets.places.values():
        names = b" ".join(
            b"/%s%d %s" % (prefix.encode(), i, _ref(forms[i])) for i in sorted(target.names)
        )
        work.splice(target.num, target.start, target.end, TARGET_TEXT[target.kind] % names)


def _splice_catalog(work: _Analysis, xmp: int) -> PdfObject:
    """The catalog points at the stamp's XMP packet (instead of the master's, if any)."""
    layout = work.layout
    catalog = layout.dict_object(layout.trailer.get("Root"))
    assert catalog is not None
    assert isinstance(catalog.value, Dict)
    if "Metadata" in catalog.value.entries:
        work.splice(catalog.num, *catalog.value.spans["Metadata"], _ref(xmp))
    else:
        at = catalog.value.end - 2
        work.splice(catalog.num, at, at, b" /Metadata " + _ref(xmp) + b" ")
    return catalog


def _sha256(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    fh.seek(0)
    while block := fh.read(1 << 20):
        digest.update(block)
    return digest.hexdigest()


def analyse(master: Source) -> Plan:
    """The fast-path plan of ``master`` (a path or a seekable binary file).

    Raises ``Unsupported`` if the fast path cannot stamp the file as it is (the
    fallback can), ``NotAPdfError`` if it is no PDF at all.
    """
    with open_binary(master) as fh:
        size = fh.seek(0, 2)
        if size == 0:
            raise NotAPdfError("the file is empty")
        head, tail = Fingerprint.edges(fh, size)
        fingerprint = Fingerprint(size, head, tail, _sha256(fh))
        try:
            # A map, not a read: a large master's image data is never paged in.
            view: mmap.mmap | None = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError, AttributeError):  # not a real file (BytesIO, ...)
            view = None
        try:
            if view is not None:
                return _plan(read_layout(view), fingerprint)
            fh.seek(0)
            return _plan(read_layout(fh.read()), fingerprint)
        except WatermarkError:
            raise
        except Exception as exc:  # a file this analysis did not foresee: the fallback's
            raise Unsupported(f"analysis failed: {exc!r}") from exc
        finally:
            if view is not None:
                view.close()

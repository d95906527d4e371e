"""Reading the bookmarks (outline) into flat ``OutlineItem`` rows, safely.

The walk is written here rather than taken from ``reader.outline`` so it can be
bounded in every direction: each node is visited once (``/Next`` and ``/First``
loops end the walk instead of hanging it), depth and item counts are capped, and a
bookmark whose target cannot be resolved is skipped rather than failing the file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from .model import OutlineItem
from .refs import as_dict, resolve
from .textclean import clean_field

__all__ = ["MAX_ITEMS", "OutlineResult", "read_outline"]

log = logging.getLogger(__name__)

MAX_ITEMS = 500
MAX_DEPTH = 20
MAX_TITLE = 300
_MAX_VISITS = 5_000


@dataclass(frozen=True)
class OutlineResult:
    """The bookmarks read, and whether the structure looped or had to be cut short."""

    items: list[OutlineItem]
    looped: bool
    truncated: bool


class _Targets:
    """Maps a destination (explicit array or name) to a 1-based page number."""

    def __init__(self, reader: PdfReader) -> None:
        self._reader = reader
        self._by_ref: dict[int, int] = {}
        for index, page in enumerate(reader.pages):
            ref = page.indirect_reference
            if ref is not None:
                self._by_ref.setdefault(ref.idnum, index + 1)
        self._pages = len(reader.pages)
        self._named: dict[str, object] | None = None

    def _named_destinations(self) -> dict[str, object]:
        if self._named is None:
            try:
                self._named = dict(self._reader.named_destinations)
            except Exception as exc:  # a broken name tree only loses links
                log.debug("named destinations unreadable: %s", exc)
                self._named = {}
        return self._named

    def _page_of(self, target: object) -> int | None:
        if isinstance(target, IndirectObject):
            return self._by_ref.get(target.idnum)
        if isinstance(target, int) and not isinstance(target, bool) and 0 <= target < self._pages:
            return target + 1  # a page index, as some producers write for local targets
        return None

    def page(self, dest: PdfObject | None) -> int | None:
        dest = resolve(dest)
        if isinstance(dest, DictionaryObject):  # a named destination's {/D [...]} form
            dest = resolve(dest.get("/D"))
        if isinstance(dest, str | bytes):
            key = dest.decode("latin-1") if isinstance(dest, bytes) else str(dest)
            named = self._named_destinations().get(key)
            return self._page_of(getattr(named, "page", None))
        if isinstance(dest, ArrayObject) and len(dest) > 0:
            return self._page_of(dest[0])
        return None


def _destination(item: DictionaryObject) -> PdfObject | None:
    if "/Dest" in item:
        return item.get("/Dest")
    action = as_dict(item.get("/A"))
    if action is not None and action.get("/S") == "/GoTo":
        return action.get("/D")
    return None


def _title(item: DictionaryObject) -> str:
    raw = resolve(item.get("/Title"))
    if isinstance(raw, bytes):
        raw = raw.decode("latin-1")
    return clean_field(raw, MAX_TITLE) if isinstance(raw, str) else ""


def read_outline(reader: PdfReader) -> OutlineResult:
    """The outline in reading order: each item, then its children, then its next sibling."""
    root = as_dict(reader.root_object.get("/Outlines"))
    if root is None:
        return OutlineResult([], looped=False, truncated=False)
    targets = _Targets(reader)
    items: list[OutlineItem] = []
    seen: set[int] = set()
    looped = truncated = False
    # A stack of (node, level); the next sibling is pushed before the first child so
    # that children are read first, which is the order a viewer shows.
    stack: list[tuple[PdfObject | None, int]] = [(root.get("/First"), 0)]
    while stack:
        ref, level = stack.pop()
        node = as_dict(ref)
        if node is None:
            continue
        if id(node) in seen:
            looped = True
            continue
        if len(seen) >= _MAX_VISITS or len(items) >= MAX_ITEMS:
            truncated = True
            break
        seen.add(id(node))
        title = _title(node)
        page = targets.page(_destination(node))
        if title and page is not None:
            items.append(OutlineItem(title=title, page=page, level=level))
        stack.append((node.get("/Next"), level))
        if "/First" in node:
            if level + 1 < MAX_DEPTH:
                stack.append((node.get("/First"), level + 1))
            else:
                truncated = True
    return OutlineResult(items, looped=looped, truncated=truncated)

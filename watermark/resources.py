"""Where each page's stamp name goes in its resources.

The stamp is one Form XObject per page shape, which a page can only draw if its
resources name it. The name is added where the page's ``/XObject`` dictionary lives:
in the page, in a ``/Pages`` node it inherits from, or in a shared indirect object
(which then names the stamps of every page sharing it). A ``Target`` is such a place;
names are collected per target and written by one splice each.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Unsupported
from .layout import Layout
from .syntax import Dict, Ref
from .tree import Page

__all__ = ["TARGET_TEXT", "Target", "Targets"]

# How the stamp's names are written at a ``Target`` (``%s``: the name entries).
TARGET_TEXT = {
    "into": b" %s ",  # into an existing /XObject dictionary
    "xobject-key": b" /XObject << %s >> ",  # a new key of a resources dictionary
    "xobject-value": b"<< %s >>",  # instead of /XObject null
    "resources-key": b" /Resources << /XObject << %s >> >> ",  # a page without resources
    "resources-value": b"<< /XObject << %s >> >>",  # instead of unusable /Resources
}


@dataclass
class Target:
    """Where stamp names are written: the file range ``start:end`` of object ``num``."""

    num: int
    start: int
    end: int
    kind: str
    names: set[int] = field(default_factory=set)


class Targets:
    """The targets of all pages, and the XObject names already in use there."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.places: dict[tuple[int, int], Target] = {}
        self.names_in_use: set[str] = set()

    def of(self, page: Page) -> tuple[Target, str]:
        """Where this page's stamp name goes, and a word on its resources situation."""
        layout = self.layout
        page_dict = page.dict
        holder, value = page.attrs.get("Resources", (page.obj.num, None))
        how = "own" if holder == page.obj.num else "inherited"
        resources: Dict | None = value if isinstance(value, Dict) else None
        indirect = layout.dict_object(value)
        if indirect is not None and isinstance(indirect.value, Dict):
            holder, resources, how = indirect.num, indirect.value, f"{how} indirect"
        if resources is None:
            # No usable resources: the page gets its own (a bad inherited value is
            # shadowed, a bad value of the page's own replaced).
            if "Resources" in page_dict.entries:
                start, end = page_dict.spans["Resources"]
                return self._target(page.obj.num, start, end, "resources-value"), "replaced"
            at = page_dict.end - 2
            return self._target(page.obj.num, at, at, "resources-key"), "added"
        if "XObject" not in resources.entries:
            at = resources.end - 2
            return self._target(holder, at, at, "xobject-key"), how
        xobjects = resources.get("XObject")
        if xobjects is None:  # /XObject null
            start, end = resources.spans["XObject"]
            return self._target(holder, start, end, "xobject-value"), how
        if isinstance(xobjects, Ref):
            target = layout.dict_object(xobjects)
            if target is None or not isinstance(target.value, Dict):
                raise Unsupported(f"/XObject of page {page.obj.num} is not a dictionary object")
            xobjects, holder = target.value, target.num
        if not isinstance(xobjects, Dict):
            raise Unsupported(f"/XObject of page {page.obj.num} is not a dictionary")
        self.names_in_use.update(xobjects.entries)
        at = xobjects.end - 2
        return self._target(holder, at, at, "into"), how

    def _target(self, num: int, start: int, end: int, kind: str) -> Target:
        key = (num, start)
        target = self.places.setdefault(key, Target(num, start, end, kind))
        if (target.end, target.kind) != (end, kind):
            raise Unsupported(f"object {num} is used as resources in two roles")
        return target

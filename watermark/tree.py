"""The page tree: every page in order, with the attributes it inherits.

Pages inherit ``/Resources``, ``/MediaBox``, ``/CropBox`` and ``/Rotate`` from the
``/Pages`` nodes above them; each value is kept with the number of the object that
holds it, since that is where the stamp's resources must be written. Page objects
outside the tree (an editor's leftovers) are found too: they are stamped as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Unsupported
from .layout import Layout, PdfObject
from .syntax import Dict, Ref, Value

__all__ = ["Attrs", "Page", "content_refs", "orphan_pages", "tree_pages"]

# Page trees deeper than this are refused (pypdf refuses beyond 100 levels too).
MAX_TREE_DEPTH = 100
INHERITED = ("Resources", "MediaBox", "CropBox", "Rotate")

# Inheritable attribute -> (number of the object that holds it, its value).
Attrs = dict[str, tuple[int, Value]]


@dataclass
class Page:
    """A page object and the attributes it has, its own or inherited."""

    obj: PdfObject
    attrs: Attrs

    @property
    def dict(self) -> Dict:
        """The page's dictionary."""
        assert isinstance(self.obj.value, Dict)
        return self.obj.value


def tree_pages(layout: Layout) -> list[Page]:
    """The pages in tree order, with the attributes each inherits."""
    catalog = layout.dict_object(layout.trailer.get("Root"))
    if catalog is None or not isinstance(catalog.value, Dict):
        raise Unsupported("/Root is not a dictionary object")
    found: list[Page] = []
    seen: dict[int, Attrs] = {}
    # (node reference, inherited attributes, the tree nodes above it)
    stack: list[tuple[Value, Attrs, tuple[int, ...]]] = [(catalog.value.get("Pages"), {}, ())]
    while stack:
        ref, inherited, above = stack.pop()
        node = layout.dict_object(ref)
        if node is None or not isinstance(node.value, Dict):
            raise Unsupported("a page tree node is not a dictionary object")
        attrs = dict(inherited)
        for key in INHERITED:
            if key in node.value.entries:
                attrs[key] = (node.num, node.value.entries[key])
        kids = layout.resolve(node.value.get("Kids"))
        kind = node.value.get("Type")
        if kind == "Page" or (kind != "Pages" and not isinstance(kids, list)):
            if node.num not in seen:
                seen[node.num] = attrs
                found.append(Page(node, attrs))
            elif seen[node.num] != attrs:
                raise Unsupported(f"page {node.num} sits twice in the tree, shaped differently")
            continue
        if len(above) >= MAX_TREE_DEPTH or node.num in above:
            raise Unsupported("page tree too deep or looping")
        if not isinstance(kids, list):
            raise Unsupported(f"page tree node {node.num} has no /Kids array")
        stack.extend((kid, attrs, (*above, node.num)) for kid in reversed(kids))
    return found


def orphan_pages(layout: Layout, in_tree: set[int]) -> list[Page]:
    """Page objects outside the tree, with what they inherit through ``/Parent``."""
    found = []
    for obj in layout.order:
        if obj.num in in_tree or obj.data is not None or not isinstance(obj.value, Dict):
            continue
        if obj.value.get("Type") != "Page":
            continue
        chain: list[PdfObject] = [obj]
        while len(chain) <= MAX_TREE_DEPTH:
            up = chain[-1].value
            parent = layout.dict_object(up.get("Parent") if isinstance(up, Dict) else None)
            if parent is None or any(parent.num == c.num for c in chain):
                break
            chain.append(parent)
        attrs: Attrs = {}
        for holder in reversed(chain):
            assert isinstance(holder.value, Dict)
            for key in INHERITED:
                if key in holder.value.entries:
                    attrs[key] = (holder.num, holder.value.entries[key])
        found.append(Page(obj, attrs))
    return found


def content_refs(layout: Layout, page: Dict) -> list[Ref]:
    """The page's content streams (a reference to an array of them is followed)."""
    value = page.get("Contents")
    if isinstance(value, Ref):
        target = layout.objects.get(value.num)
        if target is not None and target.data is None and isinstance(target.value, list):
            value = target.value
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, Ref)]

"""Removing active content (scripts, launch actions, attachments…) from an opened PDF.

The objects are edited in the reader's object cache before ``PdfWriter(clone_from=
reader)`` copies what is still reachable from the catalog, so whatever is cut loose
here (an embedded file's stream, a script) is simply never written to the master.
Page content streams are not touched: the pages look exactly as before.

Links keep working: ``/GoTo`` and ``/URI`` (http, https, mailto) actions stay, as do
named navigation actions; every other action type is removed wherever it hangs
(catalog, pages, annotations, form fields, bookmarks), including actions chained
behind a safe one through ``/Next``.
"""

from __future__ import annotations

from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, PdfObject

from .refs import as_dict, resolve

__all__ = ["SAFE_ACTIONS", "Removals", "drop_outline", "strip_active_content"]


SAFE_ACTIONS = frozenset({"/GoTo", "/URI", "/Named", "/Thread", "/SetOCGState", "/Trans"})
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")

# Annotations that exist to carry files, media or scripts; they are dropped whole.
DROPPED_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
)

# Bounds on the walks, so a looping or absurd structure costs little.
_MAX_CHAIN = 64
_MAX_NODES = 20_000
_MAX_DEPTH = 64


class Removals:
    """The ordered, de-duplicated list of what was removed."""

    def __init__(self) -> None:
        self.labels: list[str] = []

    def add(self, label: str) -> None:
        if label not in self.labels:
            self.labels.append(label)


def _chain(action: PdfObject | None) -> Iterator[DictionaryObject]:
    """The action and everything reachable through ``/Next``, each once, bounded."""
    pending: list[PdfObject | None] = [action]
    seen: set[int] = set()
    while pending and len(seen) < _MAX_CHAIN:
        current = as_dict(pending.pop())
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        following = resolve(current.get("/Next"))
        if isinstance(following, ArrayObject):
            pending.extend(following)
        elif following is not None:
            pending.append(following)


def _unsafe_labels(action: PdfObject | None) -> list[str]:
    labels: list[str] = []
    for step in _chain(action):
        kind = str(step.get("/S", ""))
        if kind not in SAFE_ACTIONS:
            labels.append(f"{kind.lstrip('/') or 'unknown'} action")
        elif kind == "/URI":
            uri = resolve(step.get("/URI"))
            text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri or "")
            if not text.strip().lower().startswith(SAFE_URI_SCHEMES):
                labels.append("URI action (unsafe address)")
    return labels


def _clean_action(holder: DictionaryObject, key: str, removals: Removals) -> None:
    """Drop ``holder[key]`` if the action (chain) it holds contains anything unsafe."""
    if key in holder and (labels := _unsafe_labels(holder.get(key))):
        del holder[key]
        for label in labels:
            removals.add(label)


def _drop_key(holder: DictionaryObject, key: str, label: str, removals: Removals) -> None:
    if key in holder:
        del holder[key]
        removals.add(label)


def _clean_catalog(root: DictionaryObject, removals: Removals) -> None:
    if "/OpenAction" in root:
        # Opening a document must do nothing; a destination-only OpenAction is also
        # dropped, which costs at most the initial zoom.
        for label in _unsafe_labels(root.get("/OpenAction")):
            removals.add(label)
        _drop_key(root, "/OpenAction", "OpenAction", removals)
    _drop_key(root, "/AA", "document actions", removals)
    names = as_dict(root.get("/Names"))
    if names is not None:
        _drop_key(names, "/JavaScript", "JavaScript", removals)
        _drop_key(names, "/EmbeddedFiles", "EmbeddedFiles", removals)
    _drop_key(root, "/Collection", "EmbeddedFiles", removals)  # a portfolio's file list


def _clean_form(root: DictionaryObject, removals: Removals) -> None:
    form = as_dict(root.get("/AcroForm"))
    if form is None:
        return
    _drop_key(form, "/XFA", "XFA", removals)
    _drop_key(form, "/NeedsRendering", "XFA", removals)
    fields = resolve(form.get("/Fields"))
    pending: list[tuple[PdfObject, int]] = (
        [(f, 0) for f in fields] if isinstance(fields, ArrayObject) else []
    )
    seen: set[int] = set()
    while pending and len(seen) < _MAX_NODES:
        item, depth = pending.pop()
        field_dict = as_dict(item)
        if field_dict is None or id(field_dict) in seen or depth > _MAX_DEPTH:
            continue
        seen.add(id(field_dict))
        _drop_key(field_dict, "/AA", "form field actions", removals)
        _clean_action(field_dict, "/A", removals)
        kids = resolve(field_dict.get("/Kids"))
        if isinstance(kids, ArrayObject):
            pending.extend((kid, depth + 1) for kid in kids)


def _clean_outline(root: DictionaryObject, removals: Removals) -> None:
    outlines = as_dict(root.get("/Outlines"))
    pending: list[PdfObject | None] = [outlines.get("/First")] if outlines is not None else []
    seen: set[int] = set()
    while pending and len(seen) < _MAX_NODES:
        item = as_dict(pending.pop())
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        _clean_action(item, "/A", removals)
        pending.extend([item.get("/Next"), item.get("/First")])


def _clean_page(page: DictionaryObject, removals: Removals) -> None:
    _drop_key(page, "/AA", "page actions", removals)
    annots = resolve(page.get("/Annots"))
    if not isinstance(annots, ArrayObject):
        return
    kept: list[PdfObject] = []
    for ref in annots:
        annot = as_dict(ref)
        if annot is None:
            continue
        subtype = str(annot.get("/Subtype", ""))
        if subtype in DROPPED_ANNOTATIONS:
            removals.add(f"{subtype.lstrip('/')} annotation")
            continue
        _drop_key(annot, "/AA", "annotation actions", removals)
        _clean_action(annot, "/A", removals)
        kept.append(ref)
    if len(kept) != len(annots):
        annots[:] = kept


def strip_active_content(reader: PdfReader) -> list[str]:
    """Remove active content in place; return labels of what was removed, in order."""
    removals = Removals()
    root = reader.root_object
    _clean_catalog(root, removals)
    _clean_form(root, removals)
    _clean_outline(root, removals)
    for page in reader.pages:
        # ``reader.pages`` hands out copies; the clone copies the cached originals.
        original = as_dict(page.indirect_reference)
        for target in (original, page):
            if target is not None:
                _clean_page(target, removals)
    return removals.labels


def drop_outline(reader: PdfReader) -> bool:
    """Remove the bookmarks from the catalog (used when they loop); True if there were any."""
    root = reader.root_object
    if "/Outlines" in root:
        del root["/Outlines"]
        return True
    return False

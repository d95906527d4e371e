"""Following references in a hostile PDF without letting a bad one raise.

A dangling or malformed reference should make the thing it points to absent, not
fail the whole file: these helpers return ``None`` instead of raising.
"""

from __future__ import annotations

import logging

from pypdf.generic import DictionaryObject, IndirectObject, PdfObject

__all__ = ["as_dict", "resolve"]

log = logging.getLogger(__name__)


def resolve(obj: PdfObject | None) -> PdfObject | None:
    """The object behind ``obj`` if it is a reference, ``obj`` itself otherwise."""
    try:
        return obj.get_object() if isinstance(obj, IndirectObject) else obj
    except Exception as exc:  # a dangling reference is simply absent
        log.debug("unresolvable reference: %s", exc)
        return None


def as_dict(obj: PdfObject | None) -> DictionaryObject | None:
    """``resolve(obj)`` if that is a dictionary, else ``None``."""
    resolved = resolve(obj)
    return resolved if isinstance(resolved, DictionaryObject) else None

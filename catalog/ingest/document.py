"""Opening the uploaded PDF with pypdf inside the worker: decrypt, count, scan, docinfo.

Everything here runs in the sandboxed worker process under the limits set by
``worker.configure``; exceptions are left to the caller, which classifies them.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PasswordType, PdfReader
from pypdf.errors import LimitReachedError
from pypdf.filters import decode_stream_data
from pypdf.generic import IndirectObject, NameObject, PdfObject, StreamObject

from .errors import Rejected
from .failures import BOMB_MARKERS, cause_of
from .textclean import clean_field

__all__ = ["INFO_KEYS", "count_pages", "open_pdf", "read_info", "scan_streams"]

log = logging.getLogger(__name__)

# The docinfo entries kept, without their leading slash.
INFO_KEYS = ("Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate")

# Streams a viewer decodes as images: pdfium decodes them lazily and downsampled while
# rendering, and a 600 dpi scan legitimately inflates past any per-stream cap, so only
# the cover guard (pixel count) looks at them.
_IMAGE_SUBTYPES = frozenset({"/Image"})


def _opens_without_password(src: Path) -> bool:
    """Whether a viewer opens the file without asking: the *user* password is empty.

    pypdf's ``decrypt("")`` tries the owner password first, so a file with a user
    password and an empty owner password "decrypts" — yet every viewer prompts for
    it, and taking it would strip a protection the author meant. pdfium, given no
    password, tries the empty string as the user password only.
    """
    try:
        pdfium.PdfDocument(str(src)).close()
    except pdfium.PdfiumError as exc:
        return "password" not in str(exc).lower()
    return True


def open_pdf(src: Path, removed: list[str]) -> PdfReader:
    """Open leniently; decrypt with the empty user password or refuse with ``password``."""
    reader = PdfReader(src, strict=False)
    if reader.is_encrypted:
        if reader.decrypt("") == PasswordType.NOT_DECRYPTED or not _opens_without_password(src):
            raise Rejected("password")
        # Written out unencrypted: the owner password only ever guarded permissions,
        # and the master must be readable by the watermarker and the viewer.
        removed.append("encryption")
    return reader


def count_pages(reader: PdfReader, max_pages: int) -> int:
    """The real number of leaf pages (not the declared /Count), checked against the limits."""
    pages = len(reader.pages)
    if pages > max_pages:
        raise Rejected("too_many_pages", {"pages": pages, "limit": max_pages})
    if pages == 0:
        raise Rejected("empty", {"pages": 0, "why": "no_pages"})
    return pages


def _is_bomb(exc: LimitReachedError) -> bool:
    lowered = str(exc).lower()
    return any(marker in lowered for marker in BOMB_MARKERS)


def scan_streams(reader: PdfReader) -> int:
    """Inflate every filtered non-image stream once, under pypdf's per-stream caps.

    pdfium (text, cover) inflates content streams, forms and fonts without a cap of
    its own, so a stream that would inflate past the cap is refused here as a bomb
    before pdfium sees it. Decoding problems other than size are ignored: a stream
    pdfium cannot decode either is just not drawn. Returns the number of streams read.
    """
    checked = 0
    for generation, entries in list(reader.xref.items()):
        for number in list(entries):
            try:
                obj: PdfObject | None = reader.get_object(
                    IndirectObject(number, generation, reader)
                )
            except LimitReachedError as exc:
                if _is_bomb(exc):
                    raise
                continue
            except Exception as exc:  # a broken object is the viewer's problem
                log.debug("object %d %d unreadable: %s", number, generation, exc)
                continue
            if not isinstance(obj, StreamObject) or "/Filter" not in obj:
                continue
            if obj.get("/Subtype") in _IMAGE_SUBTYPES:
                continue
            checked += 1
            try:
                decode_stream_data(obj)
            except LimitReachedError as exc:
                if _is_bomb(exc):
                    raise Rejected("bomb", {"cause": cause_of(exc)}) from exc
            except Exception as exc:  # undecodable is not dangerous
                log.debug("stream %d undecodable: %s", number, exc)
    return checked


def read_info(reader: PdfReader) -> dict[str, str]:
    """The docinfo strings in ``INFO_KEYS``, cleaned; unreadable entries are left out."""
    try:
        raw = reader.metadata
    except Exception as exc:  # docinfo is optional decoration
        log.debug("docinfo unreadable: %s", exc)
        return {}
    if raw is None:
        return {}
    info: dict[str, str] = {}
    for key in INFO_KEYS:
        try:
            value = raw.get(NameObject("/" + key))
            if isinstance(value, IndirectObject):
                value = value.get_object()
        except Exception as exc:  # one bad entry must not lose the others
            log.debug("docinfo %s unreadable: %s", key, exc)
            continue
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(value, str) and (text := clean_field(value)):
            info[key] = text
    return info

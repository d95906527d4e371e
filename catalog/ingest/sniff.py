"""The cheap checks done before any parsing: size, emptiness, magic bytes and the hash.

These run in the caller's process, so they only read bytes: nothing here interprets
the PDF structure.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import Rejected
from .model import Limits

__all__ = ["PDF_MAGIC_WINDOW", "describe", "precheck", "sha256_of"]

# PDF 1.7 §7.5.2 allows junk before the header; viewers look in the first KiB.
PDF_MAGIC_WINDOW = 1024

_CHUNK = 1024 * 1024

# Signatures of what people upload by mistake, most specific first.
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (a Word, Excel or ZIP file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file"),
    (b"{\\rtf", "an RTF document"),
    (b"%!PS", "a PostScript file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
]


def describe(head: bytes) -> str:
    """A short hint of what ``head`` (the file's first bytes) looks like, for the message."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return f"looks like {kind}"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "looks like a web page (HTML)"
    if stripped.startswith(b"<?xml") or stripped.startswith(b"<svg"):
        return "looks like an XML or SVG file"
    if head[4:8] == b"ftyp":
        return "looks like a video or HEIC image"
    snippet = head[:12].decode("latin-1")
    shown = "".join(c if c.isprintable() and c.isascii() else "." for c in snippet)
    return f"starts with '{shown}'"


def sha256_of(path: Path) -> str:
    """SHA-256 of the file, read in chunks so a large upload never sits in memory."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def precheck(path: Path, limits: Limits) -> int:
    """Refuse what can be refused without parsing; return the file's size in bytes."""
    size = path.stat().st_size
    if size == 0:
        raise Rejected("empty", {"size": 0})
    if size > limits.max_bytes:
        raise Rejected("too_large", {"size": size, "limit": limits.max_bytes})
    with path.open("rb") as fh:
        head = fh.read(PDF_MAGIC_WINDOW)
    if b"%PDF-" not in head:
        raise Rejected("not_pdf", {"looks": describe(head)})
    return size

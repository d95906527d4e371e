"""Turning whatever a PDF library raised into a ``Rejected`` with a short, true reason.

pypdf signals hostile input with ``LimitReachedError`` both for decompression bombs
and for structural limits (page-tree depth, loops); only the first kind is a
"bomb", so the message decides. Anything that is not a known pypdf error is named by
its class only: library messages for unexpected errors can be long or contain
internals, and the full text goes to the log through stderr anyway.
"""

from __future__ import annotations

from pypdf.errors import (
    DependencyError,
    FileNotDecryptedError,
    LimitReachedError,
    PdfReadError,
    PdfStreamError,
    WrongPasswordError,
)

from .errors import Rejected, one_line

__all__ = ["BOMB_MARKERS", "cause_of", "to_rejected"]

# Fragments of pypdf's LimitReachedError messages that mean "a stream inflates too far".
BOMB_MARKERS = (
    "decompress",
    "stream length",
    "decoding work",
    "buffer size",
    "output bytes",
    "array-based stream",
    "jbig2",
    "read stream length",
)

_MAX_CAUSE = 120


def cause_of(exc: BaseException) -> str:
    """A short lower-case cause for the "damaged" message, from a pypdf error's text."""
    text = one_line(str(exc), _MAX_CAUSE).rstrip(".")
    if not text:
        return f"unexpected {type(exc).__name__}"
    return text[0].lower() + text[1:]


def to_rejected(exc: BaseException) -> Rejected:
    """Classify an exception raised while reading a PDF."""
    if isinstance(exc, Rejected):
        return exc
    if isinstance(exc, FileNotDecryptedError | WrongPasswordError):
        return Rejected("password")
    if isinstance(exc, LimitReachedError):
        lowered = str(exc).lower()
        if any(marker in lowered for marker in BOMB_MARKERS):
            return Rejected("bomb", {"cause": cause_of(exc)})
        return Rejected("damaged", {"cause": cause_of(exc)})
    if isinstance(exc, PdfStreamError | PdfReadError | DependencyError):
        return Rejected("damaged", {"cause": cause_of(exc)})
    if isinstance(exc, RecursionError):
        return Rejected("damaged", {"cause": "its structure is nested too deeply"})
    return Rejected("damaged", {"cause": f"unexpected {type(exc).__name__} in the reader"})

"""The mark: who downloaded what and when, and how its words become PDF text.

The stamp is set in Helvetica with WinAnsiEncoding, which covers Indonesian and
most Latin names; any other character is transliterated (``ễ`` -> ``e``) or replaced
by ``?`` so that no name can break the file or the text layer.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .codes import format_code, is_valid_code
from .errors import InvalidMarkError

__all__ = ["WIB", "Mark", "pdf_literal", "win_ansi"]

# Western Indonesia Time has been UTC+7 without daylight saving since 1964: a fixed
# offset needs no time-zone database on the server.
WIB = timezone(timedelta(hours=7), "WIB")

# Longest field printed; longer ones are cut, so a hostile name cannot flood the page.
MAX_FIELD = 120


@dataclass(frozen=True)
class Mark:
    """One download: the holder, the moment (an aware datetime), the code, the office."""

    name: str
    email: str
    issued_at: datetime
    code: str
    office: str = "BPS Provinsi Bengkulu"

    def __post_init__(self) -> None:
        if self.issued_at.utcoffset() is None:
            raise InvalidMarkError("issued_at must be an aware datetime")
        if not is_valid_code(self.code):
            raise InvalidMarkError(f"not a download code: {self.code!r}")
        for field in ("name", "email", "office"):
            if not isinstance(getattr(self, field), str):
                raise InvalidMarkError(f"{field} must be a string")

    @property
    def when(self) -> str:
        """The download time in WIB, e.g. ``25-11-2026 14:03 WIB``."""
        return self.issued_at.astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB")

    @property
    def printed_code(self) -> str:
        """The code as printed on the page, e.g. ``7K2M9-QX4TB``."""
        return format_code(self.code)


def _clean(text: str) -> str:
    """One line of at most ``MAX_FIELD`` characters, control characters as spaces."""
    text = " ".join("".join(" " if unicodedata.category(c)[0] == "C" else c for c in text).split())
    return text if len(text) <= MAX_FIELD else text[: MAX_FIELD - 1] + "…"


def win_ansi(text: str) -> bytes:
    """``text`` in WinAnsiEncoding (cp1252), transliterated or replaced where it must."""
    out = bytearray()
    for char in _clean(text):
        try:
            out += char.encode("cp1252")
            continue
        except UnicodeEncodeError:
            pass
        # Strip accents the encoding lacks (Vietnamese tones, ...), keep the base letter.
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out += base.encode("cp1252", errors="replace") if base else b"?"
    return bytes(out)


_ESCAPES = {ord("("): b"\\(", ord(")"): b"\\)", ord("\\"): b"\\\\"}


def pdf_literal(encoded: bytes) -> bytes:
    """``encoded`` as a PDF literal string, ``(...)``, specials and non-ASCII escaped."""
    out = bytearray(b"(")
    for byte in encoded:
        if byte in _ESCAPES:
            out += _ESCAPES[byte]
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    out += b")"
    return bytes(out)

"""Making strings read out of a hostile PDF safe to store, index and show.

PDF strings can hold anything: NULs (which PostgreSQL text columns refuse), lone
surrogates (which UTF-8 encoders refuse), bidi overrides and other control
characters (which make log lines and HTML lie). These helpers keep letters, digits,
punctuation, spaces and, in page text, newlines and tabs. Private-use characters
stay: symbol fonts map their glyphs there and dropping them would merge words.
"""

from __future__ import annotations

import re

__all__ = ["clean_field", "clean_page_text"]

# C0/C1 controls except tab and newline, lone surrogates, bidi embeddings/overrides/
# isolates (they reorder what the reader sees), the BOM and the two noncharacters.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]"
)
_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_WHITESPACE = re.compile(r"\s+")


def clean_page_text(text: str, limit: int) -> str:
    """Page text with unified newlines, without control characters, at most ``limit`` chars."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNSAFE.sub(" ", text)
    text = _TRAILING_SPACE.sub("\n", text)
    return text.strip()[:limit]


def clean_field(value: str, limit: int = 500) -> str:
    """A one-line metadata value: controls dropped, whitespace collapsed, at most ``limit``."""
    return _WHITESPACE.sub(" ", _UNSAFE.sub(" ", value)).strip()[:limit]

"""Building a safe ``Content-Disposition`` header value for downloads.

The filename usually comes from user-facing data (a publication title), so it is
reduced to a quoted ASCII fallback plus an RFC 5987/6266 ``filename*`` for the
full Unicode name; neither form can break out of the header.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

__all__ = ["content_disposition"]

_MAX_NAME = 200


def _ascii_fallback(filename: str) -> str:
    decomposed = unicodedata.normalize("NFKD", filename)
    kept = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue  # drop accents so "é" degrades to "e" rather than "_"
        if char.isascii() and char.isprintable() and char not in '"\\/':
            kept.append(char)
        else:
            kept.append("_")
    return "".join(kept).strip(" .") or "download"


def content_disposition(filename: str) -> str:
    """``attachment; filename="..."; filename*=UTF-8''...`` for ``filename``."""
    # Path separators and control characters have no business in a download name.
    cleaned = "".join(
        "_" if char in "/\\" or not char.isprintable() else char for char in filename
    )[:_MAX_NAME]
    cleaned = cleaned.strip() or "download"
    fallback = _ascii_fallback(cleaned)
    encoded = quote(cleaned, safe="")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"

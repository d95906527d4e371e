"""Text as forms accept it, for the documents' property tests (issue 15, item 4).

``odd_text(n)`` draws strings of up to ``n`` characters mixing Indonesian words with
what breaks naive PDF code: markup characters (``<``, ``&``), combining marks,
right-to-left text, emoji, CJK, zero-width and direction characters, words far longer
than a line, and runs of line breaks. Each value starts with a plain ASCII marker, so
a test can find the value in the extracted text whatever the rest became.
``longest(n, kind)`` are the explicit maximum-length cases.
"""

from __future__ import annotations

import io
import logging
import os
import re
import time
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from pypdf import PdfReader

# pypdf warns about the four-byte code points of DejaVu's emoji in the ToUnicode map.
logging.getLogger("pypdf").setLevel(logging.ERROR)

#: Modest and deterministic: the same examples on every run (no flaky CI), each
#: document built in seconds, not a minute. How many: the Hypothesis profile's
#: (tests/conftest.py: dev 15, ci 6, thorough 60) unless PST_DOCUMENT_EXAMPLES says.
PROPERTY = settings(
    max_examples=int(
        os.environ.get("PST_DOCUMENT_EXAMPLES") or settings.default.max_examples  # type: ignore[union-attr]
    ),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD = [
    "<b>",
    "</para>",
    "&amp;",
    "&",
    "<br/>",
    "<font name='x'>",
    "a\u0301\u0302\u0303",  # stacked combining marks
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic (right to left)
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew
    "\U0001f600\U0001f1ee\U0001f1e9\U0001f469\u200d\U0001f4bb",  # emoji, flag, ZWJ sequence
    "\u4e2d\u6587\u5b57\u7b26",  # Chinese
    "\u3072\u3089\u304c\u306a",  # Japanese kana
    "\ud55c\uad6d\uc5b4",  # Korean
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width
    "\u202e\u202d\u2066\u2069",  # direction overrides
    "\u0e44\u0e17\u0e22",  # Thai (DejaVu has none)
    "\n",
    "\n\n\n\n",
    "\r\n",
    "\t",
    "\x00\x01\x1b\x7f",  # control characters (the edge refuses NUL; documents never crash)
    "\u2028",
    "W" * 120,  # a word far wider than any column
    "Kabupaten Rejang Lebong",
    "-" * 40,
    "'\"",
]


def marker(draw: st.DrawFn) -> str:
    return draw(st.from_regex(r"[A-Z][a-z]{5,12}[0-9]{2}", fullmatch=True))


@st.composite
def odd_text(draw: st.DrawFn, max_size: int, min_size: int = 1) -> str:
    """Up to ``max_size`` characters: a marker word, then odd pieces and any text."""
    head = marker(draw)
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(ODD),
                st.text(min_size=1, max_size=40),
                st.text(alphabet="abcdefghij \n", min_size=1, max_size=400),
            ),
            max_size=30,
        )
    )
    value = (head + " " + "".join(pieces))[:max_size]
    if draw(st.booleans()):  # often as long as the form allows
        filler = " ".join(ODD[:16]) + " kata "
        value = (value + " " + filler * (max_size // len(filler) + 1))[:max_size]
    return value[:max_size] if len(value) >= min_size else value.ljust(min_size, "x")


def longest(max_size: int, kind: str = "words", start: str = "Awalteks01") -> str:
    """An explicit maximum-length value: ``words`` (prose), ``word`` (no space at all),
    ``lines`` (a line break every few characters), ``cjk``, ``markup``."""
    body = {
        "words": "Mengukur prevalensi stunting dan wasting balita. ",
        "word": "W",
        "lines": "baris\n",
        "cjk": "\u4e2d\u6587\u5b57\u7b26\ud55c\uad6d\uc5b4",
        "markup": "<b>&amp; </para> & <br/> \u0645\u0631\u062d\u0628\u0627 \U0001f600 ",
    }[kind]
    return (start + " " + body * (max_size // len(body) + 1))[:max_size]


def head_of(value: str) -> str:
    """The marker a value starts with (what the extracted text must contain)."""
    match = re.match(r"[A-Za-z0-9]+", value)
    assert match, value[:20]
    return match.group(0)[:30]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_pdf(data: bytes) -> tuple[int, str]:
    """(pages, text without white space) of a PDF that pypdf must open."""
    assert data.startswith(b"%PDF-"), data[:16]
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    return len(reader.pages), squeeze(text)


class Timer:
    """A document built within a sane time (seconds), on a slow CI machine too."""

    def __init__(self, limit: float) -> None:
        self.limit = limit

    def __enter__(self) -> Timer:
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.elapsed = time.monotonic() - self.start
        if exc[0] is None:
            assert self.elapsed < self.limit, f"took {self.elapsed:.1f}s"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path

"""The printed queue ticket renders any text (issue 15, item 4): a long office name or
translated line wraps within the paper, the page grows instead of text running off it,
and odd Unicode never fails the ticket (property-based, see ``odd_text``)."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from odd_text import PROPERTY, Timer, head_of, longest, odd_text, read_pdf, squeeze
from pypdf import PdfReader

from desk.printing import WIDTHS_MM, TicketText, ticket_pdf

#: Documents rendered from any input: the database only holds the data
#: (tests/database_runs.py).
pytestmark = pytest.mark.one_database("postgresql")

LIMITS = {
    "office": 300,  # OFFICE_NAME (configuration)
    "service": 120,
    "issued": 60,
    "ahead": 200,  # translated lines
    "status_url": 400,
    "scan_hint": 200,
    "footer": 200,
    "rating_code": 60,
}


def _text(values: dict[str, str], number: str) -> TicketText:
    return TicketText(number=number, **values)


def _positions(pdf: bytes) -> tuple[float, float, list[tuple[float, float, str]]]:
    """The page size and where each piece of text starts."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, _font, _size):  # type: ignore[no-untyped-def]
        if text.strip():
            found.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], text))

    page.extract_text(visitor_text=visit)
    return float(page.mediabox.width), float(page.mediabox.height), found


def at_limit(kind: str) -> dict[str, str]:
    return {n: longest(m, kind, start=f"Awal{n[:4]}01") for n, m in LIMITS.items()}


@PROPERTY
@given(
    values=st.fixed_dictionaries({n: odd_text(m) for n, m in LIMITS.items()}),
    number=odd_text(12),
    width=st.sampled_from(WIDTHS_MM),
)
@example(values=at_limit("words"), number="A-001", width=58)
@example(values=at_limit("word"), number="W" * 12, width=58)
@example(values=at_limit("markup"), number="<b>&amp;", width=80)
@example(values=at_limit("cjk"), number="\u4e2d\u6587-001", width=58)
@example(values=at_limit("lines"), number="A-001", width=80)
def test_the_ticket_renders_any_text_within_its_paper(values, number, width):
    with Timer(60):
        pdf = ticket_pdf(_text(values, number), width)
    pages, text = read_pdf(pdf)
    assert pages == 1
    for name in ("office", "service", "footer", "rating_code"):
        assert squeeze(head_of(values[name])) in text, name
    page_w, page_h, found = _positions(pdf)
    assert round(page_w / 72 * 25.4) == width
    assert found
    for x, y, piece in found:  # nothing starts off the paper
        assert 0 <= x < page_w and 0 <= y <= page_h, (x, y, piece[:20])

"""Running headers and footers (``catalog.search.running``): found on the team's
reference publication, and never more than the repeated lines at a page's edges."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog.ingest.text import extract_texts
from catalog.search.running import EDGE_LINES, MIN_PAGES, body_pages, running_lines

#: The team's corpus beside the checkout (as tests/catalog/conftest.py finds it).
REFERENCE = Path(__file__).resolve().parents[3] / "shared/corpus/reference/publication-50p.pdf"


@pytest.mark.skipif(not REFERENCE.is_file(), reason="the shared corpus is not beside the checkout")
def test_the_reference_publication_loses_its_header_and_page_numbers() -> None:
    pages = extract_texts(REFERENCE, 50, time.monotonic() + 60).texts
    assert running_lines(pages) == {
        "statistik indonesia # / statistical yearbook of indonesia #",
        "halaman #",
    }
    body = body_pages(pages)
    assert len(body) == len(pages)
    assert body[5].startswith("Tabel 1.6 Indikator")  # was "Statistik Indonesia 2026 / …"
    assert all("Halaman" not in page and "Yearbook" not in page for page in body)
    assert pages[5].endswith(body[5].splitlines()[-1])  # the page's own last line stays


# Few distinct lines, so that lines repeat across pages (and some become running lines).
_line = st.sampled_from(["", "Judul 2024", "Halaman 3", "Halaman 4", "padi", "jagung", "12"])
_page = st.lists(_line, max_size=9).map("\n".join)


@given(st.lists(_page, max_size=9))
def test_only_lines_at_the_edges_go_and_every_page_stays(pages: list[str]) -> None:
    body = body_pages(pages)
    assert len(body) == len(pages)
    for before, after in zip(pages, body, strict=True):
        lines = [line for line in before.splitlines() if line.strip()]
        middle = lines[EDGE_LINES:-EDGE_LINES]
        kept = after.splitlines()
        assert all(line in kept for line in middle)
        assert set(kept) <= set(before.splitlines())
    if sum(bool(p.strip()) for p in pages) < MIN_PAGES:
        assert body == pages

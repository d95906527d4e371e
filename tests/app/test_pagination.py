"""Pagination (app/pagination.py): any page number from the address bar becomes a
sensible page, the pages cover every row exactly once, and the shown page exists."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.pagination import MAX_PAGE, offset, page_count, page_number, paging

totals = st.integers(min_value=0, max_value=10**7)
sizes = st.integers(min_value=1, max_value=500)


@given(st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats()))
def test_any_page_argument_becomes_a_page_in_range(raw: object) -> None:
    assert 1 <= page_number(raw) <= MAX_PAGE


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_a_whole_number_is_kept_within_range(n: int) -> None:
    assert page_number(str(n)) == max(1, min(MAX_PAGE, n))
    assert page_number(f" {n} ") == page_number(n)


def test_missing_or_garbled_pages_give_the_default() -> None:
    assert page_number(None) == 1
    assert page_number("") == 1
    assert page_number("2x", default=3) == 3
    assert page_number("1.5") == 1
    assert page_number("99999999999999999999") == MAX_PAGE


@given(totals, sizes)
def test_the_pages_hold_every_row_once(total: int, per_page: int) -> None:
    pages = page_count(total, per_page)
    assert pages >= 1
    assert (pages - 1) * per_page < max(total, 1) <= pages * per_page
    starts = [offset(p, per_page) for p in range(1, min(pages, 50) + 1)]
    assert starts == [i * per_page for i in range(len(starts))]


@given(st.integers(min_value=-(10**6), max_value=10**6), sizes, totals)
def test_the_shown_page_exists(page: int, per_page: int, total: int) -> None:
    shown = paging(page, per_page, total)
    assert 1 <= shown.page <= shown.pages == page_count(total, per_page)
    assert shown.offset == (shown.page - 1) * per_page
    assert shown.offset < total or (total == 0 and shown.offset == 0)
    if 1 <= page <= shown.pages:
        assert shown.page == page  # a page that exists is the page shown


def test_offset_treats_pages_below_one_as_the_first() -> None:
    assert offset(0, 20) == 0
    assert offset(-3, 20) == 0
    assert offset(3, 20) == 40

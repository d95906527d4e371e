"""Pagination: which page of a list to show, how many pages there are, and the offset.

Every paged list (users, mail, catalogue, records, downloads, requests, orders,
products) reads its page number from the query string and shows ``per_page`` rows from
an offset. A page number that is not a number, below 1 or absurdly large is bad input
from the address bar, never an error: it becomes the nearest sensible page.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The largest page number read from a request (an offset beyond it means nothing and
#: would overflow the database's integer on a crafted address).
MAX_PAGE = 10_000


def page_number(raw: object, default: int = 1, maximum: int = MAX_PAGE) -> int:
    """The page asked for in ``raw`` (a query-string value), within 1..``maximum``;
    ``default`` when it is missing or not a whole number."""
    try:
        number = int(str(raw).strip()) if raw is not None else default
    except ValueError:
        number = default
    return max(1, min(maximum, number))


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill (at least one: an empty list is one page)."""
    return max(1, -(-max(0, total) // max(1, per_page)))


def offset(page: int, per_page: int) -> int:
    """The first row of ``page`` (a page below 1 counts as the first)."""
    return (max(1, page) - 1) * per_page


@dataclass(frozen=True)
class Paging:
    """A page of ``total`` rows: the page shown (within 1..pages) and where it starts."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    @property
    def offset(self) -> int:
        return offset(self.page, self.per_page)


def paging(page: int, per_page: int, total: int) -> Paging:
    """The page to show of ``total`` rows: ``page`` moved into 1..pages (past the end
    shows the last page)."""
    return Paging(max(1, min(page, page_count(total, per_page))), per_page, total)

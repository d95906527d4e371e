"""The values the search speaks in: the document it indexes and the results it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class PubDoc:
    """What the catalogue indexes per publication (one search document each)."""

    pub_id: int
    title: str
    title_en: str = ""
    subtitle: str = ""
    abstract: str = ""
    subjects: list[str] = field(default_factory=list)
    kind: str = "publication"  # facet "type": publication / statistical news / ...
    language: str = "id"
    year: int | None = None  # release year (facet, sort)
    release_date: date | None = None  # sort by date
    access: str = "open"  # open / read_only / sale
    kat_no: str = ""
    pub_no: str = ""
    pages: list[str] = field(default_factory=list)  # text per page, index 0 = page 1


@dataclass
class Hit:
    """One matching publication on a result page."""

    pub_id: int
    score: float
    title_html: str
    snippet_html: str
    pages: list[int]  # best matching page numbers (1-based, up to 5)


@dataclass
class Results:
    """One page of results, the total number of matches and the facet counts."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]  # "subject"/"year"/"type"/"language"
    #: The query as corrected when nothing matched the words typed and the engine
    #: searched for near title words instead (``None``: the words as typed).
    corrected: str | None = None


@dataclass
class PageHit:
    """A page of one publication that matches a query."""

    page: int
    snippet_html: str
    score: float


class SearchError(Exception):
    """The search index could not do what was asked (locked, missing, broken)."""


class QueryError(SearchError):
    """The query string cannot be understood; the app shows a friendly message."""

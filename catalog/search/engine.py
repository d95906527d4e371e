"""``SearchEngine``: what the catalogue asks of a full-text engine, whichever it is.

Two engines implement it and pass one contract suite (``tests/catalog/
test_search_contract.py``): the embedded Whoosh index (``SearchIndex``, a folder on the
host's disk, written by jobs after commit) and PostgreSQL full-text search
(``PostgresSearch``, rows written in the transaction that changes the catalogue, so
every host sees a change at commit). Both analyse text with the same tokeniser and the
same Sastrawi stems, rank exact words before stems, cut the same snippets and answer
with the same ``Results``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, Protocol

from catalog.search.models import PageHit, PubDoc, Results

ENGINES = ("whoosh", "postgres")


class SearchEngine(Protocol):
    """A catalogue search engine (see the module docstring)."""

    #: "whoosh" or "postgres".
    name: str
    #: True when writes belong to the caller's database transaction (no index job).
    transactional: bool

    def add(self, docs: Iterable[PubDoc]) -> None:
        """Add publications, replacing any with the same ``pub_id``."""

    def delete(self, pub_ids: Iterable[int]) -> None:
        """Remove publications (unknown ids are ignored)."""

    def rebuild(self, docs: Iterable[PubDoc]) -> int:
        """Replace the whole index by ``docs``; their count."""

    def query(
        self,
        q: str,
        *,
        filters: dict[str, str | int] | None = None,
        sort: str = "relevance",
        page: int = 1,
        per_page: int = 20,
        facets: bool = True,
        correct: bool = True,
        hidden: Collection[int] = (),
    ) -> Results:
        """A page of publications matching ``q`` (empty ``q``: browse, newest first);
        ``QueryError`` when the query, a filter, the sort or the page is not understood.
        When nothing matches, a misspelt word is widened to title words an edit or two
        away and ``Results.corrected`` says what was searched (``correct=False``: never;
        the reader asked for their words only).

        ``hidden`` publications are left out of the hits, the total and the facets: the
        ones the public may not see at this moment (under embargo until their release,
        see ``catalog.visibility``). They stay indexed, so a release needs no write."""

    def search_pages(self, pub_id: int, q: str, *, limit: int = 50) -> list[PageHit]:
        """The pages of publication ``pub_id`` that match ``q``, best first."""

    def count(self) -> int:
        """The number of publications indexed."""

    def health(self) -> dict[str, Any]:
        """What ``/healthz`` shows of the engine; ``SearchError`` when it cannot answer."""

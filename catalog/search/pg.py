"""``PostgresSearch``: the catalogue's full-text search in PostgreSQL.

Rows, not files: :meth:`PostgresSearch.write` puts a publication's rows in the caller's
session, so the search changes in the transaction that changes the catalogue and every
host sees it at commit. Lexemes come from the project's analysis (see ``pg_text``);
PostgreSQL matches them with GIN indexes, ranks them with ``ts_rank`` (exact words
weight A, stems B; title over abstract over body, as the Whoosh engine weighs them),
counts facets and sorts; page numbers and snippets come from ``search_pages``; a word
that matches nothing is widened to title words an edit or two away, found with the
trigram index (pg_trgm; see ``pg_typos``). The rows come from ``pg_rows``. Queries
run in a savepoint, so a failing one never spoils the caller's transaction.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DataError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import Session

from catalog.search.models import Hit, PageHit, PubDoc, QueryError, Results, SearchError
from catalog.search.pg_rows import Rows, chunks, prepared
from catalog.search.pg_sql import (
    Matcher,
    count_sql,
    filters_sql,
    page_sql,
    total_and_facets,
    window,
)
from catalog.search.pg_text import marks
from catalog.search.pg_typos import near_words
from catalog.search.querying import Clause, ParsedQuery, corrected_text, parse, typo_widened
from catalog.search.results import ABSTRACT_WORDS, MAX_PER_PAGE
from catalog.search.snippets import MAX_HIT_PAGES, highlight, snippet

#: A tsvector of pre-analysed words ({0}_exact) and their stems ({0}_stems); see pg_text.
_VECTOR = (
    "setweight(to_tsvector('simple', {0}_exact), 'A') || "
    "setweight(to_tsvector('simple', {0}_stems), 'B')"
)

_INSERT_DOCUMENTS = text(
    "INSERT INTO search_documents (pub_id, title, subtitle, abstract, head, subjects, "  # noqa: S608
    "kind, language, year, release_date, access, head_tsv, meta_tsv, body_tsv) "
    "VALUES (:pub_id, :title, :subtitle, :abstract, :head, :subjects, :kind, "
    ":language, :year, :release_date, :access, "
    f"{_VECTOR.format(':head')}, {_VECTOR.format(':meta')}, {_VECTOR.format(':body')})"
)
# One statement per batch of pages: the rows go as arrays (a round trip, not one a
# row) and PostgreSQL builds their vectors with the same expression.
_INSERT_PAGES = text(
    "INSERT INTO search_pages (pub_id, page, body, tsv) "  # noqa: S608
    f"SELECT pub_id, page, body, {_VECTOR.format('r.page')} FROM unnest("
    "CAST(:pub_ids AS int[]), CAST(:pages AS int[]), CAST(:bodies AS text[]), "
    "CAST(:exacts AS text[]), CAST(:stems AS text[])) "
    "AS r(pub_id, page, body, page_exact, page_stems)"
)


class PostgresSearch:
    """The PostgreSQL ``SearchEngine``; ``session()`` gives the session to read in and
    ``new_session()`` a session of its own for :meth:`add`, :meth:`delete` and
    :meth:`rebuild` (the app writes through :meth:`write` in its own transaction)."""

    name = "postgres"
    transactional = True

    def __init__(
        self, session: Callable[[], Session], new_session: Callable[[], Session] | None = None
    ) -> None:
        self._session = session
        self._new_session = new_session or session

    # -- writing ---------------------------------------------------------------------

    def write(self, session: Session, docs: Iterable[PubDoc], gone: Iterable[int] = ()) -> None:
        """Add or replace ``docs`` and remove ``gone`` in ``session`` (no commit)."""
        self._store(session, prepared(docs), gone)

    def _store(self, session: Session, rows: Rows, gone: Iterable[int] = ()) -> None:
        documents, pages = rows
        ids = sorted({*(d["pub_id"] for d in documents), *gone})
        if ids:
            session.execute(text("DELETE FROM search_pages WHERE pub_id = ANY(:ids)"), {"ids": ids})
            session.execute(
                text("DELETE FROM search_documents WHERE pub_id = ANY(:ids)"), {"ids": ids}
            )
        if documents:
            session.execute(_INSERT_DOCUMENTS, documents)
        for batch in pages:
            session.execute(_INSERT_PAGES, batch)

    def add(self, docs: Iterable[PubDoc]) -> None:
        with self._writing() as session:
            self.write(session, docs)

    def delete(self, pub_ids: Iterable[int]) -> None:
        with self._writing() as session:
            self.write(session, (), pub_ids)

    def rebuild(self, docs: Iterable[PubDoc]) -> int:
        """Replace every row in one transaction (readers see the old rows until commit).

        A thread analyses the next publications while PostgreSQL stores the last ones
        (the analysis is pure Python; the thread touches no session): the two take about
        as long, and the wait for the database releases the GIL."""
        seen: set[int] = set()
        with self._writing() as session, ThreadPoolExecutor(max_workers=1) as analyser:
            session.execute(text("DELETE FROM search_pages"))
            session.execute(text("DELETE FROM search_documents"))
            pending: Future[Rows] | None = None
            for chunk in chunks(docs):
                seen.update(d.pub_id for d in chunk)
                ready, pending = pending, analyser.submit(prepared, chunk)
                if ready is not None:
                    self._store(session, ready.result())
            if pending is not None:
                self._store(session, pending.result())
            _settled(session)
        return len(seen)

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        session = self._new_session()
        try:
            with _errors("write"), session.begin():  # commits at the end, or rolls back
                yield session
        finally:
            session.close()

    # -- reading ---------------------------------------------------------------------

    @contextmanager
    def _reading(self, what: str, indexed: bool = False) -> Iterator[Session]:
        """A savepoint of the reading session (a failure spoils only it); ``indexed``:
        with the engine's planner settings while in it (see :func:`_planned`)."""
        session = self._session()
        with _errors(what), session.begin_nested():
            if not indexed:
                yield session
                return
            with _planned(session):
                yield session

    def count(self) -> int:
        with self._reading("count") as session:
            return int(session.scalar(text("SELECT count(*) FROM search_documents")) or 0)

    def health(self) -> dict[str, Any]:
        with self._reading("health") as session:
            documents = session.scalar(text("SELECT count(*) FROM search_documents"))
            trgm = session.scalar(
                text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")
            )
        if not trgm:
            raise SearchError("The pg_trgm extension is not installed (run the migrations).")
        # Rows change with the catalogue's own transaction: never behind the database.
        return {"engine": self.name, "documents": int(documents or 0), "lag_seconds": 0}

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
        pq = parse(q or "")
        searched = None
        if sort not in ("relevance", "date"):
            raise QueryError(f"Unknown sort {sort!r}: 'relevance' or 'date'.")
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise QueryError(f"Bad page ({page}) or page size ({per_page}).")
        params: dict[str, Any] = {}
        where = filters_sql(dict(filters or {}), params)
        if hidden:  # a "f" parameter: kept when a typo-corrected query is run
            where += " AND NOT (d.pub_id = ANY(CAST(:f_hidden AS int[])))"
            params["f_hidden"] = sorted({int(i) for i in hidden})
        by_date = sort == "date" or pq.is_browse
        with self._reading("query", indexed=True) as session:
            matched = Matcher(pq, params)
            rows, total, counted = _matches(
                session, matched, where, facets, by_date, page, per_page
            )
            if (
                correct
                and not total
                and (corrected := self._typo_corrected(session, pq)) is not None
            ):
                searched = corrected_text(q, pq, corrected)
                pq, params = corrected, {k: v for k, v in params.items() if k.startswith("f")}
                matched = Matcher(pq, params)
                rows, total, counted = _matches(
                    session, matched, where, facets, by_date, page, per_page
                )
            pages = self._hit_pages(session, pq, matched, [r.pub_id for r in rows])
        hits = []
        for row in rows:
            title_html = highlight(row.title, marks(row.title, pq)[0])
            found = pages.get(row.pub_id, [])
            text_html = ""
            if found:
                text_html = snippet(found[0][1], marks(found[0][1], pq)[0])
            if not text_html:
                text_html = highlight(row.abstract, marks(row.abstract, pq)[0], ABSTRACT_WORDS)
            score = round(float(row.score), 4)
            hits.append(Hit(row.pub_id, score, title_html, text_html, [p for p, _ in found]))
        return Results(int(total), hits, counted, searched if total else None)

    def _hit_pages(
        self, session: Session, pq: ParsedQuery, matched: Matcher, ids: list[int]
    ) -> dict[int, list[tuple[int, str]]]:
        """Pub id -> its best pages (number, text of the first one only)."""
        if not ids or not pq.positives:
            return {}
        rows = session.execute(
            text(
                "SELECT pub_id, page, CASE WHEN rn = 1 THEN body ELSE '' END AS body FROM ("  # noqa: S608
                f"SELECT pub_id, page, body, row_number() OVER (PARTITION BY pub_id "
                f"ORDER BY {matched.page_order()}) AS rn FROM search_pages p "
                f"WHERE pub_id = ANY(:ids) AND ({matched.page_any()})) ranked "
                "WHERE rn <= :most ORDER BY pub_id, rn"
            ),
            {**matched.params, "ids": ids, "most": MAX_HIT_PAGES},
        ).all()
        out: dict[int, list[tuple[int, str]]] = {}
        for row in rows:
            out.setdefault(row.pub_id, []).append((row.page, row.body))
        return out

    def search_pages(self, pub_id: int, q: str, *, limit: int = 50) -> list[PageHit]:
        pq = parse(q or "")
        if not pq.positives:
            return []
        matched = Matcher(pq, {})
        with self._reading("search", indexed=True) as session:
            rows = session.execute(
                text(
                    f"SELECT page, body FROM search_pages p WHERE pub_id = :pub_id "  # noqa: S608
                    f"AND ({matched.page_any()}) ORDER BY {matched.page_order()} LIMIT :limit"
                ),
                {**matched.params, "pub_id": pub_id, "limit": limit},
            ).all()
        hits = []
        for row in rows:
            marked, clauses = marks(row.body, pq)
            score = max(1, clauses) + 0.1 * math.log1p(len(marked))
            hits.append(PageHit(row.page, snippet(row.body, marked), round(score, 4)))
        return hits

    def _typo_corrected(self, session: Session, pq: ParsedQuery) -> ParsedQuery | None:
        """The query with each word that matches nothing widened to the title words an
        edit or two away (the Whoosh engine's rule), candidates found by trigrams."""

        def matches(group: tuple[Clause, ...]) -> bool:
            probe = Matcher(ParsedQuery((group,), (), group), {})
            return bool(session.scalar(count_sql(probe.where("TRUE")), probe.params))

        return typo_widened(pq, matches, lambda word: near_words(session, word))


def _matches(
    session: Session,
    matched: Matcher,
    where: str,
    facets: bool,
    by_date: bool,
    page: int,
    per_page: int,
) -> tuple[list[Any], int, dict[str, list[tuple[str, int]]]]:
    """The rows of one page of results, the number of matches and the facet counts."""
    total: int | None = None
    counted: dict[str, list[tuple[str, int]]] = {}
    if facets:
        total, counted = total_and_facets(session, matched.where(where), matched.params, True)
        if not total:
            return [], 0, counted
    bounds = window(page, per_page, by_date)
    rows = list(session.execute(page_sql(matched, where, by_date), {**matched.params, **bounds}))
    if total is None:
        if rows:
            total = int(rows[0].total)
        elif bounds["skip"] or bounds["offset"]:  # past the last page: count them
            total = int(session.scalar(count_sql(matched.where(where)), matched.params) or 0)
        else:
            total = 0
    return rows, total, counted


@contextmanager
def _planned(session: Session) -> Iterator[None]:
    """The statements run inside planned without sequential scans or parallel workers
    (the caller's settings restored after; a failure rolls the savepoint back, which
    restores them too).

    The planner sees ``search_documents`` as a small table and scans it, testing each
    row's ``all_tsv``; but that vector is large and kept out of line, so each test
    fetches and decompresses it: at 2,400 publications that scan took 40-100 ms where
    the GIN index answers in 1-2 ms (its matches need no recheck, so the vectors are
    never read). The planner does not cost the out-of-line reads, hence the setting.
    And for the hit pages of 20 publications (a thousand rows, under a millisecond of
    work) it started two parallel workers: 15-20 ms."""
    seqscan, workers = session.execute(
        text(
            "SELECT current_setting('enable_seqscan'), "
            "current_setting('max_parallel_workers_per_gather'), "
            "set_config('enable_seqscan', 'off', true), "
            "set_config('max_parallel_workers_per_gather', '0', true)"
        )
    ).one()[:2]
    yield
    session.execute(
        text(
            "SELECT set_config('enable_seqscan', :seqscan, true), "
            "set_config('max_parallel_workers_per_gather', :workers, true)"
        ),
        {"seqscan": seqscan, "workers": workers},
    )


def _settled(session: Session) -> None:
    """After a rebuild: the documents' GIN index with its pending list merged (every
    query reads that list whole: 300 pages after 200,000 pages were indexed), and the
    tables' statistics taken, so that the first queries are planned on the new rows. The
    merge only where this role may do it (it owns the index), else autovacuum does it."""
    session.execute(
        text(
            "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
            "WHERE c.oid = to_regclass('ix_search_documents_all_tsv') "
            "AND pg_has_role(c.relowner, 'USAGE')"
        )
    )
    session.execute(text("ANALYZE search_documents, search_pages"))


class _errors:
    """Database failures of an operation as ``SearchError`` (a query PostgreSQL cannot
    take, such as one too complex for a tsquery, as ``QueryError``)."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        if isinstance(exc, DataError | ProgrammingError) and self.what in ("query", "search"):
            raise QueryError(
                f"The search engine cannot take this query: {type(exc).__name__}"
            ) from exc
        if isinstance(exc, SQLAlchemyError):
            raise SearchError(f"Search {self.what} failed: {type(exc).__name__}") from exc

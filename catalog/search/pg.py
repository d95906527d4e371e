"""``PostgresSearch``: the catalogue's full-text search in PostgreSQL.

Rows, not files: :meth:`PostgresSearch.write` puts a publication's rows in the caller's
session, so the search changes in the transaction that changes the catalogue and every
host sees it at commit. Lexemes come from the project's analysis (see ``pg_text``);
PostgreSQL matches them with GIN indexes, ranks them with ``ts_rank`` (exact words
weight A, stems B; title over abstract over body, as the Whoosh engine weighs them),
counts facets and sorts; page numbers and snippets come from ``search_pages``; a word
that matches nothing is widened to title words an edit or two away, found with the
trigram index (pg_trgm). Queries run in a savepoint, so a failing one never spoils the
caller's transaction.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DataError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import Session

from catalog.search.analysis import STEM_MARK, tokens
from catalog.search.matching import FILTER_ALIASES
from catalog.search.models import Hit, PageHit, PubDoc, QueryError, Results, SearchError
from catalog.search.pg_tables import DOCUMENTS, PAGES
from catalog.search.pg_text import all_words_query, body_vector, clause_query, field_vector, marks
from catalog.search.querying import Clause, ParsedQuery, parse
from catalog.search.results import ABSTRACT_WORDS, FACETS, MAX_FACET_VALUES, MAX_PER_PAGE
from catalog.search.snippets import MAX_HIT_PAGES, highlight, snippet

WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B (stems), A (exact words)
BOOST = {"head": 6.0, "meta": 2.0, "body": 1.5}
FILTER_COLUMNS = {"year": "d.year", "type": "d.kind", "language": "d.language", "access": "d.access"}
TYPO_THRESHOLD = 0.3  # pg_trgm word similarity of a candidate title
BATCH = 500  # page rows per INSERT


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
        batch = list({d.pub_id: d for d in docs}.values())
        ids = sorted({*(d.pub_id for d in batch), *gone})
        if ids:
            session.execute(text(f"DELETE FROM {PAGES} WHERE pub_id = ANY(:ids)"), {"ids": ids})
            session.execute(text(f"DELETE FROM {DOCUMENTS} WHERE pub_id = ANY(:ids)"), {"ids": ids})
        if batch:
            self._insert(session, batch)

    def _insert(self, session: Session, docs: list[PubDoc]) -> None:
        session.execute(
            text(
                f"INSERT INTO {DOCUMENTS} (pub_id, title, subtitle, abstract, head, subjects, "
                "kind, language, year, release_date, access, head_tsv, meta_tsv, body_tsv) "
                "VALUES (:pub_id, :title, :subtitle, :abstract, :head, :subjects, :kind, "
                ":language, :year, :release_date, :access, CAST(:head_tsv AS tsvector), "
                "CAST(:meta_tsv AS tsvector), CAST(:body_tsv AS tsvector))"
            ),
            [_document_row(d) for d in docs],
        )
        insert_pages = text(
            f"INSERT INTO {PAGES} (pub_id, page, body, tsv) "
            "VALUES (:pub_id, :page, :body, CAST(:tsv AS tsvector))"
        )
        rows: list[dict[str, Any]] = []
        for doc in docs:
            for number, page in enumerate(doc.pages, start=1):
                if page.strip():
                    rows.append(
                        {"pub_id": doc.pub_id, "page": number, "body": page, "tsv": field_vector(page)}
                    )
                if len(rows) >= BATCH:
                    session.execute(insert_pages, rows)
                    rows = []
        if rows:
            session.execute(insert_pages, rows)

    def add(self, docs: Iterable[PubDoc]) -> None:
        with self._writing() as session:
            self.write(session, docs)

    def delete(self, pub_ids: Iterable[int]) -> None:
        with self._writing() as session:
            self.write(session, (), pub_ids)

    def rebuild(self, docs: Iterable[PubDoc]) -> int:
        """Replace every row in one transaction (readers see the old rows until commit)."""
        seen: set[int] = set()
        with self._writing() as session:
            session.execute(text(f"DELETE FROM {PAGES}"))
            session.execute(text(f"DELETE FROM {DOCUMENTS}"))
            chunk: list[PubDoc] = []
            for doc in docs:
                seen.add(doc.pub_id)
                chunk.append(doc)
                if len(chunk) >= 50:
                    self.write(session, chunk)
                    chunk = []
            self.write(session, chunk)
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
    def _reading(self, what: str) -> Iterator[Session]:
        session = self._session()
        with _errors(what), session.begin_nested():  # a failure spoils only the savepoint
            yield session

    def count(self) -> int:
        with self._reading("count") as session:
            return int(session.scalar(text(f"SELECT count(*) FROM {DOCUMENTS}")) or 0)

    def health(self) -> dict[str, Any]:
        with self._reading("health") as session:
            documents = session.scalar(text(f"SELECT count(*) FROM {DOCUMENTS}"))
            trgm = session.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"))
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
    ) -> Results:
        pq = parse(q or "")
        if sort not in ("relevance", "date"):
            raise QueryError(f"Unknown sort {sort!r}: 'relevance' or 'date'.")
        if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
            raise QueryError(f"Bad page ({page}) or page size ({per_page}).")
        params: dict[str, Any] = {}
        where = _filters(dict(filters or {}), params)
        with self._reading("query") as session:
            matched = _Matcher(pq, params)
            total = session.scalar(_count_sql(matched.where(where)), params) or 0
            if not total and (corrected := self._typo_corrected(session, pq)) is not None:
                pq, params = corrected, {k: v for k, v in params.items() if k.startswith("f")}
                matched = _Matcher(pq, params)
                total = session.scalar(_count_sql(matched.where(where)), params) or 0
            order = (
                "release_date DESC NULLS LAST, score DESC, pub_id"
                if sort == "date" or pq.is_browse
                else "score DESC, release_date DESC NULLS LAST, pub_id"
            )
            rows = session.execute(
                text(
                    f"SELECT d.pub_id, d.title, d.abstract, {matched.score()} AS score "
                    f"FROM {DOCUMENTS} d WHERE {matched.where(where)} "
                    f"ORDER BY {order} LIMIT :limit OFFSET :offset"
                ),
                {**params, "limit": per_page, "offset": (page - 1) * per_page},
            ).all()
            pages = self._hit_pages(session, pq, matched, [r.pub_id for r in rows])
            counted = _facets(session, matched.where(where), params) if facets else {}
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
        return Results(int(total), hits, counted)

    def _hit_pages(
        self, session: Session, pq: ParsedQuery, matched: _Matcher, ids: list[int]
    ) -> dict[int, list[tuple[int, str]]]:
        """Pub id -> its best pages (number, text of the first one only)."""
        if not ids or not pq.positives:
            return {}
        rows = session.execute(
            text(
                "SELECT pub_id, page, CASE WHEN rn = 1 THEN body ELSE '' END AS body FROM ("
                f"SELECT pub_id, page, body, row_number() OVER (PARTITION BY pub_id "
                f"ORDER BY {matched.page_order()}) AS rn FROM {PAGES} p "
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
        matched = _Matcher(pq, {})
        with self._reading("search") as session:
            rows = session.execute(
                text(
                    f"SELECT page, body FROM {PAGES} p WHERE pub_id = :pub_id "
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
        if pq.is_browse or any(c.kind != "word" for c in pq.positives):
            return None
        groups, changed = [], False
        for group in pq.groups:
            probe = _Matcher(ParsedQuery((group,), (), group), {})
            if session.scalar(_count_sql(probe.where("TRUE")), probe.params):
                groups.append(group)
                continue
            near: list[Clause] = []
            for clause in group:
                near += [Clause("word", (w,)) for w in _near_words(session, clause.words[0])]
            if not near:
                return None
            groups.append(tuple(near))
            changed = True
        if not changed:
            return None
        return ParsedQuery(tuple(groups), pq.excluded, tuple(c for g in groups for c in g))


def _near_words(session: Session, word: str) -> list[str]:
    if len(word) < 4:
        return []
    dist = 1 if len(word) < 7 else 2  # as the Whoosh engine: a swap is two edits
    session.execute(
        text("SELECT set_config('pg_trgm.word_similarity_threshold', :t, true)"),
        {"t": str(TYPO_THRESHOLD)},
    )
    heads = session.scalars(
        text(f"SELECT head FROM {DOCUMENTS} WHERE :w <% head LIMIT 500"), {"w": word}
    ).all()
    frequency: Counter[str] = Counter()
    for head in heads:
        frequency.update(set(tokens(head)))
    found = [t for t in frequency if t != word and not t.startswith(STEM_MARK)]
    near = sorted(t for t in found if _within(word, t, dist))
    return heapq.nlargest(8, near, key=frequency.__getitem__)


def _within(a: str, b: str, dist: int) -> bool:
    """Levenshtein distance of ``a`` and ``b`` at most ``dist``."""
    if abs(len(a) - len(b)) > dist:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > dist:
            return False
        previous = current
    return previous[-1] <= dist


class _Matcher:
    """The SQL of a parsed query: its WHERE condition, score and page ranking, with
    the tsquery literals as bound parameters (never spliced into the SQL)."""

    def __init__(self, pq: ParsedQuery, params: dict[str, Any]) -> None:
        self.pq = pq
        self.params = params
        self._names: dict[tuple[str, tuple[str, ...]], str] = {}

    def _param(self, clause: Clause, words_only: bool = False) -> str:
        key = ("and" if words_only else clause.kind, clause.words)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = f"q{len(self._names)}"
            literal = all_words_query(clause) if words_only else clause_query(clause)
            self.params[name] = literal
        return f"CAST(:{name} AS tsquery)"

    def _condition(self, clause: Clause) -> str:
        q = self._param(clause)
        if clause.kind != "phrase":
            return f"d.all_tsv @@ {q}"
        return (
            f"(d.head_tsv @@ {q} OR d.meta_tsv @@ {q} OR EXISTS (SELECT 1 FROM {PAGES} p "
            f"WHERE p.pub_id = d.pub_id AND p.tsv @@ {q}))"
        )

    def where(self, extra: str) -> str:
        parts = [extra]
        for group in self.pq.groups:
            parts.append("(" + " OR ".join(self._condition(c) for c in group) + ")")
        parts += [f"NOT {self._condition(c)}" for c in self.pq.excluded]
        return " AND ".join(parts)

    def score(self) -> str:
        if not self.pq.positives:
            return "0.0"
        terms = []
        for clause in self.pq.positives:
            q = self._param(clause)
            body = self._param(clause, words_only=True) if clause.kind == "phrase" else q
            terms.append(
                f"{BOOST['head']} * ts_rank('{WEIGHTS}', d.head_tsv, {q}) + "
                f"{BOOST['meta']} * ts_rank('{WEIGHTS}', d.meta_tsv, {q}) + "
                f"{BOOST['body']} * ts_rank('{WEIGHTS}', d.body_tsv, {body}, 1)"
            )
        return "(" + " + ".join(terms) + ")"

    def page_any(self) -> str:
        return " OR ".join(f"p.tsv @@ {self._param(c)}" for c in self.pq.positives)

    def page_order(self) -> str:
        """Pages with the most clauses first, then the most matches, then the earlier."""
        clauses = " + ".join(f"(p.tsv @@ {self._param(c)})::int" for c in self.pq.positives)
        ranks = " + ".join(f"ts_rank('{WEIGHTS}', p.tsv, {self._param(c)})" for c in self.pq.positives)
        return f"{clauses} DESC, {ranks} DESC, p.page"


def _filters(filters: dict[str, str | int], params: dict[str, Any]) -> str:
    parts = ["TRUE"]
    for n, (key, value) in enumerate(filters.items()):
        name = FILTER_ALIASES.get(key, key)
        param = f"f{n}"
        if name == "subject":
            parts.append(f":{param} = ANY(d.subjects)")
            params[param] = str(value)
        elif name == "year":
            year = str(value).strip()
            # The Whoosh engine compares years as text: "abc" or "02023" match nothing.
            parts.append(f"d.year = :{param}" if year.isdigit() and year == str(int(year)) else "FALSE")
            params[param] = int(year) if year.isdigit() else 0
        elif name in FILTER_COLUMNS:
            parts.append(f"{FILTER_COLUMNS[name]} = :{param}")
            params[param] = str(value)
        else:
            raise QueryError(f"Unknown filter {key!r}.")
    return " AND ".join(parts)


def _count_sql(where: str) -> Any:
    return text(f"SELECT count(*) FROM {DOCUMENTS} d WHERE {where}")


def _facets(session: Session, where: str, params: dict[str, Any]) -> dict[str, list[tuple[str, int]]]:
    rows = session.execute(
        text(
            f"WITH m AS MATERIALIZED (SELECT d.subjects, d.year, d.kind, d.language "
            f"FROM {DOCUMENTS} d WHERE {where}) "
            "SELECT 'subject' AS facet, s AS value, count(*) AS n FROM m, unnest(m.subjects) s "
            "GROUP BY s UNION ALL "
            "SELECT 'year', year::text, count(*) FROM m WHERE year IS NOT NULL GROUP BY year "
            "UNION ALL SELECT 'type', kind, count(*) FROM m GROUP BY kind "
            "UNION ALL SELECT 'language', language, count(*) FROM m GROUP BY language"
        ),
        params,
    ).all()
    out: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for row in rows:
        if row.value:
            out[row.facet].append((row.value, int(row.n)))
    return {
        name: sorted(values, key=lambda kv: (-kv[1], kv[0]))[:MAX_FACET_VALUES]
        for name, values in out.items()
    }


def _document_row(doc: PubDoc) -> dict[str, Any]:
    head = f"{doc.title} {doc.subtitle} {doc.kat_no} {doc.pub_no}"
    return {
        "pub_id": doc.pub_id,
        "title": doc.title,
        "subtitle": doc.subtitle,
        "abstract": doc.abstract,
        "head": " ".join([head, doc.title_en]),
        "subjects": list(doc.subjects),
        "kind": doc.kind,
        "language": doc.language,
        "year": doc.year,
        "release_date": doc.release_date,
        "access": doc.access,
        "head_tsv": field_vector(head, doc.title_en),
        "meta_tsv": field_vector(" ".join([*doc.subjects, doc.abstract])),
        "body_tsv": body_vector(doc.pages),
    }


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
            raise QueryError(f"The search engine cannot take this query: {type(exc).__name__}") from exc
        if isinstance(exc, SQLAlchemyError):
            raise SearchError(f"Search {self.what} failed: {type(exc).__name__}") from exc

"""The SQL of the PostgreSQL engine's queries: conditions, scores, pages, facets.

Only fixed fragments and parameter names are put together into SQL text here; the
user's words reach PostgreSQL as bound tsquery literals (``pg_text``), filters as bound
values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from catalog.search.matching import FILTER_ALIASES
from catalog.search.models import QueryError
from catalog.search.pg_text import all_words_query, clause_query
from catalog.search.querying import Clause, ParsedQuery
from catalog.search.results import FACETS, MAX_FACET_VALUES

WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B (stems), A (exact words)

BOOST = {"head": 6.0, "meta": 2.0, "body": 1.5}

FILTER_COLUMNS = {
    "year": "d.year",
    "type": "d.kind",
    "language": "d.language",
    "access": "d.access",
}

CANDIDATES = 100  # results scored on their whole text beyond the page asked for


class Matcher:
    """The SQL of a parsed query: its WHERE condition, scores and page ranking, with
    the tsquery literals as bound parameters. Only these fixed fragments and parameter
    names are put together into SQL text; the user's words are always bound values."""

    def __init__(self, pq: ParsedQuery, params: dict[str, Any]) -> None:
        self.pq = pq
        self.params = params
        self._names: dict[tuple[str, str, tuple[str, ...]], str] = {}

    def _param(self, clause: Clause, form: str = "weighted") -> str:
        key = (form, clause.kind, clause.words)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = f"q{len(self._names)}"
            if form in ("all words", "plain words"):
                self.params[name] = all_words_query(clause, weighted=form == "all words")
            else:
                self.params[name] = clause_query(clause, weighted=form == "weighted")
        return f"CAST(:{name} AS tsquery)"

    def _condition(self, clause: Clause) -> str:
        if clause.kind != "phrase":  # all_tsv is stripped: no weights to ask for
            return f"d.all_tsv @@ {self._param(clause, 'plain')}"
        # A phrase: its words anywhere (the index narrows the publications), then the
        # phrase itself in the title, the abstract or on one of those publications'
        # pages, read in order until one holds it. Not the pages' index: it finds every
        # page of the corpus holding the words (tens of thousands for common ones), each
        # then checked for positions; ``IS TRUE`` keeps PostgreSQL from asking it.
        q = self._param(clause)
        return (
            f"(d.all_tsv @@ {self._param(clause, 'plain words')} AND (d.head_tsv @@ {q} "  # noqa: S608
            f"OR d.meta_tsv @@ {q} OR EXISTS (SELECT 1 FROM search_pages p "
            f"WHERE p.pub_id = d.pub_id AND (p.tsv @@ {q}) IS TRUE)))"
        )

    def where(self, extra: str) -> str:
        parts = [extra]
        for group in self.pq.groups:
            parts.append("(" + " OR ".join(self._condition(c) for c in group) + ")")
        parts += [f"NOT {self._condition(c)}" for c in self.pq.excluded]
        return " AND ".join(parts)

    def head_score(self) -> str:
        """The score from the title and the abstract (small vectors: cheap)."""
        if not self.pq.positives:
            return "0.0"
        terms = [
            f"{BOOST['head']} * ts_rank('{WEIGHTS}', d.head_tsv, {q}) + "
            f"{BOOST['meta']} * ts_rank('{WEIGHTS}', d.meta_tsv, {q})"
            for q in map(self._param, self.pq.positives)
        ]
        return "(" + " + ".join(terms) + ")"

    def body_score(self) -> str:
        """The score from the whole text (a large vector: only for the candidates)."""
        if not self.pq.positives:
            return "0.0"
        terms = [
            f"{BOOST['body']} * ts_rank('{WEIGHTS}', d.body_tsv, "
            f"{self._param(c, 'all words' if c.kind == 'phrase' else 'weighted')}, 1)"
            for c in self.pq.positives
        ]
        return "(" + " + ".join(terms) + ")"

    def page_any(self) -> str:
        """The pages matching a clause, among pages found by publication. ``IS TRUE``
        keeps PostgreSQL from also asking the pages' GIN index: that scans every page of
        the corpus holding the words, where the publications' own pages are a few
        hundred at most."""
        return (
            "(" + " OR ".join(f"p.tsv @@ {self._param(c)}" for c in self.pq.positives) + ") IS TRUE"
        )

    def page_order(self) -> str:
        """Pages with the most clauses first, then the most matches, then the earlier."""
        ranks = " + ".join(
            f"ts_rank('{WEIGHTS}', p.tsv, {self._param(c)})" for c in self.pq.positives
        )
        if len(self.pq.positives) == 1:  # every page found matches it: one clause each
            return f"{ranks} DESC, p.page"
        clauses = " + ".join(f"(p.tsv @@ {self._param(c)})::int" for c in self.pq.positives)
        return f"{clauses} DESC, {ranks} DESC, p.page"


def filters_sql(filters: dict[str, str | int], params: dict[str, Any]) -> str:
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
            parts.append(
                f"d.year = :{param}" if year.isdigit() and year == str(int(year)) else "FALSE"
            )
            params[param] = int(year) if year.isdigit() else 0
        elif name in FILTER_COLUMNS:
            parts.append(f"{FILTER_COLUMNS[name]} = :{param}")
            params[param] = str(value)
        else:
            raise QueryError(f"Unknown filter {key!r}.")
    return " AND ".join(parts)


def count_sql(where: str) -> Any:
    return text(f"SELECT count(*) FROM search_documents d WHERE {where}")  # noqa: S608


def page_sql(matched: Matcher, where: str, by_date: bool) -> Any:
    """One page of results. The candidates are ranked by their titles and abstracts
    first (cheap); only they are scored on their whole text (its vector is large), in
    date order the page itself, by relevance the best ``CANDIDATES`` (and the pages
    before): a publication that matches only in its text and is not among them can rank
    lower than the Whoosh engine would place it."""
    cheap = matched.head_score()
    inner_order = (
        "d.release_date DESC NULLS LAST, s0 DESC, d.pub_id"
        if by_date
        else "s0 DESC, d.release_date DESC NULLS LAST, d.pub_id"
    )
    outer_order = (
        "d.release_date DESC NULLS LAST, c.s0 DESC, d.pub_id"
        if by_date
        else "score DESC, d.release_date DESC NULLS LAST, d.pub_id"
    )
    # count(*) OVER () is the number of matches, counted before the LIMIT: the total
    # without a statement of its own (which would match the query a second time).
    return text(
        f"SELECT d.pub_id, d.title, d.abstract, c.total, "  # noqa: S608
        f"c.s0 + {matched.body_score()} AS score FROM (SELECT d.pub_id, {cheap} AS s0, "
        f"count(*) OVER () AS total FROM search_documents d WHERE "
        f"{matched.where(where)} ORDER BY {inner_order} LIMIT :cand OFFSET :skip) c "
        f"JOIN search_documents d ON d.pub_id = c.pub_id "
        f"ORDER BY {outer_order} LIMIT :limit OFFSET :offset"
    )


def window(page: int, per_page: int, by_date: bool) -> dict[str, int]:
    start = (page - 1) * per_page
    if by_date:  # the page itself
        return {"cand": per_page, "skip": start, "limit": per_page, "offset": 0}
    return {"cand": start + per_page + CANDIDATES, "skip": 0, "limit": per_page, "offset": start}


def total_and_facets(
    session: Session, where: str, params: dict[str, Any], facets: bool
) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The number of matches and (if asked) the facet counts, in one statement."""
    if not facets:
        return int(session.scalar(count_sql(where), params) or 0), {}
    rows = session.execute(
        text(
            "WITH m AS MATERIALIZED (SELECT d.subjects, d.year, d.kind, d.language "  # noqa: S608
            f"FROM search_documents d WHERE {where}) "
            "SELECT 'total' AS facet, NULL AS value, count(*) AS n FROM m UNION ALL "
            "SELECT 'subject', s, count(*) FROM m, unnest(m.subjects) s GROUP BY s UNION ALL "
            "SELECT 'year', year::text, count(*) FROM m WHERE year IS NOT NULL GROUP BY year "
            "UNION ALL SELECT 'type', kind, count(*) FROM m GROUP BY kind "
            "UNION ALL SELECT 'language', language, count(*) FROM m GROUP BY language"
        ),
        params,
    ).all()
    total = 0
    out: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for row in rows:
        if row.facet == "total":
            total = int(row.n)
        elif row.value:
            out[row.facet].append((row.value, int(row.n)))
    ranked = {
        name: sorted(values, key=lambda kv: (-kv[1], kv[0]))[:MAX_FACET_VALUES]
        for name, values in out.items()
    }
    return total, ranked

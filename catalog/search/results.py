"""From document scores to ``Results``: order, pagination, hits with snippets, facets."""

from __future__ import annotations

import heapq
import itertools
from array import array
from collections import Counter
from collections.abc import Collection, Iterable

from catalog.search.analysis import TOKEN_RE
from catalog.search.matching import evaluate, typo_corrected
from catalog.search.models import Hit, PageHit, QueryError, Results
from catalog.search.querying import ParsedQuery, corrected_text
from catalog.search.snapshot import Snapshot
from catalog.search.snippets import (
    MAX_HIT_PAGES,
    PageMatches,
    clean,
    field_marks,
    highlight,
    snippet,
)

FACETS = ("subject", "year", "type", "language")
MAX_FACET_VALUES = 50
MAX_PER_PAGE = 200
ABSTRACT_WORDS = 40


def run_query(
    snap: Snapshot,
    pq: ParsedQuery,
    filters: dict[str, str | int],
    sort: str,
    page: int,
    per_page: int,
    facets: bool,
    typed: str | None = None,
    hidden: Collection[int] = (),
) -> Results:
    """One page of results of ``pq`` on ``snap``, without the publications ``hidden``;
    when nothing matches, the query ``typed`` is corrected (``None``: never)."""
    if sort not in ("relevance", "date"):
        raise QueryError(f"Unknown sort {sort!r}: 'relevance' or 'date'.")
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise QueryError(f"Bad page ({page}) or page size ({per_page}).")
    hide = hidden_docnums(snap, hidden)
    scores = evaluate(snap, pq, filters, hide)
    matched = list(itertools.compress(range(snap.size), scores))
    searched = None
    if typed is not None and not matched and (corrected := typo_corrected(snap, pq)) is not None:
        searched = corrected_text(typed, pq, corrected)
        pq, scores = corrected, evaluate(snap, corrected, filters, hide)
        matched = list(itertools.compress(range(snap.size), scores))
    dates = snap.dates
    if sort == "date" or pq.is_browse:
        top = heapq.nlargest(page * per_page, matched, key=lambda d: (dates[d], scores[d]))
    else:
        top = heapq.nlargest(page * per_page, matched, key=scores.__getitem__)
    hits = []
    for d in top[(page - 1) * per_page :]:
        stored = snap.stored(d)
        title_html = highlight(stored.get("title", ""), field_marks(snap, pq, d, "head"))
        pages: list[int] = []
        text = ""
        if pq.positives:
            found = PageMatches(snap, pq, d)
            pages = [p for p, _ in found.best(MAX_HIT_PAGES)]
            if pages:
                page_text = snap.page_text(d, pages[0])
                text = snippet(clean(page_text), found.marks(pages[0]))
        if not text:  # the abstract follows the subjects in the "meta" field
            skip = len(TOKEN_RE.findall(" ".join(snap.subjects[d])))
            marks = field_marks(snap, pq, d, "meta", skip)
            text = highlight(stored.get("abstract", ""), marks, ABSTRACT_WORDS)
        hits.append(Hit(int(stored["pub_id"]), round(scores[d], 4), title_html, text, pages))
    counted = count_facets(snap, scores) if facets else {}
    return Results(len(matched), hits, counted, searched if matched else None)


def hidden_docnums(snap: Snapshot, pub_ids: Collection[int]) -> list[int]:
    """The document numbers of the publications ``pub_ids`` in ``snap`` (a few: those
    under embargo or just withdrawn; a term lookup each)."""
    found = (snap.searcher.document_number(pub_id=str(i)) for i in pub_ids)
    return [d for d in found if d is not None]


def count_facets(snap: Snapshot, scores: array[float]) -> dict[str, list[tuple[str, int]]]:
    """Facet value counts over the matching documents, most frequent first."""
    chosen = {
        "subject": itertools.chain.from_iterable(itertools.compress(snap.subjects, scores)),
        "year": itertools.compress(snap.years, scores),
        "type": itertools.compress(snap.kinds, scores),
        "language": itertools.compress(snap.languages, scores),
    }
    return {name: _ranked(values) for name, values in chosen.items()}


def _ranked(values: Iterable[str]) -> list[tuple[str, int]]:
    counts = Counter(values)
    counts.pop("", None)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:MAX_FACET_VALUES]


def pages_of(snap: Snapshot, pq: ParsedQuery, docnum: int, limit: int) -> list[PageHit]:
    """The pages of one publication that match ``pq``, best first."""
    found = PageMatches(snap, pq, docnum, one=True)
    ranked = found.best(limit)
    texts = {p: snap.page_text(docnum, p) for p, _ in ranked}
    return [
        PageHit(p, snippet(clean(texts[p]), found.marks(p)), round(score, 4))
        for p, score in ranked
        if texts[p]
    ]

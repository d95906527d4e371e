"""Text for the PostgreSQL engine, analysed in Python: tsvector and tsquery literals,
and the words of a page or title a query marks.

PostgreSQL's own ``indonesian`` snowball stemmer groups words differently from
Sastrawi (it reproduces about three quarters of Sastrawi's groups on the demo
vocabulary), so the engine never lets PostgreSQL analyse: every lexeme is computed here
with the tokeniser and the stems the Whoosh engine uses, and handed over as a tsvector
literal. An exact word is a lexeme of weight A (``'penduduk':3A``); its Sastrawi stem is
the lexeme ``'~duduk'`` of weight B at the same position (``~`` never occurs in a token,
so a stem never meets an exact word of the same spelling). Ranking weights A over B:
exact matches first.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog.search.analysis import STEM_MARK, stem_en, stem_id, tokens
from catalog.search.querying import Clause, ParsedQuery

MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS = 256  # positions PostgreSQL keeps per lexeme


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _literal(exact: dict[str, list[int]], stems: dict[str, list[int]]) -> str:
    out = []
    for table, weight in ((exact, "A"), (stems, "B")):
        for lexeme, positions in table.items():
            poses = ",".join(f"{p}{weight}" for p in sorted(set(positions))[:MAX_POSITIONS])
            out.append(f"{_quote(lexeme)}:{poses}")
    return " ".join(out)


def field_vector(text: str, english: str = "") -> str:
    """The tsvector literal of a field's text (positions: word numbers from 1); the
    words of ``english`` (an English title) get English (Porter) stems as well."""
    exact: dict[str, list[int]] = {}
    stems: dict[str, list[int]] = {}
    words = tokens(text)
    english_from = len(words)
    words += tokens(english)
    for i, word in enumerate(words):
        pos = min(i + 1, MAX_POSITION)
        exact.setdefault(word, []).append(pos)
        found = {stem_id(word), stem_en(word) if i >= english_from else None}
        for stem in found:
            if stem is not None:
                stems.setdefault(STEM_MARK + stem, []).append(pos)
    return _literal(exact, stems)


def body_vector(pages: Iterable[str]) -> str:
    """The tsvector literal of a whole publication for matching and ranking: a word's
    positions are the numbers of the pages it is on (phrases are checked page by page,
    on each page's own vector)."""
    exact: dict[str, list[int]] = {}
    stems: dict[str, list[int]] = {}
    for number, text in enumerate(pages, start=1):
        pos = min(number, MAX_POSITION)
        for word in set(tokens(text)):
            exact.setdefault(word, []).append(pos)
            stem = stem_id(word)
            if stem is not None:
                stems.setdefault(STEM_MARK + stem, []).append(pos)
    return _literal(exact, stems)


def clause_query(clause: Clause) -> str:
    """The tsquery literal of one clause: a word or its stem, a prefix, a phrase."""
    if clause.kind == "prefix":
        return _quote(clause.words[0]) + ":*"
    if clause.kind == "phrase":
        return " <-> ".join(map(_quote, clause.words))
    word = clause.words[0]
    found = [word, *(STEM_MARK + s for s in {stem_id(word), stem_en(word)} if s is not None)]
    return "(" + " | ".join(map(_quote, dict.fromkeys(found))) + ")"


def all_words_query(clause: Clause) -> str:
    """A phrase's words ANDed (ranking a phrase on the page-numbered body vector)."""
    return " & ".join(map(_quote, clause.words))


def marks(text: str, pq: ParsedQuery) -> tuple[set[int], int]:
    """The indices of the words of ``text`` that the query's clauses match (what the
    Whoosh engine finds from its positions), and how many clauses match there."""
    words = tokens(text)
    found: set[int] = set()
    matched = 0
    for clause in pq.positives:
        before = len(found)
        if clause.kind == "phrase":
            n = len(clause.words)
            for i in range(len(words) - n + 1):
                if tuple(words[i : i + n]) == clause.words:
                    found.update(range(i, i + n))
        elif clause.kind == "prefix":
            found.update(i for i, w in enumerate(words) if w.startswith(clause.words[0]))
        else:
            word = clause.words[0]
            stem = stem_id(word)
            found.update(
                i
                for i, w in enumerate(words)
                if w == word or (stem is not None and (w == stem or stem_id(w) == stem))
            )
        matched += len(found) > before
    return found, matched

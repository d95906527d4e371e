"""The query language: a user's query string parsed into clauses.

Forgiving by design — a catalogue search box gets all sorts of input:

* words are ANDed: ``inflasi kaur``; ``AND``, ``&&``, ``+`` and parentheses are noise;
* ``"tenaga kerja"`` is a phrase (an unclosed quote runs to the end);
* ``pendud*`` is a prefix (at least two letters before the star);
* ``-kota`` or ``NOT kota`` excludes; ``a OR b`` (or ``a | b``) accepts either;
* a word with inner separators (``12.345``, ``covid-19``, ``anak-anak``) is a phrase of
  its parts, as the tokeniser splits it so at indexing time;
* ``field:`` prefixes are ignored (``judul:inflasi`` is ``inflasi``).

Free words that are stop words are dropped when other words remain. ``QueryError`` is
raised only for what cannot be searched at all: a too-short prefix, a query that is
all punctuation, an over-long query.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from catalog.search.analysis import STOP_WORDS, TOKEN_RE
from catalog.search.models import QueryError

MAX_QUERY = 500
MIN_PREFIX = 2
_LEXER = re.compile(
    r'\s*(?:(\|\|?|OR(?=[\s("]|$)|&&?|AND(?=[\s("]|$)|[()+])|(-|NOT\s+)?("[^"]*"?|[^\s"()|&+]+))'
)
_OR = frozenset({"|", "||", "OR"})
_FIELD = re.compile(r"^[^\W\d_]+:(?=\S)")


@dataclass(frozen=True)
class Clause:
    """A word, a phrase (several words) or a prefix; possibly excluded."""

    kind: str  # "word" | "phrase" | "prefix"
    words: tuple[str, ...]
    negated: bool = False

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """Identity of the clause's matches, regardless of negation."""
        return self.kind, self.words


@dataclass(frozen=True)
class ParsedQuery:
    """Required groups (AND) each of alternatives (OR), and excluded clauses."""

    groups: tuple[tuple[Clause, ...], ...] = ()
    excluded: tuple[Clause, ...] = ()
    positives: tuple[Clause, ...] = field(default=(), compare=False)

    @property
    def is_browse(self) -> bool:
        """True when nothing positive is asked for (list everything, minus exclusions)."""
        return not self.groups


@lru_cache(maxsize=4096)
def parse(q: str) -> ParsedQuery:
    """Parse a query string; ``QueryError`` when nothing in it can be searched."""
    q = q.strip()
    if len(q) > MAX_QUERY:
        raise QueryError(f"The query is too long (more than {MAX_QUERY} characters).")
    groups: list[list[Clause]] = []
    excluded: list[Clause] = []
    join_next = False
    for m in _LEXER.finditer(q):
        op = m.group(1)
        if op is not None:
            if op in _OR:
                join_next = bool(groups)
            elif op not in "()":
                join_next = False
            continue
        if m.group(3) is None:
            continue
        clause = _clause(m.group(3), negated=m.group(2) is not None)
        if clause is None:
            continue
        if clause.negated:
            excluded.append(clause)
        elif join_next:
            groups[-1].append(clause)
        else:
            groups.append([clause])
        join_next = False
    if q and not groups and not excluded:
        raise QueryError("The query has no words to search for.")
    groups = _without_stop_words(groups)
    positives = tuple(c for g in groups for c in g)
    return ParsedQuery(tuple(map(tuple, groups)), tuple(excluded), positives)


def _clause(raw: str, negated: bool) -> Clause | None:
    if raw.startswith('"'):
        words = tuple(TOKEN_RE.findall(raw.strip('"').lower()))
        if not words:
            return None
        return Clause("phrase" if len(words) > 1 else "word", words, negated)
    raw = _FIELD.sub("", raw)
    if raw.endswith("*"):
        stem = raw.rstrip("*")
        words = tuple(TOKEN_RE.findall(stem.lower()))
        if len(words) == 1 and stem.lower() == words[0]:
            if len(words[0]) < MIN_PREFIX:
                raise QueryError(f"A prefix search needs at least {MIN_PREFIX} letters.")
            return Clause("prefix", words, negated)
        raw = stem
    words = tuple(TOKEN_RE.findall(raw.lower()))
    if not words:
        return None
    return Clause("phrase" if len(words) > 1 else "word", words, negated)


def _without_stop_words(groups: list[list[Clause]]) -> list[list[Clause]]:
    def is_stop(group: list[Clause]) -> bool:
        return all(c.kind == "word" and c.words[0] in STOP_WORDS for c in group)

    kept = [g for g in groups if not is_stop(g)]
    return kept or groups


def corrected_text(q: str, typed: ParsedQuery, corrected: ParsedQuery) -> str:
    """``q`` as the engine searched it after a typo correction, to tell the reader: each
    widened word replaced by its first (most frequent) near word."""
    swaps = {
        before[0].words[0]: after[0].words[0]
        for before, after in zip(typed.groups, corrected.groups, strict=True)
        if before != after
    }
    return TOKEN_RE.sub(lambda m: swaps.get(m.group(0).lower(), m.group(0)), q.strip())


def typo_widened(
    pq: ParsedQuery,
    matches: Callable[[tuple[Clause, ...]], bool],
    near_words: Callable[[str], list[str]],
) -> ParsedQuery | None:
    """The query with each group that matches nothing widened to the words near its
    words (both engines' typo correction; each engine says what matches and what is
    near). None when nothing needs widening, when a group has no near word, or when the
    query holds phrases or prefixes (a typo there is the reader's to fix)."""
    if pq.is_browse or any(c.kind != "word" for c in pq.positives):
        return None
    groups, changed = [], False
    for group in pq.groups:
        if matches(group):
            groups.append(group)
            continue
        near = [Clause("word", (w,)) for clause in group for w in near_words(clause.words[0])]
        if not near:
            return None
        groups.append(tuple(near))
        changed = True
    if not changed:
        return None
    return ParsedQuery(tuple(groups), pq.excluded, tuple(c for g in groups for c in g))

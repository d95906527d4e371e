"""Typo candidates for the PostgreSQL engine: the title words an edit or two away from a
word that matches nothing, found with the trigram index (pg_trgm)."""

from __future__ import annotations

import heapq
from collections import Counter

from sqlalchemy import text
from sqlalchemy.orm import Session

from catalog.search.analysis import tokens

TYPO_THRESHOLD = 0.3  # pg_trgm word similarity of a candidate title


def near_words(session: Session, word: str) -> list[str]:
    if len(word) < 4:
        return []
    dist = 1 if len(word) < 7 else 2  # as the Whoosh engine: a swap is two edits
    session.execute(
        text("SELECT set_config('pg_trgm.word_similarity_threshold', :t, true)"),
        {"t": str(TYPO_THRESHOLD)},
    )
    heads = session.scalars(
        text("SELECT head FROM search_documents WHERE :w <% head LIMIT 500"), {"w": word}
    ).all()
    frequency: Counter[str] = Counter()
    for head in heads:
        frequency.update(set(tokens(head)))
    found = [t for t in frequency if t != word]
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

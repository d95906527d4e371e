"""Snippets cut with the window skip give exactly what splitting the whole page gave."""

from __future__ import annotations

import bisect
import html
import random
import re

from catalog.search import snippets
from catalog.search.snippets import _CLOSE, _OPEN, SNIPPET_WORDS, _split, snippet


def reference(text: str, marks: set[int], words: int = SNIPPET_WORDS) -> str:
    """The snippet as it was cut before the skip: split up to the window's end."""
    marked = sorted(marks)
    start = 0
    if marked:
        best = max(
            marked[:50],
            key=lambda i: bisect.bisect_left(marked, i + words - 6) - bisect.bisect_left(marked, i),
        )
        start = max(0, best - 6)
    pieces = _split(text, start + words + 1)
    count = (len(pieces) - 1) // 2
    if not count:
        return ""
    start = max(0, min(start, count - words))
    end = min(count, start + words)
    return _render(pieces, marked, start, end, more=len(pieces) > 2 * end + 1)


def _render(pieces: list[str], marked: list[int], start: int, end: int, more: bool) -> str:
    """The rendering as it was (every mark tested, whitespace folded by a regex)."""
    window = pieces[2 * start + 1 : 2 * end]
    for i in marked:
        if start <= i < end:
            window[2 * (i - start)] = _OPEN + window[2 * (i - start)] + _CLOSE
    lead = pieces[0] if start == 0 else ""
    tail = pieces[2 * end] if not more and len(pieces) > 2 * end else ""
    body = html.escape(re.sub(r"\s+", " ", lead + "".join(window) + tail).strip(), quote=False)
    body = body.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
    return ("… " if start > 0 else "") + body + (" …" if more else "")


WORDS = ["penduduk", "Bengkulu", "12.345", "tahun_2024", "ékonomi", "naïve", "Rp", "x"]
SEPARATORS = [" ", "  ", ", ", ".\n", " — ", "_", " (", ") ", "\t", "…", "\u00a0", " & ", "<"]


def _text(rng: random.Random, n: int) -> str:
    parts = [rng.choice(["", " ", "« "])]
    for _ in range(n):
        parts += [rng.choice(WORDS), rng.choice(SEPARATORS)]
    return "".join(parts)


def test_skipping_to_the_window_changes_no_snippet() -> None:
    rng = random.Random(5)
    for case in range(3000):
        text = _text(rng, rng.randint(0, 400))
        if case % 3 == 0:
            text = text.encode("ascii", "ignore").decode()
        words = len(_split(text)) // 2
        marks = {rng.randrange(words + 3) for _ in range(rng.randint(0, 8))} if words else set()
        size = rng.choice([SNIPPET_WORDS, 5, 1])
        assert snippet(text, marks, size) == reference(text, marks, size), (text, marks, size)


def test_skipping_words_never_splits_one() -> None:
    assert snippets._skip_words("ab cd", 3) is None
    assert snippets._skip_words("é-b cd", 2) == 3
    text = " ".join(f"w{n}" for n in range(500))
    assert snippets._skip_words(text, 300) == text.index(" w300")


def test_best_pages_of_one_clause_as_of_several() -> None:
    from array import array

    from catalog.search.schema import PAGE_STRIDE, U32

    rng = random.Random(9)
    for _ in range(2000):
        clauses = [
            array(
                U32,
                sorted(
                    rng.randint(1, 40) * PAGE_STRIDE + rng.randrange(300)
                    for _ in range(rng.randint(0, 30))
                ),
            )
            for _ in range(1)
        ]
        if not len(clauses[0]):
            continue
        limit = rng.choice([1, 5, 50])
        assert snippets._best_single(clauses[0], limit) == snippets._best_numpy(clauses, limit)

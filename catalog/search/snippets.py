"""Page numbers and highlighted snippets of a matching publication.

The body's positions say on which page, and at which word of it, each match sits
(position = page * PAGE_STRIDE + word), so a hit's pages come from the postings of
its query terms for that one document, and a snippet is cut around those words of
one decompressed page — no re-analysis of the page. Titles and abstracts, short,
are matched word by word. All text is HTML-escaped; matches are wrapped in ``<mark>``.
"""

from __future__ import annotations

import bisect
import html
import itertools
import math
import re
from array import array

import numpy

from catalog.search.analysis import ASCII_TOKEN_RE, STEM_MARK, TOKEN_RE, stem_id
from catalog.search.matching import expand_prefix, phrase_starts
from catalog.search.querying import Clause, ParsedQuery
from catalog.search.schema import PAGE_STRIDE, U32
from catalog.search.snapshot import Snapshot

SNIPPET_WORDS = 32  # words shown around the best match
MAX_HIT_PAGES = 5
_SPACE = re.compile(r"\s+")
_SPLIT = re.compile(f"({TOKEN_RE.pattern})")  # split() keeps the words: sep, word, sep, ...
_ASCII_SPLIT = re.compile(f"({ASCII_TOKEN_RE.pattern})")  # the same for ASCII text, faster
_OPEN, _CLOSE = "\x01", "\x02"  # stand-ins for <mark> </mark> until the text is escaped
_LOCAL = PAGE_STRIDE - 1
_PAGE_SHIFT = PAGE_STRIDE.bit_length() - 1  # position >> _PAGE_SHIFT == page


def clause_positions(
    snap: Snapshot, clause: Clause, docnum: int, fieldname: str = "body", one: bool = False
) -> array[int]:
    """Ascending positions where ``clause`` matches in a field of ``docnum`` (phrase:
    starts). Do not modify: it may be a cached array."""
    if clause.kind == "phrase":
        starts = phrase_starts(snap, fieldname, clause.words, docnum)
        return array(U32, starts.astype(numpy.uint32, copy=False).tobytes())
    if clause.kind == "prefix":
        terms = expand_prefix(snap, fieldname, clause.words[0])
        each = [snap.positions(fieldname, term, docnum, one) for term in terms]
        return array(U32, sorted(itertools.chain.from_iterable(each)))
    word = clause.words[0]
    stem = stem_id(word)
    if stem is not None:  # the stem's positions include the word's own
        found = snap.positions(fieldname, STEM_MARK + stem, docnum, one)
        if found:
            return found
        if stem != word:  # no "~stem": the stem itself may be the only such word
            found = snap.positions(fieldname, stem, docnum, one)
            if found:
                return found
    return snap.positions(fieldname, word, docnum, one)


def field_marks(
    snap: Snapshot, pq: ParsedQuery, docnum: int, fieldname: str, offset: int = 0
) -> set[int]:
    """Word indices to highlight in a field's first chunk (the title, the abstract),
    counted from ``offset`` (the words before that are not shown)."""
    marks: set[int] = set()
    for clause in pq.positives:
        span = len(clause.words) if clause.kind == "phrase" else 1
        for pos in clause_positions(snap, clause, docnum, fieldname):
            if offset <= pos < PAGE_STRIDE:
                marks.update(range(pos - offset, pos - offset + span))
    return marks


class PageMatches:
    """Where in one publication's body each positive clause of a query matches."""

    def __init__(self, snap: Snapshot, pq: ParsedQuery, docnum: int, one: bool = False) -> None:
        self.clauses = pq.positives
        self.positions = [clause_positions(snap, c, docnum, "body", one) for c in self.clauses]

    def best(self, limit: int) -> list[tuple[int, float]]:
        """``(page, score)`` of the best pages, best first: most clauses, then most
        matches, then the earlier page. Counted with numpy: a common word has thousands
        of positions in a long publication."""
        present = [p for p in self.positions if len(p)]
        if not present:
            return []
        if len(present) == 1:
            return _best_single(present[0], limit)
        return _best_numpy(present, limit)

    def marks(self, page: int) -> set[int]:
        """Indices (on ``page``) of the words to highlight."""
        lo, hi = page * PAGE_STRIDE, (page + 1) * PAGE_STRIDE
        out: set[int] = set()
        for clause, poses in zip(self.clauses, self.positions, strict=True):
            here = poses[bisect.bisect_left(poses, lo) : bisect.bisect_left(poses, hi)]
            if not here:
                continue
            local = [pos & _LOCAL for pos in here]
            out.update(local)
            if clause.kind == "phrase":  # every word of the phrase, not only its start
                out.update(x + k for k in range(1, len(clause.words)) for x in local)
        return out


def _best_single(positions: array[int], limit: int) -> list[tuple[int, float]]:
    """``best`` for one clause: pages by their number of matches (fewer numpy calls)."""
    counts = numpy.bincount(numpy.frombuffer(positions, dtype=numpy.uint32) >> _PAGE_SHIFT)
    pages = counts.nonzero()[0]
    per_page = counts[pages]
    order = numpy.argsort(-per_page, kind="stable")[:limit]  # ties: the earlier page
    return [
        (page, 1 + 0.1 * math.log1p(n))
        for page, n in zip(pages[order].tolist(), per_page[order].tolist(), strict=True)
    ]


def _best_numpy(present: list[array[int]], limit: int) -> list[tuple[int, float]]:
    counts = [
        numpy.bincount(numpy.frombuffer(p, dtype=numpy.uint32) >> _PAGE_SHIFT) for p in present
    ]
    size = max(len(c) for c in counts)
    total = numpy.zeros(size, dtype=numpy.int64)
    distinct = numpy.zeros(size, dtype=numpy.int64)  # how many clauses each page has
    for one in counts:
        total[: len(one)] += one
        distinct[: len(one)] += one > 0
    pages = numpy.flatnonzero(total)
    # lexsort: the last key is the primary one; ties end with the lower page first.
    order = numpy.lexsort((pages, -total[pages], -distinct[pages]))[:limit]
    single = len(counts) == 1
    return [
        (int(p), (1 if single else int(distinct[p])) + 0.1 * math.log1p(int(total[p])))
        for p in pages[order]
    ]


def snippet(text: str, marks: set[int], words: int = SNIPPET_WORDS) -> str:
    """HTML of ``words`` words of ``text`` around its best cluster of marked words."""
    marked = sorted(marks)
    start = 0
    if marked:  # the window (starting a few words before a match) holding most matches
        best = max(
            marked[:50],
            key=lambda i: bisect.bisect_left(marked, i + words - 6) - bisect.bisect_left(marked, i),
        )
        start = max(0, best - 6)
    if start:
        # Skip the words before the window in one regular-expression match, then split
        # only the window: pages run to hundreds of words.
        skipped = _skip_words(text, start)
        if skipped is not None:
            pieces = _split(text[skipped:], words + 1)
            count = (len(pieces) - 1) // 2
            if count >= words:  # else the page ends first: the window moves back
                more = count > words
                return _render(pieces, marked, start, start + words, more=more, base=start)
    pieces = _split(text, start + words + 1)
    count = (len(pieces) - 1) // 2  # pieces: sep, word, sep, word, ..., rest
    if not count:
        return ""
    start = max(0, min(start, count - words))
    end = min(count, start + words)
    return _render(pieces, marked, start, end, more=len(pieces) > 2 * end + 1)


def _word_skippers(word: str, sep: str) -> list[tuple[int, re.Pattern[str]]]:
    """Patterns matching 2**k words and the separators before each (k = 7..0),
    possessive: they never split a word to make up the count."""
    return [(1 << k, re.compile(f"(?:{sep}*+{word}+){{{1 << k}}}")) for k in range(7, -1, -1)]


_SKIP = {
    True: _word_skippers(ASCII_TOKEN_RE.pattern, "[^A-Za-z0-9]"),
    False: _word_skippers(TOKEN_RE.pattern, r"[\W_]"),
}


def _skip_words(text: str, words: int) -> int | None:
    """The offset in ``text`` just after its first ``words`` words (``None``: fewer)."""
    pos = 0
    for size, pattern in _SKIP[text.isascii()]:
        while words >= size:
            found = pattern.match(text, pos)
            if found is None:
                return None
            pos, words = found.end(), words - size
    return pos


def _render(
    pieces: list[str],
    marked: list[int],
    start: int,
    end: int,
    more: bool = False,
    base: int = 0,
) -> str:
    """HTML of words ``start..end`` of split text ``pieces``, ``marked`` (ascending) ones
    in <mark>;
    ``pieces`` begin at word ``base`` (with the separator before it).

    The text before the first word and after the last is kept when the window reaches
    that far; otherwise "…" stands for what is left out.
    """
    window = pieces[2 * (start - base) + 1 : 2 * (end - base)]  # word, sep, ..., word
    for i in marked[bisect.bisect_left(marked, start) : bisect.bisect_left(marked, end)]:
        window[2 * (i - start)] = _OPEN + window[2 * (i - start)] + _CLOSE
    lead = pieces[0] if start == 0 else ""
    last = 2 * (end - base)
    tail = pieces[last] if not more and len(pieces) > last else ""
    # Words never hold characters HTML escapes, so the sentinels survive escaping.
    # (str.split() splits on exactly the whitespace \s matches.)
    body = html.escape(" ".join((lead + "".join(window) + tail).split()), quote=False)
    body = body.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
    return ("… " if start > 0 else "") + body + (" …" if more else "")


def highlight(text: str, marks: set[int], window: int | None = None) -> str:
    """HTML of ``text`` with words number ``marks`` marked (a window of it if asked)."""
    text = clean(text)
    if not marks and window is None:  # nothing to mark: what _render would give, unsplit
        return html.escape(_SPACE.sub(" ", text).strip(), quote=False)
    pieces = _split(text)
    count = (len(pieces) - 1) // 2
    if window is not None and count > window:
        return snippet(text, marks, window)
    if not count:
        return html.escape(_SPACE.sub(" ", text).strip(), quote=False)
    return _render(pieces, sorted(i for i in marks if i < count), 0, count)


def marked_page(text: str, q: str) -> str:
    """HTML of a whole page's ``text`` with the words the query ``q`` matches (as the
    engines match them: words, stems, prefixes, phrases) in ``<mark>``; its line breaks
    kept, for the reader's text of a page. A query that cannot be parsed marks nothing."""
    from catalog.search.models import QueryError
    from catalog.search.pg_text import marks
    from catalog.search.querying import parse

    text = clean(text)
    try:
        found = marks(text, parse(q))[0] if q.strip() else set()
    except QueryError:
        found = set()
    pieces = _split(text)
    for i in found:  # pieces: sep, word, sep, word, ..., rest
        if 2 * i + 1 < len(pieces):
            pieces[2 * i + 1] = _OPEN + pieces[2 * i + 1] + _CLOSE
    body = html.escape("".join(pieces), quote=False)
    return body.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")


def _split(text: str, maxsplit: int = 0) -> list[str]:
    """``text`` split into separators and words: sep, word, sep, ..., rest."""
    return (_ASCII_SPLIT if text.isascii() else _SPLIT).split(text, maxsplit)


def clean(text: str) -> str:
    """``text`` without the sentinel characters used for marking."""
    return text.replace(_OPEN, "").replace(_CLOSE, "") if _OPEN in text or _CLOSE in text else text

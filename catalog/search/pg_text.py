"""Text for the PostgreSQL engine, analysed in Python: pre-analysed words for
``to_tsvector('simple', …)``, tsquery literals, and the words of a text a query marks.

PostgreSQL's own ``indonesian`` snowball stemmer groups words differently from
Sastrawi (it reproduces about three quarters of Sastrawi's groups on the demo
vocabulary), so PostgreSQL never stems here: the words are split by the project's
tokeniser and stemmed with its Sastrawi stems, and PostgreSQL only indexes the result
with the ``simple`` configuration (which lower-cases and keeps every word; our tokens
are runs of letters and digits, which its parser keeps whole). Exact words are weight A
and stems weight B (``setweight`` of the two texts, concatenated): a query asks for the
word as ``'penduduk':A`` and for its stem as ``'duduk':B``, and ranking weighs A over
B, so exact matches come first. The stems' positions follow the words' (concatenation
shifts them), so phrases are asked of exact words only.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog.search.analysis import stem_en, stem_id, tokens
from catalog.search.querying import Clause, ParsedQuery


def _quote(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def analysed(text: str, english: str = "") -> tuple[str, str]:
    """The exact words of ``text`` and their Sastrawi stems, each as space-separated
    text; the words of ``english`` (an English title) get English (Porter) stems too."""
    words = tokens(text)
    stems = [s for w in words if (s := stem_id(w)) is not None]
    if english:
        more = tokens(english)
        words += more
        for word in more:
            stems += dict.fromkeys(s for s in (stem_id(word), stem_en(word)) if s is not None)
    return " ".join(words), " ".join(stems)


def pages_analysed(pages: Iterable[str]) -> tuple[list[tuple[str, str] | None], tuple[str, str]]:
    """Each page's words and stems as :func:`analysed` gives them (``None`` for a blank
    page), and the whole publication's for matching and ranking it: each page's
    distinct words once (a word counts once per page it is on; PostgreSQL caps the
    positions, which bounds the vector of a long publication). Phrases and page numbers
    come from the pages' own vectors. Each page is split and stemmed once for both."""
    per_page: list[tuple[str, str] | None] = []
    exact: list[str] = []
    stems: list[str] = []
    for page in pages:
        words = tokens(page)
        page_stems = [s for w in words if (s := stem_id(w)) is not None]
        per_page.append((" ".join(words), " ".join(page_stems)) if page.strip() else None)
        # The distinct words' stems, in their first words' order, are the page's stems
        # without repeats.
        exact.append(" ".join(dict.fromkeys(words)))
        stems.append(" ".join(dict.fromkeys(page_stems)))
    return per_page, (" ".join(exact), " ".join(stems))


def clause_query(clause: Clause, weighted: bool = True) -> str:
    """The tsquery literal of one clause: the word (A) or its stems (B), a prefix of
    words, a phrase of words. ``weighted=False``: without the weights, for vectors that
    have none (``all_tsv``, stripped)."""
    a, b = (":A", ":B") if weighted else ("", "")
    if clause.kind == "prefix":
        return _quote(clause.words[0]) + ":*" + a.lstrip(":")
    if clause.kind == "phrase":
        return " <-> ".join(_quote(w) + a for w in clause.words)
    word = clause.words[0]
    found = [_quote(word) + a]
    found += [_quote(s) + b for s in dict.fromkeys((stem_id(word), stem_en(word))) if s]
    return "(" + " | ".join(dict.fromkeys(found)) + ")"


def all_words_query(clause: Clause, weighted: bool = True) -> str:
    """A phrase's words ANDed: ranking a phrase on the whole-publication vector, and
    (``weighted=False``) finding the publications that can hold it with the index."""
    return " & ".join(_quote(w) + (":A" if weighted else "") for w in clause.words)


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

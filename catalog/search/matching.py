"""Query evaluation: a parsed query against a snapshot, as one score per document.

Scores are BM25 (Whoosh's formula and parameters) summed over the terms a clause
expands to, weighted per field and per kind of term: the exact word counts more than
its stem ("penduduk" in a title outranks "duduk" there), a title more than the
abstract, the abstract more than the body. Each clause's scores are a flat array
(``0`` = no match) cached per snapshot; AND, OR, NOT, filters and deletions combine
those arrays element-wise, which Python does at C speed.
"""

from __future__ import annotations

import heapq
import itertools
import operator
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

import numpy

from catalog.search.analysis import STEM_MARK, stem_en, stem_id
from catalog.search.models import QueryError
from catalog.search.postings import Postings
from catalog.search.querying import Clause, ParsedQuery, typo_widened
from catalog.search.schema import FILTER_FIELDS, TEXT_FIELDS, positions_array
from catalog.search.snapshot import Snapshot

EXACT_BOOST = {"head": 6.0, "meta": 2.0, "body": 1.5}
STEM_BOOST = {"head": 3.0, "meta": 1.0, "body": 1.0}
PREFIX_FACTOR = 0.8
MAX_EXPANSIONS = 32  # terms a prefix or a typo correction expands to (most frequent)
_SCAN_EXPANSIONS = 2000
FILTER_ALIASES = {"kind": "type", "lang": "language", "subjects": "subject"}
Starts = numpy.ndarray[Any, numpy.dtype[numpy.uint32]]
_NO_STARTS: Starts = numpy.zeros(0, dtype=numpy.uint32)


def word_stems(word: str, fieldname: str) -> list[str]:
    """The stems a free word matches by in a field (English ones in the title only)."""
    found = [stem_id(word)]
    if fieldname == "head":
        found.append(stem_en(word))
    return list(dict.fromkeys(s for s in found if s is not None))


def stem_scores(snap: Snapshot, fieldname: str, stem: str, boost: float) -> array[float] | None:
    """Scores of a stem: of its ``~stem`` term where a document has one, else of the
    exact word equal to the stem (a document whose only such word is the stem itself
    has no ``~stem`` term, see ``schema.group_positions``)."""
    marked = snap.term_scores(fieldname, STEM_MARK + stem, boost)
    plain = snap.term_scores(fieldname, stem, boost)
    if marked is None or plain is None:
        return marked if plain is None else plain
    return array("d", [m or p for m, p in zip(marked, plain, strict=True)])


def clause_scores(snap: Snapshot, clause: Clause) -> array[float]:
    """The (cached, shared: do not modify) scores of one clause."""
    found = snap.clauses.get(clause.key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    if clause.kind == "word":
        word = clause.words[0]
        parts = [snap.term_scores(f, word, EXACT_BOOST[f]) for f in TEXT_FIELDS]
        for f in TEXT_FIELDS:
            parts += [stem_scores(snap, f, s, STEM_BOOST[f]) for s in word_stems(word, f)]
    elif clause.kind == "prefix":
        parts = [
            snap.term_scores(f, t, EXACT_BOOST[f] * PREFIX_FACTOR)
            for f in TEXT_FIELDS
            for t in expand_prefix(snap, f, clause.words[0])
        ]
    else:
        parts = [_phrase_scores(snap, f, clause.words) for f in TEXT_FIELDS]
    found = [p for p in parts if p is not None]
    acc = _union(found) if found else snap.zeros()
    snap.clauses.put(clause.key, acc, 8 * len(acc) + 64)
    return acc


def expand_prefix(snap: Snapshot, fieldname: str, prefix: str) -> list[str]:
    """The most frequent exact terms of ``fieldname`` that start with ``prefix``."""
    key = ("prefix-terms", fieldname, prefix)
    found = snap.clauses.get(key)
    if found is None:
        found = _expand_prefix(snap, fieldname, prefix)
        snap.clauses.put(key, found, 64 * len(found) + 64)
    return found  # type: ignore[no-any-return]


def _expand_prefix(snap: Snapshot, fieldname: str, prefix: str) -> list[str]:
    reader = snap.reader
    found = itertools.islice(reader.expand_prefix(fieldname, prefix), _SCAN_EXPANSIONS)
    terms = [t.decode() if isinstance(t, bytes) else t for t in found]
    if len(terms) > MAX_EXPANSIONS:
        terms = heapq.nlargest(
            MAX_EXPANSIONS, terms, key=lambda t: reader.doc_frequency(fieldname, t)
        )
    return terms


def phrase_starts(snap: Snapshot, fieldname: str, words: tuple[str, ...], docnum: int) -> Starts:
    """Ascending positions where the phrase ``words`` starts in ``fieldname`` of ``docnum``
    (read-only: it may be the array cached when the phrase was scored)."""
    scored = snap.clauses.get(("starts", fieldname, words))
    if scored is not None:
        return scored.get(docnum, _NO_STARTS)  # type: ignore[no-any-return]
    return _starts([snap.postings(fieldname, w) for w in words], docnum)


def _starts(posts: list[Postings], docnum: int) -> Starts:
    # numpy on the sorted uint32 positions: each candidate start is looked up in the
    # next word's positions with one binary search per array, not a Python loop.
    value = posts[0].value_of(docnum)
    if not value:
        return _NO_STARTS
    starts = positions_array(value)
    for k, post in enumerate(posts[1:], 1):
        value = post.value_of(docnum)
        if not value:
            return _NO_STARTS
        following = positions_array(value)
        wanted = starts + numpy.uint32(k)
        at = numpy.minimum(following.searchsorted(wanted), len(following) - 1)
        starts = starts[following[at] == wanted]
        if not starts.size:
            return _NO_STARTS
    return starts


def _phrase_scores(snap: Snapshot, f: str, words: tuple[str, ...]) -> array[float] | None:
    posts = [snap.postings(f, w) for w in words]
    if not all(p.ids for p in posts):
        return None
    rarest = min(posts, key=lambda p: len(p.ids))
    candidates = sorted(set(rarest.ids).intersection(*(p.ids for p in posts if p is not rarest)))
    idf = sum(snap.idf(p) for p in posts) / 2
    boost = EXACT_BOOST[f]
    acc = snap.zeros()
    found = phrase_starts_all(posts, candidates)  # kept: a hit's pages and snippet need them
    for d, starts in found.items():
        acc[d] = boost * snap.bm25(f, d, starts.size, idf)
    size = sum(4 * s.size + 100 for s in found.values())
    snap.clauses.put(("starts", f, words), found, size)
    return acc


_LOW32 = numpy.uint64(0xFFFFFFFF)
_EMPTY_VALUE = bytes(4)  # a count of 0 and no positions


def phrase_starts_all(posts: list[Postings], docs: list[int]) -> dict[int, Starts]:
    """``_starts`` of every document in ``docs`` (ascending) at once: each word's
    positions in all those documents as one sorted array of ``doc << 32 | position``,
    so the whole check is one binary search per word rather than per document. The
    candidates come from the rarest word (its positions minus its place in the phrase),
    checked against the other words, rarer first."""
    if not docs:
        return {}
    keys = [_doc_keys(post, docs) for post in posts]
    order = sorted(range(len(keys)), key=lambda k: len(keys[k]))
    rarest = order[0]
    # A position smaller than its place in the phrase wraps below its document: the
    # result (position 2**32 - n) is no one's position, so it never matches.
    starts = keys[rarest] - numpy.uint64(rarest)
    for k in order[1:]:
        if not starts.size:
            return {}
        following = keys[k]
        wanted = starts + numpy.uint64(k)  # positions stay far below 2**32: no carry
        at = numpy.minimum(following.searchsorted(wanted), len(following) - 1)
        starts = starts[following[at] == wanted]
    if not starts.size:
        return {}
    owners = starts >> numpy.uint64(32)
    bounds = (numpy.flatnonzero(owners[1:] != owners[:-1]) + 1).tolist()
    positions = (starts & _LOW32).astype(numpy.uint32)
    firsts = [0, *bounds]
    return {
        d: positions[a:b]
        for d, a, b in zip(owners[firsts].tolist(), firsts, [*bounds, len(starts)], strict=True)
    }


def _doc_keys(post: Postings, docs: list[int]) -> numpy.ndarray[Any, numpy.dtype[numpy.uint64]]:
    # Each value is a 4-byte count, then the positions: join them once, and drop the
    # counts by index rather than copying every value without its count first.
    values = [post.value_of(d) or _EMPTY_VALUE for d in docs]
    sizes = numpy.fromiter(map(len, values), dtype=numpy.int64, count=len(values)) // 4
    joined = numpy.frombuffer(b"".join(values), dtype="<u4")
    heads = numpy.cumsum(sizes) - sizes  # the index of each value's count
    keep = numpy.ones(len(joined), dtype=bool)
    keep[heads] = False
    owners = numpy.repeat(numpy.array(docs, dtype=numpy.uint64), sizes - 1)
    keys: numpy.ndarray[Any, numpy.dtype[numpy.uint64]] = (owners << numpy.uint64(32)) | joined[
        keep
    ]
    return keys


def filter_mask(snap: Snapshot, filters: dict[str, str | int]) -> array[float] | None:
    """1.0 for the documents matching every filter, ``None`` without filters."""
    mask: array[float] | None = None
    for key, value in filters.items():
        name = FILTER_ALIASES.get(key, key)
        if name not in FILTER_FIELDS:
            raise QueryError(f"Unknown filter {key!r}.")
        ckey = ("filter", name, str(value))
        part = snap.clauses.get(ckey)
        if part is None:
            part = snap.zeros()
            for d in snap.postings(FILTER_FIELDS[name], str(value)).ids:
                part[d] = 1.0
            snap.clauses.put(ckey, part, 8 * len(part) + 64)
        mask = part if mask is None else array("d", map(operator.mul, mask, part))
    return mask


def evaluate(
    snap: Snapshot,
    pq: ParsedQuery,
    filters: dict[str, str | int],
    hidden: Sequence[int] = (),
) -> array[float]:
    """One score per document (``0`` = not a match) for the query and the filters;
    the documents numbered in ``hidden`` score 0."""
    scores = snap.live
    for n, group in enumerate(pq.groups):
        alt = _union(clause_scores(snap, c) for c in group)
        scores = alt if n == 0 else _both(scores, alt)
    for clause in pq.excluded:
        hit = clause_scores(snap, clause)
        scores = array("d", [0.0 if x else s for s, x in zip(scores, hit, strict=True)])
    mask = filter_mask(snap, filters)
    if mask is not None:
        scores = array("d", map(operator.mul, scores, mask))
    scores = array("d", map(operator.mul, scores, snap.live))  # a fresh array
    for d in hidden:
        scores[d] = 0.0
    return scores


def typo_corrected(snap: Snapshot, pq: ParsedQuery) -> ParsedQuery | None:
    """The query with each unmatched word widened to title words an edit or two away."""
    return typo_widened(
        pq,
        lambda group: any(any(clause_scores(snap, c)) for c in group),
        lambda word: _near_words(snap, word),
    )


def _near_words(snap: Snapshot, word: str) -> list[str]:
    if len(word) < 4:
        return []
    reader = snap.reader
    dist = 1 if len(word) < 7 else 2  # Levenshtein: a swap of two letters is two edits
    within = reader.terms_within("head", word, dist)
    found = {t.decode() if isinstance(t, bytes) else t for t in within}
    found = {t for t in found if not t.startswith(STEM_MARK) and t != word}
    return heapq.nlargest(8, sorted(found), key=lambda t: reader.doc_frequency("head", t))


def _union(arrays: Iterable[array[float]]) -> array[float]:
    it = iter(arrays)
    acc = next(it)
    for other in it:
        acc = array("d", map(operator.add, acc, other))
    return acc


def _both(a: array[float], b: array[float]) -> array[float]:
    return array("d", [x + y if x and y else 0.0 for x, y in zip(a, b, strict=True)])

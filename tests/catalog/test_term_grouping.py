"""The terms of a document (words, ``~stems``, positions) as the simpler grouping made
them: the shared-list grouping changes no term and no position."""

from __future__ import annotations

import random

from catalog.search.analysis import STEM_MARK, stem_en, stem_id, tokens
from catalog.search.schema import PAGE_STRIDE, group_positions

WORDS = [
    "penduduk", "kependudukan", "duduk", "padi", "petani", "pertanian", "tani", "2024",
    "12", "populations", "population", "statistik", "statistics", "miskin", "kemiskinan",
    "di", "yang", "bengkulu", "harga", "berharga",
]  # fmt: skip


def reference(chunks: list[str], first: int, english: str = "") -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    english_start = -1
    if english:
        english_start = (first + len(chunks)) * PAGE_STRIDE
        chunks = [*chunks, english]
    for k, text in enumerate(chunks):
        for pos, word in enumerate(tokens(text), (first + k) * PAGE_STRIDE):
            grouped.setdefault(word, []).append(pos)
    stems: dict[str, list[int]] = {}
    words: dict[str, list[str]] = {}
    for word, poses in list(grouped.items()):
        found = {stem_id(word)}
        if english_start >= 0 and poses[-1] >= english_start:
            found.add(stem_en(word))
        for stem in found:
            if stem is None:
                continue
            if stem in stems:
                stems[stem] += poses
                words[stem].append(word)
            else:
                stems[stem], words[stem] = list(poses), [word]
    for stem, poses in stems.items():
        if len(words[stem]) > 1:
            grouped[STEM_MARK + stem] = sorted(poses)
        elif words[stem][0] != stem:
            grouped[STEM_MARK + stem] = poses
    return grouped


def test_grouping_matches_the_reference() -> None:
    rng = random.Random(2)
    for case in range(600):
        most = 40 if case % 2 else 400  # short texts in lists, long ones with numpy
        chunks = [" ".join(rng.choices(WORDS, k=rng.randint(0, most))) for _ in range(3)]
        english = " ".join(rng.choices(WORDS, k=rng.randint(0, 6))) if rng.random() < 0.5 else ""
        first = rng.choice([0, 1])
        ours = {
            term: list(map(int, poses))
            for term, poses in group_positions(chunks, first, english).items()
        }
        assert ours == reference(chunks, first, english)


def test_ascii_tokens_are_the_regular_expressions_tokens() -> None:
    import re
    import string

    rng = random.Random(8)
    alphabet = string.printable + "\x00\x1c\x1f\x7f"
    for _ in range(2000):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 80)))
        assert tokens(text) == re.findall(r"[^\W_]+", text.lower())


def test_pages_compressed_by_zlib_before_lz4_still_read() -> None:
    import struct
    import zlib

    from catalog.search.schema import WordsField, page_texts

    pages = ["halaman satu", "", "halaman tiga: ékonomi"]
    old = [zlib.compress(p.encode(), 1) for p in pages]
    blob = struct.pack("!I", 3) + struct.pack("!3I", *map(len, old)) + b"".join(old)
    assert page_texts(blob) == dict(enumerate(pages, start=1))
    new = WordsField(pages=True).to_column_value(pages)
    assert page_texts(new) == dict(enumerate(pages, start=1))
    assert page_texts(new, [3]) == {3: pages[2]}


class _Column:
    """The parts of a Whoosh column reader that ``read_page`` uses, over bytes."""

    def __init__(self, value: bytes) -> None:
        padding = b"xyz"
        data = padding + value
        self._lengths, self._offsets, self._basepos = [len(value)], [len(padding)], 0
        self._dbfile = type("File", (), {"get": lambda _s, at, n: data[at : at + n]})()


def test_one_page_read_from_either_format() -> None:
    import struct
    import zlib

    from catalog.search.schema import WordsField, read_page

    pages = ["satu", "", "tiga ékonomi", "empat " * 50]
    old = [zlib.compress(p.encode(), 1) for p in pages]
    zlib_value = struct.pack("!I", 4) + struct.pack("!4I", *map(len, old)) + b"".join(old)
    lz4_value = WordsField(pages=True).to_column_value(pages)
    for value in (zlib_value, lz4_value):
        column = _Column(value)
        assert [read_page(column, 0, n) for n in range(0, 6)] == ["", *pages, ""]

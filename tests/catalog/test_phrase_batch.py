"""Phrase starts found for all candidate documents at once equal those found one
document at a time."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from catalog.search import PubDoc, SearchIndex
from catalog.search.matching import _starts, phrase_starts_all

WORDS = ["data", "penduduk", "miskin", "harga", "beras", "padi", "kota", "kaur", "tahun", "jumlah"]


def test_batched_phrase_starts_match_per_document(tmp_path: Path) -> None:
    rng = random.Random(3)
    index = SearchIndex(tmp_path / "search", procs=1)
    docs = [
        PubDoc(
            pub_id=n,
            title=" ".join(rng.choices(WORDS, k=rng.randint(1, 6))),
            release_date=date(2020, 1, 1),
            pages=[" ".join(rng.choices(WORDS, k=rng.randint(0, 60))) for _ in range(5)],
        )
        for n in range(1, 60)
    ]
    index.add(docs)
    index.query("data")  # opens the snapshot
    snap = index._shared().snapshot()
    cases = [("data", "penduduk"), ("harga", "beras", "padi"), ("kota", "kota"), ("x",)]
    for field, phrase in [(f, p) for f in ("head", "body") for p in cases]:
        posts = [snap.postings(field, w) for w in phrase]
        docs_with_all = sorted(set.intersection(*(set(p.ids) for p in posts)))
        batched = phrase_starts_all(posts, docs_with_all)
        one_by_one = {d: _starts(posts, d) for d in docs_with_all}
        assert set(batched) == {d for d, s in one_by_one.items() if s.size}
        for d, starts in batched.items():
            assert starts.tolist() == one_by_one[d].tolist()
        assert batched or not docs_with_all or all(not s.size for s in one_by_one.values())

"""The in-memory posting pool writes the same segment files as Whoosh's own writer,
and falls back on Whoosh's pool past its memory budget."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from catalog.search import PubDoc, SearchIndex
from catalog.search.generations import IndexDir
from catalog.search.index import WRITER_OPTIONS
from catalog.search.schema import document, make_codec, make_schema
from catalog.search.whoosh_imports import SegmentWriter
from catalog.search.writer import FastSegmentWriter

WORDS = ["penduduk", "kependudukan", "padi", "harga", "beras", "2024", "12", "miskin"]


def _docs(n: int) -> list[PubDoc]:
    rng = random.Random(6)
    return [
        PubDoc(
            pub_id=i,
            title=f"Statistik {rng.choice(WORDS)} {i}",
            title_en="Population statistics" if i % 2 else "",
            abstract=" ".join(rng.choices(WORDS, k=12)),
            subjects=rng.sample(["Kependudukan", "Pertanian", "Harga"], rng.randint(0, 2)),
            year=2000 + i % 20,
            release_date=date(2000 + i % 20, 1, 1),
            pages=[" ".join(rng.choices(WORDS, k=rng.randint(0, 300))) for _ in range(i % 7)],
        )
        for i in range(1, n + 1)
    ]


def _segment_files(root: Path, writer_class: type, docs: list[PubDoc], **options: object) -> dict:
    root.mkdir()
    idir = IndexDir(root)
    gen, ix = idir.new_generation(make_schema())
    writer = writer_class(ix, **{**WRITER_OPTIONS, **options}, codec=make_codec())
    for d in docs:
        writer.add_document(**document(d))
    writer.commit()
    return {p.suffix: p.read_bytes() for p in gen.iterdir() if p.suffix in (".pst", ".trm")}


def test_postings_and_terms_are_whooshs_own_bytes(tmp_path: Path) -> None:
    docs = _docs(300)  # terms with more than one block of 128 postings too
    ours = _segment_files(tmp_path / "a", FastSegmentWriter, docs)
    theirs = _segment_files(tmp_path / "b", SegmentWriter, docs)
    assert set(ours) == {".pst", ".trm"} and ours == theirs


def test_past_the_budget_whooshs_pool_takes_over(tmp_path: Path, monkeypatch) -> None:
    from catalog.search import writer

    monkeypatch.setattr(writer, "POOL_BYTES", 0)
    docs = _docs(30)
    spilled = _segment_files(tmp_path / "a", FastSegmentWriter, docs)
    assert spilled == _segment_files(tmp_path / "b", SegmentWriter, docs)


def test_a_parallel_rebuild_finds_what_a_serial_one_finds(tmp_path: Path) -> None:
    docs = _docs(80)
    serial = SearchIndex(tmp_path / "s", procs=1)
    parallel = SearchIndex(tmp_path / "p", procs=2)
    assert serial.rebuild(iter(docs)) == parallel.rebuild(iter(docs)) == 80
    for q in ["penduduk", '"harga beras"', "pad*", "population"]:
        one, two = serial.query(q, per_page=200), parallel.query(q, per_page=200)
        assert one.total == two.total and one.total > 0
        assert {h.pub_id: (h.pages, h.score) for h in one.hits} == {
            h.pub_id: (h.pages, h.score) for h in two.hits
        }

"""One contract for every search engine: the Whoosh index and PostgreSQL full-text
search answer the same queries with the same publications, pages, snippets and facets.

The PostgreSQL engine runs when ``PST_TEST_DATABASE_URL`` is a PostgreSQL database
(its tables come from the migrations); otherwise only the Whoosh engine does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from catalog.search import PubDoc, QueryError, Results, SearchEngine, SearchIndex
from catalog.search.analysis import stem_id
from catalog.search.pg import PostgresSearch

ON_POSTGRES = os.environ.get("PST_TEST_DATABASE_URL", "").startswith("postgres")


def make_docs() -> list[PubDoc]:
    return [
        PubDoc(
            pub_id=1,
            title="Kependudukan Provinsi Aceh 2023",
            abstract="Ringkasan data kependudukan dan ketenagakerjaan.",
            subjects=["Penduduk", "Tenaga Kerja"],
            year=2023,
            release_date=date(2023, 5, 1),
            pages=[
                "Kata pengantar dari kepala kantor.",
                "Jumlah penduduk menurut kabupaten dan jenis kelamin.",
                "Tingkat pengangguran terbuka naik di kota.",
            ],
        ),
        PubDoc(
            pub_id=2,
            title="Penduduk Kota Banda Aceh",
            subjects=["Penduduk"],
            kind="brs",
            year=2022,
            release_date=date(2022, 3, 1),
            pages=["Laju pertumbuhan penduduk kota."],
        ),
        PubDoc(
            pub_id=3,
            title="Inflasi Bulanan Indonesia",
            title_en="Monthly Inflation",
            abstract="Perkembangan harga konsumen setiap bulan.",
            subjects=["Harga"],
            language="en",
            year=2021,
            release_date=date(2021, 8, 2),
            pages=["Ringkasan.", "Indeks harga konsumen naik 0,3 persen.", "Lampiran tabel."],
        ),
    ]


@pytest.fixture(
    params=["whoosh", pytest.param("postgres", marks=pytest.mark.one_database("postgresql"))]
)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchEngine]:
    if request.param == "whoosh":
        yield SearchIndex(tmp_path / "search", procs=1)
        return
    if not ON_POSTGRES:
        pytest.skip("the PostgreSQL engine needs PST_TEST_DATABASE_URL=postgresql://…")
    url = request.getfixturevalue("database_url")
    from app.config import _database_uri

    db = create_engine(_database_uri(url, tmp_path))
    reader = Session(db)
    with db.begin() as conn:
        conn.execute(text("DELETE FROM search_pages"))
        conn.execute(text("DELETE FROM search_documents"))
    yield PostgresSearch(lambda: reader, lambda: Session(db))
    reader.close()
    with db.begin() as conn:
        conn.execute(text("DELETE FROM search_pages"))
        conn.execute(text("DELETE FROM search_documents"))
    db.dispose()


@pytest.fixture
def filled(engine: SearchEngine) -> SearchEngine:
    engine.add(make_docs())
    return engine


def ids(results: Results) -> list[int]:
    return [h.pub_id for h in results.hits]


def test_exact_words_rank_before_their_stems(filled: SearchEngine) -> None:
    assert stem_id("kependudukan") == stem_id("penduduk") == "duduk"
    results = filled.query("kependudukan")
    assert ids(results) == [1, 2]  # 2 only by the stem; 1 by the word itself
    assert results.hits[0].score > results.hits[1].score
    assert ids(filled.query("penduduk")) == [2, 1]  # now 2 has the exact word in its title
    assert "<mark>Kependudukan</mark>" in results.hits[0].title_html


def test_stems_find_other_forms_of_a_word(filled: SearchEngine) -> None:
    assert ids(filled.query("pendudukan")) != []
    assert set(ids(filled.query("berpenduduk"))) == {1, 2}


def test_hits_carry_page_numbers_and_snippets(filled: SearchEngine) -> None:
    (hit,) = filled.query("pengangguran").hits
    assert (hit.pub_id, hit.pages) == (1, [3])
    assert "<mark>pengangguran</mark>" in hit.snippet_html
    (phrase,) = filled.query('"harga konsumen"').hits
    assert phrase.pub_id == 3 and phrase.pages == [2]
    assert "<mark>harga</mark> <mark>konsumen</mark>" in phrase.snippet_html


def test_pages_of_one_publication(filled: SearchEngine) -> None:
    pages = filled.search_pages(1, "penduduk")
    assert [p.page for p in pages] == [2]
    assert "<mark>penduduk</mark>" in pages[0].snippet_html
    assert filled.search_pages(1, "inflasi") == []
    assert filled.search_pages(3, "") == []


def test_facets_count_the_matches(filled: SearchEngine) -> None:
    facets = filled.query("").facets
    assert facets["subject"] == [("Penduduk", 2), ("Harga", 1), ("Tenaga Kerja", 1)]
    assert facets["year"] == [("2021", 1), ("2022", 1), ("2023", 1)]
    assert facets["type"] == [("publication", 2), ("brs", 1)]
    assert filled.query("penduduk").facets["language"] == [("id", 2)]
    assert filled.query("penduduk", facets=False).facets == {}


def test_filters_narrow_the_matches(filled: SearchEngine) -> None:
    assert ids(filled.query("penduduk", filters={"year": 2022})) == [2]
    assert ids(filled.query("penduduk", filters={"year": "2023"})) == [1]
    assert ids(filled.query("", filters={"type": "brs"})) == [2]
    assert ids(filled.query("", filters={"subject": "Harga"})) == [3]
    assert ids(filled.query("", filters={"language": "en"})) == [3]
    assert filled.query("penduduk", filters={"year": "abc"}).total == 0
    with pytest.raises(QueryError):
        filled.query("penduduk", filters={"colour": "red"})


def test_date_sort_and_browsing_show_the_newest_first(filled: SearchEngine) -> None:
    assert ids(filled.query("")) == [1, 2, 3]
    assert ids(filled.query("aceh", sort="date")) == [1, 2]
    assert ids(filled.query("", per_page=1, page=2)) == [2]
    assert filled.query("", per_page=1, page=2).total == 3


def test_or_not_and_prefix(filled: SearchEngine) -> None:
    assert sorted(ids(filled.query("inflasi OR kota"))) == [1, 2, 3]
    assert ids(filled.query("aceh -kota")) == []  # "kota" is on a page of 1 too
    assert ids(filled.query("aceh -banda")) == [1]
    assert sorted(ids(filled.query("pendud*"))) == [1, 2]


def test_a_typo_in_a_title_word_still_finds_it(filled: SearchEngine) -> None:
    assert ids(filled.query("inflsi")) == [3]
    assert ids(filled.query("zzzzqqq")) == []


def test_a_corrected_query_says_what_was_searched(filled: SearchEngine) -> None:
    corrected = filled.query("Inflsi bulanan")
    assert ids(corrected) == [3]
    assert corrected.corrected == "inflasi bulanan"
    # Words that match as typed are not "corrected"; nor is a query asked as typed.
    assert filled.query("inflasi").corrected is None
    assert filled.query("zzzzqqq").corrected is None
    as_typed = filled.query("inflsi", correct=False)
    assert ids(as_typed) == [] and as_typed.corrected is None


def _yearbook(pages: int) -> PubDoc:
    """A publication whose every page carries the running header and footer a BPS
    yearbook prints (its title, "Halaman N"), then the page's own text."""
    places = ("Seluma", "Kaur", "Lebong", "Mukomuko", "Kepahiang", "Rejang", "Kota", "Selatan")
    return PubDoc(
        pub_id=7,
        title="Provinsi Bengkulu Dalam Angka 2024",
        year=2024,
        pages=[
            f"Provinsi Bengkulu Dalam Angka 2024\nProduksi padi sawah di {place}\n"
            f"Luas panen {place} naik {n} persen.\nHalaman {n}"
            for n, place in enumerate(places[:pages], start=1)
        ],
    )


def test_snippets_leave_out_running_headers_and_footers(engine: SearchEngine) -> None:
    engine.add([_yearbook(8)])
    hit = engine.query("bengkulu padi").hits[0]
    assert "Produksi <mark>padi</mark>" in hit.snippet_html
    assert "Dalam Angka" not in hit.snippet_html and "Halaman" not in hit.snippet_html
    # The header is not a page hit of its own: the title matches, no page does.
    assert engine.query("angka").hits[0].pages == []
    pages = engine.search_pages(7, "padi")
    assert [p.page for p in pages][:3] == [1, 2, 3]
    assert all("Dalam Angka" not in p.snippet_html for p in pages)
    assert engine.search_pages(7, "halaman") == []


def test_a_short_publication_keeps_its_repeated_lines(engine: SearchEngine) -> None:
    engine.add([_yearbook(3)])
    assert [p.page for p in engine.search_pages(7, "halaman")] == [1, 2, 3]


def test_delete_and_replace(filled: SearchEngine) -> None:
    filled.delete([2, 99])
    assert ids(filled.query("penduduk")) == [1]
    assert filled.count() == 2
    replaced = make_docs()[0]
    replaced.title, replaced.pages = "Statistik Pertanian", ["Luas panen padi."]
    filled.add([replaced])
    assert ids(filled.query("aceh")) == []
    assert ids(filled.query("padi")) == [1]
    assert filled.count() == 2


def test_rebuild_replaces_everything(filled: SearchEngine) -> None:
    assert filled.rebuild(make_docs()[2:]) == 1
    assert ids(filled.query("")) == [3]


def test_health_names_the_engine(filled: SearchEngine) -> None:
    health: dict[str, Any] = filled.health()
    assert health["engine"] == filled.name and health["documents"] == 3


@pytest.mark.parametrize("bad", ["a*", "!!! ???", "x" * 600])
def test_a_query_that_cannot_be_understood_is_a_query_error(filled: SearchEngine, bad: str) -> None:
    with pytest.raises(QueryError):
        filled.query(bad)
    with pytest.raises(QueryError):
        filled.query("penduduk", sort="size")


def test_hidden_publications_are_left_out_of_hits_totals_and_facets(
    filled: SearchEngine,
) -> None:
    """Publications under embargo stay indexed and are left out at query time (the
    catalogue passes the ids catalog.visibility hides), so a release needs no write."""
    everything = filled.query("penduduk")
    assert {h.pub_id for h in everything.hits} == {1, 2}
    shown = filled.query("penduduk", hidden=[2])
    assert [h.pub_id for h in shown.hits] == [1]
    assert shown.total == 1
    assert dict(shown.facets["type"]) == {"publication": 1}
    assert dict(shown.facets["year"]) == {"2023": 1}
    browse = filled.query("", hidden=[1, 3])
    assert [h.pub_id for h in browse.hits] == [2] and browse.total == 1
    # A typo-corrected query keeps them out too.
    assert [h.pub_id for h in filled.query("pendudk", hidden=[2]).hits] == [1]
    assert filled.query("inflasi", hidden=[3]).total == 0
    assert filled.query("penduduk", hidden=[99]).total == 2  # unknown ids are ignored

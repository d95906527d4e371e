"""The catalogue's full-text search: analysis, ranking, pages, facets, filters, queries."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from catalog.search import PubDoc, QueryError, Results, SearchError, SearchIndex


def doc(pub_id: int, title: str, *pages: str, **kw: object) -> PubDoc:
    kw.setdefault("release_date", date(2020, 1, pub_id % 28 + 1))
    return PubDoc(pub_id=pub_id, title=title, pages=list(pages), **kw)  # type: ignore[arg-type]


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    return SearchIndex(tmp_path / "search", procs=1)


def ids(results: Results) -> list[int]:
    return [h.pub_id for h in results.hits]


def test_kependudukan_and_penduduk_meet(index: SearchIndex) -> None:
    index.add(
        [
            doc(1, "Statistik Kependudukan Bengkulu", "data kependudukan tahun ini"),
            doc(2, "Jumlah Penduduk Kaur", "penduduk menurut kecamatan"),
            doc(3, "Produksi Padi", "luas panen padi"),
            doc(4, "Kursi", "meja", "kursi untuk duduk"),  # only the root word itself
        ]
    )
    assert sorted(ids(index.query("penduduk"))) == [1, 2, 4]
    result = index.query("kependudukan")
    assert ids(result)[:2] == [1, 2] and ids(result)[2] == 4  # the exact form first
    assert result.hits[2].pages == [2] and "<mark>duduk</mark>" in result.hits[2].snippet_html


def test_exact_form_ranks_first(index: SearchIndex) -> None:
    index.add(
        [
            doc(1, "Posisi Duduk Pekerja Kantor", "pekerja duduk delapan jam"),
            doc(2, "Statistik Penduduk Provinsi Bengkulu", "penduduk bertambah"),
        ]
    )
    result = index.query("penduduk")
    assert ids(result) == [2, 1]  # "duduk" still matches (same stem), but below
    assert result.hits[0].score > result.hits[1].score
    assert "<mark>Penduduk</mark>" in result.hits[0].title_html


def test_page_numbers(index: SearchIndex) -> None:
    pages = [f"halaman {n} tentang inflasi dan harga beras" for n in range(1, 13)]
    pages[6] = "halaman tujuh: komoditas zeppelin tercatat langka"
    index.add([doc(1, "Statistik Harga", *pages), doc(2, "Lain", "tanpa kata itu")])
    found = index.search_pages(1, "zeppelin")
    assert [p.page for p in found] == [7]
    assert "<mark>zeppelin</mark>" in found[0].snippet_html
    hit = index.query("zeppelin").hits[0]
    assert (hit.pub_id, hit.pages) == (1, [7])
    assert "<mark>zeppelin</mark>" in hit.snippet_html
    assert index.search_pages(2, "zeppelin") == []
    assert index.search_pages(99, "zeppelin") == []
    assert len(index.search_pages(1, "inflasi", limit=5)) == 5


def test_hit_pages_best_first_at_most_five(index: SearchIndex) -> None:
    pages = ["padi"] * 8 + ["padi padi padi panen"]
    index.add([doc(1, "Pertanian", *pages)])
    hit = index.query("padi panen").hits[0]
    assert hit.pages[0] == 9
    assert len(hit.pages) == 5


def _facet_docs() -> list[PubDoc]:
    return [
        doc(
            1,
            "Inflasi Kota Bengkulu",
            "inflasi",
            subjects=["Harga", "Inflasi"],
            year=2023,
            kind="statistical news",
            release_date=date(2023, 3, 1),
        ),
        doc(
            2,
            "Inflasi Kaur",
            "inflasi",
            subjects=["Inflasi"],
            year=2023,
            language="en",
            release_date=date(2023, 9, 1),
        ),
        doc(
            3,
            "Inflasi Seluma",
            "inflasi",
            subjects=["Inflasi"],
            year=2021,
            access="sale",
            release_date=date(2021, 5, 1),
        ),
        doc(
            4,
            "Produksi Padi",
            "padi",
            subjects=["Pertanian"],
            year=2022,
            release_date=date(2022, 1, 1),
        ),
    ]


def test_facet_counts(index: SearchIndex) -> None:
    index.add(_facet_docs())
    facets = index.query("inflasi").facets
    assert facets["subject"] == [("Inflasi", 3), ("Harga", 1)]
    assert facets["year"] == [("2023", 2), ("2021", 1)]
    assert facets["type"] == [("publication", 2), ("statistical news", 1)]
    assert facets["language"] == [("id", 2), ("en", 1)]
    assert index.query("inflasi", facets=False).facets == {}


def test_filters(index: SearchIndex) -> None:
    index.add(_facet_docs())
    assert sorted(ids(index.query("inflasi", filters={"year": 2023}))) == [1, 2]
    assert ids(index.query("inflasi", filters={"type": "statistical news"})) == [1]
    assert ids(index.query("inflasi", filters={"subject": "Harga"})) == [1]
    assert ids(index.query("inflasi", filters={"language": "en", "year": 2023})) == [2]
    assert ids(index.query("", filters={"access": "sale"})) == [3]
    assert index.query("padi", filters={"year": 2023}).total == 0
    with pytest.raises(QueryError):
        index.query("inflasi", filters={"colour": "red"})


def test_date_sort_and_browse(index: SearchIndex) -> None:
    index.add(_facet_docs())
    assert ids(index.query("inflasi", sort="date")) == [2, 1, 3]
    browse = index.query("")
    assert browse.total == 4
    assert ids(browse) == [2, 1, 4, 3]  # newest first
    assert ids(index.query("", filters={"year": 2023})) == [2, 1]
    with pytest.raises(QueryError):
        index.query("inflasi", sort="popularity")


def test_pagination(index: SearchIndex) -> None:
    index.add(doc(i, f"Inflasi bulan {i}", "inflasi") for i in range(1, 26))
    first, second = index.query("inflasi", per_page=10), index.query("inflasi", page=3, per_page=10)
    assert (first.total, len(first.hits), len(second.hits)) == (25, 10, 5)
    assert not set(ids(first)) & set(ids(second))


def test_phrase(index: SearchIndex) -> None:
    index.add(
        [
            doc(1, "Ketenagakerjaan", "keadaan tenaga kerja Agustus"),
            doc(2, "Pekerja", "kerja keras dan tenaga medis"),
        ]
    )
    assert ids(index.query('"tenaga kerja"')) == [1]
    assert sorted(ids(index.query("tenaga kerja"))) == [1, 2]
    hit = index.query('"tenaga kerja"').hits[0]
    assert "<mark>tenaga</mark> <mark>kerja</mark>" in hit.snippet_html
    assert index.search_pages(2, '"tenaga kerja"') == []


def test_prefix_and_exclusion_and_or(index: SearchIndex) -> None:
    index.add(
        [
            doc(1, "Penduduk Kaur", "penduduknya bertambah"),
            doc(2, "Inflasi Kaur", "harga naik"),
            doc(3, "Deflasi Seluma", "harga turun"),
        ]
    )
    assert ids(index.query("pendud*")) == [1]
    assert sorted(ids(index.query("kaur -inflasi"))) == [1]
    assert sorted(ids(index.query("inflasi OR deflasi"))) == [2, 3]
    with pytest.raises(QueryError):
        index.query("p*")


def test_english_and_typo(index: SearchIndex) -> None:
    index.add(
        [
            doc(
                1,
                "Statistik Kemiskinan Bengkulu",
                "garis kemiskinan",
                title_en="Poverty Statistics",
            ),
            doc(2, "Proyeksi Penduduk", "penduduk", title_en="Population Projections"),
        ]
    )
    assert ids(index.query("population")) == [2]
    assert ids(index.query("projection")) == [2]
    assert ids(index.query("kemiskinn")) == [1]  # no match as typed: titles one edit away


def test_add_replaces_and_delete(index: SearchIndex) -> None:
    index.add([doc(1, "Judul Lama", "inflasi")])
    index.add([doc(1, "Judul Baru", "inflasi")])
    assert index.count() == 1
    assert index.query("inflasi").hits[0].title_html == "Judul Baru"
    index.add([doc(2, "Dua", "x"), doc(2, "Dua lagi", "x")])  # twice in one batch: last wins
    assert index.count() == 2
    index.delete([1, 404])
    assert index.count() == 1
    assert ids(index.query("inflasi")) == []
    index.delete([])


def test_bad_queries_never_crash(index: SearchIndex) -> None:
    index.add([doc(1, "Inflasi", "inflasi (harga) naik")])

    def outcome(q: str) -> Results | QueryError:
        try:
            return index.query(q)
        except QueryError as exc:
            return exc

    for q in [
        '"unclosed',
        "((",
        "inflasi)",
        "AND OR NOT",
        "- -",
        "***",
        "a:b:c",
        "\\",
        "&&|",
        "inflasi~2",
        "title:inflasi",
        "NOT",
        '""',
        "x" * 600,
        "\x00",
        "%s{}",
    ]:
        result = outcome(q)
        assert isinstance(result, Results) or str(result)
    assert ids(index.query("title:inflasi")) == [1]
    assert ids(index.query('"unclosed inflasi')) == []


def test_html_is_escaped(index: SearchIndex) -> None:
    index.add(
        [
            doc(
                1,
                "<script>alert('x')</script> Inflasi & Harga",
                "<b>inflasi</b> naik <i>tajam</i>",
                abstract="<img src=x onerror=alert(1)> inflasi",
            ),
        ]
    )
    hit = index.query("inflasi").hits[0]
    assert "<script>" not in hit.title_html
    assert "&lt;script&gt;" in hit.title_html
    assert "&amp; Harga" in hit.title_html
    assert "<b>" not in hit.snippet_html and "&lt;b&gt;<mark>inflasi</mark>" in hit.snippet_html
    assert hit.title_html.count("<mark>") == 1
    page = index.search_pages(1, "tajam")[0]
    assert "<i>" not in page.snippet_html and "&lt;i&gt;<mark>tajam</mark>" in page.snippet_html
    abstract_only = index.query("onerror").hits[0].snippet_html
    assert "<img" not in abstract_only and "&lt;img" in abstract_only


def test_no_index_yet(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()  # no disk side effects until used
    assert (index.count(), index.query("inflasi").total) == (0, 0)
    assert index.search_pages(1, "inflasi") == []
    with pytest.raises(SearchError):
        index.check()
    assert not (tmp_path / "nothing").exists()
    index.add([doc(1, "Inflasi")])
    assert index.check() == 1


def test_imports_under_warnings_as_errors(tmp_path: Path) -> None:
    """Whoosh's old sources warn when compiled; the package must import under -W error."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path / "pyc")}  # forces a fresh compile
    code = "import catalog.search; print('ok')"
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_documents_without_any_text_are_indexed_by_title(index: SearchIndex) -> None:
    """A scanned PDF has no page text, and a whole segment may hold only such documents
    (found by the corpus walk: their length column is absent, not zero)."""
    index.add([PubDoc(pub_id=1, title="Peta Wilayah Kerja", pages=["", ""])])
    index.add([PubDoc(pub_id=2, title="Peta Kecamatan", pages=[""])])
    assert ids(index.query("peta")) == [1, 2] or sorted(ids(index.query("peta"))) == [1, 2]
    assert index.search_pages(1, "peta") == []

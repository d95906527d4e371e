"""Citation exports (BibTeX, RIS, CSL-JSON) and BPS's citation text, without HTTP.

Each format is read back by an independent parser: bibtexparser (its values then
decoded from LaTeX by pylatexenc), rispy and json. Titles come from hypothesis: braces,
percent signs, backslashes, newlines, accented and non-Latin letters, a line that looks
like an RIS tag.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date

import bibtexparser
import rispy
from bibtexparser.bparser import BibTexParser
from hypothesis import given, settings
from hypothesis import strategies as st
from pylatexenc import latex2text
from pylatexenc.latex2text import LatexNodes2Text

from catalog import citations
from catalog.citations import Cited, Publisher

PUBLISHER = Publisher(
    "Badan Pusat Statistik Provinsi Bengkulu", "BPS Provinsi Bengkulu", "Bengkulu"
)
URL = "http://localhost/publications/7"

#: Characters a title may hold: printable text of any script (the catalogue keeps what
#: the PDF or the officer gave; control characters are dropped by one_line anyway).
_titles = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=80,
).filter(lambda t: citations.one_line(t).strip() != "")
_odd = st.sampled_from(
    [
        "Statistik {Daerah} 100% & $ # _ ^ ~ \\ Bengkulu",
        "Inflasi -- Mei 2024 `` '' ?` !`",
        "Penduduk\nER  - \r\nTY  - JOUR",
        "}{@book{x, title={y}}",
        "Ékonomi Çiftçi Łódź straße Ænigma ı 中文 عربى",
        "},\n  author = {Pwned",
    ]
)


def _cited(title: str, **overrides: object) -> Cited:
    fields: dict[str, object] = {
        "id": 7,
        "title": citations.one_line(title),
        "subtitle": None,
        "released": date(2024, 2, 28),
        "isbn": "978-602-1234-56-7",
        "issn": "2088-5032",
        "kat_no": "1102001.17",
        "pub_no": "17000.2401",
        "language": "id",
        "url": URL,
        "report": False,
        "keywords": ("Kependudukan", "Sosial & Budaya"),
        "abstract": None,
        "series": "Provinsi Bengkulu Dalam Angka",
    }
    fields.update(overrides)
    return Cited(**fields)  # type: ignore[arg-type]


def _parse_bibtex(text: str) -> list[dict[str, str]]:
    parser = BibTexParser(common_strings=False, ignore_nonstandard_types=False)
    return bibtexparser.loads(text, parser=parser).entries


def _decoder() -> LatexNodes2Text:
    context = latex2text.get_default_latex_context_db()
    context.add_context_category(
        "braces",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec("textbraceleft", simplify_repl="{"),
            latex2text.MacroTextSpec("textbraceright", simplify_repl="}"),
        ],
    )
    return LatexNodes2Text(latex_context=context)


_DECODER = _decoder()


def _unlatex(value: str) -> str:
    # pylatexenc prints \textasciicircum as the spacing circumflex U+02C6.
    text = _DECODER.latex_to_text(value).replace("\u02c6", "^")
    return unicodedata.normalize("NFC", text)


def test_bps_citation_text():
    assert (
        citations.text(_cited("Provinsi Bengkulu Dalam Angka 2024"), PUBLISHER)
        == "Badan Pusat Statistik Provinsi Bengkulu. (2024). Provinsi Bengkulu Dalam Angka "
        "2024. Bengkulu: BPS Provinsi Bengkulu."
    )
    undated = _cited("Tanpa Tanggal.", released=None)
    assert citations.text(undated, PUBLISHER).startswith(
        "Badan Pusat Statistik Provinsi Bengkulu. (t.t.). Tanpa Tanggal. Bengkulu"
    )


def test_bibtex_book_and_report_fields():
    book = _parse_bibtex(citations.bibtex(_cited("Bengkulu Dalam Angka"), PUBLISHER))[0]
    assert book["ENTRYTYPE"] == "book" and book["ID"] == "bps2024_7"
    assert book["author"] == "{Badan Pusat Statistik Provinsi Bengkulu}"
    assert book["isbn"] == "978-602-1234-56-7" and book["issn"] == "2088-5032"
    assert "1102001.17" in book["note"] and book["url"] == URL and book["year"] == "2024"
    assert book["publisher"] == "BPS Provinsi Bengkulu" and book["address"] == "Bengkulu"
    report = _parse_bibtex(
        citations.bibtex(_cited("Berita Resmi", report=True, isbn=None), PUBLISHER)
    )[0]
    assert report["ENTRYTYPE"] == "techreport" and report["number"] == "17000.2401"
    assert report["institution"] == "Badan Pusat Statistik Provinsi Bengkulu"


@settings(deadline=None)  # the parsers' first call builds their grammars
@given(st.one_of(_titles, _odd))
def test_bibtex_parses_back_to_the_title(title):
    cited = _cited(title)
    text = citations.bibtex(cited, PUBLISHER)
    entries = _parse_bibtex(text)
    assert len(entries) == 1, text  # no title can close the entry or start another
    entry = entries[0]
    assert entry["ENTRYTYPE"] == "book" and entry["ID"] == "bps2024_7"
    # The same fields whatever the title: none forged, none swallowed.
    assert set(entry) == {
        "ENTRYTYPE", "ID", "title", "author", "year", "date", "publisher", "address",
        "series", "isbn", "issn", "note", "language", "keywords", "url",
    }  # fmt: skip
    assert _unlatex(entry["title"]) == unicodedata.normalize("NFC", cited.title)
    assert entry["url"] == URL


def test_bibtex_escapes_specials_and_accents():
    escaped = citations.bibtex_escape("50% {a} & $ # _ é ı ~ ^ \\ --")
    assert escaped == (
        r"50\% \textbraceleft{}a\textbraceright{} \& \$ \# \_ {\'{e}} {\i} "
        r"\textasciitilde{} \textasciicircum{} \textbackslash{} -{}-"
    )


@given(st.one_of(_titles, _odd))
def test_ris_round_trips(title):
    cited = _cited(title, abstract=citations.one_line(f"Ringkasan: {title}"))
    text = citations.ris(cited, PUBLISHER)
    assert text.endswith("ER  - \r\n")
    records = rispy.loads(text)
    assert len(records) == 1, text
    record = records[0]
    assert record["type_of_reference"] == "BOOK"
    assert record["title"] == cited.title
    assert record["abstract"] == cited.abstract
    assert record["authors"] == ["Badan Pusat Statistik Provinsi Bengkulu"]
    assert record["year"] == "2024" and record["urls"] == [URL]
    assert (
        record["publisher"] == "BPS Provinsi Bengkulu" and record["place_published"] == "Bengkulu"
    )
    assert record["call_number"] == "1102001.17"
    assert record["keywords"] == ["Kependudukan", "Sosial & Budaya"]


def test_ris_of_a_report_without_numbers():
    cited = _cited("BRS", report=True, isbn=None, issn=None, kat_no=None, released=None)
    record = rispy.loads(citations.ris(cited, PUBLISHER))[0]
    assert record["type_of_reference"] == "RPRT"
    assert "year" not in record and "issn" not in record


@given(st.one_of(_titles, _odd))
def test_csl_json_parses(title):
    cited = _cited(title)
    items = json.loads(citations.csl_json(cited, PUBLISHER))
    assert isinstance(items, list) and len(items) == 1
    item = items[0]
    assert item["type"] == "book" and item["title"] == cited.title
    assert item["author"] == [{"literal": "Badan Pusat Statistik Provinsi Bengkulu"}]
    assert item["issued"] == {"date-parts": [[2024, 2, 28]]}
    assert item["ISBN"] == "978-602-1234-56-7" and item["call-number"] == "1102001.17"
    assert item["URL"] == URL and item["collection-title"] == "Provinsi Bengkulu Dalam Angka"


def test_one_line_drops_control_characters():
    assert citations.one_line("a\nb\tc\x07d\u2028e  ") == "a b cd e"
    assert citations.one_line("0 \x1b") == "0"  # found by hypothesis: no trailing space

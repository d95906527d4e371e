"""The demo publications: plausible BPS Bengkulu PDFs and metadata, deterministic and fast."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from demo.publications import DemoPublication, generate_demo, plan_demo

META_KEYS = {
    "title",
    "title_en",
    "subtitle",
    "kat_no",
    "pub_no",
    "issn",
    "isbn",
    "rl_date",
    "period",
    "subjects",
    "abstract",
    "language",
    "access",
    "printed",
    "kind",
}

# A word every chapter on the topic uses somewhere, so full-text search finds it.
TOPIC_WORDS = {
    "geografi": "wilayah",
    "pemerintahan": "desa",
    "penduduk": "penduduk",
    "ketenagakerjaan": "pengangguran",
    "pendidikan": "sekolah",
    "kesehatan": "kesehatan",
    "kemiskinan": "miskin",
    "padi": "padi",
    "perkebunan": "sawit",
    "pariwisata": "hotel",
    "transportasi": "jalan",
    "harga": "inflasi",
    "pdrb": "pdrb",
}


def _page_range(meta: dict[str, Any]) -> tuple[int, int]:
    if meta["kind"] == "brs":
        return 5, 10
    if "Dalam Angka" in meta["title"] or "in Figures" in meta["title"]:
        return 40, 60
    return 12, 40


def _issn_ok(issn: str) -> bool:
    match = re.fullmatch(r"(\d{4})-(\d{3})([\dX])", issn)
    if not match:
        return False
    digits = match.group(1) + match.group(2)
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return match.group(3) == ("X" if check == 10 else str(check))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[DemoPublication]:
    return generate_demo(tmp_path_factory.mktemp("demo"), count=3)


@pytest.fixture(scope="module")
def plans() -> list[dict[str, Any]]:
    return plan_demo(3)


def test_generate_writes_one_pdf_per_planned_publication(
    generated: list[DemoPublication], plans: list[dict[str, Any]]
) -> None:
    assert len(generated) == 3
    for pub, plan in zip(generated, plans, strict=True):
        assert pub.path.is_file()
        assert pub.path.read_bytes().startswith(b"%PDF-")
        assert pub.meta == plan["meta"]
    kinds = {pub.meta["kind"] for pub in generated}
    assert kinds == {"publication", "brs"}


def test_pdfs_open_and_have_the_planned_page_count(
    generated: list[DemoPublication], plans: list[dict[str, Any]]
) -> None:
    for pub, plan in zip(generated, plans, strict=True):
        reader = PdfReader(pub.path)
        low, high = _page_range(pub.meta)
        assert low <= len(reader.pages) <= high, pub.meta["title"]
        assert len(reader.pages) == plan["page_count"] == len(plan["pages"])


def test_text_is_extractable_and_chapters_talk_about_their_topic(
    generated: list[DemoPublication], plans: list[dict[str, Any]]
) -> None:
    for pub, plan in zip(generated, plans, strict=True):
        reader = PdfReader(pub.path)
        texts = [(page.extract_text() or "").lower() for page in reader.pages]
        cover = texts[0]
        assert "badan pusat statistik provinsi bengkulu" in cover
        assert pub.meta["title"].split()[0].lower() in cover
        by_topic: dict[str, str] = {}
        for page in plan["pages"]:
            if "topic" in page:
                by_topic[page["topic"]] = by_topic.get(page["topic"], "") + texts[page["page"] - 1]
        assert by_topic, pub.meta["title"]
        for topic, text in by_topic.items():
            if topic in TOPIC_WORDS:
                assert TOPIC_WORDS[topic] in text, (pub.meta["title"], topic)


def test_whole_documents_are_searchable_by_subject_words(
    generated: list[DemoPublication],
) -> None:
    def text_of(title_part: str) -> str:
        pub = next(p for p in generated if title_part in p.meta["title"])
        return " ".join((page.extract_text() or "") for page in PdfReader(pub.path).pages).lower()

    dalam_angka = text_of("Dalam Angka")
    for word in ("penduduk", "kemiskinan", "pengangguran", "inflasi", "padi", "produksi"):
        assert word in dalam_angka
    assert "tabel 3.1" in dalam_angka
    assert "gambar" in dalam_angka
    assert "kata pengantar" in dalam_angka
    brs = text_of("Inflasi")
    assert "berita resmi statistik" in brs
    assert "inflasi" in brs
    assert "harga konsumen" in brs


def test_cover_carries_catalogue_and_publication_numbers(
    generated: list[DemoPublication],
) -> None:
    for pub in generated:
        if pub.meta["kind"] != "publication":
            continue
        cover = PdfReader(pub.path).pages[0].extract_text() or ""
        assert pub.meta["kat_no"] in cover
        assert pub.meta["pub_no"] in cover


def test_outline_lists_the_chapters(
    generated: list[DemoPublication], plans: list[dict[str, Any]]
) -> None:
    for pub, plan in zip(generated, plans, strict=True):
        reader = PdfReader(pub.path)
        outline = reader.outline
        assert outline, pub.meta["title"]
        top = [str(item.title) for item in outline if not isinstance(item, list)]
        if pub.meta["kind"] == "publication":
            chapters = [p for p in plan["pages"] if p["type"] == "chapter"]
            assert sum(t.startswith("Bab ") for t in top) == len(chapters)
            # Bookmarks point at the planned pages.
            entries = [i for i in outline if not isinstance(i, list)]
            first = next(i for i in entries if str(i.title).startswith("Bab "))
            assert reader.get_destination_page_number(first) == chapters[0]["page"] - 1
        else:
            assert top[0] == pub.meta["title"]


def test_meta_is_complete_and_valid() -> None:
    for plan in plan_demo(32):
        meta = plan["meta"]
        assert set(meta) == META_KEYS
        assert meta["title"] and meta["title_en"] and meta["abstract"]
        assert re.fullmatch(r"\d{7}\.\d{2}(\d{2})?", meta["kat_no"]), meta["kat_no"]
        assert re.fullmatch(r"17\d{3}\.\d{4}", meta["pub_no"]), meta["pub_no"]
        assert meta["issn"] == "" or _issn_ok(meta["issn"]), meta["issn"]
        assert meta["isbn"] == ""
        released = dt.date.fromisoformat(meta["rl_date"])
        assert dt.date(2024, 1, 1) <= released <= dt.date(2025, 12, 31)
        assert released.isoformat() == meta["rl_date"]
        assert re.fullmatch(r"20\d\d", meta["period"])
        assert meta["subjects"]
        assert all(isinstance(s, str) and s for s in meta["subjects"])
        sentences = re.findall(r"[.!?](?:\s|$)", meta["abstract"])
        assert 2 <= len(sentences) <= 4, meta["abstract"]
        assert "{" not in meta["abstract"]
        assert meta["language"] in {"id", "en"}
        assert meta["access"] in {"open", "read_only", "sale"}
        assert isinstance(meta["printed"], bool)
        assert meta["kind"] in {"publication", "brs"}
        low, high = _page_range(meta)
        assert low <= plan["page_count"] <= high, meta["title"]


def test_plan_is_deterministic_and_seeded() -> None:
    assert plan_demo() == plan_demo()
    assert plan_demo(5, seed=1) != plan_demo(5, seed=2)
    assert plan_demo(5) == plan_demo(32)[:5]


def test_plan_covers_the_bengkulu_catalogue() -> None:
    plans = plan_demo(32)
    metas = [p["meta"] for p in plans]
    titles = [m["title"] for m in metas]
    assert len(set(titles)) >= 30
    assert len({p["filename"] for p in plans}) == len(plans)
    for expected in (
        "Provinsi Bengkulu Dalam Angka 2025",
        "Kabupaten Rejang Lebong Dalam Angka 2025",
        "Statistik Kesejahteraan Rakyat Provinsi Bengkulu 2024",
        "Keadaan Angkatan Kerja Provinsi Bengkulu Agustus 2024",
        "Profil Kemiskinan Provinsi Bengkulu Maret 2025",
        "Luas Panen dan Produksi Padi Provinsi Bengkulu 2024",
        "Bengkulu Province in Figures 2025",
    ):
        assert expected in titles
    assert sum(t.startswith("Perkembangan Indeks Harga Konsumen/Inflasi") for t in titles) >= 3
    assert {m["language"] for m in metas} == {"id", "en"}
    access = [m["access"] for m in metas]
    assert access.count("open") > len(metas) / 2
    assert "read_only" in access
    assert "sale" in access
    assert any(m["printed"] for m in metas)
    assert not all(m["printed"] for m in metas)
    subjects = {s for m in metas for s in m["subjects"]}
    assert {"Kependudukan", "Ketenagakerjaan", "Kemiskinan", "Harga Konsumen"} <= subjects


def test_plan_beyond_the_series_list_uses_earlier_editions() -> None:
    titles = [p["meta"]["title"] for p in plan_demo(60)]
    assert len(set(titles)) == 60
    assert "Provinsi Bengkulu Dalam Angka 2024" in titles


def test_rendering_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first = generate_demo(tmp_path / "a", count=1)[0]
    second = generate_demo(tmp_path / "b", count=1)[0]
    assert first.path.read_bytes() == second.path.read_bytes()

"""The PDF sanitiser on small PDFs built for each case: what passes, what is refused, why."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from catalog.ingest import Limits, OutlineItem, Rejected, Sanitised, sanitise

PAGE_WORDS = ("alpha", "bravo", "charlie")


def assert_one_line(exc: Rejected) -> None:
    text = str(exc)
    assert text
    assert "\n" not in text
    assert len(text) < 200
    assert "Traceback" not in text


def refused(src: Path, work_dir: Path, limits: Limits | None = None) -> Rejected:
    with pytest.raises(Rejected) as info:
        sanitise(src, work_dir, limits or Limits())
    assert_one_line(info.value)
    return info.value


def raw_contents(path: Path, password: str = "") -> list[list[bytes]]:
    """Each page's content streams, as stored (still compressed)."""
    reader = PdfReader(path)
    if reader.is_encrypted:
        reader.decrypt(password)
    pages = []
    for page in reader.pages:
        contents = page["/Contents"].get_object()
        streams = contents if isinstance(contents, ArrayObject) else [contents]
        pages.append([s.get_object()._data for s in streams])
    return pages


# -- the happy path --------------------------------------------------------------------


def test_happy_path(pub_pdf: Path, work_dir: Path) -> None:
    result = sanitise(pub_pdf, work_dir)

    assert isinstance(result, Sanitised)
    assert result.pages == 3
    assert result.size == pub_pdf.stat().st_size
    assert result.sha256 == hashlib.sha256(pub_pdf.read_bytes()).hexdigest()
    for number, text in enumerate(result.page_texts, 1):
        assert f"Halaman {number}" in text
        assert [w for w in PAGE_WORDS if w in text] == [PAGE_WORDS[number - 1]]
    assert result.outline == [
        OutlineItem("Bab 1 Pendahuluan", 1, 0),
        OutlineItem("Bagian 1.1 Metode", 2, 1),
        OutlineItem("Bab 2 Hasil", 3, 0),
    ]
    assert result.info["Title"] == "Statistik Daerah Bengkulu"
    assert result.info["Author"] == "BPS Provinsi Bengkulu"
    assert result.removed == []
    assert len(PdfReader(result.master_path).pages) == 3
    assert raw_contents(result.master_path) == raw_contents(pub_pdf)

    assert result.cover_path is not None
    with Image.open(result.cover_path) as cover:
        assert cover.format == "PNG"
        assert cover.width == 400
        assert 560 <= cover.height <= 570  # A4 proportions
    # Only the outputs stay behind.
    assert sorted(p.name for p in work_dir.iterdir()) == ["cover.png", "master.pdf"]
    assert result.stats["seconds"] > 0
    assert result.stats["peak_rss_bytes"] > 0


def test_header_after_leading_junk_is_accepted(pub_pdf: Path, tmp_path: Path) -> None:
    src = tmp_path / "junk-first.pdf"
    src.write_bytes(b"\r\n" * 200 + pub_pdf.read_bytes())
    assert sanitise(src, tmp_path / "work").pages == 3


def test_cover_width_follows_the_limit(pub_pdf: Path, work_dir: Path) -> None:
    result = sanitise(pub_pdf, work_dir, Limits(cover_width=120))
    assert result.cover_path is not None
    with Image.open(result.cover_path) as cover:
        assert cover.width == 120


# -- refusals before parsing -----------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        (b"<!DOCTYPE html><html><body>hi</body></html>", "HTML"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG"),
        (b"PK\x03\x04" + bytes(64), "ZIP"),
        (b"oops\n", "'oops.'"),
    ],
)
def test_not_a_pdf(tmp_path: Path, content: bytes, hint: str) -> None:
    src = tmp_path / "upload.pdf"
    src.write_bytes(content)
    exc = refused(src, tmp_path / "work")
    assert exc.code == "not_pdf"
    assert str(exc).startswith("the file is not a PDF")
    assert hint in str(exc)


def test_pdf_magic_beyond_the_first_kib_is_not_a_pdf(pub_pdf: Path, tmp_path: Path) -> None:
    src = tmp_path / "late.pdf"
    src.write_bytes(b" " * 1100 + pub_pdf.read_bytes())
    assert refused(src, tmp_path / "work").code == "not_pdf"


def test_empty(tmp_path: Path) -> None:
    src = tmp_path / "empty.pdf"
    src.write_bytes(b"")
    exc = refused(src, tmp_path / "work")
    assert exc.code == "empty"
    assert str(exc) == "the file is empty"


def test_too_large(pub_pdf: Path, work_dir: Path) -> None:
    exc = refused(pub_pdf, work_dir, Limits(max_bytes=1024))
    assert exc.code == "too_large"
    assert exc.params == {"size": pub_pdf.stat().st_size, "limit": 1024}
    assert str(exc).endswith("the limit is 1 KiB")


def test_too_many_pages(pub_pdf: Path, work_dir: Path) -> None:
    exc = refused(pub_pdf, work_dir, Limits(max_pages=2))
    assert exc.code == "too_many_pages"
    assert exc.params == {"pages": 3, "limit": 2}
    assert str(exc) == "the PDF has 3 pages; the limit is 2"
    assert not work_dir.exists() or list(work_dir.iterdir()) == []


def test_no_pages(tmp_path: Path, make_raw_pdf: Callable[[list[bytes]], bytes]) -> None:
    src = tmp_path / "no-pages.pdf"
    src.write_bytes(
        make_raw_pdf(
            [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
        )
    )
    exc = refused(src, tmp_path / "work")
    assert (exc.code, str(exc)) == ("empty", "the PDF has no pages")


def test_truncated_pdf_is_damaged(pub_pdf: Path, tmp_path: Path) -> None:
    src = tmp_path / "cut.pdf"
    src.write_bytes(pub_pdf.read_bytes()[:300])
    exc = refused(src, tmp_path / "work")
    assert exc.code == "damaged"
    assert str(exc).startswith("the PDF is damaged and cannot be read: ")


# -- active content --------------------------------------------------------------------


def test_active_content_is_removed_and_pages_are_untouched(
    hostile_pdf: Path, work_dir: Path
) -> None:
    result = sanitise(hostile_pdf, work_dir)

    for label in (
        "JavaScript",
        "OpenAction",
        "EmbeddedFiles",
        "document actions",
        "page actions",
        "Launch action",
        "FileAttachment annotation",
    ):
        assert label in result.removed
    master = result.master_path.read_bytes()
    for marker in (
        b"/JavaScript",
        b"/EmbeddedFile",
        b"/Launch",
        b"/OpenAction",
        b"/JS ",
        b"not really a program",
    ):
        assert marker not in master
    assert raw_contents(result.master_path) == raw_contents(hostile_pdf)
    annots = PdfReader(result.master_path).pages[0]["/Annots"]
    actions = [a.get_object()["/A"]["/S"] for a in annots if "/A" in a.get_object()]
    assert actions == ["/URI"]  # the web link stays
    assert "alpha" in result.page_texts[0]


def test_outline_loop_ends(outline_loop_pdf: Path, work_dir: Path) -> None:
    result = sanitise(outline_loop_pdf, work_dir)
    assert [(i.title, i.page) for i in result.outline] == [("A", 1), ("B", 1)]
    assert "looping outline" in result.removed
    assert "/Outlines" not in PdfReader(result.master_path).trailer["/Root"]


# -- encryption ------------------------------------------------------------------------


def test_empty_user_password_is_decrypted(
    encrypted_pdf: Callable[[str, str], Path], work_dir: Path, pub_pdf: Path
) -> None:
    src = encrypted_pdf("", "owner-secret")
    result = sanitise(src, work_dir)
    assert "encryption" in result.removed
    assert not PdfReader(result.master_path).is_encrypted
    assert "bravo" in result.page_texts[1]
    assert raw_contents(result.master_path) == raw_contents(pub_pdf)


@pytest.mark.parametrize("owner", ["owner-secret", ""])
def test_user_password_is_refused(
    encrypted_pdf: Callable[[str, str], Path], work_dir: Path, owner: str
) -> None:
    # With an empty owner password pypdf "decrypts" with "", yet viewers ask for the
    # user password; the file is refused all the same.
    exc = refused(encrypted_pdf("user-secret", owner), work_dir)
    assert exc.code == "password"
    assert str(exc) == ("the PDF needs a password to open; remove the password and upload it again")


# -- resource limits -------------------------------------------------------------------


def test_timeout_kills_the_worker(pub_pdf: Path, work_dir: Path) -> None:
    started = time.monotonic()
    exc = refused(pub_pdf, work_dir, Limits(timeout_s=0.05))
    assert exc.code == "timeout"
    assert str(exc) == "processing took longer than 0.05 s"
    assert time.monotonic() - started < 5


def test_flate_bomb_is_refused(flate_bomb_pdf: Path, work_dir: Path) -> None:
    exc = refused(flate_bomb_pdf, work_dir)
    assert exc.code == "bomb"
    assert "decompression bomb" in str(exc)


def test_memory_limit(flate_bomb_pdf: Path, work_dir: Path) -> None:
    exc = refused(flate_bomb_pdf, work_dir, Limits(memory_bytes=100 * 2**20))
    assert exc.code == "memory"
    assert str(exc) == "processing needed more than 100 MiB of memory"


@pytest.mark.parametrize("max_pixels", [50_000_000, 10**10])
def test_image_bomb_under_a_small_memory_limit(
    image_bomb_pdf: Path, work_dir: Path, max_pixels: int
) -> None:
    limits = Limits(memory_bytes=200 * 2**20, max_image_pixels=max_pixels)
    try:
        result: Sanitised | Rejected = sanitise(image_bomb_pdf, work_dir, limits)
    except Rejected as exc:
        result = exc
    if isinstance(result, Rejected):
        assert_one_line(result)
        assert result.code == "memory"
    else:
        assert result.pages == 1
        if max_pixels == 50_000_000:  # the cover guard refuses to draw a 400 Mpx image
            assert result.cover_path is None
            assert any("20000x20000" in note for note in result.notes)

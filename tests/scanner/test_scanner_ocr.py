"""OCR into a searchable PDF, and ``process_pages`` from raw scans to that PDF."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from imagekit import PARAGRAPHS, text_page, words_of
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from scanner_testkit import FakeTool, framed, pdf_text, rotated

from scanner import (
    OcrError,
    OcrTimeout,
    ProcessingCancelled,
    ProcessOptions,
    ocr_pages,
    process_pages,
    rotate_clockwise,
    save_page,
)

DPI = 200
TITLES = ["Penduduk Bengkulu", "Produksi Padi", "Pertumbuhan Ekonomi"]


def _pages(folder: Path, *, kind: str = "bilevel") -> list[Path]:
    folder.mkdir(exist_ok=True)
    return [
        save_page(
            text_page(lines, dpi=DPI, title=title),
            folder / f"page-{n}",
            kind=kind,  # type: ignore[arg-type]
            dpi=DPI,
        )
        for n, (lines, title) in enumerate(zip(PARAGRAPHS, TITLES, strict=True), start=1)
    ]


def _image_streams(pdf: Path) -> list[tuple[str, bytes]]:
    found = []
    for page in PdfReader(pdf).pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        xobjects = resources["/XObject"].get_object()
        assert isinstance(xobjects, DictionaryObject)
        for reference in xobjects.values():
            image = reference.get_object()
            found.append((image["/Filter"], image._data))
    return found


def test_ocr_of_a_three_page_document(tmp_path: Path) -> None:
    images = _pages(tmp_path / "in")
    progress: list[tuple[int, int]] = []
    out = tmp_path / "laporan.pdf"

    result = ocr_pages(images, out, on_progress=lambda d, t: progress.append((d, t)))

    assert (result.path, result.pages) == (out, 3)
    assert progress == [(1, 3), (2, 3), (3, 3)]
    text = pdf_text(out)
    for lines, title, page_text in zip(PARAGRAPHS, TITLES, result.texts, strict=True):
        assert words_of(lines) <= set(page_text.split()) | words_of([page_text])
        assert title.split()[0] in text
    for word in ("penduduk", "Bengkulu", "Statistik", "pertanian", "kemiskinan"):
        assert word in text
    reader = PdfReader(out)
    assert len(reader.pages) == 3
    # 7 x 5 inches at 200 dpi: the page has the paper's size.
    assert float(reader.pages[0].mediabox.width) == pytest.approx(7 * 72, abs=0.5)
    assert float(reader.pages[0].mediabox.height) == pytest.approx(5 * 72, abs=0.5)
    # G4 images under invisible text (render mode 3), a few kB per page.
    assert [f for f, _ in _image_streams(out)] == ["/CCITTFaxDecode"] * 3
    assert b"3 Tr" in reader.pages[0].get_contents().get_data()  # type: ignore[union-attr]
    assert out.stat().st_size < 60_000


def test_jpeg_pages_are_embedded_as_they_are(tmp_path: Path) -> None:
    images = _pages(tmp_path / "in", kind="gray")

    ocr_pages(images, tmp_path / "out.pdf", workers=2)

    streams = _image_streams(tmp_path / "out.pdf")
    assert [f for f, _ in streams] == ["/DCTDecode"] * 3
    assert [data for _, data in streams] == [p.read_bytes() for p in images]


def test_pages_render_as_the_images(tmp_path: Path) -> None:
    images = _pages(tmp_path / "in")
    ocr_pages(images[:1], tmp_path / "out.pdf")

    document = pdfium.PdfDocument(tmp_path / "out.pdf")
    try:
        rendered = document[0].render(scale=DPI / 72).to_pil().convert("L")
    finally:
        document.close()
    with Image.open(images[0]) as original:
        # Black text on white, not inverted by the CCITT embedding.
        assert rendered.size == original.size
        assert rendered.getpixel((rendered.width - 1, rendered.height - 1)) > 240
        ink = np.asarray(original.convert("L")) < 128
        assert (np.asarray(rendered) < 128).mean() == pytest.approx(ink.mean(), abs=0.005)


def test_a_tesseract_failure_names_the_page(tmp_path: Path) -> None:
    images = _pages(tmp_path / "in")

    with pytest.raises(OcrError) as caught:
        ocr_pages(images[:2], tmp_path / "out.pdf", languages="xyz", workers=1)

    assert caught.value.code == "ocr_failed"
    assert caught.value.page == 1
    assert "xyz" in caught.value.detail
    assert not (tmp_path / "out.pdf").exists()


def test_a_hanging_tesseract_times_out(fake_tool: FakeTool, tmp_path: Path) -> None:
    images = _pages(tmp_path / "in")
    fake_tool("tesseract", "#!/bin/sh\nexec sleep 30\n")
    started = time.monotonic()

    with pytest.raises(OcrTimeout) as caught:
        ocr_pages(images, tmp_path / "out.pdf", timeout_s=0.5, workers=3)

    assert time.monotonic() - started < 5
    assert caught.value.code == "ocr_timeout"
    assert caught.value.page in (1, 2, 3)


def test_process_pages_from_raw_scans(tmp_path: Path) -> None:
    raw = []
    for n, (lines, title) in enumerate(zip(PARAGRAPHS, TITLES, strict=True), start=1):
        page = text_page(lines, dpi=DPI, title=title)
        if n == 1:
            page = framed(rotated(page, 2.5), top=50, left=40)  # askew, in a dark frame
        if n == 2:
            page = rotate_clockwise(page, 180)  # fed upside down
        if n == 3:
            page = rotate_clockwise(page, 90)  # the officer says: turn it back
        path = tmp_path / f"page-{n:04d}.pnm"
        page.save(path)  # PNM, as scanimage writes: no resolution inside
        raw.append(path)
    progress: list[int] = []
    options = ProcessOptions(dpi=DPI, rotations={3: 270}, title="Laporan Bengkulu")

    result = process_pages(raw, tmp_path / "out.pdf", options, lambda d, _: progress.append(d))

    assert result.pages == 3
    assert progress == [1, 2, 3]
    first, second, third = result.reports
    assert first.skew == pytest.approx(-2.5, abs=0.1)
    assert first.crop is not None
    assert second.rotation == 180
    assert (third.rotation, third.orientation_confidence) == (270, None)
    assert {r.kind for r in result.reports} == {"bilevel"}
    text = pdf_text(result.path)
    for lines in PARAGRAPHS:
        assert words_of(lines) <= words_of([text])
    assert PdfReader(result.path).metadata["/Title"] == "Laporan Bengkulu"  # type: ignore[index]


def test_process_pages_can_be_cancelled(tmp_path: Path) -> None:
    raw = []
    for n in range(4):
        path = tmp_path / f"page-{n}.png"
        text_page(PARAGRAPHS[n % 3], dpi=DPI).save(path, dpi=(DPI, DPI))
        raw.append(path)
    cancel = threading.Event()

    with pytest.raises(ProcessingCancelled):
        process_pages(
            raw,
            tmp_path / "out.pdf",
            ProcessOptions(workers=1),
            lambda *_: cancel.set(),
            cancel=cancel,
        )

    assert not (tmp_path / "out.pdf").exists()

"""The stamp on real files: the reference publications and the real-world corpus made
into masters as the ingest makes them (fast path expected), and the hostile corpus as
it is (stamped correctly, by whichever path, or refused with the package's error)."""

from __future__ import annotations

import csv
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from watermark_samples import CODE, HOSTILE, NAME, REAL, Word

from watermark import (
    Mark,
    Plan,
    WatermarkError,
    analyse,
    fallback_count,
    find_codes,
    stamp_pdf,
    stats,
)

REAL_FILES = sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []
HOSTILE_ROWS = (
    list(csv.DictReader((HOSTILE / "MANIFEST.tsv").read_text().splitlines(), delimiter="\t"))
    if (HOSTILE / "MANIFEST.tsv").exists()
    else []
)
_SLOW = {"syn__many-pages-20000.pdf"}  # 20 s through pypdf: too slow for this suite


def every_page_stamped(pages: list[str]) -> bool:
    return all(NAME in " ".join(p.split()) and "7K2M9-QX4TA" in p for p in pages)


@pytest.mark.parametrize("name", ["50p", "500p"])
def test_reference_publication_takes_the_fast_path_and_every_page_is_stamped(
    name: str,
    reference_masters: dict[str, Path],
    mark: Mark,
    tmp_path: Path,
    texts: Callable[[Path], list[str]],
    check: Callable[[Path], None],
) -> None:
    master = reference_masters[name]
    plan = Plan.from_json(analyse(master).to_json())  # as stored beside the master
    out = tmp_path / "out.pdf"
    result = stamp_pdf(master, out, mark, plan=plan)
    assert (result.path, result.reason, fallback_count()) == ("fast", None, 0)
    assert result.pages == int(name[:-1]) == len(plan.pages)
    assert result.bytes_written == out.stat().st_size
    check(out)
    pages = texts(out)
    assert len(pages) == result.pages
    assert every_page_stamped(pages)
    assert out.read_bytes().count(b"%%EOF") == 1
    assert find_codes(out) == [CODE]


@pytest.mark.skipif(not REAL_FILES, reason="the shared corpus is not available")
@pytest.mark.parametrize("src", REAL_FILES, ids=[p.name[:20] for p in REAL_FILES])
def test_real_world_masters_take_the_fast_path(
    src: Path,
    mark: Mark,
    tmp_path: Path,
    make_master: Callable[[Path, Path], Path],
    texts: Callable[[Path], list[str]],
    words: Callable[[Path], list[list[Word]]],
    check: Callable[[Path], None],
) -> None:
    try:
        master = make_master(src, tmp_path / "master.pdf")
    except Exception:
        pytest.skip("pypdf, hence the ingest, cannot make a master of it")
    plan = analyse(master)
    out = tmp_path / "out.pdf"
    result = stamp_pdf(master, out, mark, plan=plan)
    assert result.path == "fast"
    check(out)
    assert every_page_stamped(texts(out))
    for page, page_plan in zip(words(out), plan.pages, strict=True):
        placement = plan.placements[page_plan.placement]
        footer = [w for w in page if w.text in ("Diunduh", "7K2M9-QX4TA")]
        assert len(footer) == 2
        assert all(w.horizontal for w in footer)
        assert all(placement.height - 25 < w.y0 and w.y1 <= placement.height for w in footer)
        assert all(w.x0 >= 0 and w.x1 <= placement.width for w in footer)


@pytest.mark.skipif(not HOSTILE_ROWS, reason="the shared corpus is not available")
@pytest.mark.parametrize(
    "row", HOSTILE_ROWS, ids=[r["file"][:40] for r in HOSTILE_ROWS] if HOSTILE_ROWS else []
)
def test_hostile_files_are_stamped_whole_or_refused_cleanly(
    row: dict[str, str],
    mark: Mark,
    tmp_path: Path,
) -> None:
    if row["file"] in _SLOW:
        pytest.skip("too slow through the fallback for this suite")
    src = HOSTILE / row["file"]
    out = tmp_path / "out.pdf"
    try:
        result = stamp_pdf(src, out, mark)
    except WatermarkError:
        assert not out.exists()
        return
    assert stats().fast + stats().fallback == 1
    # Whatever qpdf finds wrong must be the input's own (broken content streams...).
    assert qpdf_status(out) == 0 or qpdf_status(out) == qpdf_status(src)
    # pdfium, not poppler: poppler gives up on some of these inputs (a /Count of 10^10).
    pages = pdfium_texts(out)
    assert len(pages) == result.pages
    assert every_page_stamped(pages)
    assert out.read_bytes().count(b"%%EOF") == 1


def qpdf_status(path: Path) -> int:
    return subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode


def pdfium_texts(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        out = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        document.close()


SHAPED = ["qpdf__boxes.pdf", "qpdf__rotated.pdf", "qpdf__fxo-red-rotate.pdf"]


@pytest.mark.skipif(not HOSTILE_ROWS, reason="the shared corpus is not available")
@pytest.mark.parametrize("name", SHAPED)
def test_corpus_page_shapes_get_an_upright_footer_at_the_bottom(
    name: str,
    mark: Mark,
    tmp_path: Path,
    words: Callable[[Path], list[list[Word]]],
) -> None:
    """Offset boxes, rotations (also -450, 540, 990...) from real producers."""
    out = tmp_path / "out.pdf"
    stamp_pdf(HOSTILE / name, out, mark)
    document = pdfium.PdfDocument(out)
    try:
        sizes = [document[i].get_size() for i in range(len(document))]
    finally:
        document.close()
    pages = words(out)
    assert len(pages) == len(sizes) > 1
    for (width, height), page in zip(sizes, pages, strict=True):
        footer = [w for w in page if w.text in ("Diunduh", "7K2M9-QX4TA")]
        assert len(footer) == 2
        assert all(w.horizontal for w in footer)
        assert all(height - 25 < w.y0 and w.y1 <= height + 0.5 for w in footer)
        assert all(w.x0 >= 0 and w.x1 <= width + 0.5 for w in footer)

"""The stamp on every page shape: rotated, offset boxes, landscape, inherited attributes,
unbalanced content, content arrays, shared streams and resources, blank pages.

Checked through poppler (words and their boxes as the reader sees the page) and pdfium
(rendering), on both paths: the fast path on the hand-written file as it is, and the
fallback on the same file rewritten with object streams.
"""

from __future__ import annotations

import statistics
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from watermark_samples import CODE, EMAIL, NAME, Shape, Word, shapes_pdf, write

from watermark import Mark, analyse, fallback_count, stamp_pdf

# Some real pages' CropBoxes are not whole points: allow half a point around the page.
SLACK = 0.5


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Shape]]:
    data, shapes = shapes_pdf()
    return write(tmp_path_factory.mktemp("shapes") / "shapes.pdf", data), shapes


@pytest.fixture(params=["fast", "fallback"])
def stamped(
    request: pytest.FixtureRequest,
    sample: tuple[Path, list[Shape]],
    mark: Mark,
    tmp_path: Path,
    check: Callable[[Path], None],
) -> tuple[Path, list[Shape]]:
    master, shapes = sample
    if request.param == "fallback":
        rewritten = tmp_path / "objstm.pdf"
        subprocess.run(
            ["qpdf", "--object-streams=generate", str(master), str(rewritten)], check=True
        )
        master = rewritten
    out = tmp_path / "out.pdf"
    result = stamp_pdf(master, out, mark, plan=analyse(master) if request.param == "fast" else None)
    assert result.path == request.param
    assert result.pages == len(shapes)
    check(out)
    return out, shapes


def footer(words: list[Word]) -> list[Word]:
    """The footer's words: from "Diunduh" to the code."""
    texts = [w.text for w in words]
    start = texts.index("Diunduh")
    end = texts.index("7K2M9-QX4TA", start)
    return words[start : end + 1]


def test_every_page_carries_name_email_time_office_and_code(
    stamped: tuple[Path, list[Shape]], texts: Callable[[Path], list[str]]
) -> None:
    out, shapes = stamped
    pages = texts(out)
    assert len(pages) == len(shapes)
    for shape, text in zip(shapes, pages, strict=True):
        flat = " ".join(text.split())
        assert f"Diunduh oleh {NAME} ({EMAIL}) pada 25-11-2026 14:03 WIB" in flat, shape
        assert "BPS Provinsi Bengkulu" in flat, shape
        assert "Kode unduhan 7K2M9-QX4TA" in flat, shape
        if shape.width > 500:  # the footer on one line
            assert "WIB · BPS Provinsi Bengkulu · Kode unduhan 7K2M9-QX4TA" in flat, shape
        assert f"PSTWM {CODE}" in flat, shape  # the invisible line
        if shape.number not in (14, 15, 16):
            assert f"Seite {shape.number}" in flat, shape  # the page's own content is kept


def test_stamp_is_upright_inside_the_visible_area_footer_at_the_bottom(
    stamped: tuple[Path, list[Shape]], words: Callable[[Path], list[list[Word]]]
) -> None:
    out, shapes = stamped
    for shape, page in zip(shapes, words(out), strict=True):
        stamp = [w for w in page if not w.text.startswith("Seite") and not w.text.isdigit()]
        for word in stamp:
            assert word.x0 >= -SLACK and word.x1 <= shape.width + SLACK, (shape, word)
            assert word.y0 >= -SLACK and word.y1 <= shape.height + SLACK, (shape, word)
        line = footer(page)
        assert all(w.horizontal for w in line if len(w.text) > 2), shape
        assert all(shape.height - 25 < w.y0 < w.y1 <= shape.height for w in line), shape
        # The diagonal: the rest, bar the invisible line; it crosses the page rising
        # from the lower left to the upper right (y grows downwards here).
        skip = {id(w) for w in line} | {id(w) for w in page if w.text in ("PSTWM", CODE)}
        diagonal = [w for w in stamp if id(w) not in skip]
        xs = [(w.x0 + w.x1) / 2 for w in diagonal]
        ys = [(w.y0 + w.y1) / 2 for w in diagonal]
        assert min(xs) < shape.width / 3 and max(xs) > shape.width * 2 / 3, shape
        assert statistics.correlation(xs, ys) < -0.99, shape


def test_footer_keeps_its_size_on_landscape_pages(
    stamped: tuple[Path, list[Shape]], words: Callable[[Path], list[list[Word]]]
) -> None:
    out, shapes = stamped
    heights = {
        shape.what: footer(page)[0].y1 - footer(page)[0].y0
        for shape, page in zip(shapes, words(out), strict=True)
        if shape.number != 16  # too narrow for one line: still the same size, wrapped
    }
    assert max(heights.values()) - min(heights.values()) < 0.05, heights


def test_unbalanced_content_does_not_move_or_clip_the_stamp(
    stamped: tuple[Path, list[Shape]],
) -> None:
    """The footer band of pages whose content leaves a scaled, clipped or text state
    open renders exactly like that of an ordinary page of the same size."""
    out, shapes = stamped
    numbers = {s.what: s.number for s in shapes}
    document = pdfium.PdfDocument(out)
    try:

        def band(number: int) -> bytes:
            page = document[number - 1]
            image = page.render(scale=1).to_pil().convert("L")
            page.close()
            return image.crop((0, image.height - 20, image.width, image.height)).tobytes()

        plain = band(numbers["portrait"])
        assert min(plain) < 128  # there is ink in the band
        for what in (
            "unclosed q with cm and clip",
            "extra Q",
            "unclosed BT",
            "content array, unbalanced across streams",
        ):
            assert band(numbers[what]) == plain, what
    finally:
        document.close()


def test_rotated_pages_show_the_footer_at_the_bottom_of_the_rendered_page(
    stamped: tuple[Path, list[Shape]],
) -> None:
    out, shapes = stamped
    document = pdfium.PdfDocument(out)
    try:
        for shape in shapes:
            page = document[shape.number - 1]
            image = page.render(scale=1).to_pil().convert("L")
            page.close()
            assert abs(image.width - shape.width) <= 1 and abs(image.height - shape.height) <= 1
            bottom = image.crop((0, image.height - 20, image.width, image.height))
            assert bottom.getextrema()[0] < 128, shape  # ink: the footer
    finally:
        document.close()


def test_the_plan_records_each_shape(sample: tuple[Path, list[Shape]]) -> None:
    master, shapes = sample
    plan = analyse(master)
    pages = {s.what: p for s, p in zip(shapes, plan.pages, strict=True)}
    inherited = pages["inherited MediaBox, Rotate 90, Resources"]
    assert (inherited.media_box, inherited.rotate) == ((0, 0, 842, 595), 90)
    assert inherited.resources == "inherited"
    offset = pages["rotate 90, offset boxes"]
    assert offset.crop_box == (150, 250, 662, 942)
    assert (pages["rotate -90 (is 270)"].rotate, pages["rotate 450 (is 90)"].rotate) == (270, 90)
    assert (pages["unclosed q with cm and clip"].final, pages["extra Q"].lowest) == (2, -2)
    assert pages["unclosed BT"].closing == "ET"
    assert pages["content array, unbalanced across streams"].final == 1
    assert pages["shared content and indirect resources"].resources == "own indirect"
    assert pages["blank, no resources, no contents"].resources == "added"
    assert fallback_count() == 0

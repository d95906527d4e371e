"""The image pipeline: deskew, frame crop, orientation, storage form, size limits."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from imagekit import PARAGRAPHS, text_page, words_of
from PIL import Image, ImageDraw
from scanner_testkit import framed, rotated

from scanner import (
    ImageError,
    ImageTooLarge,
    classify,
    clean_page,
    crop_dark_borders,
    detect_orientation,
    estimate_skew,
    inspect_image,
    open_image,
    rotate_clockwise,
    rotate_fine,
    save_page,
)

LINES = PARAGRAPHS[0] + PARAGRAPHS[1]


def _ocr(image: Image.Image, path: Path, dpi: int) -> str:
    image.save(path, dpi=(dpi, dpi))
    return subprocess.run(
        ["tesseract", str(path), "stdout", "-l", "ind+eng", "--dpi", str(dpi)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
    ).stdout


@pytest.mark.parametrize("degrees", [-3.0, -1.2, 0.0, 0.7, 2.0, 2.5, 3.0])
def test_skew_is_measured_within_a_tenth_of_a_degree(degrees: float) -> None:
    page = rotated(text_page(LINES, dpi=150), degrees)

    assert estimate_skew(page) == pytest.approx(-degrees, abs=0.1)


def test_deskewed_page_reads_every_word(tmp_path: Path) -> None:
    dpi = 200
    skewed = rotated(text_page(LINES, dpi=dpi), 3.0)
    angle = estimate_skew(skewed)
    straight = rotate_fine(skewed, angle)

    assert abs(angle + 3.0) <= 0.3
    assert abs(estimate_skew(straight)) <= 0.1
    expected = words_of(LINES)
    skewed_text = _ocr(skewed, tmp_path / "skewed.png", dpi)
    straight_text = _ocr(straight, tmp_path / "straight.png", dpi)
    read_skewed = {w for w in expected if w in skewed_text}
    read_straight = {w for w in expected if w in straight_text}
    assert read_straight == expected
    assert read_straight >= read_skewed


def test_blank_and_black_pages_have_no_skew() -> None:
    assert estimate_skew(Image.new("L", (600, 800), 255)) == 0.0
    assert estimate_skew(Image.new("L", (600, 800), 0)) == 0.0


def test_dark_scanner_frame_is_cropped() -> None:
    page = text_page(LINES, dpi=150)
    scanned = framed(page, top=60, left=45)

    cropped, box = crop_dark_borders(scanned)

    assert box is not None
    left, top, right, bottom = box
    assert 45 <= left <= 52
    assert 60 <= top <= 67
    assert (right, bottom) == page.size
    assert np.asarray(cropped)[:5, :].mean() > 250  # the frame is gone
    assert crop_dark_borders(page) == (page, None)  # nothing to cut on a clean page


@pytest.mark.parametrize(("turned", "fix"), [(180, 180), (90, 270), (270, 90)])
def test_orientation_is_detected(turned: int, fix: int) -> None:
    page = rotate_clockwise(text_page(LINES, dpi=150), turned)

    found = detect_orientation(page, dpi=150)

    assert found is not None
    assert found.rotate == fix
    assert found.confidence > 5


def test_orientation_of_a_blank_page_is_unknown() -> None:
    assert detect_orientation(Image.new("L", (600, 800), 255), dpi=150) is None


def test_clean_page_turns_straightens_and_crops() -> None:
    page = text_page(LINES, dpi=150)
    scanned = framed(rotate_clockwise(rotated(page, 2.0), 180), top=40, left=30)

    cleaned = clean_page(scanned, dpi=150)

    assert cleaned.rotation == 180
    assert cleaned.orientation_confidence is not None
    assert cleaned.skew == pytest.approx(-2.0, abs=0.1)
    assert cleaned.crop is not None
    assert cleaned.kind == "bilevel"


def test_manual_rotation_replaces_detection() -> None:
    page = rotate_clockwise(text_page(LINES, dpi=150), 90)

    cleaned = clean_page(page, dpi=150, rotation=270)

    assert cleaned.rotation == 270
    assert cleaned.orientation_confidence is None  # not asked
    assert cleaned.image.size == (page.height, page.width)


def test_rotate_clockwise() -> None:
    image = Image.new("L", (3, 2), 255)
    image.putpixel((0, 0), 0)  # top left

    assert rotate_clockwise(image, 90).getpixel((1, 0)) == 0  # now top right
    assert rotate_clockwise(image, -270).getpixel((1, 0)) == 0
    assert rotate_clockwise(image, 180).getpixel((2, 1)) == 0
    with pytest.raises(ValueError, match="multiple of 90"):
        rotate_clockwise(image, 45)


def test_g4_is_much_smaller_than_jpeg_for_text(tmp_path: Path) -> None:
    page = text_page(LINES + PARAGRAPHS[2], dpi=300, size_in=(8.27, 5.0))

    g4 = save_page(page, tmp_path / "text", kind="bilevel", dpi=300)
    jpeg = save_page(page, tmp_path / "text", kind="gray", dpi=300)

    assert classify(page, dpi=300) == "bilevel"
    assert g4.suffix == ".tif"
    assert jpeg.suffix == ".jpg"
    assert g4.stat().st_size * 8 < jpeg.stat().st_size
    facts = inspect_image(g4)
    assert (facts.mode, facts.compression, facts.dpi, facts.embeddable) == (
        "1",
        "group4",
        300,
        True,
    )


def test_pictures_and_colour_are_not_binarised() -> None:
    page = text_page(LINES, dpi=150)
    rng = np.random.default_rng(7)
    photo = Image.fromarray(rng.integers(60, 200, size=(200, 260), dtype=np.uint8))
    with_photo = page.copy()
    with_photo.paste(photo, (400, 300))
    shaded = page.copy()
    ImageDraw.Draw(shaded).rectangle((100, 500, 700, 620), fill=170)
    coloured = page.convert("RGB")
    ImageDraw.Draw(coloured).rectangle((100, 500, 300, 600), fill=(200, 30, 30))

    assert classify(with_photo, dpi=150) == "gray"
    assert classify(shaded, dpi=150) == "gray"
    assert classify(coloured, dpi=150) == "color"
    assert classify(page.convert("RGB"), dpi=150) == "bilevel"


def _png_header_only(path: Path, width: int, height: int) -> None:
    """A tiny PNG that claims ``width`` x ``height``: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    _png_header_only(bomb, 100_000, 100_000)  # 10 Gpx, beyond Pillow's own limit too

    with pytest.raises(ImageTooLarge) as caught:
        open_image(bomb, page=3)
    assert caught.value.code == "image_too_large"
    assert caught.value.page == 3
    with pytest.raises(ImageTooLarge):
        inspect_image(bomb)

    big = tmp_path / "big.png"
    _png_header_only(big, 9_000, 9_000)  # 81 Mpx: over our limit, under Pillow's warning
    with pytest.raises(ImageTooLarge) as ours:
        open_image(big)
    assert "9000x9000 pixels > 80000000" in ours.value.detail
    with pytest.raises(ImageTooLarge):
        inspect_image(big, max_pixels=50_000_000)


def test_file_size_limit_and_unreadable_files(tmp_path: Path) -> None:
    page = tmp_path / "page.png"
    text_page(LINES, dpi=100).save(page)
    with pytest.raises(ImageTooLarge):
        open_image(page, max_file_bytes=1000)
    assert open_image(page).size == (700, 500)

    junk = tmp_path / "junk.pnm"
    junk.write_bytes(b"not an image")
    with pytest.raises(ImageError) as caught:
        open_image(junk)
    assert type(caught.value) is ImageError

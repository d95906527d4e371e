"""The online reader's page images: rendered in a limited process, cached, stamped."""

from __future__ import annotations

import io

import pytest
from factories import make_pdf
from PIL import Image

from library import render

KEY = "ab" * 32


def test_pages_are_rendered_ahead_and_cached(tmp_path):
    pdf = make_pdf(tmp_path / "p.pdf", ["satu", "dua", "tiga", "empat", "lima", "enam"])
    first = render.cached_page(pdf, KEY, 1, 600, tmp_path / "cache", last_page=6)
    names = sorted(p.name for p in first.parent.iterdir())
    assert names == ["1-600.png", "2-600.png", "3-600.png", "4-600.png"]  # three ahead
    with Image.open(first) as image:
        assert image.width == 600
    assert render.cached_page(pdf, KEY, 2, 600, tmp_path / "cache", last_page=6) == (
        first.parent / "2-600.png"
    )
    with pytest.raises(render.RenderFailed):
        render.cached_page(pdf, KEY, 9, 600, tmp_path / "cache", last_page=6)


def test_a_renderer_that_takes_too_long_is_stopped(tmp_path):
    pdf = make_pdf(tmp_path / "p.pdf", ["satu"])
    with pytest.raises(render.RenderFailed, match="longer than"):
        render.cached_page(pdf, KEY, 1, 600, tmp_path / "cache", last_page=1, timeout_s=0.01)
    assert not list((tmp_path / "cache").rglob("*.png"))  # nothing half-written


def test_stamped_image_names_the_reader(tmp_path):
    pdf = make_pdf(tmp_path / "p.pdf", ["satu"])
    page = render.cached_page(pdf, KEY, 1, 600, tmp_path / "cache", last_page=1)
    stamp = render.ReaderStamp("Ani <ani@example.org>", "25-11-2026 14:03 WIB · BPS")
    data = render.stamped_image(page, stamp)
    stamped = Image.open(io.BytesIO(data)).convert("RGB")
    with Image.open(page) as opened:
        plain = opened.convert("RGB")
    assert stamped.size == plain.size
    # The footer band and the diagonal line changed pixels at the bottom and centre.
    bottom = (10, stamped.height - 30, stamped.width - 10, stamped.height - 5)
    assert stamped.crop(bottom).tobytes() != plain.crop(bottom).tobytes()

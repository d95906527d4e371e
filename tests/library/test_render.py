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


def _files(folder, names_sizes, start=1_000_000.0):
    import os

    paths = []
    for n, (name, size) in enumerate(names_sizes):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
        os.utime(path, (start + n, start + n))  # written one after the other
        paths.append(path)
    return paths


def test_the_rendered_page_cache_is_bounded(tmp_path):
    cache = tmp_path / "cache"
    old, middle, new = _files(
        cache / "pages" / "ab" / KEY, [("1-600.png", 400), ("2-600.png", 400), ("3-600.png", 400)]
    )
    render.prune_cache(cache, 900, every=1)
    assert not old.exists() and middle.exists() and new.exists()  # 800 bytes fit
    render.prune_cache(cache, 100, every=1)
    assert not list(cache.rglob("*.png"))


def test_fetched_masters_are_a_bounded_cache(tmp_path):
    from library.masters import master_path
    from storage import LocalStore

    class Remote(LocalStore):
        def local_path(self, key):  # as on S3: no local file, the master is fetched
            return None

    cache = tmp_path / "cache"
    remote = Remote(tmp_path / "blobs")
    read, unread = _files(
        cache / "masters" / "aa", [("aa" + "1" * 62 + ".pdf", 600), ("aa" + "2" * 62 + ".pdf", 600)]
    )
    assert master_path(remote, read.name[:64], cache) == read  # read again: recently used
    ref = remote.put(io.BytesIO(b"%PDF-1.4 baru" + b"y" * 500))

    fetched = master_path(remote, ref.key, cache, budget=1200)

    assert fetched.read_bytes().startswith(b"%PDF-1.4 baru")
    assert not unread.exists() and read.exists()  # the least recently used went
    assert sum(p.stat().st_size for p in (cache / "masters").rglob("*.pdf")) <= 1200

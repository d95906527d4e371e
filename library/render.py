"""Pages for the online reader: rendered from the master on the server (in a separate,
resource-limited process: ``library.render_worker``), cached on disk without a stamp,
and stamped with the reader's name each time one is sent.

The unstamped page images never leave the server; the browser only ever receives a
stamped image (and never the PDF).
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

# PDFium is not thread-safe: one render at a time per process.
pdfium_lock = threading.Lock()

MAX_PAGE_PIXELS = 6000 * 6000  # an absurd page size is scaled down to this
PREFETCH = 3  # pages rendered ahead of the one asked for
RENDER_TIMEOUT_S = 20.0
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # holds the ``library`` package
FORMAT, MIMETYPE = "WEBP", "image/webp"
_FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
_writes = itertools.count()


@dataclass(frozen=True)
class ReaderStamp:
    """What the reader's stamp says: two lines, drawn on every page image."""

    holder: str  # "Name <email>"
    detail: str  # "25-11-2026 14:03 WIB · office · code"


class RenderFailed(Exception):
    """A page could not be rendered (the renderer crashed, ran out of time or memory)."""


def cached_page(
    path: Path,
    key: str,
    page: int,
    width: int,
    cache_dir: Path,
    *,
    last_page: int,
    prefetch: int = PREFETCH,
    timeout_s: float = RENDER_TIMEOUT_S,
) -> Path:
    """The rendered page image file (unstamped), rendering it on first use — together
    with the next few pages, which a reader scrolling down asks for next."""
    folder = cache_dir / "pages" / key[:2] / key
    target = folder / f"{page}-{width}.png"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [
        p
        for p in range(page, min(page + prefetch, last_page) + 1)
        if not (folder / f"{p}-{width}.png").is_file()
    ]
    _run_worker(path, width, folder, wanted, timeout_s)
    if not target.is_file():
        raise RenderFailed(f"page {page} of {key[:12]} was not rendered")
    return target


def _run_worker(path: Path, width: int, folder: Path, pages: list[int], timeout_s: float) -> None:
    command = [
        sys.executable,
        "-P",
        "-s",
        "-m",
        "library.render_worker",
        str(path),
        str(width),
        str(folder),
        *map(str, pages),
    ]
    env = {
        "PATH": os.devnull,
        "PYTHONPATH": str(_PACKAGE_ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_THREAD_LIMIT": "1",
    }
    try:
        done = subprocess.run(  # noqa: S603 - fixed argv, no shell
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=timeout_s,
            start_new_session=True,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RenderFailed(f"rendering took longer than {timeout_s:g} s") from exc
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace")[-300:].strip()
        log.warning("page renderer exited with %s: %s", done.returncode, tail)


def render_pages(path: Path, pages: list[int], width: int) -> Iterator[tuple[int, Image.Image]]:
    """``(page, image)`` for the existing ``pages`` (1-based) of the PDF at ``path``,
    ``width`` pixels wide, as RGB (run in the renderer's own process)."""
    import pypdfium2 as pdfium

    with pdfium_lock:
        pdf = pdfium.PdfDocument(str(path))
        try:
            for page in pages:
                if not 1 <= page <= len(pdf):
                    continue
                handle = pdf[page - 1]
                try:
                    w_pt, h_pt = handle.get_width(), handle.get_height()
                    scale = width / max(w_pt, 1.0)
                    if (w_pt * scale) * (h_pt * scale) > MAX_PAGE_PIXELS:
                        scale = (MAX_PAGE_PIXELS / max(w_pt * h_pt, 1.0)) ** 0.5
                    bitmap = handle.render(scale=scale, may_draw_forms=False)
                    image = bitmap.to_pil().convert("RGB")
                finally:
                    handle.close()
                yield page, image
        finally:
            pdf.close()


def stamped_image(source: Path, stamp: ReaderStamp, quality: int = 82) -> bytes:
    """The cached page at ``source`` with the reader's stamp drawn in, as WebP bytes."""
    with Image.open(source) as opened:
        image = opened.convert("RGB")
    draw_stamp(image, stamp)
    out = io.BytesIO()
    image.save(out, FORMAT, quality=quality, method=4)
    return out.getvalue()


def draw_stamp(image: Image.Image, stamp: ReaderStamp) -> None:
    """Draw a footer band and a faint diagonal line naming the reader onto ``image``."""
    width, height = image.size
    size = max(11, width // 70)
    font = _font(size)
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    band = int(size * 2.9)
    draw.rectangle((0, height - band, width, height), fill=(255, 255, 255, 215))
    draw.text((size // 2, height - band + size * 0.3), stamp.holder, font=font, fill=(20, 20, 20))
    draw.text((size // 2, height - band + size * 1.5), stamp.detail, font=font, fill=(60, 60, 60))

    big = _font(max(14, width // 24))
    text = stamp.holder
    box = draw.textbbox((0, 0), text, font=big)
    strip = Image.new("RGBA", (int(box[2] - box[0]) + 20, int(box[3] - box[1]) + 20), (0, 0, 0, 0))
    ImageDraw.Draw(strip).text((10 - box[0], 10 - box[1]), text, font=big, fill=(200, 30, 30, 60))
    angle = 35 if width <= height else 20
    strip = strip.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
    overlay.alpha_composite(
        strip, (max(0, (width - strip.width) // 2), max(0, (height - strip.height) // 2))
    )
    image.paste(overlay, (0, 0), overlay)


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in _FONT_FILES:
        if os.path.exists(candidate):
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size)


def prune_cache(cache_dir: Path, budget: int, every: int = 50) -> None:
    """Every ``every``-th call, delete the least recently written page images until the
    cache fits ``budget`` bytes (cheap enough not to need a job)."""
    if next(_writes) % every:
        return
    root = cache_dir / "pages"
    files = []
    for entry in root.rglob("*.png"):
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue
        files.append((stat.st_mtime, stat.st_size, entry))
    total = sum(size for _, size, _ in files)
    for _, size, entry in sorted(files):
        if total <= budget:
            break
        entry.unlink(missing_ok=True)
        total -= size

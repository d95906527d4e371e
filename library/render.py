"""Pages for the online reader: rendered from the master on the server, cached on disk
without a stamp, and stamped with the reader's name each time one is sent.

The unstamped page images never leave the server; the browser only ever receives a
stamped image (and never the PDF).
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

# PDFium is not thread-safe: one render at a time per process.
pdfium_lock = threading.Lock()

MAX_PAGE_PIXELS = 6000 * 6000  # an absurd page size is scaled down to this
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


def cached_page(path: Path, key: str, page: int, width: int, cache_dir: Path) -> Path:
    """The rendered page image file (unstamped), rendering it on first use."""
    target = cache_dir / "pages" / key[:2] / key / f"{page}-{width}.png"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    image = render_page(path, page, width)
    temp = target.with_name(f".{uuid.uuid4().hex}.tmp")
    try:
        image.save(temp, "PNG", optimize=False, compress_level=1)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    return target


def render_page(path: Path, page: int, width: int) -> Image.Image:
    """Page ``page`` (1-based) of the PDF at ``path``, ``width`` pixels wide, as RGB."""
    import pypdfium2 as pdfium

    with pdfium_lock:
        pdf = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= page <= len(pdf):
                raise IndexError(page)
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
        finally:
            pdf.close()
    return image


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
    strip = Image.new("RGBA", (box[2] - box[0] + 20, box[3] - box[1] + 20), (0, 0, 0, 0))
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

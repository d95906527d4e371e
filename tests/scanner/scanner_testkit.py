"""Helpers for the scanner tests: generated Indonesian text pages, PDF text.

Pages are small (a 7 x 5 inch card at 150-200 dpi) so OCR stays around half a second
per page on the test machine while glyphs remain large enough for Tesseract.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# Installs a script under a name first on PATH (the ``fake_tool`` fixture).
FakeTool = Callable[[str, str], Path]

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

PARAGRAPHS = [
    [
        "Jumlah penduduk Provinsi Bengkulu pada tahun 2023 tercatat sebanyak",
        "2,06 juta jiwa. Laju pertumbuhan penduduk mencapai 1,45 persen per tahun.",
        "Kota Bengkulu merupakan daerah dengan kepadatan penduduk tertinggi.",
        "Tingkat kemiskinan menurun dibandingkan tahun sebelumnya menurut hasil",
        "Survei Sosial Ekonomi Nasional yang dilaksanakan Badan Pusat Statistik.",
    ],
    [
        "Produksi padi di Kabupaten Seluma dan Mukomuko meningkat karena luas",
        "panen bertambah. Indeks harga konsumen menunjukkan inflasi terkendali.",
        "Rata-rata lama sekolah penduduk usia lima belas tahun ke atas naik.",
    ],
    [
        "Pertumbuhan ekonomi Bengkulu ditopang oleh sektor pertanian, kehutanan",
        "dan perikanan. Tingkat pengangguran terbuka turun menjadi 3,1 persen.",
        "Nilai tukar petani meningkat seiring kenaikan harga kelapa sawit.",
    ],
]


def words_of(lines: list[str]) -> set[str]:
    """The words of ``lines`` of at least four letters, for OCR checks."""
    return {w for w in re.findall(r"[A-Za-z-]+", " ".join(lines)) if len(w) >= 4}


def text_page(
    lines: list[str],
    *,
    dpi: int = 200,
    size_in: tuple[float, float] = (7.0, 5.0),
    points: float = 11.0,
    title: str | None = None,
) -> Image.Image:
    """A white grey-scale page with ``lines`` of black text."""
    width, height = round(size_in[0] * dpi), round(size_in[1] * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, round(points * dpi / 72))
    x = y = round(0.5 * dpi)
    if title:
        heading = ImageFont.truetype(BOLD, round(points * 1.5 * dpi / 72))
        draw.text((x, y), title, font=heading, fill=0)
        y += round(heading.size * 2)
    for line in lines:
        draw.text((x, y), line, font=font, fill=0)
        y += round(font.size * 1.6)
    return image


def rotated(image: Image.Image, degrees: float) -> Image.Image:
    """``image`` turned ``degrees`` counter-clockwise, as a skewed sheet would scan."""
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)


def framed(image: Image.Image, *, top: int, left: int, level: int = 25) -> Image.Image:
    """``image`` with a dark scanner frame along its top and left edges."""
    out = image.copy()
    draw = ImageDraw.Draw(out)
    draw.rectangle((0, 0, out.width - 1, top - 1), fill=level)
    draw.rectangle((0, 0, left - 1, out.height - 1), fill=level)
    return out


def pdf_text(path: Path) -> str:
    """The text ``pdftotext`` extracts from a PDF, as a reader's search would see it."""
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout

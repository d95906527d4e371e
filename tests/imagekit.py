"""Generated Indonesian text pages, for the scanner library's tests and the scanning
feature's alike: a plain module (PIL only, no Flask, no app fixtures).

Pages are small cards (7 inches wide, 150-200 dpi) so OCR stays around half a second
per page on the test machine while glyphs remain large enough for Tesseract.
"""

from __future__ import annotations

import re

from PIL import Image, ImageDraw, ImageFont

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


def text_page(
    lines: list[str],
    *,
    dpi: int = 200,
    size_in: tuple[float, float] = (7.0, 5.0),
    points: float = 11.0,
    title: str | None = None,
) -> Image.Image:
    """A white grey-scale page with ``lines`` of black text (and a bold ``title``)."""
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


def words_of(lines: list[str]) -> set[str]:
    """The words of ``lines`` of at least four letters, for OCR checks."""
    return {w for w in re.findall(r"[A-Za-z-]+", " ".join(lines)) if len(w) >= 4}

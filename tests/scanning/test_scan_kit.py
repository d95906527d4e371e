"""Shared pieces of the scanning tests (imported by the other ``test_scan_*`` modules).

Real SANE, no hardware: a private ``SANE_CONFIG_DIR`` enables the ``test`` backend
(feeder batches, end of feed, jams through ``read-return-value``, slow scans) and the
``pnm`` backend, which "scans" a PNM file: rendered Indonesian text pages go through
the real ``scanimage`` -> cleanup -> Tesseract -> PDF -> catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

# geometry_max raised so that an A4 scan (210 x 297 mm) is not clamped.
TEST_CONF = """\
number_of_devices 2
mode Gray
depth 8
resolution 50
test-picture "Grid"
enable-test-options true
geometry_min 0.0
geometry_max 300.0
br_x 80.0
br_y 100.0
"""
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

PARAGRAPHS = [
    [
        "Jumlah penduduk Provinsi Bengkulu pada tahun 2023 tercatat sebanyak",
        "2,06 juta jiwa. Laju pertumbuhan penduduk mencapai 1,45 persen per tahun.",
        "Kota Bengkulu merupakan daerah dengan kepadatan penduduk tertinggi.",
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
# Each buffer waits 200 ms and reads are 1 byte: a 300 dpi page takes seconds.
SLOW = {
    "read-limit": "yes",
    "read-limit-size": "1",
    "read-delay": "yes",
    "read-delay-duration": "200000",
}


@pytest.fixture(scope="session")
def sane_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("sane-scan")
    (folder / "dll.conf").write_text("test\npnm\n")
    (folder / "test.conf").write_text(TEST_CONF)
    return str(folder)


def scan_config(sane_dir: str) -> dict[str, object]:
    return {"SCANNER_SANE_CONFIG_DIR": sane_dir, "SCANNER_OCR_WORKERS": 2}


def text_page(
    lines: list[str],
    *,
    dpi: int = 200,
    size_in: tuple[float, float] = (7.0, 4.0),
    points: float = 11.0,
    title: str | None = None,
) -> Image.Image:
    """A white grey page with ``lines`` of black text (small, so OCR stays quick)."""
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


def write_pages(folder: Path, count: int = 3, **kwargs: object) -> list[Path]:
    """``count`` text pages as PGM files, the input of the ``pnm`` backend."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"source-{n + 1}.pgm"
        text_page(PARAGRAPHS[n % len(PARAGRAPHS)], **kwargs).save(path)  # type: ignore[arg-type]
        paths.append(path)
    return paths


def pnm_settings(source: Path, *, resolution: int = 200) -> dict[str, object]:
    return {
        "device": "pnm:0",
        "source": "flatbed",
        "mode": "gray",
        "resolution": resolution,
        "options": {"filename": str(source)},
    }


def normalise(text: str) -> str:
    return " ".join(text.split())


def char_accuracy(expected: str, got: str) -> float:
    """1 - (Levenshtein distance / length of ``expected``), whitespace normalised."""
    a, b = normalise(expected), normalise(got)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return 1.0 - previous[-1] / max(1, len(a))


def words_of(lines: list[str]) -> set[str]:
    return {w for w in re.findall(r"[A-Za-z-]+", " ".join(lines)) if len(w) >= 5}


def test_char_accuracy_counts_edits() -> None:
    assert char_accuracy("Bengkulu  kota", "Bengkulu kota") == 1.0
    assert char_accuracy("abcd", "abxd") == 0.75

"""Benchmark of scanned-page OCR: our parallel single-threaded Tesseracts against the
simplest good alternatives, in the same run.

All OCR the same generated Indonesian A4 pages (G4 TIFF at 300 dpi) into PDFs with text
(``tesseract IMG BASE -l ind+eng pdf txt``). The anchor is the simplest good way: one
single-threaded Tesseract (``OMP_THREAD_LIMIT=1``) after another — Tesseract's own
OpenMP threading is slower than that on small pages, so it is printed for reference
only. Ours is ``scanner.ocr_pages``: one single-threaded Tesseract per core, including
the final PDF assembly; the target is 0.8 x the number of cores (near-linear scaling).
When OCRmyPDF is installed (``--ocrmypdf PATH``, or on PATH; it is not a dependency of
PST: ``python -m venv ~/.cache/pst-bench/ocrmypdf && ~/.cache/pst-bench/ocrmypdf/bin/pip install
ocrmypdf img2pdf``) it runs on the same pages as one image PDF with ``--jobs`` = cores
and no optimisation, and the ratio is printed (target: ours not slower). Also printed:
the stored size of a page as CCITT G4 against grey JPEG (quality 75), target ~14x.

    .venv/bin/python bench/ocr.py [--pages 4] [--dpi 300] [--ocrmypdf PATH] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from scanner import ocr_pages, save_page

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
VOCABULARY = (
    "jumlah penduduk provinsi bengkulu tahun menurut kabupaten kota hasil sensus badan pusat"
    " statistik pertumbuhan ekonomi tingkat kemiskinan rumah tangga pertanian padi produksi"
    " luas panen inflasi harga konsumen pengangguran angkatan kerja sekolah kesehatan"
)
WORDS = VOCABULARY.split()
TARGET_SCALING = 0.8  # of the cores, against one single-threaded Tesseract after another
OCRMYPDF_VENV = Path.home() / ".cache" / "pst-bench" / "ocrmypdf" / "bin" / "ocrmypdf"
TARGET_G4_RATIO = 14.0


def make_page(dpi: int, seed: int) -> Image.Image:
    """An A4 page of 11 pt Indonesian statistical prose."""
    rng = random.Random(seed)  # noqa: S311 - reproducible text, not a secret
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, round(11 * dpi / 72))
    margin = round(0.9 * dpi)
    y = margin
    while y < height - margin - font.size:
        line: list[str] = []
        while True:
            word = rng.choice(WORDS)
            if draw.textlength(" ".join([*line, word]), font=font) > width - 2 * margin:
                break
            line.append(word)
        draw.text((margin, y), " ".join(line).capitalize(), font=font, fill=0)
        y += round(font.size * (2.6 if rng.random() < 0.12 else 1.5))
    return image


def one_at_a_time(pages: list[Path], out: Path, *, omp_threads: str | None) -> float:
    """Seconds for Tesseract on each page in turn (``omp_threads`` None: its default)."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    if omp_threads is not None:
        env["OMP_THREAD_LIMIT"] = omp_threads
    started = time.perf_counter()
    for number, page in enumerate(pages, start=1):
        subprocess.run(
            ["tesseract", str(page), str(out / f"seq-{number}"), "-l", "ind+eng", "pdf", "txt"],
            check=True,
            capture_output=True,
            env=env,
        )
    return time.perf_counter() - started


def find_ocrmypdf(given: Path | None) -> Path | None:
    for candidate in (given, shutil.which("ocrmypdf"), OCRMYPDF_VENV):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def with_ocrmypdf(tool: Path, pages: list[Path], work: Path, jobs: int) -> float:
    """Seconds for OCRmyPDF on the pages as one image PDF (made beforehand, not timed)."""
    img2pdf = tool.with_name("img2pdf")
    images = work / "images.pdf"
    if img2pdf.is_file():
        subprocess.run([str(img2pdf), *map(str, pages), "-o", str(images)], check=True)
    else:
        first, *rest = (Image.open(p) for p in pages)
        first.save(images, save_all=True, append_images=rest, resolution=300)
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    started = time.perf_counter()
    subprocess.run(
        [
            str(tool),
            "--jobs",
            str(jobs),
            "-l",
            "ind+eng",
            "--output-type",
            "pdf",
            "--optimize",
            "0",
            "--quiet",
            str(images),
            str(work / "ocrmypdf.pdf"),
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="keep the generated files here")
    parser.add_argument("--ocrmypdf", type=Path, help="the ocrmypdf program, if installed")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-ocr-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        images = [make_page(args.dpi, seed) for seed in range(args.pages)]
        pages = [
            save_page(image, work / f"page-{n}", kind="bilevel", dpi=args.dpi)
            for n, image in enumerate(images, start=1)
        ]
        jpeg = save_page(images[0], work / "grey", kind="gray", dpi=args.dpi)
        g4_bytes, jpeg_bytes = pages[0].stat().st_size, jpeg.stat().st_size

        started = time.perf_counter()
        result = ocr_pages(pages, work / "ours.pdf")
        ours = time.perf_counter() - started
        anchor = one_at_a_time(pages, work, omp_threads="1")
        default = one_at_a_time(pages, work, omp_threads=None)
        cores = os.cpu_count() or 1
        tool = find_ocrmypdf(args.ocrmypdf)
        other = with_ocrmypdf(tool, pages, work, cores) if tool else None

        target = TARGET_SCALING * cores
        print(f"{args.pages} A4 pages at {args.dpi} dpi, {cores} cores")
        print(f"anchor: OMP_THREAD_LIMIT=1, one page after another  {anchor:7.2f} s")
        print(f"Tesseract's default threading, one after another   {default:7.2f} s (reference)")
        if other is not None:
            print(f"OCRmyPDF --jobs {cores} (no optimisation)             {other:7.2f} s")
        else:
            print("OCRmyPDF: not installed here (see the docstring); not measured")
        print(f"ours: ocr_pages, {cores} x OMP_THREAD_LIMIT=1              {ours:7.2f} s")
        ratio = anchor / ours
        print(
            f"ratio anchor / ours: {ratio:.2f}x (target >= {target:.1f}x: "
            f"{'met' if ratio >= target else 'NOT met'}); "
            f"default threading / ours: {default / ours:.2f}x"
        )
        if other is not None:
            print(
                f"ratio OCRmyPDF / ours: {other / ours:.2f}x (target >= 1.0x: "
                f"{'met' if other >= ours else 'NOT met'})"
            )
        print(
            f"page 1 stored: G4 {g4_bytes / 1024:.0f} KiB, grey JPEG {jpeg_bytes / 1024:.0f} KiB"
            f" -> {jpeg_bytes / g4_bytes:.1f}x smaller (target ~{TARGET_G4_RATIO:.0f}x)"
        )
        size = result.path.stat().st_size
        print(f"searchable PDF: {result.pages} pages, {size / 1024:.0f} KiB")
    finally:
        if args.keep is None:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()

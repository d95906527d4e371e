"""Benchmark of scanning end to end: pages per minute from the scanner to the index.

Generates A4 pages of Indonesian text (300 dpi grey, each turned a little as a sheet on
the glass would be), then runs the application's own pipeline on a throw-away
instance (SQLite, embedded storage):

1. **scan** — each page through the real ``scanimage`` and SANE's ``pnm`` backend
   (a private ``SANE_CONFIG_DIR``) into a scan batch, as the officer page's job does;
2. **cleanup, OCR, PDF** — ``scanner.process_pages`` as ``scanning.batches.ingest_batch``
   calls it (frame, orientation, deskew, G4/JPEG; Tesseract ``ind+eng`` one page per
   core with ``OMP_THREAD_LIMIT=1``; pages joined). The per-page work inside it is timed
   by wrapping the pipeline's steps: the figures are worker seconds summed over pages,
   and the wall time of the whole step;
3. **ingest** — ``catalog.cataloguing.ingest`` (sanitise, store, page texts);
4. **index** — the search index job.

Prints the time of each stage, the total, and pages per minute against the target
(at least 30 pages per minute on the 2-core machine).

In the same run, the same page images go through the simplest good alternatives from
"scanned" to "searchable PDF" (the scan itself is the same for every way): one
single-threaded Tesseract after another, the pages joined by qpdf; and OCRmyPDF with
``--jobs`` = cores when it is installed (see bench/ocr.py). Each is printed beside
PST's cleanup + OCR + PDF step, with the ratio.

    .venv/bin/python bench/scan.py [--pages 20] [--dpi 300] [--keep DIR]
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ocr as ocr_bench  # bench/ocr.py, beside this file

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
VOCABULARY = (
    "jumlah penduduk provinsi bengkulu tahun menurut kabupaten kota hasil sensus badan pusat"
    " statistik pertumbuhan ekonomi tingkat kemiskinan rumah tangga pertanian padi produksi"
    " luas panen inflasi harga konsumen pengangguran angkatan kerja sekolah kesehatan"
)
WORDS = VOCABULARY.split()
TARGET_PPM = 30.0


def make_page(dpi: int, seed: int) -> Image.Image:
    """An A4 page of 11 pt Indonesian prose, turned up to half a degree."""
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
    angle = rng.uniform(-0.5, 0.5)
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=255)


class StepTimer:
    """Sums the seconds spent in wrapped functions, per step, across threads."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = collections.defaultdict(float)
        self._lock = threading.Lock()

    def wrap(self, module: Any, name: str, step: str) -> None:
        original = getattr(module, name)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                with self._lock:
                    self.seconds[step] += time.perf_counter() - started

        setattr(module, name, timed)


def simplest_alternative(images: list[Path], work: Path) -> float:
    """Seconds for one single-threaded Tesseract per page in turn, joined by qpdf."""
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ocr_bench.one_at_a_time(images, work, omp_threads="1")
    parts = [str(work / f"seq-{n}.pdf") for n in range(1, len(images) + 1)]
    subprocess.run(
        ["qpdf", "--empty", "--pages", *parts, "--", str(work / "joined.pdf")], check=True
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="keep the work folder here")
    parser.add_argument("--ocrmypdf", type=Path, help="the ocrmypdf program, if installed")
    args = parser.parse_args()

    from flask_migrate import upgrade

    import scanner.pipeline as pipeline
    import scanning.batches
    import scanning.pages
    from app import clock, create_app, jobs
    from app.extensions import db
    from catalog.indexing import search_index
    from catalog.models import Publication
    from scanning.settings import settings_from

    work = Path(tempfile.mkdtemp(prefix="pst-bench-scan-"))
    try:
        sane = work / "sane"
        sane.mkdir()
        (sane / "dll.conf").write_text("pnm\n")
        sources = []
        print(f"generating {args.pages} A4 pages at {args.dpi} dpi ...", flush=True)
        for n in range(args.pages):
            path = work / "src" / f"page-{n + 1:02d}.pgm"
            path.parent.mkdir(exist_ok=True)
            make_page(args.dpi, n).save(path)
            sources.append(path)
        instance = work / "instance"
        app = create_app(
            {
                "TESTING": True,
                "INSTANCE_PATH": str(instance),
                "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
                "SECRET_KEY": "bench-" + "x" * 40,
                "JOBS_IMMEDIATE": False,
                "SCANNER_SANE_CONFIG_DIR": str(sane),
                "BASE_URL": "http://localhost",
            }
        )
        timer = StepTimer()
        timer.wrap(pipeline, "open_image", "open")
        timer.wrap(pipeline, "clean_page", "cleanup")
        timer.wrap(pipeline, "save_page", "store G4/JPEG")
        timer.wrap(pipeline, "ocr_page", "OCR")
        timer.wrap(pipeline, "merge_pages", "PDF assembly")
        with app.app_context():
            upgrade()
            root = scanning.batches.scans_root()
            # As the local scan (pst scan --local): every page's orientation detected.
            settings = replace(settings_from(app.config), auto_orient=True)
            batch = scanning.pages.create_batch(
                root, actor_id=None, target={"kind": "new", "title": "Bench scan"}, now=clock.now()
            )
            batch_id = batch["id"]
            stages: dict[str, float] = {}
            started = time.perf_counter()
            for source in sources:
                with scanning.batches.edit_batch(root, batch_id) as manifest:
                    manifest["settings"] = scanning.batches.clean_settings(
                        {
                            "device": "pnm:0",
                            "resolution": args.dpi,
                            "options": {"filename": str(source)},
                        }
                    )
                scanning.batches.run_scan(root, batch_id, config_dir=str(sane), settings=settings)
            stages["scan (scanimage, pnm backend)"] = time.perf_counter() - started

            marks: dict[str, float] = {}

            def progress(pct: int, message: str) -> None:
                if pct >= 82 and "processed" not in marks:
                    marks["processed"] = time.perf_counter()

            step = time.perf_counter()
            outcome = scanning.batches.ingest_batch(
                db.session,
                root,
                batch_id,
                actor_id=None,
                settings=settings,
                now=clock.now,
                progress=progress,
            )
            ingested = time.perf_counter()
            processed = marks.get("processed", ingested)
            stages["cleanup + OCR + PDF (process_pages)"] = processed - step
            stages["ingest (sanitise, store, texts)"] = ingested - processed
            step = time.perf_counter()
            jobs.run_queued_here(db.session)
            stages["index"] = time.perf_counter() - step
            total = time.perf_counter() - started
            publication = db.session.get(Publication, outcome.publication_id)
            found = search_index().query("pengangguran").total
            pages = publication.page_count
            size = publication.file_size
        ours = stages["cleanup + OCR + PDF (process_pages)"]
        print("simplest alternatives on the same page images ...", flush=True)
        sequential = simplest_alternative(sources, work / "alt")
        tool = ocr_bench.find_ocrmypdf(args.ocrmypdf)
        cores = os.cpu_count() or 1
        other = ocr_bench.with_ocrmypdf(tool, sources, work / "alt", cores) if tool else None
        print()
        print(f"pages: {pages}   PDF: {size / 1024:.0f} KiB ({size / 1024 / pages:.0f} KiB/page)")
        print(f"search for 'pengangguran' finds {found} publication(s)")
        print(f"cores: {os.cpu_count()}")
        print()
        for name, seconds in stages.items():
            print(f"  {name:<40} {seconds:7.1f} s")
        print("    inside process_pages, worker seconds summed over pages:")
        for name, seconds in timer.seconds.items():
            print(f"      {name:<36} {seconds:7.1f} s  ({seconds / pages:.2f} s/page)")
        print(f"  {'total':<40} {total:7.1f} s")
        print()
        print("from scanned images to a searchable PDF, same pages, same run:")
        print(f"  {'PST: cleanup + OCR + PDF':<40} {ours:7.1f} s")
        print(
            f"  {'sequential 1-thread Tesseract + qpdf':<40} {sequential:7.1f} s"
            f"   ratio {sequential / ours:.2f}x"
        )
        if other is not None:
            print(f"  {f'OCRmyPDF --jobs {cores}':<40} {other:7.1f} s   ratio {other / ours:.2f}x")
        else:
            print("  OCRmyPDF: not installed here (see bench/ocr.py); not measured")
        ppm = pages / total * 60
        verdict = "OK" if ppm >= TARGET_PPM else "BELOW TARGET"
        print()
        print(f"pages per minute end to end: {ppm:.1f}  (target >= {TARGET_PPM:.0f})  {verdict}")
    finally:
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

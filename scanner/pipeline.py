"""From raw scans to one searchable PDF: the single call the app's job and CLI make.

Each page is opened within the size limits, cleaned (frame, orientation, skew),
stored as G4 or JPEG, and OCRed into a one-page PDF, all in one worker so pages
proceed in parallel end to end; the pages are then joined in order.
"""

from __future__ import annotations

import functools
import os
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scanner.borders import Box
from scanner.cleanup import CleanupOptions, clean_page
from scanner.compression import PageKind, save_page
from scanner.errors import ProcessingCancelled
from scanner.images import DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_PIXELS, image_dpi, open_image
from scanner.ocr import DEFAULT_LANGUAGES, OcrPage, default_workers, ocr_page
from scanner.parallel import ProgressCallback, run_parallel
from scanner.pdf import merge_pages

__all__ = ["PageReport", "ProcessOptions", "ProcessResult", "process_pages"]


@dataclass(frozen=True)
class ProcessOptions:
    """How ``process_pages`` treats the pages.

    ``dpi``: the scan resolution (PNM files from ``scan`` carry none; the default is
    the file's own, else 300). ``rotations``: the officer's turns, clockwise degrees by
    1-based page number; such pages skip automatic orientation. ``ocr_timeout_s``
    bounds each page.
    """

    cleanup: CleanupOptions = field(default_factory=CleanupOptions)
    dpi: int | None = None
    languages: str = DEFAULT_LANGUAGES
    workers: int | None = None
    ocr_timeout_s: float | None = 300.0
    rotations: Mapping[int, int] = field(default_factory=dict)
    title: str | None = None
    max_pixels: int = DEFAULT_MAX_PIXELS
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES


@dataclass(frozen=True)
class PageReport:
    """What cleanup did to one page, and the size of its stored image."""

    page: int
    kind: PageKind
    rotation: int
    orientation_confidence: float | None
    skew: float
    crop: Box | None
    image_bytes: int


@dataclass(frozen=True)
class ProcessResult:
    """The searchable PDF, its page count, each page's text and cleanup report."""

    path: Path
    pages: int
    texts: tuple[str, ...]
    reports: tuple[PageReport, ...]


def _process_one(
    source: Path, work: Path, number: int, options: ProcessOptions, stop: threading.Event
) -> tuple[OcrPage, PageReport]:
    if stop.is_set():
        raise ProcessingCancelled(page=number)
    image = open_image(
        source, max_pixels=options.max_pixels, max_file_bytes=options.max_file_bytes, page=number
    )
    dpi = options.dpi or image_dpi(image, 300)
    cleaned = clean_page(
        image,
        dpi=dpi,
        options=options.cleanup,
        rotation=options.rotations.get(number),
        page=number,
        cancel=stop,
    )
    stored = save_page(
        cleaned.image,
        work / f"page-{number:04d}",
        kind=cleaned.kind,
        dpi=dpi,
        jpeg_quality=options.cleanup.jpeg_quality,
    )
    page = ocr_page(
        stored,
        work / f"ocr-{number:04d}",
        dpi=dpi,
        languages=options.languages,
        timeout_s=options.ocr_timeout_s,
        cancel=stop,
        page=number,
    )
    report = PageReport(
        page=number,
        kind=cleaned.kind,
        rotation=cleaned.rotation,
        orientation_confidence=cleaned.orientation_confidence,
        skew=cleaned.skew,
        crop=cleaned.crop,
        image_bytes=stored.stat().st_size,
    )
    return page, report


def process_pages(
    raw_images: Sequence[str | os.PathLike[str]],
    out_pdf: str | os.PathLike[str],
    options: ProcessOptions = ProcessOptions(),  # frozen, so sharing the default is safe
    on_progress: ProgressCallback | None = None,
    *,
    cancel: threading.Event | None = None,
) -> ProcessResult:
    """Clean and OCR ``raw_images`` (one per page, in order) into ``out_pdf``.

    ``on_progress(done, total)`` is called from this thread as pages finish;
    ``cancel`` stops the work (``ProcessingCancelled``). Errors are the package's:
    ``ImageTooLarge``/``ImageError`` for a bad page, ``OcrError``/``OcrTimeout`` for
    Tesseract, each with the page number.
    """
    if not raw_images:
        raise ValueError("no pages to process")
    for page, degrees in options.rotations.items():
        if degrees % 90:
            raise ValueError(f"page {page}: rotation must be a multiple of 90 degrees")
    target = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="pst-pages-") as folder:
        work = Path(folder)
        jobs = [
            functools.partial(_process_one, Path(source), work, number, options)
            for number, source in enumerate(raw_images, start=1)
        ]
        done = run_parallel(
            jobs,
            workers=options.workers or default_workers(),
            cancel=cancel,
            on_progress=on_progress,
        )
        count = merge_pages([page.pdf for page, _ in done], target, title=options.title)
    return ProcessResult(
        path=target,
        pages=count,
        texts=tuple(page.text for page, _ in done),
        reports=tuple(report for _, report in done),
    )

"""OCR with Tesseract into a searchable PDF: the page image under invisible text.

Each page is one ``tesseract IMAGE BASE -l ind+eng --dpi N pdf txt`` subprocess, so a
page yields its one-page PDF and its plain text in a single run. Tesseract's PDF
renderer places every word in text render mode 3 (invisible) over the page image and
embeds the image without recompressing it: a JPEG is copied as it is, a bilevel image
is stored as CCITT G4. The page size is the image size at ``--dpi``.

Pages run in parallel with ``OMP_THREAD_LIMIT=1``: Tesseract's own OpenMP threads
spin on a busy machine (measured here: one page 14 s with default threading against
1.6 s single-threaded on 2 cores), and one process per core is 4-5x faster overall.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scanner.compression import classify, save_page
from scanner.errors import OcrError, OcrTimeout, ProcessingCancelled
from scanner.images import (
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_MAX_PIXELS,
    image_dpi,
    inspect_image,
    open_image,
)
from scanner.parallel import ProgressCallback, run_parallel
from scanner.pdf import merge_pages
from scanner.tools import find_tool, run_tool, stderr_tail, tool_env

__all__ = ["OcrPage", "OcrResult", "default_workers", "ocr_page", "ocr_pages"]

DEFAULT_LANGUAGES = "ind+eng"
_LANGUAGES = re.compile(r"^[A-Za-z0-9_]+(\+[A-Za-z0-9_]+)*$")


@dataclass(frozen=True)
class OcrPage:
    """One page's OCR output: a one-page PDF and its text."""

    pdf: Path
    text: str


@dataclass(frozen=True)
class OcrResult:
    """The searchable PDF written, its page count and each page's recognised text."""

    path: Path
    pages: int
    texts: tuple[str, ...]


def default_workers() -> int:
    """One Tesseract per core."""
    return max(1, os.cpu_count() or 1)


def ocr_page(
    image: Path,
    out_base: Path,
    *,
    dpi: int,
    languages: str = DEFAULT_LANGUAGES,
    timeout_s: float | None = 300.0,
    cancel: threading.Event | None = None,
    page: int | None = None,
) -> OcrPage:
    """OCR ``image`` into ``out_base.pdf`` (image + invisible text) and its text."""
    if not _LANGUAGES.match(languages):
        raise ValueError(f"invalid Tesseract languages {languages!r}")
    run = run_tool(
        [
            find_tool("tesseract"),
            str(image),
            str(out_base),
            "-l",
            languages,
            "--dpi",
            str(dpi),
            "pdf",
            "txt",
        ],
        env=tool_env({"OMP_THREAD_LIMIT": "1"}),
        timeout_s=timeout_s,
        cancel=cancel,
    )
    if run.cancelled:
        raise ProcessingCancelled(page=page)
    if run.timed_out:
        raise OcrTimeout(page=page, detail=f"tesseract ran over {timeout_s} s")
    pdf, text = out_base.with_suffix(".pdf"), out_base.with_suffix(".txt")
    if run.returncode != 0 or not pdf.is_file():
        detail = stderr_tail(run.stderr) or f"tesseract exited with {run.returncode}"
        raise OcrError(page=page, detail=detail, status=run.returncode)
    return OcrPage(pdf=pdf, text=text.read_text("utf-8", "replace") if text.is_file() else "")


@dataclass(frozen=True)
class _Prepared:
    image: Path
    dpi: int


def _prepare(
    image: Path,
    work: Path,
    number: int,
    *,
    dpi: int | None,
    max_pixels: int,
    max_file_bytes: int,
) -> _Prepared:
    """The file to OCR and embed: the image itself if a PDF can hold it as it is."""
    facts = inspect_image(image, max_pixels=max_pixels, max_file_bytes=max_file_bytes, page=number)
    resolution = dpi or facts.dpi or 300
    if facts.embeddable:
        return _Prepared(image, resolution)
    # PNM, PNG and others: store as G4 or JPEG first, or the PDF would hold them in
    # whatever form Tesseract picks.
    loaded = open_image(image, max_pixels=max_pixels, max_file_bytes=max_file_bytes, page=number)
    resolution = dpi or image_dpi(loaded, 300)
    kind = classify(loaded, dpi=resolution)
    return _Prepared(
        save_page(loaded, work / f"in-{number:04d}", kind=kind, dpi=resolution), resolution
    )


def _job(
    prepare: Callable[[], _Prepared],
    work: Path,
    number: int,
    languages: str,
    timeout_s: float | None,
) -> Callable[[threading.Event], OcrPage]:
    def run(stop: threading.Event) -> OcrPage:
        if stop.is_set():
            raise ProcessingCancelled(page=number)
        prepared = prepare()
        return ocr_page(
            prepared.image,
            work / f"ocr-{number:04d}",
            dpi=prepared.dpi,
            languages=languages,
            timeout_s=timeout_s,
            cancel=stop,
            page=number,
        )

    return run


def ocr_pages(
    images: Sequence[str | os.PathLike[str]],
    out_pdf: str | os.PathLike[str],
    *,
    languages: str = DEFAULT_LANGUAGES,
    workers: int | None = None,
    dpi: int | None = None,
    on_progress: ProgressCallback | None = None,
    timeout_s: float | None = 300.0,
    cancel: threading.Event | None = None,
    title: str | None = None,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> OcrResult:
    """OCR ``images`` (one per page, in order) into the searchable PDF ``out_pdf``.

    JPEG files and G4 TIFFs are embedded as they are; other images are first stored
    as G4 (text) or JPEG (pictures). ``dpi`` overrides the files' own resolution
    (default 300 where a file has none). ``timeout_s`` bounds each page;
    ``on_progress(done, total)`` follows the pages as they finish.
    """
    if not images:
        raise ValueError("no pages to OCR")
    target = Path(out_pdf)
    with tempfile.TemporaryDirectory(prefix="pst-ocr-") as folder:
        work = Path(folder)
        jobs = [
            _job(
                functools.partial(
                    _prepare,
                    Path(image),
                    work,
                    number,
                    dpi=dpi,
                    max_pixels=max_pixels,
                    max_file_bytes=max_file_bytes,
                ),
                work,
                number,
                languages,
                timeout_s,
            )
            for number, image in enumerate(images, start=1)
        ]
        pages = run_parallel(
            jobs, workers=workers or default_workers(), cancel=cancel, on_progress=on_progress
        )
        count = merge_pages([p.pdf for p in pages], target, title=title)
    return OcrResult(path=target, pages=count, texts=tuple(p.text for p in pages))

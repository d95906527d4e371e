"""Joining one-page PDFs into the final document without touching their images.

pypdf copies the page streams as they are, so each page keeps the G4 or JPEG data
Tesseract embedded; only identical objects (Tesseract's glyphless font repeats on
every page) are shared, and the result is written next to the target and renamed
into place so a reader never sees half a file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from scanner.errors import OcrError

__all__ = ["merge_pages"]


def merge_pages(parts: Sequence[Path], out_pdf: Path, *, title: str | None = None) -> int:
    """Write the pages of ``parts``, in order, to ``out_pdf``; return the page count."""
    writer = PdfWriter()
    try:
        for number, part in enumerate(parts, start=1):
            reader = PdfReader(part)
            if len(reader.pages) != 1:
                raise OcrError(page=number, detail=f"{part.name}: {len(reader.pages)} pages")
            writer.add_page(reader.pages[0])
        writer.compress_identical_objects()  # defaults: share duplicates, drop orphans
        writer.add_metadata({"/Producer": "PST scanner (Tesseract, pypdf)"})
        if title:
            writer.add_metadata({"/Title": title})
        temporary = out_pdf.with_name(f".{out_pdf.name}.{os.getpid()}.part")
        try:
            with temporary.open("wb") as stream:
                writer.write(stream)
            os.replace(temporary, out_pdf)
        finally:
            temporary.unlink(missing_ok=True)
    except (PyPdfError, OSError) as exc:
        raise OcrError(detail=f"cannot assemble {out_pdf.name}: {exc}") from exc
    return len(parts)

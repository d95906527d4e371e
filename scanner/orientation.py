"""Page orientation (0/90/180/270) from Tesseract's orientation and script detection.

``tesseract --psm 0`` reports "Rotate: R" — the clockwise turn that makes the page
upright — and a confidence. A page with too little text makes Tesseract give up
("Too few characters"); that is an unknown orientation, not an error.
"""

from __future__ import annotations

import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from scanner.errors import OcrError, OcrTimeout, ProcessingCancelled
from scanner.tools import find_tool, run_tool, tool_env

__all__ = ["Orientation", "detect_orientation"]

_ROTATE = re.compile(r"^Rotate:\s*(\d+)", re.MULTILINE)
_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)", re.MULTILINE)
# OSD needs no more than this; larger pages are reduced first, which is ~4x faster.
_OSD_DPI = 300


@dataclass(frozen=True)
class Orientation:
    """``rotate``: degrees clockwise that make the page upright; with its confidence."""

    rotate: int
    confidence: float


def detect_orientation(
    image: Image.Image,
    *,
    dpi: int,
    timeout_s: float = 60.0,
    cancel: threading.Event | None = None,
    page: int | None = None,
) -> Orientation | None:
    """The page's orientation, or None when Tesseract cannot tell."""
    gray = image.convert("L") if image.mode not in ("L", "1") else image
    if dpi > _OSD_DPI:
        scale = _OSD_DPI / dpi
        gray = gray.convert("L").resize(
            (max(1, round(gray.width * scale)), max(1, round(gray.height * scale))),
            Image.Resampling.BOX,
        )
        dpi = _OSD_DPI
    with tempfile.TemporaryDirectory(prefix="pst-osd-") as work:
        source = Path(work) / "page.png"
        gray.save(source, dpi=(dpi, dpi))
        run = run_tool(
            [find_tool("tesseract"), str(source), "stdout", "--psm", "0", "--dpi", str(dpi)],
            env=tool_env({"OMP_THREAD_LIMIT": "1"}),
            timeout_s=timeout_s,
            cancel=cancel,
        )
    if run.cancelled:
        raise ProcessingCancelled(page=page)
    if run.timed_out:
        raise OcrTimeout(page=page, detail="orientation detection timed out")
    rotate = _ROTATE.search(run.stdout)
    confidence = _CONFIDENCE.search(run.stdout)
    if run.returncode != 0 or rotate is None or confidence is None:
        if run.returncode < 0:
            raise OcrError(page=page, detail=f"tesseract killed by signal {-run.returncode}")
        return None
    return Orientation(rotate=int(rotate.group(1)) % 360, confidence=float(confidence.group(1)))

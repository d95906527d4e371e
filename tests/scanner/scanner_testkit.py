"""Helpers for the scanner tests: pages turned and framed as a scanner sees them, PDF
text, fake tools. The text pages themselves come from :mod:`imagekit`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

# Installs a script under a name first on PATH (the ``fake_tool`` fixture).
FakeTool = Callable[[str, str], Path]


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

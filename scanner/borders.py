"""Cropping the dark borders a scanner leaves around the paper, and empty margins.

A flatbed scanned with the lid open, or a feeder page narrower than the scan area,
comes back framed in black or dark grey. The frame must go before deskewing (its
straight edges would dominate the projection profile) and before OCR (Tesseract reads
it as a column of noise). Rows and columns are peeled off each edge while they are
mostly darker than the paper; at most a quarter of each side, so a dark photograph
at the edge of a page is never eaten.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from PIL import Image

from scanner.images import otsu_threshold, scaled_gray

__all__ = ["Box", "crop_dark_borders", "trim_margins"]

Box = tuple[int, int, int, int]  # left, top, right, bottom in pixels

_DARK_SHARE = 0.6  # a border line is at least this dark
_MAX_SHARE_OF_SIDE = 0.25
_ANALYSIS_SIZE = 1200


def _peel(dark_share: npt.NDArray[np.float64], limit: int) -> int:
    """How many leading lines of ``dark_share`` are border."""
    count = 0
    while count < min(limit, len(dark_share)) and dark_share[count] >= _DARK_SHARE:
        count += 1
    return count


def _full_box(cuts: tuple[int, int, int, int], scale: float, size: tuple[int, int]) -> Box:
    """The kept box in full-size pixels from the lines cut on each analysis edge."""
    # One analysis line more on each cut side takes the border's blurred inner edge.
    left, top, right, bottom = (c + 1 if c else 0 for c in cuts)
    width, height = size
    return (
        min(width, round(left / scale)),
        min(height, round(top / scale)),
        max(0, width - round(right / scale)),
        max(0, height - round(bottom / scale)),
    )


def crop_dark_borders(image: Image.Image) -> tuple[Image.Image, Box | None]:
    """``image`` without its dark scanner frame, and the box kept (None if uncropped)."""
    gray, scale = scaled_gray(image, _ANALYSIS_SIZE)
    height, width = gray.shape
    # Darker than the paper *and* than the ink/paper split: grey paper is not a border.
    threshold = min(otsu_threshold(gray), 96)
    dark = gray <= threshold
    top = _peel(dark.mean(axis=1), round(height * _MAX_SHARE_OF_SIDE))
    bottom = _peel(dark.mean(axis=1)[::-1], round(height * _MAX_SHARE_OF_SIDE))
    left = _peel(dark.mean(axis=0), round(width * _MAX_SHARE_OF_SIDE))
    right = _peel(dark.mean(axis=0)[::-1], round(width * _MAX_SHARE_OF_SIDE))
    if not (top or bottom or left or right):
        return image, None
    box = _full_box((left, top, right, bottom), scale, image.size)
    if box[2] - box[0] < 16 or box[3] - box[1] < 16:
        return image, None  # all dark: a black page, not a frame
    return image.crop(box), box


def trim_margins(image: Image.Image, *, padding: float = 0.02) -> tuple[Image.Image, Box | None]:
    """``image`` cropped to its content plus ``padding`` (share of the page side).

    Off by default in the pipeline: it changes the page size, which a reader of an
    archived publication may not want.
    """
    gray, scale = scaled_gray(image, _ANALYSIS_SIZE)
    ink = gray <= otsu_threshold(gray)
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    if rows.size == 0 or cols.size == 0:
        return image, None
    pad_x = round(image.width * padding)
    pad_y = round(image.height * padding)
    box = (
        max(0, round(cols[0] / scale) - pad_x),
        max(0, round(rows[0] / scale) - pad_y),
        min(image.width, round((cols[-1] + 1) / scale) + pad_x),
        min(image.height, round((rows[-1] + 1) / scale) + pad_y),
    )
    if box == (0, 0, image.width, image.height):
        return image, None
    return image.crop(box), box

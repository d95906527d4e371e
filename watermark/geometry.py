"""Page geometry: the visible area of a page and the matrix that sets the stamp upright.

The stamp is drawn in "reader space": the visible area as the reader sees it, origin at
its bottom-left, ``width`` x ``height`` after the page's ``/Rotate``. A ``Placement``
maps reader space to the page's user space, undoing the rotation and moving to the
CropBox's corner (which need not be at the origin).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DEFAULT_BOX", "Box", "Placement", "normal_box", "normal_rotation", "place"]

Box = tuple[float, float, float, float]
# What viewers use for a page without a usable MediaBox (US Letter).
DEFAULT_BOX: Box = (0.0, 0.0, 612.0, 792.0)
_MIN_SIDE = 1.0  # a box thinner than a point is not a page one can stamp


@dataclass(frozen=True)
class Placement:
    """The stamp's frame on one page shape: reader-space size and the form matrix."""

    width: float
    height: float
    matrix: tuple[float, float, float, float, float, float]


def normal_box(value: object) -> Box | None:
    """``[x0 y0 x1 y1]`` with the corners sorted, or ``None`` if not a usable box."""
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)) or len(value) != 4:
        return None
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    if box[2] - box[0] < _MIN_SIDE or box[3] - box[1] < _MIN_SIDE:
        return None
    return box


def normal_rotation(value: object) -> int:
    """``/Rotate`` as 0, 90, 180 or 270; like pdf.js, other values mean no rotation."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0
    if value != int(value) or int(value) % 90:
        return 0
    return int(value) % 360


def visible_box(media: Box | None, crop: Box | None) -> tuple[Box, Box]:
    """The effective MediaBox and the visible area (the CropBox clipped to it)."""
    media = media or DEFAULT_BOX
    if crop is None:
        return media, media
    clipped = (
        max(media[0], crop[0]),
        max(media[1], crop[1]),
        min(media[2], crop[2]),
        min(media[3], crop[3]),
    )
    if clipped[2] - clipped[0] < _MIN_SIDE or clipped[3] - clipped[1] < _MIN_SIDE:
        return media, media  # a CropBox outside the MediaBox: viewers show the MediaBox
    return media, clipped


def place(visible: Box, rotate: int) -> Placement:
    """The placement of the stamp on a page showing ``visible`` rotated by ``rotate``.

    ``/Rotate`` turns the page clockwise for display, so reader space is turned back
    counter-clockwise and its origin put on the corner that is displayed bottom-left.
    """
    x0, y0, x1, y1 = visible
    w, h = x1 - x0, y1 - y0
    if rotate == 90:
        return Placement(h, w, (0.0, 1.0, -1.0, 0.0, x1, y0))
    if rotate == 180:
        return Placement(w, h, (-1.0, 0.0, 0.0, -1.0, x1, y1))
    if rotate == 270:
        return Placement(h, w, (0.0, -1.0, 1.0, 0.0, x0, y1))
    return Placement(w, h, (1.0, 0.0, 0.0, 1.0, x0, y0))

"""Cleaning one scanned page before OCR: frame, orientation, skew, storage form.

The order matters: the dark frame goes first (its edges would mislead both the
orientation detector and the skew search), orientation before skew (the skew search
looks for horizontal lines within +-10 degrees), and the storage form is chosen last,
on the straightened page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PIL import Image

from scanner.borders import Box, crop_dark_borders, trim_margins
from scanner.compression import Compression, PageKind, classify
from scanner.deskew import estimate_skew, rotate_fine
from scanner.images import rotate_clockwise
from scanner.orientation import detect_orientation

__all__ = ["CleanedPage", "CleanupOptions", "clean_page"]

# Below this the correction is smaller than the measurement's own error.
_MIN_SKEW = 0.05


@dataclass(frozen=True)
class CleanupOptions:
    """Which cleanup steps run, and how pages are stored.

    ``orientation_confidence``: Tesseract's OSD confidence needed before a page is
    turned; a wrong turn is worse than none (the officer can still rotate by hand).
    ``compression``: ``auto`` picks G4 for text and JPEG for pictures (see
    ``scanner.compression``); the others force a form.
    """

    crop_borders: bool = True
    auto_orient: bool = True
    orientation_confidence: float = 5.0
    deskew: bool = True
    max_skew: float = 10.0
    trim_margins: bool = False
    compression: Compression = "auto"
    jpeg_quality: int = 75
    osd_timeout_s: float = 60.0


@dataclass(frozen=True)
class CleanedPage:
    """A cleaned page and what was done to it.

    ``rotation``: clockwise degrees applied (by hand or detected); ``skew``: degrees
    turned counter-clockwise to straighten; ``crop``: the box kept of the original.
    """

    image: Image.Image
    kind: PageKind
    rotation: int
    orientation_confidence: float | None
    skew: float
    crop: Box | None


def clean_page(
    image: Image.Image,
    *,
    dpi: int,
    options: CleanupOptions = CleanupOptions(),
    rotation: int | None = None,
    page: int | None = None,
    cancel: threading.Event | None = None,
) -> CleanedPage:
    """Run the cleanup steps on ``image``.

    ``rotation`` (clockwise degrees, a multiple of 90) is the officer's own turn; when
    given, automatic orientation is skipped for the page.
    """
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB")
    if rotation:
        image = rotate_clockwise(image, rotation)
    crop: Box | None = None
    if options.crop_borders:
        image, crop = crop_dark_borders(image)
    applied = rotation or 0
    confidence: float | None = None
    if rotation is None and options.auto_orient:
        found = detect_orientation(
            image, dpi=dpi, timeout_s=options.osd_timeout_s, cancel=cancel, page=page
        )
        if found is not None:
            confidence = found.confidence
            if found.rotate and found.confidence >= options.orientation_confidence:
                image = rotate_clockwise(image, found.rotate)
                applied = found.rotate
    skew = 0.0
    if options.deskew:
        measured = estimate_skew(image, max_angle=options.max_skew)
        if abs(measured) >= _MIN_SKEW:
            image = rotate_fine(image, measured)
            skew = measured
    if options.trim_margins:
        image, _ = trim_margins(image)
    kind: PageKind = (
        classify(image, dpi=dpi) if options.compression == "auto" else options.compression
    )
    return CleanedPage(
        image=image,
        kind=kind,
        rotation=applied % 360,
        orientation_confidence=confidence,
        skew=skew,
        crop=crop,
    )

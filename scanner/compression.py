"""Choosing and writing the stored form of a page: CCITT G4 or JPEG.

Black-and-white text compresses about 14x smaller as CCITT G4 than as grey JPEG, so
text pages are binarised; but binarising a photograph or a shaded table destroys it.
``classify`` therefore looks for what G4 would lose, on a copy reduced to 200 dpi and
cut into ~1.5 mm tiles: tiles mostly made of mid-tones (photographs, halftones) and
flat tiles clearly darker than paper yet lighter than ink (shading, grey fills). Text
has neither — its mid-tones are thin glyph edges. Colour is kept when a page copy
reduced to 100 dpi (which averages away the colour fringes of a scanner's optics)
has a real share of saturated pixels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
from PIL import Image

from scanner.errors import ImageError
from scanner.images import otsu_threshold

__all__ = ["Compression", "PageKind", "binarize", "classify", "save_page"]

Compression = Literal["auto", "bilevel", "gray", "color"]
PageKind = Literal["bilevel", "gray", "color"]

_TILE = 12  # pixels at the 200 dpi analysis resolution, ~1.5 mm
_DENSE_MIDTONE = 0.5  # share of mid-tone pixels that makes a tile pictorial
_FLAT_STD = 0.08  # tile spread, as a share of the ink/paper contrast, below which it is flat
_PICTORIAL_TILES = 0.002  # share of such tiles from which a page is not bilevel
_SATURATED = 40  # max-min of R, G, B
_COLOUR_SHARE = 0.001


def _reduced(image: Image.Image, dpi: int, target_dpi: int, mode: str) -> Image.Image:
    reduced = image.convert(mode) if image.mode != mode else image
    if dpi > target_dpi:
        scale = target_dpi / dpi
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        reduced = reduced.resize(size, Image.Resampling.BOX)
    return reduced


def _is_colour(image: Image.Image, dpi: int) -> bool:
    rgb = np.asarray(_reduced(image, dpi, 100, "RGB"), dtype=np.int16)
    chroma = rgb.max(axis=2) - rgb.min(axis=2)
    return float((chroma > _SATURATED).mean()) > _COLOUR_SHARE


def _tiles(values: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    height = values.shape[0] - values.shape[0] % _TILE
    width = values.shape[1] - values.shape[1] % _TILE
    return values[:height, :width].reshape(height // _TILE, _TILE, width // _TILE, _TILE)


def _pictorial_share(gray: npt.NDArray[np.uint8]) -> float:
    """Share of tiles that binarisation would destroy (see the module docstring)."""
    threshold = otsu_threshold(gray)
    ink, paper = gray[gray <= threshold], gray[gray > threshold]
    if ink.size == 0 or paper.size == 0:
        return 0.0
    ink_level, paper_level = float(ink.mean()), float(paper.mean())
    contrast = paper_level - ink_level
    if contrast < 32:
        return 1.0  # no clear ink on paper: a picture, or a page too faint to binarise
    low, high = ink_level + 0.3 * contrast, paper_level - 0.3 * contrast
    tiles = _tiles(gray.astype(np.float32))
    if tiles.size == 0:
        return 0.0
    midtone = ((tiles > low) & (tiles < high)).mean(axis=(1, 3))
    means = tiles.mean(axis=(1, 3))
    spreads = tiles.std(axis=(1, 3))
    flat_tone = (
        (spreads < _FLAT_STD * contrast)
        & (means > ink_level + 0.2 * contrast)
        & (means < paper_level - 0.2 * contrast)
    )
    return float(((midtone > _DENSE_MIDTONE) | flat_tone).mean())


def classify(image: Image.Image, *, dpi: int) -> PageKind:
    """How a page is best stored: ``bilevel`` (G4), ``gray`` or ``color`` (JPEG)."""
    if image.mode == "1":
        return "bilevel"
    if image.mode not in ("L", "LA", "I", "I;16") and _is_colour(image, dpi):
        return "color"
    gray = np.asarray(_reduced(image, dpi, 200, "L"), dtype=np.uint8)
    return "bilevel" if _pictorial_share(gray) < _PICTORIAL_TILES else "gray"


def binarize(image: Image.Image) -> Image.Image:
    """A bilevel (mode ``1``) copy by Otsu's global threshold."""
    if image.mode == "1":
        return image.copy()
    gray = image.convert("L")
    threshold = otsu_threshold(np.asarray(gray, dtype=np.uint8))
    return gray.point([0 if v <= threshold else 255 for v in range(256)], "1")


def save_page(
    image: Image.Image,
    stem: Path,
    *,
    kind: PageKind,
    dpi: int,
    jpeg_quality: int = 75,
) -> Path:
    """Write ``image`` as ``stem.tif`` (G4) or ``stem.jpg`` and return the path.

    The DPI is recorded in the file so the PDF page gets the paper's real size.
    """
    try:
        if kind == "bilevel":
            path = stem.with_suffix(".tif")
            binarize(image).save(path, compression="group4", dpi=(dpi, dpi))
        else:
            path = stem.with_suffix(".jpg")
            mode = "RGB" if kind == "color" else "L"
            converted = image.convert(mode) if image.mode != mode else image
            converted.save(path, quality=jpeg_quality, optimize=True, dpi=(dpi, dpi))
    except OSError as exc:
        raise ImageError(detail=f"cannot write {stem.name}: {exc}") from exc
    return path

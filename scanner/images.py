"""Opening page images safely, and the small image helpers the pipeline shares.

Pillow's own bomb guard (``Image.MAX_IMAGE_PIXELS``) is process-wide and only warns
below twice its limit, so it is left alone here: every open checks the file size and
the header's dimensions against this package's limits *before* decoding, and a
``DecompressionBombWarning``/``Error`` Pillow raises anyway (where warnings are
errors) becomes ``ImageTooLarge`` like the rest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError

from scanner.errors import ImageError, ImageTooLarge

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "DEFAULT_MAX_PIXELS",
    "ImageFacts",
    "gray_array",
    "image_dpi",
    "inspect_image",
    "open_image",
    "otsu_threshold",
    "rotate_clockwise",
    "scaled_gray",
]

# A3 at 600 dpi is 70 Mpx; above this a "page" is a mistake or an attack. Kept below
# Pillow's default MAX_IMAGE_PIXELS (89 Mpx) so its warning never fires first.
DEFAULT_MAX_PIXELS = 80_000_000
# An uncompressed A3 600 dpi colour PNM is ~210 MB.
DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024
# Pillow's ROTATE_n turns counter-clockwise.
_CLOCKWISE = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class ImageFacts:
    """What an image file's header says, read without decoding its pixels."""

    format: str
    mode: str
    width: int
    height: int
    dpi: int | None
    compression: str | None

    @property
    def embeddable(self) -> bool:
        """Whether the file can go into a PDF as it is: JPEG, or a G4 bilevel TIFF."""
        return self.format == "JPEG" or (
            self.format == "TIFF" and self.mode == "1" and self.compression == "group4"
        )


def _check_size(file: Path, max_file_bytes: int, page: int | None) -> None:
    try:
        size = file.stat().st_size
    except OSError as exc:
        raise ImageError(page=page, detail=str(exc)) from exc
    if size > max_file_bytes:
        raise ImageTooLarge(page=page, detail=f"{file.name}: {size} bytes > {max_file_bytes}")


def _check_pixels(file: Path, size: tuple[int, int], max_pixels: int, page: int | None) -> None:
    width, height = size
    if width <= 0 or height <= 0 or width * height > max_pixels:
        raise ImageTooLarge(
            page=page, detail=f"{file.name}: {width}x{height} pixels > {max_pixels}"
        )


def _open_lazily(file: Path, page: int | None) -> Image.Image:
    try:
        return Image.open(file)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(page=page, detail=str(exc)) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageError(page=page, detail=f"{file.name}: {exc}") from exc


def inspect_image(
    path: str | os.PathLike[str],
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    page: int | None = None,
) -> ImageFacts:
    """The header facts of ``path`` after the same limit checks as ``open_image``."""
    file = Path(path)
    _check_size(file, max_file_bytes, page)
    with _open_lazily(file, page) as image:
        _check_pixels(file, image.size, max_pixels, page)
        dpi = image_dpi(image, 0)
        return ImageFacts(
            format=image.format or "",
            mode=image.mode,
            width=image.width,
            height=image.height,
            dpi=dpi or None,
            compression=image.info.get("compression"),
        )


def open_image(
    path: str | os.PathLike[str],
    *,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    page: int | None = None,
) -> Image.Image:
    """Open and decode the first frame of ``path``, refusing oversized images."""
    file = Path(path)
    _check_size(file, max_file_bytes, page)
    with _open_lazily(file, page) as image:
        _check_pixels(file, image.size, max_pixels, page)
        try:
            image.load()
            loaded = image.copy()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooLarge(page=page, detail=str(exc)) from exc
        except (OSError, ValueError, SyntaxError) as exc:
            raise ImageError(page=page, detail=f"{file.name}: {exc}") from exc
    return loaded


def image_dpi(image: Image.Image, default: int = 300) -> int:
    """The image's resolution from its metadata, or ``default`` (PNM carries none)."""
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError, IndexError):
        value = 0
    # JFIF without units stores an aspect ratio (1:1), not a resolution.
    return value if value >= 50 else default


def rotate_clockwise(image: Image.Image, degrees: int) -> Image.Image:
    """``image`` turned by a multiple of 90 degrees clockwise (lossless transpose)."""
    if degrees % 90:
        raise ValueError(f"rotation must be a multiple of 90 degrees, not {degrees}")
    normalised = degrees % 360
    return image.copy() if normalised == 0 else image.transpose(_CLOCKWISE[normalised])


def gray_array(image: Image.Image) -> npt.NDArray[np.uint8]:
    """The image as an 8-bit grey numpy array (bilevel becomes 0/255)."""
    gray = image if image.mode == "L" else image.convert("L")
    return np.asarray(gray, dtype=np.uint8)


def scaled_gray(image: Image.Image, longest: int) -> tuple[npt.NDArray[np.uint8], float]:
    """A grey copy whose longest side is at most ``longest`` and the factor used.

    Analysis (skew, borders, content type) runs on this copy: it is ~10x cheaper and
    a page's lines and borders survive the reduction.
    """
    gray = image if image.mode == "L" else image.convert("L")
    scale = min(1.0, longest / max(gray.size))
    if scale < 1.0:
        size = (max(1, round(gray.width * scale)), max(1, round(gray.height * scale)))
        gray = gray.resize(size, Image.Resampling.BOX)
    return np.asarray(gray, dtype=np.uint8), scale


def otsu_threshold(values: npt.NDArray[np.uint8]) -> int:
    """Otsu's threshold of 8-bit ``values``: pixels ``<=`` it are ink."""
    histogram = np.bincount(values.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    if total == 0:
        return 127
    probability = histogram / total
    weight = np.cumsum(probability)
    mean = np.cumsum(probability * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean[-1] * weight - mean) ** 2 / (weight * (1.0 - weight))
    between = np.nan_to_num(between, nan=-1.0, posinf=-1.0)
    return int(np.argmax(between))

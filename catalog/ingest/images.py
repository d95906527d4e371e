"""``check_image``: vetting an uploaded cover image before anything decodes it.

Only the header is read (and, for PNG, the chunk checksums): the pixel count is
compared with the same limit the worker gives Pillow, so an image bomb is refused
before a thumbnailer would allocate gigabytes for it. Only the formats a cover can
reasonably come in are tried, which keeps Pillow's rarer parsers out of reach.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .errors import Rejected
from .model import Limits

__all__ = ["IMAGE_FORMATS", "check_image"]

IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")

_DEFAULT_PIXELS = Limits().max_image_pixels


def _bomb(width: int, height: int, limit: int) -> Rejected:
    return Rejected("bomb", {"width": width, "height": height, "limit": limit, "why": "pixels"})


def check_image(path: Path, max_pixels: int = _DEFAULT_PIXELS) -> tuple[int, int]:
    """Return the image's (width, height); raise ``Rejected`` for a bomb or a non-image."""
    # ``catch_warnings`` changes process-wide state; it is the only way Pillow's
    # warning can be made to raise, and this block is short.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path, formats=IMAGE_FORMATS) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise _bomb(width, height, max_pixels)
                image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Rejected(
                "bomb", {"limit": max_pixels, "why": "pixels_unknown"}, detail=str(exc)
            ) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise Rejected("not_image", {"cause": type(exc).__name__}, detail=str(exc)) from exc
    return width, height

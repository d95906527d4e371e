"""The cover thumbnail: page 1 of the master rendered by pdfium, guarded against bombs.

A cover is decoration, so every doubt means "no cover" rather than a refusal:
page 1 images with more pixels than ``Limits.max_image_pixels`` (pdfium decodes
some codecs, e.g. JPEG 2000, at full size), an unusable page size, or any pdfium
error. The bitmap itself is capped at ``MAX_SIDE`` px a side whatever the page box
claims. The worker renders the cover last, after the result without it is already
on disk, so a crash or a kill here costs only the cover.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PageObject
from pypdf.generic import ArrayObject, DictionaryObject, PdfObject, StreamObject

from .refs import as_dict, resolve

__all__ = ["MAX_SIDE", "cover_guard", "largest_image", "render_cover"]

log = logging.getLogger(__name__)

MAX_SIDE = 2000
_MAX_FORM_DEPTH = 8
_MAX_XOBJECTS = 2_000


def _number(value: PdfObject | None) -> int:
    value = resolve(value)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _image_sizes(image: StreamObject) -> list[tuple[int, int]]:
    sizes = [(_number(image.get("/Width")), _number(image.get("/Height")))]
    for key in ("/SMask", "/Mask"):  # soft masks are images too, and can be the big part
        mask = resolve(image.get(key))
        if isinstance(mask, StreamObject):
            sizes.append((_number(mask.get("/Width")), _number(mask.get("/Height"))))
    return sizes


def _appearance_resources(page: PageObject) -> list[PdfObject | None]:
    """Resources of the annotations' normal appearances, which pdfium also draws."""
    found: list[PdfObject | None] = []
    annots = resolve(page.get("/Annots"))
    for ref in annots if isinstance(annots, ArrayObject) else []:
        annot = as_dict(ref)
        appearance = as_dict(annot.get("/AP")) if annot is not None else None
        normal = resolve(appearance.get("/N")) if appearance is not None else None
        if isinstance(normal, StreamObject):
            found.append(normal.get("/Resources"))
        elif isinstance(normal, DictionaryObject):
            found.extend(
                state.get("/Resources")
                for state in map(resolve, normal.values())
                if isinstance(state, StreamObject)
            )
        if len(found) > _MAX_XOBJECTS:
            break
    return found


def largest_image(page: PageObject) -> tuple[int, int]:
    """Width and height of the largest image page 1 draws: in its resources, nested
    forms, tiling patterns, Type 3 glyphs, annotation appearances, and soft masks."""
    best = (0, 0)
    stack: list[tuple[PdfObject | None, int]] = [(page.get("/Resources"), 0)]
    stack.extend((res, 1) for res in _appearance_resources(page))
    seen: set[int] = set()
    while stack and len(seen) < _MAX_XOBJECTS:
        resources_ref, depth = stack.pop()
        resources = as_dict(resources_ref)
        if resources is None:
            continue
        for category in ("/XObject", "/Pattern", "/Font"):
            entries = as_dict(resources.get(category))
            for ref in entries.values() if entries is not None else ():
                item = resolve(ref)
                if not isinstance(item, DictionaryObject) or id(item) in seen:
                    continue
                seen.add(id(item))
                if isinstance(item, StreamObject) and item.get("/Subtype") == "/Image":
                    for size in _image_sizes(item):
                        if size[0] * size[1] > best[0] * best[1]:
                            best = size
                elif "/Resources" in item and depth < _MAX_FORM_DEPTH:
                    # forms, tiling patterns and Type 3 fonts carry their own resources
                    stack.append((item.get("/Resources"), depth + 1))
    return best


def _scale(width: float, height: float, cover_width: int) -> float | None:
    if not (math.isfinite(width) and math.isfinite(height)) or width < 1 or height < 1:
        return None
    scale = cover_width / width
    # A page box of absurd proportions must not make a huge bitmap.
    scale = min(scale, MAX_SIDE / width, MAX_SIDE / height)
    return scale if width * scale >= 1 and height * scale >= 1 else None


def render_cover(master: Path, out: Path, cover_width: int) -> str | None:
    """Render page 1 into ``out`` (PNG); return ``None`` on success or why it was skipped."""
    document = pdfium.PdfDocument(str(master))
    try:
        page = document[0]
        try:
            width, height = page.get_size()
            scale = _scale(float(width), float(height), cover_width)
            if scale is None:
                return f"page 1 has no usable size ({width:.0f}x{height:.0f} pt)"
            bitmap = page.render(scale=scale, may_draw_forms=False, limit_image_cache=True)
            try:
                image = bitmap.to_pil()
                image.save(out, format="PNG", optimize=True)
            finally:
                bitmap.close()
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        log.debug("cover not rendered: %s", exc)
        return f"pdfium could not render page 1: {exc}"
    finally:
        document.close()
    return None


def cover_guard(page: PageObject, max_pixels: int) -> str | None:
    """Why page 1 must not be rendered (``None`` if it may), judged from its images."""
    try:
        width, height = largest_image(page)
    except Exception as exc:  # if we cannot tell, we do not render
        return f"page 1 resources unreadable ({type(exc).__name__})"
    if width * height > max_pixels:
        return f"page 1 has a {width}x{height} image (over {max_pixels} pixels)"
    return None

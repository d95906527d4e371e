"""Scan batches in the blob store (:mod:`scanning.store`): the manifest under the
batch's lock, pages, thumbnails, orientation, and page uploads from the ``pst scan``
bridge (see :mod:`scanning.batches`)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from PIL import Image

import scanner
from catalog.models import Access
from scanning.errors import (
    BatchBusy,
    BatchInvalid,
    BatchNotFound,
    PageConflict,
)
from scanning.store import MANIFEST, BatchRoot
from storage import BlobNotFound

SOURCES = ("flatbed", "adf", "adf_duplex")
MODES = ("gray", "color", "lineart")
RESOLUTIONS = (150, 200, 300, 400, 600)
#: What a batch becomes: a new publication, the softcopy of a print-only catalogue
#: record ("publication"), or the answer to a reader's request.
TARGET_KINDS = ("new", "publication", "softcopy", "scan_request")
OPEN, INGESTING, DONE = "open", "ingesting", "done"
THUMB_SIZE = (240, 340)
_BATCH_ID = re.compile(r"^[0-9a-f]{32}$")
_PAGE_ID = re.compile(r"^[0-9a-f]{12}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_IMAGE_FORMATS = {
    "PPM": "pnm",
    "PBM": "pnm",
    "PGM": "pnm",
    "TIFF": "tif",
    "JPEG": "jpg",
    "PNG": "png",
}

# --- batches in the blob store (scanning.store) ------------------------------------------


def _checked_id(batch_id: str) -> str:
    if not _BATCH_ID.match(batch_id or ""):
        raise BatchNotFound()
    return batch_id


def _read(root: BatchRoot, batch_id: str) -> dict[str, Any]:
    manifest = root.read_manifest(batch_id)
    if manifest is None:
        raise BatchNotFound()
    return manifest


def _write(root: BatchRoot, batch_id: str, manifest: dict[str, Any], now: datetime) -> None:
    manifest["updated_at"] = now.isoformat()
    root.write_manifest(batch_id, manifest)


@contextlib.contextmanager
def edit_batch(root: BatchRoot, batch_id: str) -> Iterator[dict[str, Any]]:
    """The manifest, locked; written back when the block ends without an error.

    The time of the change is the root's clock: edits come from requests, jobs and the
    scan's own threads, and pruning goes by it."""
    with root.lock(_checked_id(batch_id)):
        manifest = _read(root, batch_id)
        yield manifest
        _write(root, batch_id, manifest, root.clock())


def load_batch(root: BatchRoot, batch_id: str) -> dict[str, Any]:
    # A manifest is replaced whole, so reading it needs no lock.
    return _read(root, _checked_id(batch_id))


def clean_settings(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated scan settings (raises ``BatchInvalid``), as stored in a manifest."""
    device = str(values.get("device") or "").strip()
    if not device or device.startswith("-") or "\n" in device or len(device) > 200:
        raise BatchInvalid(_l("Choose a scanner."))
    source = values.get("source") or "flatbed"
    mode = values.get("mode") or "gray"
    if source not in SOURCES or mode not in MODES:
        raise BatchInvalid(_l("Choose a paper source and a colour mode."))
    try:
        resolution = int(values.get("resolution") or 300)
        pages = int(values["pages"]) if values.get("pages") not in (None, "") else None
    except (TypeError, ValueError):
        raise BatchInvalid(_l("The resolution and the number of pages must be numbers.")) from None
    if not 50 <= resolution <= 1200 or (pages is not None and not 1 <= pages <= 1000):
        raise BatchInvalid(_l("The resolution or the number of pages is out of range."))
    options = {str(k): str(v) for k, v in (values.get("options") or {}).items()}
    return {
        "device": device,
        "source": source,
        "mode": mode,
        "resolution": resolution,
        "pages": pages,
        "options": options,
    }


def _clean_target(target: Mapping[str, Any]) -> dict[str, Any]:
    kind = target.get("kind") or "new"
    if kind not in TARGET_KINDS:
        raise BatchInvalid(_l("Unknown target for the scan."))
    if kind == "new":
        access = target.get("access") or Access.OPEN.value
        if access not in {a.value for a in Access}:
            raise BatchInvalid(_l("Unknown access."))
        return {
            "kind": kind,
            "title": " ".join(str(target.get("title") or "").split())[:500] or None,
            "kat_no": (str(target.get("kat_no") or "").strip()[:32]) or None,
            "access": access,
        }
    if kind == "publication":
        try:
            return {"kind": kind, "publication_id": int(target["publication_id"])}
        except (KeyError, TypeError, ValueError):
            raise BatchInvalid(_l("Unknown publication.")) from None
    try:
        request_id = int(target["request_id"])
    except (KeyError, TypeError, ValueError):
        raise BatchInvalid(_l("Unknown request.")) from None
    return {"kind": kind, "request_id": request_id}


def create_batch(
    root: BatchRoot,
    *,
    actor_id: int | None,
    settings: Mapping[str, Any] | None = None,
    target: Mapping[str, Any] | None = None,
    cleaned: bool = False,
    source: str = "web",
    now: datetime,
) -> dict[str, Any]:
    """A new, empty batch. ``cleaned``: its pages arrive cleaned already (the bridge
    straightened and compressed them), so the ingest only OCRs them."""
    batch_id = uuid.uuid4().hex
    manifest = {
        "id": batch_id,
        "version": 1,
        "source": source,
        "created_at": now.isoformat(),
        "created_by": actor_id,
        "settings": dict(settings) if settings else None,
        "target": _clean_target(target or {}),
        "cleaned": bool(cleaned),
        "pages": [],
        "state": OPEN,
        "scan_job": None,
        "ingest_job": None,
        "error": None,
        "publication_id": None,
    }
    with root.lock(batch_id):
        _write(root, batch_id, manifest, now)
    return manifest


def list_batches(root: BatchRoot, *, include_done: bool = False) -> list[dict[str, Any]]:
    """Batches still being assembled or processed, newest first."""
    found = []
    for batch_id in root.batch_ids():
        manifest = root.read_manifest(batch_id) if _BATCH_ID.match(batch_id) else None
        if manifest is not None and (include_done or manifest.get("state") != DONE):
            found.append(manifest)
    return sorted(found, key=lambda m: m.get("created_at") or "", reverse=True)


def sweep_leftovers(root: BatchRoot, max_age_s: float, now: float) -> int:
    """Remove what killed processes left in the blob store (older than ``max_age_s``):
    the files of a batch whose manifest is gone (half-discarded, half-pruned), and
    pages or thumbnails no manifest holds (stored by an upload or a scan that died
    before the manifest took them). Run folders and half-received uploads are
    temporary folders of the host that made them (``pst-*``, swept there)."""
    removed = 0
    for batch_id in root.batch_ids():
        files = [f for f in root.files_under(root.name(batch_id)) if now - f.modified > max_age_s]
        if not files:
            continue
        manifest = root.read_manifest(batch_id)
        if manifest is None:
            held: set[str] = set()
        else:
            held = {MANIFEST, "cancel"}
            for page in manifest.get("pages") or ():
                held |= {str(page["file"]), f"thumbs/{page['id']}.jpg"}
        for item in files:
            if item.name.split("/", 2)[2] not in held:
                root.store.delete_work(item.name)
                removed += 1
    return removed


def discard_batch(root: BatchRoot, batch_id: str) -> None:
    """Throw a batch away with its pages (not while it is being processed)."""
    with root.lock(_checked_id(batch_id)):
        manifest = _read(root, batch_id)
        if manifest["state"] == INGESTING:
            raise BatchBusy()
        root.delete(batch_id, MANIFEST)  # gone for every host at once; the files follow
    root.delete_batch(batch_id)


@contextlib.contextmanager
def page_copy(root: BatchRoot, batch_id: str, page_id: str) -> Iterator[Path]:
    """A temporary copy of the page's image on this host (removed after the block)."""
    page = _find_page(load_batch(root, batch_id), page_id)
    try:
        with root.local_copy(batch_id, str(page["file"])) as path:
            yield path
    except BlobNotFound:
        raise BatchNotFound(_l("This page is not in the batch any more.")) from None


def thumbnail(root: BatchRoot, batch_id: str, page_id: str) -> tuple[bytes, int]:
    """The page's thumbnail (JPEG bytes), turned by its rotation; and the rotation."""
    manifest = load_batch(root, batch_id)
    page = _find_page(manifest, page_id)
    try:
        body = root.read(batch_id, f"thumbs/{page['id']}.jpg")
    except BlobNotFound:
        raise BatchNotFound(_l("This page is not in the batch any more.")) from None
    with Image.open(io.BytesIO(body)) as image:
        image.load()
        turned = (
            scanner.rotate_clockwise(image, int(page["rotation"])) if page["rotation"] else image
        )
        out = io.BytesIO()
        turned.save(out, "JPEG", quality=80)
    return out.getvalue(), int(page["rotation"])


def _find_page(manifest: Mapping[str, Any], page_id: str) -> dict[str, Any]:
    if _PAGE_ID.match(page_id or ""):
        for page in manifest["pages"]:
            if page["id"] == page_id:
                return page  # type: ignore[no-any-return]
    raise BatchNotFound(_l("This page is not in the batch any more."))


def _ensure_editable(manifest: Mapping[str, Any]) -> None:
    if manifest["state"] != OPEN:
        raise BatchBusy()


def _make_thumbnail(source: Path, target: Path) -> tuple[int, int]:
    image = scanner.open_image(source)
    size = image.size
    if image.mode not in ("L", "RGB"):
        image = image.convert("L" if image.mode in ("1", "I", "I;16") else "RGB")
    image.thumbnail(THUMB_SIZE, Image.Resampling.BILINEAR)
    image.save(target, "JPEG", quality=80)
    return size


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


_OSD_DPI = 150


def detect_upright(image_or_path: Image.Image | Path, dpi: int) -> int | None:
    """The clockwise turn that makes a page upright, or None when unsure.

    Tesseract's orientation detection on the whole page at 300 dpi costs ~1.4 s; on the
    central quarter at 150 dpi ~0.5 s with the same answers on text pages. Where that
    part holds too little text (a title page), the answer is None and the cleanup
    runs the full detection itself.
    """
    image = (
        image_or_path
        if isinstance(image_or_path, Image.Image)
        else scanner.open_image(image_or_path)
    )
    image, _box = scanner.crop_dark_borders(image)
    gray = image.convert("L") if image.mode not in ("L", "1") else image
    if dpi > _OSD_DPI:
        scale = _OSD_DPI / dpi
        gray = gray.convert("L").resize(
            (max(1, round(gray.width * scale)), max(1, round(gray.height * scale))),
            Image.Resampling.BOX,
        )
        dpi = _OSD_DPI
    width, height = gray.size
    band = gray.crop((width // 4, height // 4, width - width // 4, height - height // 4))
    try:
        found = scanner.detect_orientation(band, dpi=dpi)
    except scanner.ScannerError:
        return None
    if found is None or found.confidence < scanner.CleanupOptions().orientation_confidence:
        return None
    return found.rotate


def _adopt(
    root: BatchRoot, batch_id: str, source: Path, *, orient_dpi: int | None = None
) -> dict[str, Any]:
    """Store an image file as a page of the batch (outside the lock: its names are ours
    alone); the file ``source`` is removed."""
    try:
        facts = scanner.inspect_image(source)
        extension = _IMAGE_FORMATS.get(facts.format)
        if extension is None:
            raise scanner.ImageError(detail=f"{facts.format} is not a page image format")
        page_id = uuid.uuid4().hex[:12]
        name = f"pages/{page_id}.{extension}"
        digest = _sha256(source)
        thumb = source.with_name(f"{source.name}.thumb.jpg")
        try:
            width, height = _make_thumbnail(source, thumb)
            upright = detect_upright(source, orient_dpi) if orient_dpi else None
            root.put(batch_id, name, source)
            root.put(batch_id, f"thumbs/{page_id}.jpg", thumb)
        finally:
            thumb.unlink(missing_ok=True)
    finally:
        source.unlink(missing_ok=True)
    return {
        "id": page_id,
        "file": name,
        "sha256": digest,
        # Clockwise degrees from the image as scanned to the page upright: detected as
        # the page arrives, then the officer's turns. "oriented": it is known, so the
        # cleanup does not detect it again.
        "rotation": upright or 0,
        "oriented": upright is not None,
        "rotated": False,
        "number": None,
        "width": width,
        "height": height,
    }


def _drop_files(root: BatchRoot, batch_id: str, page: Mapping[str, Any]) -> None:
    root.delete(batch_id, str(page["file"]))
    root.delete(batch_id, f"thumbs/{page['id']}.jpg")


def _orient_later(root: BatchRoot, batch_id: str, page_id: str, dpi: int) -> None:
    """Detect a page's orientation and record it, unless the officer turned it meanwhile."""
    try:
        with page_copy(root, batch_id, page_id) as path:
            upright = detect_upright(path, dpi)
        with edit_batch(root, batch_id) as manifest:
            page = _find_page(manifest, page_id)
            if not page.get("rotated"):
                page["rotation"] = upright or 0
                page["oriented"] = upright is not None
    except (BatchNotFound, scanner.ScannerError, OSError):
        return  # deleted meanwhile, or unreadable: the cleanup detects it later


def add_page(
    root: BatchRoot,
    batch_id: str,
    source: Path,
    *,
    replace: str | None = None,
    max_pages: int,
    position: int | None = None,
    orient_dpi: int | None = None,
) -> dict[str, Any]:
    """Move the image ``source`` into the batch: at the end (or ``position``), or in
    place of page ``replace`` (a rescan: same place); a batch holds at most ``max_pages``
    (``SCANNER_MAX_PAGES``). With ``orient_dpi`` (the scan's resolution) the page's
    orientation is detected on the way in."""
    page = _adopt(root, _checked_id(batch_id), source, orient_dpi=orient_dpi)
    try:
        with edit_batch(root, batch_id) as manifest:
            if len(manifest["pages"]) >= max_pages:
                raise BatchInvalid(
                    _l("A batch holds at most %(n)s pages.", n=len(manifest["pages"]))
                )
            if replace is not None:
                old = _find_page(manifest, replace)
                index = manifest["pages"].index(old)
                manifest["pages"][index] = page
                _drop_files(root, batch_id, old)
            elif position is None:
                manifest["pages"].append(page)
            else:
                manifest["pages"].insert(position, page)
    except Exception:
        _drop_files(root, batch_id, page)
        raise
    return page


def rotate_page(root: BatchRoot, batch_id: str, page_id: str, degrees: int) -> dict[str, Any]:
    with edit_batch(root, batch_id) as manifest:
        _ensure_editable(manifest)
        page = _find_page(manifest, page_id)
        page["rotation"] = (int(page["rotation"]) + degrees) % 360
        page["rotated"] = page["oriented"] = True
        return page


def move_page(root: BatchRoot, batch_id: str, page_id: str, offset: int) -> int:
    """Move a page ``offset`` places (clamped); return its new 0-based place."""
    with edit_batch(root, batch_id) as manifest:
        _ensure_editable(manifest)
        page = _find_page(manifest, page_id)
        pages = manifest["pages"]
        index = pages.index(page)
        new = max(0, min(len(pages) - 1, index + offset))
        pages.insert(new, pages.pop(index))
        return int(new)


def delete_page(root: BatchRoot, batch_id: str, page_id: str) -> None:
    with edit_batch(root, batch_id) as manifest:
        _ensure_editable(manifest)
        page = _find_page(manifest, page_id)
        manifest["pages"].remove(page)
    _drop_files(root, batch_id, page)


# --- uploads through the bridge ----------------------------------------------------------


def upload_page(
    root: BatchRoot,
    batch_id: str,
    number: int,
    stream: BinaryIO,
    *,
    sha256: str,
    max_bytes: int,
) -> tuple[dict[str, Any], bool]:
    """Store page ``number`` of an uploaded batch; return (page, created).

    Idempotent on (batch, number, sha256): the same image again is acknowledged
    without a copy; a different image under a taken number is a ``PageConflict``.
    The body must hash to ``sha256`` (a cut upload does not), else ``BatchInvalid``.
    """
    claimed = (sha256 or "").lower()
    if not _SHA256.match(claimed) or not 1 <= number <= 100_000:
        raise BatchInvalid(_l("Give the page number and the SHA-256 of the image."))
    existing = _page_by_number(load_batch(root, batch_id), number)
    if existing is not None:
        if existing["sha256"] == claimed:
            return existing, False
        raise PageConflict()
    digest = hashlib.sha256()
    size = 0
    # Received on this host's temporary folder ("pst-*": swept if the process dies).
    with tempfile.NamedTemporaryFile(prefix="pst-page-", delete=False) as out:
        temporary = Path(out.name)
        try:
            for chunk in iter(lambda: stream.read(1024 * 1024), b""):
                size += len(chunk)
                if size > max_bytes:
                    raise BatchInvalid(_l("The page image is too large."))
                digest.update(chunk)
                out.write(chunk)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    try:
        if digest.hexdigest() != claimed:
            raise BatchInvalid(
                _l("The page arrived incomplete (its SHA-256 differs). Send it again.")
            )
        try:
            page = _adopt(root, batch_id, temporary)
        except scanner.ScannerError:
            raise BatchInvalid(_l("The page is not an image the server can read.")) from None
    finally:
        temporary.unlink(missing_ok=True)
    page["number"] = number
    with edit_batch(root, batch_id) as manifest:
        _ensure_editable(manifest)
        again = _page_by_number(manifest, number)
        if again is not None:  # a parallel upload of the same page won
            _drop_files(root, batch_id, page)
            if again["sha256"] == claimed:
                return again, False
            raise PageConflict()
        pages = manifest["pages"]
        place = next(
            (i for i, p in enumerate(pages) if (p.get("number") or 0) > number), len(pages)
        )
        pages.insert(place, page)
    return page, True


def _page_by_number(manifest: Mapping[str, Any], number: int) -> dict[str, Any] | None:
    return next((p for p in manifest["pages"] if p.get("number") == number), None)

"""Master PDFs as local files, and what is worked out once per master: its stamping plan
and its page sizes.

Stamping copies byte ranges of the master and the page renderer opens it at random, so
both need a local file: a local store already has one; from S3 the master is fetched
once into the instance's cache (verified against its content hash, written atomically).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.uow import unit_of_work
from library.errors import MasterUnavailable
from library.models import MasterPlan
from storage import BlobStore, StorageError

log = logging.getLogger(__name__)

_CHUNK = 1024 * 1024


def master_path(store: BlobStore, key: str, cache_dir: Path) -> Path:
    """A local, complete, verified file holding blob ``key``."""
    try:
        local = store.local_path(key)
    except StorageError as exc:
        raise MasterUnavailable() from exc
    if local is not None:
        return local
    target = cache_dir / "masters" / key[:2] / f"{key}.pdf"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{key}.{uuid.uuid4().hex}.tmp")
    try:
        digest = hashlib.sha256()
        with store.open(key) as src, temp.open("wb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
        if digest.hexdigest() != key:
            raise MasterUnavailable()  # a corrupt blob: never stamp from it
        os.replace(temp, target)
    except (StorageError, OSError) as exc:
        log.error("fetching master %s failed: %s", key[:12], exc)
        raise MasterUnavailable() from exc
    finally:
        temp.unlink(missing_ok=True)
    return target


def master_info(session: Session, key: str, path: Path) -> MasterPlan:
    """The plan and page sizes of a master, worked out on first use and kept."""
    row = session.get(MasterPlan, key)
    if row is not None:
        return row
    row = _analyse(key, path)
    try:
        with unit_of_work(session, savepoint=True):
            session.add(row)
    except IntegrityError:  # another request analysed it at the same moment
        found = session.get(MasterPlan, key)
        if found is None:
            raise
        return found
    return row


def _analyse(key: str, path: Path) -> MasterPlan:
    import watermark

    plan_json: str | None = None
    reason: str | None = None
    try:
        plan_json = watermark.analyse(path).to_json()
    except watermark.WatermarkError as exc:
        # Downloads of this master take the simple path; the reason is kept for staff.
        reason = str(exc)[:300] or type(exc).__name__
        log.warning("no stamping plan for master %s: %s", key[:12], reason)
    return MasterPlan(
        master_key=key,
        plan_json=plan_json,
        reason=reason,
        page_sizes_json=json.dumps(page_sizes(path)),
    )


def page_sizes(path: Path) -> list[list[float]]:
    """``[width, height]`` in points of each page as displayed (rotation applied)."""
    import pypdfium2 as pdfium

    from library.render import pdfium_lock

    sizes: list[list[float]] = []
    with pdfium_lock:
        pdf = pdfium.PdfDocument(str(path))
        try:
            for index in range(len(pdf)):
                page = pdf[index]
                try:
                    sizes.append([round(page.get_width(), 2), round(page.get_height(), 2)])
                finally:
                    page.close()
        finally:
            pdf.close()
    return sizes

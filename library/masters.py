"""Master PDFs as local files, and what is worked out once per master: its stamping plan
and its page sizes.

The plan is made when the catalogue stores a master (``app.events.master_stored``), in
the transaction that records it, and for masters stored before that by the
``library.plan_masters`` job (queued by migration 0024). A download or reader visit of
a master with no plan still makes one on the spot, so nothing depends on the job
having run. Parsed plans are kept per process (:func:`ready_plan`): a master is
content-addressed, so the plan of a key never changes.

Stamping copies byte ranges of the master and the page renderer opens it at random, so
both need a local file: a local store already has one; from S3 the master is fetched
once into the instance's cache (verified against its content hash, written atomically).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import jobs
from app.uow import unit_of_work
from library.errors import MasterUnavailable
from library.models import MasterPlan
from storage import BlobStore, StorageError

if TYPE_CHECKING:
    import watermark

log = logging.getLogger(__name__)

_CHUNK = 1024 * 1024
#: Masters fetched from S3 kept on this host's disk; the least recently used go first.
MASTER_CACHE_BYTES = 8 * 1024 * 1024 * 1024


def master_path(
    store: BlobStore, key: str, cache_dir: Path, *, budget: int = MASTER_CACHE_BYTES
) -> Path:
    """A local, complete, verified file holding blob ``key``. Fetched copies are a
    per-host cache of at most ``budget`` bytes (beyond the one just fetched)."""
    try:
        local = store.local_path(key)
    except StorageError as exc:
        raise MasterUnavailable() from exc
    if local is not None:
        return local
    target = cache_dir / "masters" / key[:2] / f"{key}.pdf"
    if target.is_file():
        with contextlib.suppress(OSError):
            os.utime(target)  # recently used: pruned last
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
    prune_masters(cache_dir, budget, keep=target)
    return target


def prune_masters(cache_dir: Path, budget: int, *, keep: Path | None = None) -> int:
    """Delete the least recently used fetched masters until they fit ``budget`` bytes
    (``keep`` stays whatever its size); return how many went. A reader that has one
    open keeps reading it: the file is only unlinked."""
    files = []
    for entry in (cache_dir / "masters").glob("*/*.pdf"):
        try:
            stat = entry.stat()
        except FileNotFoundError:
            continue
        files.append((stat.st_mtime, stat.st_size, entry))
    total = sum(size for _, size, _ in files)
    removed = 0
    for _, size, entry in sorted(files):
        if total <= budget:
            break
        if entry == keep:
            continue
        entry.unlink(missing_ok=True)
        total -= size
        removed += 1
    return removed


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


def plan_stored_master(_sender: object, *, session: Session, key: str, path: Path) -> None:
    """``master_stored`` receiver: make the new master's plan in the ingest's transaction."""
    if session.get(MasterPlan, key) is None:
        session.add(_analyse(key, path))


_READY_MAX = 64  # parsed plans kept per process; a 500-page plan is about 1 MB
_ready: OrderedDict[str, Any] = OrderedDict()
_ready_lock = threading.Lock()
_NO_PLAN = object()


def ready_plan(session: Session, key: str, path: Path) -> watermark.Plan | None:
    """The parsed stamping plan of master ``key`` (None: it takes the simple path).

    Parsed once per process and kept (least recently used first out), so a download
    copies bytes from its first one without reading the plan's JSON again.
    """
    with _ready_lock:
        found = _ready.get(key)
        if found is not None:
            _ready.move_to_end(key)
            return None if found is _NO_PLAN else found  # type: ignore[no-any-return]
    import watermark

    info = master_info(session, key, path)
    plan = watermark.Plan.from_json(info.plan_json) if info.plan_json else None
    with _ready_lock:
        _ready[key] = _NO_PLAN if plan is None else plan
        while len(_ready) > _READY_MAX:
            _ready.popitem(last=False)
    return plan


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


PLAN_JOB = "library.plan_masters"


@jobs.job(PLAN_JOB)
def plan_masters_job(ctx: jobs.JobContext) -> dict[str, Any]:
    """Make the plan of every master stored before plans were made at ingest."""
    from app.blobs import current_store
    from library.http import cache_dir

    session = ctx.session
    keys = unplanned_masters(session)
    store, cache = current_store(), cache_dir()
    for done, key in enumerate(keys, start=1):
        try:
            ready_plan(session, key, master_path(store, key, cache))
        except MasterUnavailable:
            log.warning("master %s cannot be fetched; planned on its first download", key[:12])
        ctx.progress(min(99, done * 100 // len(keys)))
    return {"checked": len(keys)}


def unplanned_masters(session: Session) -> list[str]:
    """Keys of the publications' masters that have no plan yet."""
    from catalog.models import Publication

    query = (
        select(Publication.master_key)
        .where(Publication.master_key.is_not(None))
        .where(~exists().where(MasterPlan.master_key == Publication.master_key))
        .distinct()
    )
    return [key for key in session.scalars(query) if key]

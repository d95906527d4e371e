"""Scanning hardcopy into the catalogue (services): scan batches, scan and ingest jobs.

A *scan batch* is the set of pages an officer (on the scanning page) or a staff
workstation (``pst scan`` through the API) assembles before it becomes a publication.
It lives in the blob store, not on a host's disk, so that whichever host gets the next
request or runs the next job continues it (:mod:`scanning.store`): under
``scans/<id>/`` of the store's work files

* ``batch.json`` — the manifest: scan settings, the target (a new publication, the
  digital copy of a print-only catalogue record, a reader's softcopy request or scan
  request), the ordered pages (file, rotation,
  SHA-256, the client's page number for uploads), the running jobs, the last error;
  every change to it holds the batch's lock (shared by every host), so the scan job
  adding pages and the officer reordering them never lose each other's edit;
* ``pages/`` the page images as scanned (or as uploaded), ``thumbs/`` small JPEGs.

Scanning runs as the job ``library.scan`` (:func:`run_scan`, queued by
:func:`start_scan`; the job itself is in :mod:`scanning.wiring`, which reads the settings):
:func:`scanner.scan` writes pages into a run folder of the host that scans, each finished
page is stored in the batch at once (the page polls :func:`batch_state` and shows its
thumbnail) and the job's progress follows the pages. A ``cancel`` marker in the batch
stops the scan.

Finishing queues ``library.scan_ingest`` (its job in :mod:`scanning.wiring` too; the
same code the local ``pst scan`` calls directly as :func:`ingest_batch`):
:func:`scanner.process_pages` on a temporary copy of the pages (cleanup, Tesseract OCR
``ind+eng`` one page per core with ``OMP_THREAD_LIMIT=1``, a searchable PDF with an
invisible text layer) → :func:`catalog.cataloguing.ingest` → the softcopy request it
answers is fulfilled. A reader's scan-on-demand request is not catalogued: its PDF is
stored as a private blob of the request and delivered to that reader only
(:func:`scanning.requests.fulfil`).
The pages are then deleted from the store; the manifest stays as a small tombstone
(state ``done``, the publication or request id) so a client that lost the answer to
"finish" learns the outcome, and is pruned with old batches.

A batch is never stuck on its ingest job: when the job failed or was cancelled while
the batch stayed ``ingesting`` (its worker was killed and the sweeper failed the job),
the officer processes it again (:func:`retry_batch`) or takes it back to editing
(:func:`reopen_batch`, which cancels a job still queued and reopens the reader's
request it answers). A job that is no longer the batch's does nothing.

Scanner failures carry a stable ``code``; :func:`scanner_message` is the one place
they become officer-friendly, translated text.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

import scanner
from app import audit, jobs, waiting
from app.abandoned import Abandoned
from app.blobs import current_store, save_blob
from app.clock import Clock
from app.config import Setting, declare
from app.errors import PSTError
from app.uow import discard, transactional, unit_of_work
from catalog.cataloguing import ingest
from catalog.errors import DuplicatePublication
from catalog.models import Access, Publication, Status
from scanning.errors import (
    BatchBusy,
    BatchInvalid,
    BatchNotFound,
    ScanningError,
    scanner_message,
)
from scanning.pages import (
    DONE,
    INGESTING,
    OPEN,
    _checked_id,
    _clean_target,
    _drop_files,
    _ensure_editable,
    _find_page,
    _orient_later,
    add_page,
    clean_settings,
    edit_batch,
    list_batches,
    load_batch,
)
from scanning.settings import Settings
from scanning.store import MANIFEST, BatchRoot, batch_root

SCAN_JOB = "library.scan"
INGEST_JOB = "library.scan_ingest"

SETTINGS = declare(
    Setting(
        "SCANNER_DEVICES",
        list[str],
        (),
        "Scanners offered first on the scanning page, by SANE name "
        '("epson2:libusb:001:004", "net:10.17.0.5:fujitsu:fi-7160"); "NAME|Label" gives '
        "a friendlier label. Devices that SANE discovers are offered after these",
    ),
    Setting(
        "SCANNER_NET_HOSTS",
        list[str],
        (),
        "Hosts running saned whose scanners this server reaches (SANE's net backend); "
        "written into a private SANE configuration in the instance folder",
    ),
    Setting(
        "SCANNER_BACKENDS",
        list[str],
        (),
        'Further SANE backends to enable in that private configuration (e.g. "epson2")',
    ),
    Setting(
        "SCANNER_SANE_CONFIG_DIR",
        str,
        None,
        "A SANE_CONFIG_DIR to use as it is (overrides the two settings above)",
    ),
    Setting(
        "SCANNER_DEVICE_CACHE_S",
        int,
        60,
        "Seconds a device list is reused (discovery probes USB and the network)",
    ),
    Setting("SCANNER_OCR_LANGUAGES", str, "ind+eng", "Tesseract languages"),
    Setting(
        "SCANNER_AUTO_ORIENT",
        bool,
        True,
        "Detect each page's orientation as it arrives (the thumbnail shows it upright)",
    ),
    Setting("SCANNER_OCR_WORKERS", int, 0, "Tesseract processes in parallel; 0: one per core"),
    Setting(
        "SCANNER_MAX_PAGE_BYTES",
        int,
        128 * 1024 * 1024,
        "One uploaded page image (the bridge); raw A4 colour at 600 dpi is ~100 MB",
    ),
    Setting("SCANNER_MAX_PAGES", int, 1000, "Most pages in one scan batch"),
    Setting(
        "SCANNER_BATCH_TTL_H",
        int,
        24 * 14,
        "Batches untouched this long (hours) are deleted with their pages (audited), "
        "unless a scan or their processing is queued or running; 0 keeps them",
    ),
    Setting("SCAN_REQUEST_MAX_PAGES", int, 60, "Most pages one reader's scan request may ask for"),
)

# --- configuration -----------------------------------------------------------------------


def scans_root(app: Flask | None = None) -> BatchRoot:
    """Where the app's scan batches live (shared by every host: :mod:`scanning.store`)."""
    return batch_root(app)


_sane_lock = threading.Lock()


def sane_config_dir(config: Mapping[str, Any], instance_path: str) -> str | None:
    """The ``SANE_CONFIG_DIR`` for ``scanimage``: configured, written, or the system's."""
    explicit = config.get("SCANNER_SANE_CONFIG_DIR")
    if explicit:
        return str(explicit)
    hosts = list(config.get("SCANNER_NET_HOSTS") or ())
    backends = list(config.get("SCANNER_BACKENDS") or ())
    if not hosts and not backends:
        return None
    with _sane_lock:
        return scanner.write_sane_config(
            Path(instance_path) / "sane", net_hosts=hosts, backends=backends
        )


@dataclass(frozen=True)
class DeviceChoice:
    name: str
    label: str


_device_cache: dict[str | None, tuple[float, list[DeviceChoice], str | None]] = {}


def _configured_devices(config: Mapping[str, Any]) -> list[DeviceChoice]:
    found = []
    for entry in config.get("SCANNER_DEVICES") or ():
        name, _sep, label = str(entry).partition("|")
        if name.strip():
            found.append(DeviceChoice(name.strip(), label.strip() or name.strip()))
    return found


def list_devices(
    config: Mapping[str, Any],
    instance_path: str,
    *,
    refresh: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[list[DeviceChoice], str | None]:
    """Devices for the picker (configured first, then discovered) and an error message
    when discovery failed. Discovery takes seconds, so its answer is kept briefly."""
    config_dir = sane_config_dir(config, instance_path)
    ttl = float(config.get("SCANNER_DEVICE_CACHE_S") or 0)
    cached = _device_cache.get(config_dir)
    if cached and not refresh and clock() - cached[0] < ttl:
        discovered, error = cached[1], cached[2]
    else:
        error = None
        try:
            discovered = [
                DeviceChoice(d.name, f"{d.vendor} {d.model} ({d.name})".strip())
                for d in scanner.list_devices(config_dir=config_dir, timeout_s=30)
            ]
        except scanner.ScannerError as exc:
            discovered, error = [], exc.code
        _device_cache[config_dir] = (clock(), discovered, error)
    choices = _configured_devices(config)
    names = {c.name for c in choices}
    choices += [d for d in discovered if d.name not in names]
    return choices, (scanner_message(error) if error else None)


def default_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    configured = _configured_devices(config)
    return {
        "device": configured[0].name if configured else "",
        "source": "flatbed",
        "mode": "gray",
        "resolution": 300,
        "pages": None,
    }


# --- scanning ------------------------------------------------------------------------


def _settings_object(
    settings: Mapping[str, Any], *, pages: int | None = None
) -> scanner.ScanSettings:
    return scanner.ScanSettings(
        device=settings["device"],
        source=settings["source"],
        mode=settings["mode"],
        resolution=int(settings["resolution"]),
        pages=pages if pages is not None else settings.get("pages"),
        extra_options=dict(settings.get("options") or {}),
    )


@transactional
def start_scan(
    session: Session,
    root: BatchRoot,
    batch_id: str,
    settings: Mapping[str, Any],
    *,
    actor_id: int | None,
    replace: str | None = None,
) -> jobs.Job:
    """Save the settings on the batch and queue a scan into it (``replace``: rescan
    that page, one sheet from the glass or the feeder)."""
    clean = clean_settings(settings)
    _settings_object(clean)  # the scanner package's own checks
    with edit_batch(root, batch_id) as manifest:
        _ensure_editable(manifest)
        if manifest.get("scan_job") and _job_active(session, manifest["scan_job"]):
            raise BatchBusy()
        if replace is not None:
            _find_page(manifest, replace)
        job = jobs.enqueue(session, SCAN_JOB, actor_id=actor_id, batch_id=batch_id, replace=replace)
        manifest["settings"] = clean
        manifest["scan_job"] = job.id
        manifest["error"] = None
    root.delete(batch_id, "cancel")
    return job


def cancel_scan(root: BatchRoot, batch_id: str) -> None:
    """Ask a running scan of the batch to stop (it checks a few times a second)."""
    load_batch(root, batch_id)
    root.store.put_work(root.name(batch_id, "cancel"), io.BytesIO(b""))


def _job_active(session: Session, job_id: str) -> bool:
    record = session.get(jobs.Job, job_id)
    return record is not None and record.state in (jobs.QUEUED, jobs.RUNNING)


# --- abandoned batches --------------------------------------------------------------------


def _untouched_since(manifest: Mapping[str, Any]) -> datetime | None:
    try:
        return datetime.fromisoformat(manifest["updated_at"])
    except (KeyError, TypeError, ValueError):
        return None


def _batch_busy(session: Session, manifest: Mapping[str, Any]) -> bool:
    """A scan or the processing of the batch is queued or running: staff are at it."""
    return any(
        isinstance(manifest.get(job), str) and _job_active(session, manifest[job])
        for job in ("scan_job", "ingest_job")
    )


def _abandoned(session: Session, manifest: Mapping[str, Any], cutoff: datetime) -> bool:
    untouched = _untouched_since(manifest)
    return untouched is not None and untouched < cutoff and not _batch_busy(session, manifest)


def abandoned_batches(session: Session, root: BatchRoot, cutoff: datetime) -> list[Abandoned]:
    """Batches (and tombstones of finished ones) untouched since before ``cutoff`` whose
    jobs are not queued nor running, processed ones whose job failed included."""
    found = []
    for manifest in list_batches(root, include_done=True):
        if not _abandoned(session, manifest, cutoff):
            continue
        batch_id = str(manifest["id"])
        size = sum(f.size for f in root.files_under(root.name(batch_id)))
        untouched = _untouched_since(manifest)
        found.append(
            Abandoned(
                f"scan batch {batch_id} ({manifest.get('state')}, "
                f"{len(manifest.get('pages') or ())} pages, untouched since "
                f"{untouched.isoformat(timespec='minutes') if untouched else '?'})",
                size,
                batch_id,
            )
        )
    return found


def remove_abandoned_batch(
    session: Session, root: BatchRoot, batch_id: str, cutoff: datetime
) -> bool:
    """Delete the batch if it is still abandoned, checked under its lock (an officer
    editing it meanwhile keeps it); whether it went."""
    with root.lock(_checked_id(batch_id)):
        manifest = root.read_manifest(batch_id)
        if manifest is None or not _abandoned(session, manifest, cutoff):
            return False
        root.delete(batch_id, MANIFEST)  # gone for every host at once; the files follow
    root.delete_batch(batch_id)
    return True


def run_scan(
    root: BatchRoot,
    batch_id: str,
    *,
    config_dir: str | None,
    settings: Settings,
    replace: str | None = None,
    progress: Callable[[int, str], None] = lambda pct, msg: None,
    stall_timeout_s: float | None = 120.0,
) -> list[str]:
    """Scan into the batch with its saved settings; return the ids of the new pages.

    Pages join the batch as each one is complete. A failure is recorded on the
    manifest (the pages scanned before it stay) and raised as ``ScanningError``.
    """
    manifest = load_batch(root, batch_id)
    chosen = manifest["settings"]
    if not chosen:
        raise BatchInvalid(_l("Choose the scanner settings first."))
    wanted = 1 if replace else chosen.get("pages")
    scan_settings = _settings_object(chosen, pages=wanted)
    # The scanner writes on this host; each page goes to the batch as it is complete.
    run = Path(tempfile.mkdtemp(prefix="pst-scan-run-"))
    cancel = threading.Event()
    stop_watch = threading.Event()

    def watch() -> None:
        while not stop_watch.wait(0.25):
            if root.exists(batch_id, "cancel"):
                cancel.set()
                return

    watcher = threading.Thread(target=watch, daemon=True, name="scan-cancel-watch")
    watcher.start()
    added: list[str] = []
    start = len(manifest["pages"])
    dpi = int(chosen["resolution"])
    orienter = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="orient")
    detections: list[Future[None]] = []

    def on_page(number: int, path: Path) -> None:
        page = add_page(
            root,
            batch_id,
            path,
            replace=replace if number == 1 else None,
            max_pages=settings.max_pages,
        )
        added.append(page["id"])
        if settings.auto_orient:  # on other cores, while the scanner goes on
            detections.append(orienter.submit(_orient_later, root, batch_id, page["id"], dpi))
        # A feeder scanned until it is empty has no known end: creep towards 95 %.
        percent = round(100 * number / wanted) if wanted else min(95, 10 + 5 * number)
        progress(min(percent, 99), f"page {start + number}")

    try:
        progress(1, "starting")
        scanner.scan(
            scan_settings,
            run,
            on_page=on_page,
            cancel=cancel,
            config_dir=config_dir,
            stall_timeout_s=stall_timeout_s,
        )
    except scanner.ScannerError as exc:
        page = exc.page
        if page is not None and not replace:
            page += start  # the page number in the whole batch
        error = {"code": exc.code, "page": page}
        # An empty feeder after pages were scanned is the normal end of a batch.
        if not (exc.code == "no_documents" and added):
            with edit_batch(root, batch_id) as current:
                current["error"] = error
            raise ScanningError(exc.code, page) from exc
    finally:
        orienter.shutdown(wait=True)
        stop_watch.set()
        watcher.join(timeout=1)
        shutil.rmtree(run, ignore_errors=True)
        root.delete(batch_id, "cancel")
    return added


def batch_state(session: Session, root: BatchRoot, batch_id: str) -> dict[str, Any]:
    """What the scanning page polls: pages, the scan job, the last error."""
    manifest = load_batch(root, batch_id)
    scan = session.get(jobs.Job, manifest["scan_job"]) if manifest.get("scan_job") else None
    ingest_job = (
        session.get(jobs.Job, manifest["ingest_job"]) if manifest.get("ingest_job") else None
    )
    return {
        "id": manifest["id"],
        "state": manifest["state"],
        "pages": [
            {"id": p["id"], "rotation": p["rotation"], "number": p.get("number")}
            for p in manifest["pages"]
        ],
        "scan": None
        if scan is None
        else {
            "id": scan.id,
            "state": scan.state,
            "progress": scan.progress,
            "active": scan.state in (jobs.QUEUED, jobs.RUNNING),
        },
        "ingest_job": ingest_job.id if ingest_job else None,
        "error": batch_error_message(manifest),
        "publication_id": manifest.get("publication_id"),
    }


# --- finishing: OCR and ingest ------------------------------------------------------------


@transactional
def finish_batch(
    session: Session,
    root: BatchRoot,
    batch_id: str,
    *,
    actor_id: int | None,
    expected_pages: int | None = None,
    target: Mapping[str, Any] | None = None,
) -> jobs.Job:
    """Queue the OCR and ingest of a batch. Idempotent: a batch already finishing (or
    finished) answers with its job. ``expected_pages`` (the bridge) must match the
    page numbers received: 1..N, none missing."""
    import scanning.requests

    current = load_batch(root, batch_id)
    if current["state"] == INGESTING and waiting.is_stuck(
        waiting.job_of(session, current.get("ingest_job"))
    ):
        # Its job died or was cancelled: finishing again (the bridge) processes it again.
        return retry_batch(session, root, batch_id, actor_id=actor_id)
    with edit_batch(root, batch_id) as manifest:
        if manifest["state"] in (INGESTING, DONE) and manifest.get("ingest_job"):
            existing = session.get(jobs.Job, manifest["ingest_job"])
            if existing is not None and existing.state != jobs.FAILED:
                return existing
        if manifest.get("scan_job") and _job_active(session, manifest["scan_job"]):
            raise BatchBusy()
        if not manifest["pages"]:
            raise BatchInvalid(_l("Scan at least one page first."))
        if expected_pages is not None:
            numbers = sorted(p.get("number") or 0 for p in manifest["pages"])
            missing = sorted(set(range(1, expected_pages + 1)) - set(numbers))
            if missing or len(numbers) != expected_pages:
                raise BatchInvalid(
                    _l("Pages are missing: %(pages)s", pages=", ".join(map(str, missing[:20])))
                )
        if target is not None and manifest["target"]["kind"] == "new":
            manifest["target"] = _clean_target({**target, "kind": "new"})
        goal = manifest["target"]
        if goal["kind"] == "new" and not goal.get("title"):
            raise BatchInvalid(_l("Give the publication a title."))
        job = jobs.enqueue(session, INGEST_JOB, actor_id=actor_id, batch_id=batch_id)
        if goal["kind"] == "scan_request":
            scanning.requests.start_processing(
                session, goal["request_id"], job_id=job.id, actor_id=actor_id
            )
        elif goal["kind"] == "softcopy":
            _check_softcopy(session, goal["request_id"])
        elif goal["kind"] == "publication":
            check_target(session, goal)
        manifest["state"] = INGESTING
        manifest["ingest_job"] = job.id
        manifest["error"] = None
        audit.record(
            session,
            "scan.finished",
            actor_id=actor_id,
            subject_type="scan_batch",
            subject_id=batch_id,
            detail={"batch": batch_id, "pages": len(manifest["pages"]), "job_id": job.id},
        )
    return job


def check_target(session: Session, target: Mapping[str, Any]) -> None:
    """Refuse, before anything is scanned, a target that cannot take the scan: a
    catalogue record that is gone, withdrawn or already has its digital copy."""
    if target.get("kind") != "publication":
        return
    publication = session.get(Publication, int(target["publication_id"]))
    if publication is None or publication.status != Status.ACTIVE:
        raise BatchInvalid(_l("The publication was not found or has been withdrawn."))
    if publication.has_file:
        raise BatchInvalid(_l("This publication already has a digital copy."))


def _check_softcopy(session: Session, request_id: int) -> None:
    from library import softcopy
    from library.models import SoftcopyStatus

    request = softcopy.get_request(session, request_id)
    if request.status not in softcopy.OPEN_SOFTCOPY:
        raise softcopy._refuse(request, SoftcopyStatus.FULFILLED)


@dataclass(frozen=True)
class IngestOutcome:
    publication_id: int | None  # None: a reader's private scan (``scan_request_id``)
    pages: int
    duplicate: bool
    texts: tuple[str, ...]
    scan_request_id: int | None = None


def process_options(
    manifest: Mapping[str, Any], settings: Settings, title: str | None
) -> scanner.ProcessOptions:
    rotations = {
        number: int(page["rotation"])
        for number, page in enumerate(manifest["pages"], start=1)
        if page.get("oriented") or page.get("rotated")
    }
    cleanup = scanner.CleanupOptions()
    if manifest.get("cleaned"):  # straightened and compressed on the workstation
        cleanup = scanner.CleanupOptions(crop_borders=False, auto_orient=False, deskew=False)
    chosen = manifest.get("settings") or {}
    return scanner.ProcessOptions(
        cleanup=cleanup,
        dpi=int(chosen["resolution"]) if chosen.get("resolution") else None,
        languages=settings.ocr_languages,
        workers=settings.ocr_workers or None,
        rotations=rotations,
        title=title,
    )


def _meta_for(session: Session, target: Mapping[str, Any], locale: str) -> dict[str, Any]:
    import scanning.requests
    from library import softcopy

    if target["kind"] == "new":
        meta: dict[str, Any] = {
            "title": target["title"],
            "access": target.get("access") or Access.OPEN.value,
            "printed": True,
        }
        if target.get("kat_no") and softcopy.KAT_NO.match(target["kat_no"]):
            meta["kat_no"] = target["kat_no"]
        return meta
    if target["kind"] == "publication":
        record = session.get(Publication, int(target["publication_id"]))
        return {"title": record.title if record else None}
    if target["kind"] == "softcopy":
        request = softcopy.get_request(session, target["request_id"])
        meta = {"title": request.title, "access": Access.READ_ONLY.value, "printed": True}
        if request.kat_no and softcopy.KAT_NO.match(request.kat_no):
            meta["kat_no"] = request.kat_no
        return meta
    # A reader's scan: only the PDF's own title; it is never catalogued.
    scan = scanning.requests.get_request(session, target["request_id"])
    with force_locale(locale):
        title = _("%(title)s (pages %(pages)s)", title=scan.publication.title, pages=scan.pages)
    return {"title": title[:500]}


def ingest_batch(
    session: Session,
    root: BatchRoot,
    batch_id: str,
    *,
    actor_id: int | None,
    settings: Settings,
    now: Clock,
    progress: Callable[[int, str], None] = lambda pct, msg: None,
    cancel: threading.Event | None = None,
) -> IngestOutcome:
    """Clean, OCR and ingest the batch's pages; fulfil the request it answers (a scan
    request's PDF is stored privately for its reader instead of ingested).

    On success the pages are deleted and the manifest becomes a tombstone; on a
    failure the batch is open again (pages kept, the error on the manifest) and the
    request it answers is back in the queue. ``now`` is read when the request is
    fulfilled, after the OCR (which takes minutes).
    """
    import scanning.requests
    from library import softcopy

    manifest = load_batch(root, batch_id)
    target = manifest["target"]
    try:
        meta = _meta_for(session, target, settings.locale)
        total = len(manifest["pages"])
        progress(2, "recognising text")
        with tempfile.TemporaryDirectory(prefix="pst-scan-") as work:
            # The pages are fetched from the blob store: this host may not be the one
            # that received them.
            raw = [
                root.fetch(batch_id, page["file"], Path(work) / f"page-{number:05d}-{page['id']}")
                for number, page in enumerate(manifest["pages"], start=1)
            ]
            pdf = Path(work) / "scan.pdf"
            result = scanner.process_pages(
                raw,
                pdf,
                process_options(manifest, settings, meta.get("title")),
                on_progress=lambda done, _total: progress(
                    2 + round(80 * done / total), f"page {done} of {total}"
                ),
                cancel=cancel,
            )
            publication_id: int | None = None
            duplicate = False
            if target["kind"] == "scan_request":
                progress(90, "storing")
                scan = save_blob(session, current_store(), pdf, content_type="application/pdf")
                progress(97, "fulfilling")
                scanning.requests.fulfil(
                    session,
                    target["request_id"],
                    scan_key=scan.key,
                    pages=result.pages,
                    size=scan.size,
                    actor_id=actor_id,
                    now=now(),
                )
            else:
                into = target["publication_id"] if target["kind"] == "publication" else None
                publication_id, duplicate = _ingest_pdf(
                    session, pdf, meta, actor_id, settings, progress, batch_id, into=into
                )
        progress(97, "fulfilling")
        if target["kind"] == "softcopy" and publication_id is not None:
            softcopy.fulfil(
                session, target["request_id"], publication_id, actor_id=actor_id, now=now()
            )
    except Exception as exc:
        # The job's failed work is thrown away; reopening the request is its own step.
        discard(session)
        error: dict[str, Any]
        if isinstance(exc, scanner.ScannerError | ScanningError):
            error = {"code": exc.code, "page": exc.page}
        else:
            error = {"code": "ingest_failed", "page": None, "message": _message_of(exc)}
        with contextlib.suppress(BatchNotFound), edit_batch(root, batch_id) as current:
            current["state"] = OPEN
            current["error"] = error
        if target["kind"] == "scan_request":
            scanning.requests.reopen(session, target["request_id"], actor_id=actor_id)
        if isinstance(exc, scanner.ScannerError):
            raise ScanningError(exc.code, exc.page) from exc
        raise
    scan_request_id = target["request_id"] if target["kind"] == "scan_request" else None
    with edit_batch(root, batch_id) as current:
        current["state"] = DONE
        current["publication_id"] = publication_id
        current["scan_request_id"] = scan_request_id
        dropped = current["pages"]
        current["pages"] = []
    for page in dropped:  # the tombstone holds none of them now
        _drop_files(root, batch_id, page)
    return IngestOutcome(publication_id, result.pages, duplicate, result.texts, scan_request_id)


def _message_of(exc: Exception) -> str:
    return str(exc.message) if isinstance(exc, PSTError) else type(exc).__name__


def _ingest_pdf(
    session: Session,
    pdf: Path,
    meta: dict[str, Any],
    actor_id: int | None,
    settings: Settings,
    progress: Callable[[int, str], None],
    batch_id: str,
    *,
    into: int | None = None,
) -> tuple[int, bool]:
    try:
        publication = ingest(
            session,
            current_store(),
            pdf,
            meta=meta,
            actor_id=actor_id,
            limits=settings.limits,
            filename=f"scan-{batch_id[:8]}.pdf",
            progress=lambda pct, msg: progress(82 + round(pct * 0.14), msg),
            into=into,
        )
    except DuplicatePublication as exc:  # the ingest rolled back
        if into is not None:
            raise  # the record wants this scan, not another publication
        existing = session.get(Publication, exc.existing_id) if exc.existing_id else None
        if existing is None or existing.status != Status.ACTIVE:
            raise
        return existing.id, True
    return publication.id, False


# --- ways out of a batch whose ingest job will not end it --------------------------------


@dataclass(frozen=True)
class BatchWays:
    retry: bool  # the batch is ingesting, its job failed or was cancelled (or is gone)
    reopen: bool  # that, or its job is still queued (then cancelled)


def batch_ways(session: Session, manifest: Mapping[str, Any]) -> BatchWays:
    if manifest.get("state") != INGESTING:
        return BatchWays(False, False)
    job = waiting.job_of(session, manifest.get("ingest_job"))
    stuck = waiting.is_stuck(job)
    return BatchWays(retry=stuck, reopen=stuck or job.state == jobs.QUEUED)  # type: ignore[union-attr]


@transactional
def retry_batch(
    session: Session, root: BatchRoot, batch_id: str, *, actor_id: int | None
) -> jobs.Job:
    """Process a batch again after its ingest job failed or was cancelled."""
    import scanning.requests
    from library.models import ScanStatus

    with edit_batch(root, batch_id) as manifest:
        if manifest["state"] != INGESTING:
            raise BatchInvalid(_l("This batch is not waiting to be processed."))
        previous = waiting.job_of(session, manifest.get("ingest_job"))
        if not waiting.is_stuck(previous):
            raise waiting.JobRunning()
        job = jobs.enqueue(session, INGEST_JOB, actor_id=actor_id, batch_id=batch_id)
        goal = manifest["target"]
        if goal["kind"] == "scan_request":
            request = scanning.requests.get_request(session, goal["request_id"], lock=True)
            if request.status == ScanStatus.OPEN:
                scanning.requests.start_processing(
                    session, request.id, job_id=job.id, actor_id=actor_id
                )
            elif request.status == ScanStatus.PROCESSING:
                request.job_id = job.id
            else:
                raise scanning.requests._refuse(request, ScanStatus.PROCESSING)
        elif goal["kind"] == "softcopy":
            _check_softcopy(session, goal["request_id"])
        manifest["ingest_job"] = job.id
        manifest["error"] = None
        audit.record(
            session,
            "scan.retried",
            actor_id=actor_id,
            subject_type="scan_batch",
            subject_id=batch_id,
            detail={
                "job_id": job.id,
                "previous_job_id": previous.id if previous else None,
                "previous_state": previous.state if previous else None,
            },
        )
    return job


def reopen_batch(session: Session, root: BatchRoot, batch_id: str, *, actor_id: int) -> None:
    """Take a batch whose ingest job failed, was cancelled or is still queued back to
    editing (the pages are kept; a queued job is cancelled; the reader's request it
    answers is open again)."""
    import scanning.requests

    with edit_batch(root, batch_id) as manifest, unit_of_work(session):
        if manifest["state"] != INGESTING:
            raise BatchInvalid(_l("This batch is not waiting to be processed."))
        job = waiting.job_of(session, manifest.get("ingest_job"))
        cancelled = waiting.withdraw(session, job, message="batch taken back to editing")
        manifest["state"] = OPEN
        # Without the job's reason the page says the scan could not be added.
        reason = job.message if job is not None and job.state == jobs.FAILED else None
        manifest["error"] = {"code": "ingest_failed", "page": None, "message": reason}
        audit.record(
            session,
            "scan.reopened",
            actor_id=actor_id,
            subject_type="scan_batch",
            subject_id=batch_id,
            detail={"job_id": job.id if job else None, "cancelled": cancelled},
        )
        goal = manifest["target"]
        request_id = goal["request_id"] if goal["kind"] == "scan_request" else None
    if request_id is not None:
        scanning.requests.reopen(session, request_id, actor_id=actor_id)


def batch_error_message(manifest: Mapping[str, Any]) -> str | None:
    error = manifest.get("error")
    if not error:
        return None
    if error.get("code") == "ingest_failed":
        return str(error.get("message") or _("The scan could not be added to the catalogue."))
    return scanner_message(error["code"], error.get("page"))

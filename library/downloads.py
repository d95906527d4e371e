"""Stamped downloads: the checks, the download record, and the stream of the stamped copy.

``start_download`` decides (verified reader, access policy or download right, daily
quota — counted under a lock on the reader's row so two clicks cannot both take the
last one), fetches the master and its plan, and commits a ``Download`` row with a fresh
code *before* the first byte leaves. ``stream_download`` yields the stamped copy chunk by
chunk and records its SHA-256 and size when it ends — or the failure, when the store or
the stamper fails midway or the reader goes away. Stamped copies are never stored.

The quota counts completed downloads, and those still being sent (so parallel clicks
cannot pass it together); a download whose worker died stays "started" only until the
in-flight window (``LIBRARY_DOWNLOAD_IN_FLIGHT_MINUTES``, :class:`library.settings.Settings`)
has passed, then it is "abandoned" (:func:`abandon_stale`) and counts no more.

The moment (``now``) and the settings come from the caller, the edge (:mod:`library.http`,
the views, the CLI, the periodic sweep in :mod:`library.wiring`).

``start_scan_download`` does the same for a reader's scan-on-demand pages: the private
scan of their request (never a catalogue item) is stamped for whoever downloads it,
and only its reader or an officer may (an object-level check on the request).
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import watermark
from app.accounts.models import User
from app.events import ServiceEvent, send_service_given
from app.uow import transactional, unit_of_work
from catalog.models import Publication
from library import request_lists
from library.access import (
    check_download,
    check_quota,
    day_start,
    granting_service,
    has_entitlement,
)
from library.errors import MasterUnavailable, NotVerified, RecordNotFound
from library.masters import master_path, ready_plan
from library.models import Download, DownloadStatus, ScanRequest, ScanStatus
from library.settings import Settings
from storage import BlobStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """A download that may go ahead: its record and what stamping needs."""

    download_id: int
    code: str
    mark: watermark.Mark
    master: Path
    master_key: str  # the master's SHA-256
    plan: watermark.Plan | None
    filename: str


def start_download(
    session: Session,
    store: BlobStore,
    *,
    user: User,
    publication: Publication,
    office: str,
    settings: Settings,
    cache_dir: Path,
    now: datetime,
    channel: str = "web",
    ip: str | None = None,
    user_agent: str | None = None,
) -> Prepared:
    """Check, record and prepare one download; raises a ``LibraryError`` when refused."""
    check_download(session, user, publication, now)
    key = publication.master_key
    if key is None:  # a print-only record (check_download refuses those already)
        raise MasterUnavailable()
    path = master_path(store, key, cache_dir)
    plan = ready_plan(session, key, path)
    # Serialise this reader's downloads: the quota count and the insert go together.
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    abandon_stale(session, now, settings, user_id=user.id)
    # The quota limits free bulk downloading; a copy the reader bought or asked for
    # (a download right) is theirs to download.
    if not has_entitlement(session, user.id, publication.id):
        check_quota(session, user, settings, now)
    row = _record(
        session,
        user=user,
        publication_id=publication.id,
        now=now,
        channel=channel,
        ip=ip,
        user_agent=user_agent,
    )
    mark = watermark.Mark(
        name=user.full_name, email=user.email or "", issued_at=now, code=row.code, office=office
    )
    return Prepared(
        row.id,
        row.code,
        mark,
        path,
        key,
        plan,
        download_name(publication, row.code),
    )


def scan_downloadable(session: Session, request_id: int, *, actor: User) -> ScanRequest:
    """The scan request whose pages ``actor`` may download: their own (or any, for an
    officer), fulfilled with a private scan. Another reader's is refused."""
    request = request_lists.get_owned(session, ScanRequest, request_id, actor=actor, lock=False)
    if request.status != ScanStatus.FULFILLED or not request.scan_key:
        raise RecordNotFound()
    return request


def start_scan_download(
    session: Session,
    store: BlobStore,
    *,
    user: User,
    request_id: int,
    office: str,
    cache_dir: Path,
    now: datetime,
    channel: str = "web",
    ip: str | None = None,
    user_agent: str | None = None,
) -> Prepared:
    """Check, record and prepare the download of a scan-on-demand request's pages.

    Only the reader who asked (or an officer) may: another reader's request is refused
    (``AccessDenied``), an unfinished one is not found. The reader's own scan is not
    counted in the daily quota. The copy is stamped for ``user``, who downloads it.
    """
    request = scan_downloadable(session, request_id, actor=user)
    if not user.email_verified and not user.is_staff:
        raise NotVerified()
    key = str(request.scan_key)
    path = master_path(store, key, cache_dir)
    plan = ready_plan(session, key, path)
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    row = _record(
        session,
        user=user,
        publication_id=request.publication_id,
        scan_request_id=request.id,
        now=now,
        channel=channel,
        ip=ip,
        user_agent=user_agent,
    )
    mark = watermark.Mark(
        name=user.full_name, email=user.email or "", issued_at=now, code=row.code, office=office
    )
    name = _file_name(f"{request.publication.title} scan {request.pages}", row.code, "scan")
    return Prepared(row.id, row.code, mark, path, key, plan, name)


def _record(
    session: Session,
    *,
    user: User,
    publication_id: int,
    now: datetime,
    channel: str,
    ip: str | None,
    user_agent: str | None,
    scan_request_id: int | None = None,
) -> Download:
    """Commit the download's row with a fresh code, before the first byte leaves."""
    for _attempt in range(5):
        row = Download(
            code=watermark.new_code(),
            user_id=user.id,
            publication_id=publication_id,
            scan_request_id=scan_request_id,
            created_at=now,
            channel=channel,
            ip=(ip or "")[:45] or None,
            user_agent=(user_agent or "")[:300] or None,
        )
        try:
            with unit_of_work(session, savepoint=True):
                session.add(row)
            return row
        except IntegrityError:  # a code collision (1 in 10^14): draw another
            session.execute(select(User.id).where(User.id == user.id).with_for_update())
    raise RuntimeError("could not draw a unique download code")  # pragma: no cover


def abandon_stale(
    session: Session, now: datetime, settings: Settings, *, user_id: int | None = None
) -> int:
    """Mark the downloads that started longer ago than the in-flight window and never
    finished (their worker was killed, the server restarted) as abandoned: they no
    longer count against the quota. Not committed; returns how many."""
    query = (
        update(Download)
        .where(
            Download.status == DownloadStatus.STARTED,
            Download.created_at <= now - settings.in_flight,
        )
        .values(status=DownloadStatus.ABANDONED, error="never finished")
        .execution_options(synchronize_session=False)
    )
    if user_id is not None:
        query = query.where(Download.user_id == user_id)
    return int(getattr(session.execute(query), "rowcount", 0) or 0)


def open_stamp(session: Session, prepared: Prepared, now: datetime) -> watermark.StampStream:
    """Start stamping (its size and path are known before the first byte); a master that
    cannot be stamped at all fails the download here, before any response is sent
    (recorded as ended at ``now``)."""
    try:
        return watermark.stamp_chunks(
            prepared.master, prepared.mark, prepared.plan, master_sha256=prepared.master_key
        )
    except (watermark.WatermarkError, OSError) as exc:
        log.error("download %s cannot be stamped: %s", prepared.download_id, exc)
        error = f"{type(exc).__name__}: {exc}"[:300]
        record_outcome(
            session, prepared.download_id, {"status": DownloadStatus.FAILED, "error": error}, now
        )
        raise MasterUnavailable() from exc


def stream_download(
    prepared: Prepared,
    stamping: Iterable[bytes],
    finish: Callable[[int, dict[str, Any]], None],
) -> Iterator[bytes]:
    """The stamped copy, chunk by chunk; ``finish(download_id, outcome)`` records how it
    ended (``status``, ``sha256``, ``size``, ``method``, ``error``)."""
    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in stamping:
            digest.update(chunk)
            size += len(chunk)
            yield chunk
    except GeneratorExit:  # the reader went away: nothing to send any more
        finish(prepared.download_id, {"status": DownloadStatus.FAILED, "error": "client left"})
        raise
    except Exception as exc:  # storage or stamping failed midway: end the response
        log.exception("download %s failed after %d bytes", prepared.download_id, size)
        error = f"{type(exc).__name__}: {exc}"[:300]
        finish(prepared.download_id, {"status": DownloadStatus.FAILED, "error": error})
        return
    finish(
        prepared.download_id,
        {
            "status": DownloadStatus.COMPLETE,
            "sha256": digest.hexdigest(),
            "size": size,
            "method": getattr(stamping, "path", None),
        },
    )


@transactional
def record_outcome(
    session: Session, download_id: int, outcome: dict[str, Any], now: datetime
) -> None:
    """Store how a download ended at ``now`` (its own short transaction)."""
    row = session.get(Download, download_id)
    if row is None:
        return
    row.status = outcome["status"]
    row.finished_at = now
    for key in ("sha256", "size", "method", "error"):
        if outcome.get(key) is not None:
            setattr(row, key, outcome[key])
    # A reader's scanned pages were recorded as a service when they were delivered.
    if row.status == DownloadStatus.COMPLETE and row.scan_request_id is None:
        send_service_given(
            session,
            ServiceEvent(
                service="library",
                user_id=row.user_id,
                started_at=row.created_at,
                ended_at=row.finished_at,
                products=[row.publication.title],
                note="download",
                source="library.download",
                source_ref=str(row.id),
                ref=download_service_ref(row),
                belongs_to=granting_service(session, row.user_id, row.publication_id) or "",
            ),
        )


def download_service_ref(row: Download) -> str:
    """The service a download is part of: one publication for one reader on one WIB day
    (the quota's day). Twenty clicks on it are one service, rated once; the same reader
    coming back for it another day is another. A download under a download right
    belongs to the service that gave the right instead (:func:`granting_service`)."""
    day = day_start(row.created_at).date().isoformat()
    return f"library-download:{row.user_id}:{row.publication_id}:{day}"


def download_name(publication: Publication, code: str) -> str:
    """A safe file name: the title's words (ASCII) and the download code."""
    return _file_name(publication.title, code, f"publikasi-{publication.id}")


def _file_name(title: str, code: str, fallback: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title)
    ascii_title = ascii_title.encode("ascii", "ignore").decode()
    words = re.findall(r"[A-Za-z0-9]+", ascii_title)[:12]
    stem = "-".join(words) or fallback
    return f"{stem[:120]}-{code}.pdf"


def find_downloads(session: Session, codes: list[str]) -> list[Download]:
    """The downloads with these codes (for tracing a leaked file)."""
    if not codes:
        return []
    return list(session.scalars(select(Download).where(Download.code.in_(codes))))

"""Scan-on-demand requests (services): a reader asks for a scan of some pages of a
printed publication; an officer scans them on the scanning page and the reader
downloads the result, stamped, through the library.

States::

    open ──finish a scan batch──▶ processing ──ingest done──▶ fulfilled
     ▲  │                              │
     │  └──decline──▶ declined         │
     └────────── OCR or ingest failed ─┘

The scan becomes a publication of its own (access "read online only"), and the reader
gets an :class:`Entitlement` (source ``scan_request``) so they may download it with
their name stamped on it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.accounts.models import User
from app.db import utcnow
from app.events import ServiceEvent, send_service_given
from app.mail import Mail, current_mailer, mail_to, send_after_commit
from app.urls import external_url
from catalog.models import Publication, Status
from library import request_lists
from library.access import grant
from library.errors import (
    AlreadyRequested,
    IllegalTransition,
    LibraryError,
    RecordNotFound,
)
from library.models import Holding, ScanRequest, ScanStatus

ENTITLEMENT_SOURCE = "scan_request"


def service_ref(request_id: int) -> str:
    """The request as a service (its record; downloads under its right join it)."""
    return f"library-scan:{request_id}"


STATUS_LABELS = {
    ScanStatus.OPEN: _l("open"),
    ScanStatus.PROCESSING: _l("processing"),
    ScanStatus.FULFILLED: _l("fulfilled"),
    ScanStatus.DECLINED: _l("declined"),
}
OPEN_SCAN = (ScanStatus.OPEN, ScanStatus.PROCESSING)
_RANGE = re.compile(r"^(\d{1,5})(?:\s*[-–]\s*(\d{1,5}))?$")


class InvalidPages(LibraryError):
    status = 422


def parse_pages(text: str, *, max_pages: int) -> tuple[str, list[int]]:
    """``"12-20, 31"`` → (the normalised text, the page numbers in order).

    Pages are counted from 1; ranges go upwards; overlaps are refused (a reader who
    writes them has probably mistyped); at most ``max_pages`` pages in all.
    """
    parts = [p.strip() for p in re.split(r"[,;]", text or "") if p.strip()]
    if not parts:
        raise InvalidPages(_l("Give the pages to scan, for example 12-20, 31."))
    pages: list[int] = []
    normal: list[str] = []
    for part in parts:
        match = _RANGE.match(part)
        if match is None:
            raise InvalidPages(
                _l("“%(part)s” is not a page or a range of pages (like 12-20).", part=part[:20])
            )
        first = int(match.group(1))
        last = int(match.group(2)) if match.group(2) else first
        if first < 1 or last < first:
            raise InvalidPages(
                _l("“%(part)s”: a range goes from a lower to a higher page.", part=part)
            )
        if len(pages) + (last - first + 1) > max_pages:
            raise InvalidPages(
                _l("At most %(n)s pages can be scanned for one request.", n=max_pages)
            )
        span = list(range(first, last + 1))
        if set(span) & set(pages):
            raise InvalidPages(_l("Page %(n)s is asked for twice.", n=min(set(span) & set(pages))))
        pages.extend(span)
        normal.append(str(first) if first == last else f"{first}-{last}")
    joined = ", ".join(normal)
    if len(joined) > 100:
        raise InvalidPages(_l("Too many separate ranges; ask for fewer, longer ranges."))
    return joined, pages


def _refuse(request: ScanRequest, wanted: ScanStatus) -> IllegalTransition:
    return IllegalTransition(_l("request"), STATUS_LABELS[request.status], STATUS_LABELS[wanted])


def has_printed_copy(session: Session, publication: Publication) -> bool:
    if publication.printed:
        return True
    return bool(
        session.scalar(select(Holding.id).where(Holding.publication_id == publication.id).limit(1))
    )


# --- reader side ----------------------------------------------------------------------


def create_request(
    session: Session,
    *,
    reader: User,
    publication_id: int,
    pages: str,
    purpose: str,
    max_pages: int,
    now: datetime | None = None,
) -> ScanRequest:
    """A reader asks for a scan of ``pages`` of a printed publication."""
    publication = session.get(Publication, publication_id)
    if publication is None or publication.status != Status.ACTIVE:
        raise RecordNotFound()
    if not has_printed_copy(session, publication):
        raise LibraryError(_l("This publication has no printed copy to scan."))
    normal, _numbers = parse_pages(pages, max_pages=max_pages)
    purpose_text = (purpose or "").strip()
    if not purpose_text:
        raise LibraryError(_l("Tell us what you need the pages for."))
    same = session.scalar(
        select(ScanRequest.id).where(
            ScanRequest.user_id == reader.id,
            ScanRequest.publication_id == publication_id,
            ScanRequest.pages == normal,
            ScanRequest.status.in_(OPEN_SCAN),
        )
    )
    if same is not None:
        raise AlreadyRequested(_l("You have already asked for these pages."))
    request = ScanRequest(
        user_id=reader.id,
        publication_id=publication_id,
        pages=normal,
        purpose=purpose_text[:5000],
        status=ScanStatus.OPEN,
        created_at=now or utcnow(),
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        "scan_request.created",
        actor_id=reader.id,
        subject_type="scan_request",
        subject_id=request.id,
        detail={"publication_id": publication_id, "pages": normal},
        at=now,
    )
    session.commit()
    return request


def reader_requests(
    session: Session, user_id: int, *, page: int = 1, per_page: int = 20
) -> tuple[list[ScanRequest], int]:
    """A reader's own scan requests, newest first; and how many in all."""
    return request_lists.reader_list(
        session, ScanRequest, user_id, page=page, per_page=per_page, load=[ScanRequest.result]
    )


def get_request(
    session: Session, request_id: int, *, actor: User | None = None, lock: bool = False
) -> ScanRequest:
    """One request; with ``actor``, only their own unless they are an officer."""
    return request_lists.get_owned(session, ScanRequest, request_id, actor=actor, lock=lock)


# --- officer side ---------------------------------------------------------------------


def queue(
    session: Session, *, page: int = 1, per_page: int = 20, open_only: bool = False
) -> tuple[list[ScanRequest], int]:
    """Open and processing requests first, oldest first; then closed ones, latest first."""
    return request_lists.officer_queue(
        session, ScanRequest, OPEN_SCAN, page=page, per_page=per_page, open_only=open_only
    )


def decline(
    session: Session, request_id: int, *, reason: str, actor_id: int, now: datetime | None = None
) -> ScanRequest:
    """Decline an open request; the reason is mailed to the reader and shown to them."""
    text = (reason or "").strip()
    if not text:
        raise LibraryError(_l("Give the reader a reason."))
    request = get_request(session, request_id, lock=True)
    if request.status != ScanStatus.OPEN:
        raise _refuse(request, ScanStatus.DECLINED)
    request.status = ScanStatus.DECLINED
    request.answer = text[:1000]
    request.handled_by_id = actor_id
    request.closed_at = now or utcnow()
    audit.record(
        session,
        "scan_request.declined",
        actor_id=actor_id,
        subject_type="scan_request",
        subject_id=request.id,
        detail={"reason": text[:300]},
        at=now,
    )
    send_after_commit(session, current_mailer(), declined_mail(request.user, request))
    session.commit()
    return request


def start_processing(
    session: Session, request_id: int, *, job_id: str, actor_id: int | None
) -> ScanRequest:
    """A batch answering the request was finished: mark it processing. Part of the
    caller's transaction (:func:`library.scanning.finish_batch` commits)."""
    request = get_request(session, request_id, lock=True)
    if request.status != ScanStatus.OPEN:
        raise _refuse(request, ScanStatus.PROCESSING)
    request.status = ScanStatus.PROCESSING
    request.job_id = job_id
    if actor_id is not None:
        request.handled_by_id = actor_id
    audit.record(
        session,
        "scan_request.scanned",
        actor_id=actor_id,
        subject_type="scan_request",
        subject_id=request.id,
        detail={"job_id": job_id},
    )
    return request


def reopen(session: Session, request_id: int, *, actor_id: int | None) -> None:
    """The scan could not be ingested: the request is open again (own transaction)."""
    session.rollback()
    request = session.get(ScanRequest, request_id, with_for_update=True)
    if request is not None and request.status == ScanStatus.PROCESSING:
        request.status = ScanStatus.OPEN
        audit.record(
            session,
            "scan_request.reopened",
            actor_id=actor_id,
            subject_type="scan_request",
            subject_id=request_id,
        )
    session.commit()


def fulfil(
    session: Session,
    request_id: int,
    publication_id: int,
    *,
    actor_id: int | None,
    now: datetime | None = None,
) -> ScanRequest:
    """Link the scan, grant the reader a download right, mail them, tell the desk."""
    request = get_request(session, request_id, lock=True)
    if request.status not in OPEN_SCAN:
        raise _refuse(request, ScanStatus.FULFILLED)
    moment = now or utcnow()
    request.result_id = publication_id
    request.status = ScanStatus.FULFILLED
    request.closed_at = moment
    if actor_id is not None:
        request.handled_by_id = actor_id
    grant(
        session,
        user_id=request.user_id,
        publication_id=publication_id,
        source=ENTITLEMENT_SOURCE,
        source_ref=str(request.id),
        now=moment,
        service_key=service_ref(request.id),
    )
    audit.record(
        session,
        "scan_request.fulfilled",
        actor_id=actor_id,
        subject_type="scan_request",
        subject_id=request.id,
        detail={"publication_id": publication_id},
        at=now,
    )
    link = external_url("catalog.publication", pub_id=publication_id)
    send_after_commit(session, current_mailer(), ready_mail(request.user, request, link))
    send_service_given(
        session,
        ServiceEvent(
            service="library",
            user_id=request.user_id,
            started_at=request.created_at,
            ended_at=moment,
            officer_id=actor_id,
            products=[request.publication.title],
            note=f"scan request: pages {request.pages}",
            source="library.scan_request",
            source_ref=str(request.id),
            ref=service_ref(request.id),
        ),
    )
    session.commit()
    return request


# --- mail -----------------------------------------------------------------------------


def ready_mail(user: User, request: ScanRequest, link: str) -> Mail:
    return mail_to(
        user,
        _l("The pages you asked us to scan are ready"),
        "library/scan/mail/ready.txt",
        request=request,
        link=link,
    )


def declined_mail(user: User, request: ScanRequest) -> Mail:
    return mail_to(
        user,
        _l("Your request for scanned pages"),
        "library/scan/mail/declined.txt",
        request=request,
        link=external_url("library_scan.my_requests"),
    )


def status_label(status: Any) -> str:
    return str(STATUS_LABELS.get(ScanStatus(status), status))

"""Scan-on-demand requests (services): a reader asks for a scan of some pages of a
printed publication; an officer scans them on the scanning page and the reader
downloads the result, stamped with their name, from their requests page.

States::

    open ──finish a scan batch──▶ processing ──scan stored──▶ fulfilled
     ▲  │                              │
     │  └──decline──▶ declined         │
     └─────────── OCR failed ──────────┘

The states and their steps are the readers' request workflow of
:mod:`library.request_flow`, shared with softcopy requests; this module adds what is
the scan's own: the pages asked for and the private scan delivered.

The scan is delivered to the reader who asked, and to no one else: it is kept as a
private blob of the request (``scan_key``, linked to the print record through
``publication_id``), never catalogued — no publication row, nothing in search or in
the catalogue listing, nothing to read online. Only that reader (and officers) may
download it (:func:`library.downloads.start_scan_download`), stamped on the fly.

Requests fulfilled before that (``result_id`` set, no ``scan_key``) made a catalogue
item of the scan; :func:`privatise_legacy` (``pst library privatise-scans``) moves
each such scan onto its request and withdraws the catalogue item.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit, idempotency
from app.accounts.models import User
from app.mail import Mail, mail_to
from app.uow import transactional
from app.urls import external_url
from catalog.models import Access, Publication, Status
from catalog.visibility import is_public
from library import request_flow, request_lists
from library.errors import (
    AlreadyRequested,
    IllegalTransition,
    LibraryError,
    RecordNotFound,
)
from library.models import Holding, ScanRequest, ScanStatus

#: The source of the download rights that requests fulfilled before scans became
#: private gave on their catalogued scan (see :func:`privatise_legacy`).
ENTITLEMENT_SOURCE = "scan_request"


def service_ref(request_id: int) -> str:
    """The request as a service (its record; downloads under its right join it)."""
    return f"library-scan:{request_id}"


STATUS_LABELS = request_flow.LABELS
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
    return request_flow.refuse(request, wanted)


def has_printed_copy(session: Session, publication: Publication) -> bool:
    if publication.printed:
        return True
    return bool(
        session.scalar(select(Holding.id).where(Holding.publication_id == publication.id).limit(1))
    )


# --- reader side ----------------------------------------------------------------------


@transactional
def create_request(
    session: Session,
    *,
    reader: User,
    publication_id: int,
    pages: str,
    purpose: str,
    max_pages: int,
    now: datetime,
    submission: str | None = None,
) -> ScanRequest:
    """A reader asks for a scan of ``pages`` of a printed publication.

    ``submission`` is the form's one-time token (a second post of it raises
    ``AlreadySubmitted``); without one, concurrent posts for the same pages still make
    one request (a unique index on the open requests)."""
    publication = session.get(Publication, publication_id)
    if publication is None or not is_public(publication, now):
        raise RecordNotFound()
    if not has_printed_copy(session, publication):
        raise LibraryError(_l("This publication has no printed copy to scan."))
    normal, _numbers = parse_pages(pages, max_pages=max_pages)
    purpose_text = (purpose or "").strip()
    if not purpose_text:
        raise LibraryError(_l("Tell us what you need the pages for."))
    claimed = idempotency.claim(session, submission, kind="library.scan", user_id=reader.id)
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
        created_at=now,
    )
    session.add(request)
    try:
        # A concurrent post for the same pages committed first (the index's rule).
        session.flush()
    except IntegrityError:
        raise AlreadyRequested(_l("You have already asked for these pages.")) from None
    idempotency.settle(claimed, request.id)
    audit.record(
        session,
        "scan_request.created",
        actor_id=reader.id,
        subject_type="scan_request",
        subject_id=request.id,
        detail={"publication_id": publication_id, "pages": normal},
        at=now,
    )
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


@transactional
def decline(
    session: Session, request_id: int, *, reason: str, actor_id: int, now: datetime
) -> ScanRequest:
    """Decline an open request; the reason is mailed to the reader and shown to them.
    A request being scanned is not declined (its batch is reopened first)."""
    text = request_flow.reason_text(reason)
    request = get_request(session, request_id, lock=True)
    request_flow.decline(session, KIND, request, reason=text, actor_id=actor_id, now=now)
    return request


def start_processing(
    session: Session, request_id: int, *, job_id: str, actor_id: int | None
) -> ScanRequest:
    """A batch answering the request was finished: mark it processing. Part of the
    caller's unit of work (:func:`scanning.batches.finish_batch`)."""
    request = get_request(session, request_id, lock=True)
    if request.status != ScanStatus.OPEN:
        raise _refuse(request, ScanStatus.PROCESSING)
    request_flow.start(
        session,
        KIND,
        request,
        job_id=job_id,
        actor_id=actor_id,
        step="scanned",
        detail={"job_id": job_id},
    )
    return request


@transactional
def reopen(session: Session, request_id: int, *, actor_id: int | None) -> None:
    """The scan could not be ingested: the request is open again (own transaction; the
    caller has thrown away the failed work)."""
    request_flow.reopen(session, KIND, request_id, actor_id=actor_id)


@transactional
def fulfil(
    session: Session,
    request_id: int,
    *,
    scan_key: str,
    pages: int,
    size: int,
    actor_id: int | None,
    now: datetime,
) -> ScanRequest:
    """Attach the scan (a private blob the caller stored in this transaction) to the
    request, mail the reader, tell the desk; commit."""
    request = get_request(session, request_id, lock=True)
    request_flow.check_waiting(request, ScanStatus.FULFILLED)
    request.scan_key = scan_key
    request.scan_pages = pages
    request.scan_size = size
    request_flow.fulfil(
        session,
        KIND,
        request,
        actor_id=actor_id,
        now=now,
        detail={"pages": pages, "size": size},
        link=external_url("library_desk.my_requests", _anchor="scan-title"),
        products=[request.publication.title],
        note=f"scan request: pages {request.pages}",
    )
    return request


@transactional
def privatise_legacy(session: Session, *, actor_id: int | None, now: datetime) -> list[int]:
    """Requests fulfilled before scans became private made a catalogue item of each
    scan (read online only, with a download right for the reader). Move every such
    scan onto its request (the same blob: the item's master) and withdraw the item,
    so it leaves search and the catalogue; the reader downloads it from their
    requests page as before, with their name stamped on it. Returns the ids of the
    requests changed; commits."""
    from catalog.services import enqueue_index

    changed: list[int] = []
    rows = session.scalars(
        select(ScanRequest)
        .where(
            ScanRequest.status == ScanStatus.FULFILLED,
            ScanRequest.result_id.is_not(None),
            ScanRequest.scan_key.is_(None),
        )
        .order_by(ScanRequest.id)
        .with_for_update()
    ).all()
    for request in rows:
        item = request.result
        if item is None or not item.master_key:
            continue
        request.scan_key = item.master_key
        request.scan_pages = item.page_count
        request.scan_size = item.file_size
        # Withdrawn, not deleted: it stays for staff and the download records that
        # name it, and leaves search once the index job runs. Only an item made for a
        # request looks like this (not printed, read online only); a scan that matched
        # an existing catalogue item byte for byte left that item where it was.
        made_for_request = not item.printed and item.access == Access.READ_ONLY
        if made_for_request and item.status != Status.WITHDRAWN:
            item.status = Status.WITHDRAWN
            item.withdrawn_reason = f"private scan of scan request {request.id}"
            audit.record(
                session,
                "publication.withdrawn",
                actor_id=actor_id,
                subject_type="publication",
                subject_id=item.id,
                detail={"reason": item.withdrawn_reason},
                at=now,
            )
            enqueue_index(session, [item.id])
        audit.record(
            session,
            "scan_request.privatised",
            actor_id=actor_id,
            subject_type="scan_request",
            subject_id=request.id,
            detail={"publication_id": item.id},
            at=now,
        )
        changed.append(request.id)
    return changed


# --- mail -----------------------------------------------------------------------------


def ready_mail(user: User, request: ScanRequest, link: str) -> Mail:
    return mail_to(
        user,
        _l("The pages you asked us to scan are ready"),
        "scanning/mail/ready.txt",
        request=request,
        link=link,
    )


def declined_mail(user: User, request: ScanRequest) -> Mail:
    return mail_to(
        user,
        _l("Your request for scanned pages"),
        "scanning/mail/declined.txt",
        request=request,
        link=external_url("library_scan.my_requests"),
    )


def status_label(status: Any) -> str:
    return request_flow.label(status)


KIND = request_flow.Kind(
    model=ScanRequest,
    status=ScanStatus,
    audit="scan_request",
    subject_type="scan_request",
    source="library.scan_request",
    service_ref=service_ref,
    ready_mail=ready_mail,
    declined_mail=declined_mail,
)

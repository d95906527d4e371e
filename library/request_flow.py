"""One workflow for readers' requests, in two kinds: softcopy requests
(:mod:`library.softcopy`) and scan-on-demand requests (:mod:`scanning.requests`).

States (the two status enums share these values)::

    open ──start──▶ processing ──fulfil──▶ fulfilled
     ▲  │               │
     │  └──decline──▶ declined ◀── decline while processing (only a kind that can
     │                    │         leave its job: softcopy)
     └───── reopen ───────┘  (the job could not deliver; the officer tries again)

Every step locks the request's row, checks the transition, records the audit event
``<kind>.<step>`` and, for the steps the reader hears of, mails them after commit; a
fulfilled request is a service given (``app.events``). What differs between the kinds
— what is attached when fulfilled, how a job is left — stays in their modules.

These are steps inside the caller's unit of work; they never commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.events import ServiceEvent, send_service_given
from app.mail import Mail, current_mailer, send_after_commit
from library.errors import IllegalTransition, LibraryError

OPEN = "open"
PROCESSING = "processing"
FULFILLED = "fulfilled"
DECLINED = "declined"
#: Requests still waiting for an answer.
WAITING = (OPEN, PROCESSING)

LABELS = {
    OPEN: _l("open"),
    PROCESSING: _l("processing"),
    FULFILLED: _l("fulfilled"),
    DECLINED: _l("declined"),
}


@dataclass(frozen=True)
class Kind:
    """One kind of request: its table, its names and its mails."""

    model: type[Any]
    #: Its status enum (the same values in each kind).
    status: Callable[[str], Any]
    #: Prefix of its audit actions and its subject type (``softcopy``, ``scan_request``).
    audit: str
    subject_type: str
    #: ``source`` of its service events (``library.softcopy``).
    source: str
    service_ref: Callable[[int], str]
    ready_mail: Callable[[Any, Any, str], Mail]
    declined_mail: Callable[[Any, Any], Mail]
    #: The audit action (after the prefix) of a request the job could not deliver.
    reopened: str = "reopened"
    #: Whether the table remembers that the reader was told (``notified``).
    notifies: bool = False


def label(status: Any) -> str:
    return str(LABELS.get(str(status), status))


def refuse(request: Any, wanted: str) -> IllegalTransition:
    """The error for a step the request's state does not allow."""
    return IllegalTransition(_l("request"), LABELS[str(request.status)], LABELS[wanted])


def _record(
    session: Session,
    kind: Kind,
    request: Any,
    step: str,
    actor_id: int | None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    audit.record(
        session,
        f"{kind.audit}.{step}",
        actor_id=actor_id,
        subject_type=kind.subject_type,
        subject_id=request.id,
        detail=detail,
        at=at,
    )


def start(
    session: Session,
    kind: Kind,
    request: Any,
    *,
    job_id: str,
    actor_id: int | None,
    step: str,
    detail: dict[str, Any],
) -> None:
    """open → processing: a job now works on the (locked) request."""
    request.status = kind.status(PROCESSING)
    request.job_id = job_id
    if actor_id is not None:
        request.handled_by_id = actor_id
    _record(session, kind, request, step, actor_id, detail)


def decline(
    session: Session,
    kind: Kind,
    request: Any,
    *,
    reason: str,
    actor_id: int,
    now: datetime,
    leave_job: Callable[[Any], None] | None = None,
) -> None:
    """open (or, with ``leave_job``, processing) → declined; the reader is told why."""
    if request.status == PROCESSING and leave_job is not None:
        leave_job(request)
    elif request.status != OPEN:
        raise refuse(request, DECLINED)
    request.status = kind.status(DECLINED)
    request.answer = reason[:1000]
    request.handled_by_id = actor_id
    request.closed_at = now
    if kind.notifies:
        request.notified = True
    _record(session, kind, request, "declined", actor_id, {"reason": reason[:300]}, now)
    send_after_commit(session, current_mailer(), kind.declined_mail(request.user, request))


def reason_text(reason: str | None) -> str:
    """The reason for declining, which the reader reads; it may not be empty."""
    text = (reason or "").strip()
    if not text:
        raise LibraryError(_l("Give the reader a reason."))
    return text


def check_waiting(request: Any, wanted: str) -> None:
    """Refuse a step out of a request that is no longer waiting (fulfilled, declined)."""
    if request.status not in WAITING:
        raise refuse(request, wanted)


def fulfil(
    session: Session,
    kind: Kind,
    request: Any,
    *,
    actor_id: int | None,
    now: datetime,
    detail: dict[str, Any],
    link: str,
    products: list[str],
    note: str,
) -> None:
    """open or processing → fulfilled (what was delivered is set by the caller): the
    audit event, the reader's mail with ``link`` and the service given."""
    check_waiting(request, FULFILLED)
    request.status = kind.status(FULFILLED)
    request.closed_at = now
    if actor_id is not None:
        request.handled_by_id = actor_id
    if kind.notifies:
        request.notified = True
    _record(session, kind, request, "fulfilled", actor_id, detail, now)
    send_after_commit(session, current_mailer(), kind.ready_mail(request.user, request, link))
    send_service_given(
        session,
        ServiceEvent(
            service="library",
            user_id=request.user_id,
            started_at=request.created_at,
            ended_at=now,
            officer_id=actor_id,
            products=products,
            note=note,
            source=kind.source,
            source_ref=str(request.id),
            ref=kind.service_ref(request.id),
        ),
    )


def reopen(
    session: Session,
    kind: Kind,
    request_id: int,
    *,
    actor_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """processing → open: the job could not deliver, the request waits again."""
    request = session.get(kind.model, request_id, with_for_update=True)
    if request is not None and request.status == PROCESSING:
        request.status = kind.status(OPEN)
        _record(session, kind, request, kind.reopened, actor_id, detail)

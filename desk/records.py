"""Service records (the "silastik backend"): every service given, walk-in or online.

One record per service, named by its ``service_key``. Walk-in records come from the
desk console (:func:`record_for_ticket`, key ``desk-ticket:<id>``); online ones from the
``service_given`` event of the library, the store and the advisory
(:func:`record_from_event`, connected by :mod:`desk.wiring`), which adds to the sender's
session without committing. A follow-on event (the download of a bought publication,
the return of a copy asked for at the desk, the day's next download of a publication)
updates the record of the service it belongs to instead of adding one. Officers search
and correct records in :mod:`desk.record_book` (its names are re-exported here).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import audit, clock
from app.events import Recorded, ServiceEvent, ServiceStart, desk_ticket_ref
from desk import calendar
from desk.models import (
    ACTIVE_STATUSES,
    Outcome,
    RecordChannel,
    ServiceLink,
    ServiceRecord,
    ServiceType,
    Ticket,
    TicketStatus,
)
from desk.numbering import CHANNEL_LABELS as CHANNEL_LABELS
from desk.numbering import OUTCOME_LABELS as OUTCOME_LABELS
from desk.record_book import ACTION_LABELS as ACTION_LABELS
from desk.record_book import CORRECTABLE as CORRECTABLE
from desk.record_book import FIELD_LABELS as FIELD_LABELS
from desk.record_book import PER_PAGE as PER_PAGE
from desk.record_book import SOURCE_LABELS as SOURCE_LABELS
from desk.record_book import RecordPage as RecordPage
from desk.record_book import TrailChange as TrailChange
from desk.record_book import TrailEntry as TrailEntry
from desk.record_book import correct_record as correct_record
from desk.record_book import get_record as get_record
from desk.record_book import join_products
from desk.record_book import my_records as my_records
from desk.record_book import officers as officers
from desk.record_book import record_by_token as record_by_token
from desk.record_book import record_trail as record_trail
from desk.record_book import search_records as search_records
from desk.record_book import source_label as source_label
from desk.record_book import trail_entries as trail_entries
from desk.record_book import unrated_count as unrated_count


def _token() -> str:
    return secrets.token_urlsafe(18)[:24]


def _merge_lines(old: str, new: Sequence[str] | str) -> str:
    """``old``'s lines followed by those of ``new`` not among them (follow-ons add what
    they gave; repeated ones add nothing)."""
    lines = [line for line in old.splitlines() if line.strip()]
    extra = new.splitlines() if isinstance(new, str) else list(new)
    for line in extra:
        line = line.strip()
        if line and line not in lines:
            lines.append(line)
    return "\n".join(lines)


def _by_key(session: Session, key: str) -> ServiceRecord | None:
    return session.scalar(
        select(ServiceRecord)
        .where(ServiceRecord.service_key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _insert(session: Session, model: Any) -> Any:
    """``INSERT … ON CONFLICT`` of the session's database (PostgreSQL or SQLite): the
    unique key decides between concurrent events without a savepoint, which SQLite's
    driver would turn into a commit of the sender's transaction."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def _find_or_add(session: Session, key: str, values: dict[str, Any]) -> tuple[ServiceRecord, bool]:
    """The record of ``key`` (row-locked), made from ``values`` if there is none yet.
    Of concurrent events for one new key, one inserts; the others wait for it, insert
    nothing and update its record instead (no commit either way)."""
    record = _by_key(session, key)
    if record is not None:
        return record, False
    stmt = _insert(session, ServiceRecord).values(service_key=key, rating_token=_token(), **values)
    inserted = session.execute(
        stmt.on_conflict_do_nothing(index_elements=["service_key"]).returning(ServiceRecord.id)
    ).scalar()
    record = _by_key(session, key)
    assert record is not None  # inserted now, or by a transaction that committed first
    return record, inserted is not None


def _resolve(session: Session, ref: str) -> str:
    """The key of the record a service reference lands on, following links (an order
    made at the desk → its number) a few steps at most."""
    seen = {ref}
    key = ref
    for _step in range(5):
        link = session.get(ServiceLink, key)
        if link is None or link.service_key in seen:
            break
        key = link.service_key
        seen.add(key)
    return key


def link_service(session: Session, ref: str, key: str, *, now: datetime) -> None:
    """Remember at ``now`` that service ``ref`` belongs to the record of ``key`` (no commit)."""
    if not ref or not key or ref == key:
        return
    stmt = _insert(session, ServiceLink).values(ref=ref, service_key=key, created_at=now)
    session.execute(stmt.on_conflict_do_update(index_elements=["ref"], set_={"service_key": key}))


def _fold(session: Session, ref: str, key: str) -> None:
    """A record made under ``ref`` before it was known to belong to ``key`` (a bought
    publication downloaded before the order made at the desk was fulfilled) joins the
    record of ``key``: one service. Of two ratings the first given stays; the other's
    answers go to the audit trail."""
    if ref == key:
        return
    stray = _by_key(session, ref)
    if stray is None:
        return
    target = _by_key(session, key)
    if target is None:
        stray.service_key = key
        session.flush()
        return
    _extend(target, stray.started_at, stray.ended_at)
    target.products = _merge_lines(target.products, stray.products)
    target.note = _merge_lines(target.note, stray.note)
    target.user_id = target.user_id or stray.user_id
    target.officer_id = target.officer_id or stray.officer_id
    target.invited_at = target.invited_at or stray.invited_at
    moved, kept = stray.rating, target.rating
    if moved is not None and kept is not None:
        first, other = (kept, moved) if kept.submitted_at <= moved.submitted_at else (moved, kept)
        audit.record(
            session,
            "desk.rating_merged",
            actor_id=None,
            subject_type="desk_service_record",
            subject_id=target.id,
            detail={
                "record_id": other.record_id,
                "merged_into": target.id,
                "scores": list(other.scores),
                "comment": other.comment,
                "submitted_at": other.submitted_at.isoformat(),
            },
        )
        session.delete(other)
        session.flush()
        session.expire(target, ["rating"])
        session.expire(stray, ["rating"])
        moved = first if first is moved else None
    if moved is not None:
        moved.record = target
        session.flush()
        session.expire(stray, ["rating"])
    session.execute(
        update(audit.AuditEvent)
        .where(
            audit.AuditEvent.subject_type == "desk_service_record",
            audit.AuditEvent.subject_id == str(stray.id),
        )
        .values(subject_id=str(target.id))
        .execution_options(synchronize_session=False)
    )
    session.delete(stray)
    session.flush()


def _extend(record: ServiceRecord, started: datetime, ended: datetime) -> None:
    """Keep the earliest start and the latest end of everything the service took."""
    if started < record.started_at:
        record.started_at = started
        record.service_day = calendar.service_day(started)
    if ended > record.ended_at:
        record.ended_at = ended


def record_for_ticket(
    session: Session,
    ticket: Ticket,
    *,
    officer_id: int,
    outcome: Outcome,
    products: Sequence[str] = (),
    note: str = "",
) -> ServiceRecord:
    """Record the service of a finished (or transferred) number; no commit. A follow-on
    that arrived before the number was finished (an order paid while the visitor still
    stood at the desk) already made its record: the desk's facts take it over."""
    started = ticket.started_at or ticket.called_at or ticket.issued_at
    ended = ticket.finished_at or started
    key = desk_ticket_ref(ticket.id)

    record, created = _find_or_add(
        session,
        key,
        {
            "service": ticket.service,
            "channel": RecordChannel.WALK_IN,
            "user_id": ticket.user_id,
            "officer_id": officer_id,
            "desk": ticket.desk,
            "ticket_id": ticket.id,
            "service_day": calendar.service_day(started),
            "started_at": started,
            "ended_at": ended,
            "outcome": outcome,
            "products": join_products(products),
            "note": note.strip(),
        },
    )
    if not created:
        record.service = ticket.service
        record.channel = RecordChannel.WALK_IN
        record.user_id = ticket.user_id or record.user_id
        record.officer_id = officer_id
        record.desk = ticket.desk
        record.ticket_id = ticket.id
        record.outcome = outcome
        record.products = _merge_lines(join_products(products), record.products)
        record.note = _merge_lines(note.strip(), record.note)
        _extend(record, started, ended)
    session.flush()
    return record


def _outcome(value: str) -> Outcome:
    try:
        return Outcome(value)
    except ValueError:
        return Outcome.SERVED


def record_from_event(session: Session, event: ServiceEvent, *, now: datetime) -> Recorded | None:
    """Record a service another feature gave, on the record of the service it belongs to
    (no commit: the sender's transaction carries it).

    The event lands on the record of ``event.belongs_to`` when it names one, else on
    that of its own reference — or of the desk number that reference was linked to
    (:func:`on_service_begun`). Only a new reference makes a new record: a resent event,
    the day's next download of a publication, the download of something bought, the
    return of a copy asked for at the desk all extend an existing one (earliest start,
    latest end, products and notes added)."""
    try:
        service = ServiceType(event.service)
    except ValueError:
        return None
    ref = event.key or f"event:{_token()}"
    key = _resolve(session, event.belongs_to[:80] if event.belongs_to else ref)
    if event.belongs_to and event.key:  # remembered for its later events
        link_service(session, ref, key, now=now)
        _fold(session, ref, key)
    source = event.source[:40] if event.source else None
    source_ref = event.source_ref[:64] if source and event.source_ref else None
    channel = RecordChannel.WALK_IN if event.channel == "walk_in" else RecordChannel.ONLINE

    record, created = _find_or_add(
        session,
        key,
        {
            "service": service,
            "channel": channel,
            "user_id": event.user_id,
            "officer_id": event.officer_id,
            "service_day": calendar.service_day(event.started_at),
            "started_at": event.started_at,
            "ended_at": event.ended_at,
            "outcome": _outcome(event.outcome),
            "products": join_products(event.products),
            "note": (event.note or "").strip(),
            "source": source,
            "source_ref": source_ref,
        },
    )
    if not created:
        # The event that names the record's own service (``ref`` is the key) says what
        # the service was, even when a follow-on of it arrived first (a download of a
        # bought publication before the order was fulfilled). Said once: a resend
        # leaves an officer's corrections alone.
        own = ref == key and record.ticket_id is None
        if own and (record.source, record.source_ref) != (source, source_ref):
            record.service, record.channel = service, channel
            record.outcome = _outcome(event.outcome)
            record.source, record.source_ref = source, source_ref
            record.officer_id = event.officer_id or record.officer_id
        elif record.source is None and source:
            # A desk number's record links what was given under it (the walk-in sale's
            # order), so the record page leads to it.
            record.source, record.source_ref = source, source_ref
        record.user_id = record.user_id or event.user_id
        record.officer_id = record.officer_id or event.officer_id
        record.products = _merge_lines(record.products, event.products)
        record.note = _merge_lines(record.note, event.note or "")
        _extend(record, event.started_at, event.ended_at)
    invite = bool(
        event.invite and record.invited_at is None and record.ratable and record.rating is None
    )
    if invite:
        record.invited_at = now
    session.flush()
    return Recorded(key=key, created=created, invite=invite)


def on_service_given(
    sender: Any, *, session: Session, event: ServiceEvent, **_: Any
) -> Recorded | None:
    """The ``service_given`` receiver (connected by the wiring): the event carries no
    time of sending, so the moment is the app's clock."""
    return record_from_event(session, event, now=clock.now())


def desk_service_for(
    session: Session, *, user_id: int, officer_id: int, now: datetime
) -> Ticket | None:
    """The number ``officer_id`` is serving for ``user_id`` now — or, failing that, the
    one they last finished for them today (the form is often typed just after): a
    cancelled service is no home for follow-ons."""
    day = calendar.service_day(now)
    mine = (
        Ticket.user_id == user_id,
        Ticket.officer_id == officer_id,
        Ticket.service_day == day,
    )
    active = session.scalar(
        select(Ticket)
        .where(*mine, Ticket.status.in_(ACTIVE_STATUSES))
        .order_by(Ticket.last_called_at.desc(), Ticket.id.desc())
        .limit(1)
    )
    if active is not None:
        return active
    return session.scalar(
        select(Ticket)
        .join(ServiceRecord, ServiceRecord.ticket_id == Ticket.id)
        .where(
            *mine,
            Ticket.status == TicketStatus.DONE,
            ServiceRecord.outcome != Outcome.CANCELLED,
        )
        .order_by(Ticket.finished_at.desc(), Ticket.id.desc())
        .limit(1)
    )


def on_service_begun(sender: Any, *, session: Session, start: ServiceStart, **_: Any) -> str | None:
    """The ``service_begun`` receiver: link the new service to the number the officer is
    serving for that visitor, so its ``service_given`` joins the desk's record."""
    if not start.ref or start.officer_id is None:
        return None
    now = start.at or clock.now()  # the sender's moment; the app's clock without one
    ticket = desk_service_for(session, user_id=start.user_id, officer_id=start.officer_id, now=now)
    if ticket is None:
        return None
    key = desk_ticket_ref(ticket.id)
    link_service(session, start.ref[:80], key, now=now)
    return key

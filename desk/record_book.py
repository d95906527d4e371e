"""The record book: officers look service records up, search and correct them (each
correction leaves an audit event with the old and new values, read back as a trail),
and visitors list their own. Records are made in :mod:`desk.records`, which re-exports
these names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from app import audit
from app.accounts.models import User, has_id_number
from app.pagination import paging
from app.uow import transactional
from desk import calendar
from desk.errors import RecordNotFound
from desk.models import Outcome, RecordChannel, ServiceRecord, ServiceType
from desk.numbering import OUTCOME_LABELS

PER_PAGE = 50

#: Fields an officer may correct.
CORRECTABLE = (
    "service",
    "outcome",
    "products",
    "note",
    "desk",
    "started_at",
    "ended_at",
    "officer_id",
)


def join_products(products: Sequence[str]) -> str:
    """Products as the record stores them: one a line, blanks left out."""
    return "\n".join(p.strip() for p in products if p and p.strip())


def get_record(session: Session, record_id: int) -> ServiceRecord:
    record = session.get(ServiceRecord, record_id)
    if record is None:
        raise RecordNotFound()
    return record


def record_by_token(session: Session, token: str) -> ServiceRecord:
    record = session.scalar(select(ServiceRecord).where(ServiceRecord.rating_token == token))
    if record is None:
        raise RecordNotFound()
    return record


@dataclass(frozen=True)
class RecordPage:
    rows: list[ServiceRecord]
    total: int
    page: int
    pages: int


def search_records(
    session: Session,
    *,
    q: str = "",
    service: ServiceType | None = None,
    channel: RecordChannel | None = None,
    officer_id: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> RecordPage:
    """Records newest first, filtered by words (visitor's name, email, ID number or
    phone, products, note), service, channel, officer and WIB service days (inclusive)."""
    query = select(ServiceRecord).outerjoin(User, User.id == ServiceRecord.user_id)
    for word in q.split()[:6]:
        like = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(
            or_(
                User.full_name.ilike(like),
                User.email.ilike(like),
                # Stored encrypted: a whole ID number is found by its hash, no part.
                has_id_number(word.upper()),
                User.phone.ilike(like),
                ServiceRecord.products.ilike(like),
                ServiceRecord.note.ilike(like),
            )
        )
    if service is not None:
        query = query.where(ServiceRecord.service == service)
    if channel is not None:
        query = query.where(ServiceRecord.channel == channel)
    if officer_id is not None:
        query = query.where(ServiceRecord.officer_id == officer_id)
    if date_from is not None:
        query = query.where(ServiceRecord.service_day >= date_from)
    if date_to is not None:
        query = query.where(ServiceRecord.service_day <= date_to)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    shown = paging(page, per_page, total)
    rows = (
        session.scalars(
            query.options(
                joinedload(ServiceRecord.user),
                joinedload(ServiceRecord.officer),
                joinedload(ServiceRecord.rating),
                joinedload(ServiceRecord.ticket),
            )
            .order_by(ServiceRecord.started_at.desc(), ServiceRecord.id.desc())
            .offset(shown.offset)
            .limit(per_page)
        )
        .unique()
        .all()
    )
    return RecordPage(list(rows), total, shown.page, shown.pages)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def _same_minute(stored: datetime, value: Any) -> bool:
    """``value`` is ``stored`` as the correction form shows it (to the minute)."""
    if not isinstance(value, datetime) or value.second or value.microsecond:
        return False
    return stored.replace(second=0, microsecond=0) == value


@transactional
def correct_record(
    session: Session, record_id: int, changes: Mapping[str, Any], *, actor_id: int
) -> ServiceRecord:
    """Apply an officer's corrections (fields in :data:`CORRECTABLE`), with an audit
    event holding the old and new value of each changed field; commit."""
    record = session.get(ServiceRecord, record_id, with_for_update=True)
    if record is None:
        raise RecordNotFound()
    diff: dict[str, list[Any]] = {}
    for key in CORRECTABLE:
        if key not in changes:
            continue
        value = changes[key]
        if key == "products" and not isinstance(value, str):
            value = join_products(value)
        if key in ("products", "note") and value is None:
            value = ""
        if key in ("started_at", "ended_at") and _same_minute(getattr(record, key), value):
            continue  # the form shows minutes: an untouched time keeps its seconds
        if getattr(record, key) != value:
            diff[key] = [_plain(getattr(record, key)), _plain(value)]
            setattr(record, key, value)
    if record.ended_at < record.started_at:
        from desk.errors import DeskError

        raise DeskError(_l("The end of a service cannot come before its start."))
    if "started_at" in diff:
        record.service_day = calendar.service_day(record.started_at)
    if diff:
        audit.record(
            session,
            "desk.record_corrected",
            actor_id=actor_id,
            subject_type="desk_service_record",
            subject_id=record.id,
            detail=diff,
        )
    return record


#: Where an online service record came from (``ServiceEvent.source``): the features'
#: strings, named here because the desk does not import the features.
SOURCE_LABELS = {
    "store.order": _l("store order"),
    "library.download": _l("library download"),
    "library.reading": _l("reading-room request"),
    "library.softcopy": _l("softcopy request"),
    "library.scan_request": _l("scan request"),
    "advisory.consultation": _l("consultation"),
    "advisory.recommendation": _l("recommendation request"),
}


def source_label(source: str | None) -> Any:
    return SOURCE_LABELS.get(source or "", source)


#: The fields of a correction as the record page names them.
FIELD_LABELS = {
    "service": _l("Service"),
    "outcome": _l("Outcome"),
    "products": _l("Products"),
    "note": _l("Note"),
    "desk": _l("Desk"),
    "started_at": _l("Started"),
    "ended_at": _l("Ended"),
    "officer_id": _l("Officer"),
}
ACTION_LABELS = {"desk.record_corrected": _l("Record corrected")}


@dataclass(frozen=True)
class TrailChange:
    field: Any
    old: str
    new: str


@dataclass(frozen=True)
class TrailEntry:
    at: datetime
    action: Any
    actor: str
    changes: list[TrailChange]


def _shown(session: Session, key: str, value: Any) -> str:
    """One stored value of a correction in the reader's language (dates in WIB)."""
    from app.i18n import format_wib
    from desk.queue import SERVICE_LABELS

    if value in (None, "", []):
        return "–"
    try:
        if key == "service":
            return str(SERVICE_LABELS[ServiceType(value)])
        if key == "outcome":
            return str(OUTCOME_LABELS[Outcome(value)])
        if key in ("started_at", "ended_at"):
            return format_wib(datetime.fromisoformat(value))
        if key == "officer_id":
            person = session.get(User, int(value))
            return person.full_name if person else str(value)
    except (ValueError, KeyError, TypeError):
        pass
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def trail_entries(session: Session, record_id: int) -> list[TrailEntry]:
    """The record's audit trail as readable entries: who, when, and each field's old and
    new value with its label, instead of the stored JSON."""
    import json

    entries = []
    for event in record_trail(session, record_id):
        actor = session.get(User, event.actor_id) if event.actor_id else None
        try:
            detail = json.loads(event.detail or "{}")
        except ValueError:
            detail = {}
        changes = [
            TrailChange(
                FIELD_LABELS.get(key, key),
                _shown(session, key, pair[0]),
                _shown(session, key, pair[1]),
            )
            for key, pair in detail.items()
            if isinstance(pair, list) and len(pair) == 2
        ]
        entries.append(
            TrailEntry(
                event.at,
                ACTION_LABELS.get(event.action, event.action),
                actor.full_name if actor else "–",
                changes,
            )
        )
    return entries


def record_trail(session: Session, record_id: int) -> list[audit.AuditEvent]:
    return list(
        session.scalars(
            select(audit.AuditEvent)
            .where(
                audit.AuditEvent.subject_type == "desk_service_record",
                audit.AuditEvent.subject_id == str(record_id),
            )
            .order_by(audit.AuditEvent.at.desc(), audit.AuditEvent.id.desc())
        )
    )


def my_records(session: Session, user_id: int, *, limit: int = 100) -> list[ServiceRecord]:
    """A person's own services, newest first (the "my services" page)."""
    return list(
        session.scalars(
            select(ServiceRecord)
            .where(ServiceRecord.user_id == user_id)
            .options(joinedload(ServiceRecord.rating))
            .order_by(ServiceRecord.started_at.desc())
            .limit(limit)
        ).unique()
    )


def unrated_count(session: Session, user_id: int) -> int:
    from desk.models import Rating

    return int(
        session.scalar(
            select(func.count())
            .select_from(ServiceRecord)
            .outerjoin(Rating, Rating.record_id == ServiceRecord.id)
            .where(
                ServiceRecord.user_id == user_id,
                Rating.id.is_(None),
                ServiceRecord.outcome != Outcome.CANCELLED,
            )
        )
        or 0
    )


def officers(session: Session) -> list[User]:
    """People who have served at least once (for filters)."""
    ids = select(ServiceRecord.officer_id).where(ServiceRecord.officer_id.is_not(None)).distinct()
    return list(session.scalars(select(User).where(User.id.in_(ids)).order_by(User.full_name)))

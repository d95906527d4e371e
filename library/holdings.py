"""Hardcopy holdings and reading-room requests (services).

A :class:`Holding` is one printed copy. A :class:`ReadingRequest` asks for a copy in the
reading room and moves through a small state machine::

    requested ──ready──▶ ready ──returned──▶ returned
        │                  │
        └────cancel────────┴──▶ cancelled

``ready`` means an officer took a copy from the storage room or the display shelf: that
copy becomes ``in_use`` until the request is returned or cancelled, when it is
``available`` again. A copy's status never becomes or stops being ``in_use`` by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app import audit
from app.accounts.models import Role, User
from app.events import ServiceEvent, ServiceStart, send_service_begun, send_service_given
from app.uow import transactional
from catalog.errors import PublicationNotFound
from catalog.models import Publication
from catalog.services import get_publication
from library.errors import (
    AccessDenied,
    AlreadyRequested,
    DuplicateHolding,
    IllegalTransition,
    LibraryError,
    RecordNotFound,
)
from library.models import (
    Holding,
    HoldingLocation,
    HoldingStatus,
    ReadingRequest,
    ReadingStatus,
)

LOCATION_LABELS = {
    HoldingLocation.DISPLAY: _l("reading-room shelf"),
    HoldingLocation.STORAGE: _l("storage room"),
}
HOLDING_STATUS_LABELS = {
    HoldingStatus.AVAILABLE: _l("available"),
    HoldingStatus.IN_USE: _l("with a reader"),
    HoldingStatus.MISSING: _l("missing"),
    HoldingStatus.WITHDRAWN: _l("withdrawn"),
}
READING_STATUS_LABELS = {
    ReadingStatus.REQUESTED: _l("requested"),
    ReadingStatus.READY: _l("ready in the reading room"),
    ReadingStatus.RETURNED: _l("returned"),
    ReadingStatus.CANCELLED: _l("cancelled"),
}

#: Where a reading request may go from each state.
READING_MOVES: dict[ReadingStatus, frozenset[ReadingStatus]] = {
    ReadingStatus.REQUESTED: frozenset({ReadingStatus.READY, ReadingStatus.CANCELLED}),
    ReadingStatus.READY: frozenset({ReadingStatus.RETURNED, ReadingStatus.CANCELLED}),
    ReadingStatus.RETURNED: frozenset(),
    ReadingStatus.CANCELLED: frozenset(),
}
OPEN_READING = (ReadingStatus.REQUESTED, ReadingStatus.READY)
#: Statuses an officer may give a copy by hand (``in_use`` follows the requests).
MANUAL_HOLDING_STATUSES = (HoldingStatus.AVAILABLE, HoldingStatus.MISSING, HoldingStatus.WITHDRAWN)
HOLDING_FIELDS = ("inventory_no", "barcode", "location", "shelf", "status", "note")


# --- availability (the publication page) ---------------------------------------------


@dataclass(frozen=True)
class Availability:
    """Printed copies of one publication by where they are."""

    display: int = 0  # available on the reading-room shelves
    storage: int = 0  # available from the storage room (an officer fetches them)
    in_use: int = 0  # with a reader now

    @property
    def total(self) -> int:
        return self.display + self.storage + self.in_use


def availability(session: Session, publication_id: int) -> Availability:
    rows = session.execute(
        select(Holding.location, Holding.status, func.count())
        .where(Holding.publication_id == publication_id)
        .group_by(Holding.location, Holding.status)
    ).all()
    counts = {"display": 0, "storage": 0, "in_use": 0}
    for location, status, n in rows:
        if status == HoldingStatus.IN_USE:
            counts["in_use"] += n
        elif status == HoldingStatus.AVAILABLE:
            counts["display" if location == HoldingLocation.DISPLAY else "storage"] += n
    return Availability(**counts)


# --- holdings --------------------------------------------------------------------------


def list_holdings(session: Session, publication_id: int) -> list[Holding]:
    """Every copy of a publication, shelf copies first, then by inventory number."""
    return list(
        session.scalars(
            select(Holding)
            .where(Holding.publication_id == publication_id)
            .order_by(Holding.location, Holding.inventory_no)
        )
    )


def available_copies(session: Session, publication_id: int) -> list[Holding]:
    """Copies an officer can hand out now: shelf copies first, then the storage room."""
    return list(
        session.scalars(
            select(Holding)
            .where(
                Holding.publication_id == publication_id,
                Holding.status == HoldingStatus.AVAILABLE,
            )
            .order_by(Holding.location, Holding.inventory_no)
        )
    )


def available_copies_by_publication(
    session: Session, publication_ids: list[int]
) -> dict[int, list[Holding]]:
    """:func:`available_copies` for several publications at once (the queue page)."""
    found: dict[int, list[Holding]] = {pid: [] for pid in publication_ids}
    if not publication_ids:
        return found
    rows = session.scalars(
        select(Holding)
        .where(
            Holding.publication_id.in_(publication_ids),
            Holding.status == HoldingStatus.AVAILABLE,
        )
        .order_by(Holding.location, Holding.inventory_no)
    )
    for holding in rows:
        found[holding.publication_id].append(holding)
    return found


def get_holding(session: Session, holding_id: int, *, lock: bool = False) -> Holding:
    holding = session.get(Holding, holding_id, with_for_update=lock or None, populate_existing=lock)
    if holding is None:
        raise RecordNotFound()
    return holding


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _check_unique(
    session: Session, inventory_no: str, barcode: str | None, *, exclude: int | None = None
) -> None:
    """Refuse an inventory number or barcode another copy has (ignoring case)."""
    clauses = [func.lower(Holding.inventory_no) == inventory_no.lower()]
    if barcode:
        clauses.append(func.lower(Holding.barcode) == barcode.lower())
    query = select(Holding.id).where(or_(*clauses))
    if exclude is not None:
        query = query.where(Holding.id != exclude)
    if session.scalar(query.limit(1)) is not None:
        raise DuplicateHolding()


def _flush_holding(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError:
        # Another officer registered the same number a moment ago (the scope rolls back).
        raise DuplicateHolding() from None


@transactional
def add_holding(
    session: Session,
    publication_id: int,
    *,
    inventory_no: str,
    barcode: str | None = None,
    location: HoldingLocation | str = HoldingLocation.STORAGE,
    shelf: str | None = None,
    status: HoldingStatus | str = HoldingStatus.AVAILABLE,
    note: str | None = None,
    actor_id: int | None,
) -> Holding:
    """Register a printed copy. Raises ``DuplicateHolding`` for a number already used."""
    # Staff register printed copies of any publication, also one not yet released.
    if session.get(Publication, publication_id) is None:
        raise PublicationNotFound()
    number = _clean(inventory_no)
    if not number:
        raise LibraryError(_l("An inventory number is required."))
    wanted = HoldingStatus(status)
    if wanted not in MANUAL_HOLDING_STATUSES:
        raise IllegalTransition(
            _l("copy"),
            HOLDING_STATUS_LABELS[HoldingStatus.AVAILABLE],
            HOLDING_STATUS_LABELS[wanted],
        )
    code = _clean(barcode)
    _check_unique(session, number, code)
    holding = Holding(
        publication_id=publication_id,
        inventory_no=number,
        barcode=code,
        location=HoldingLocation(location),
        shelf=_clean(shelf),
        status=wanted,
        note=_clean(note),
    )
    session.add(holding)
    try:
        session.flush()
    except IntegrityError:
        raise DuplicateHolding() from None
    audit.record(
        session,
        "holding.added",
        actor_id=actor_id,
        subject_type="holding",
        subject_id=holding.id,
        detail={"publication_id": publication_id, "inventory_no": number, "barcode": code},
    )
    _flush_holding(session)
    return holding


@transactional
def update_holding(
    session: Session, holding_id: int, changes: Mapping[str, Any], *, actor_id: int
) -> Holding:
    """Change a copy's numbers, location, shelf, status or note.

    ``in_use`` is never set or cleared here: it follows the reading-room requests.
    """
    holding = get_holding(session, holding_id, lock=True)
    values: dict[str, Any] = {}
    for key in HOLDING_FIELDS:
        if key not in changes:
            continue
        value = changes[key]
        if key == "location":
            value = HoldingLocation(value)
        elif key == "status":
            value = HoldingStatus(value)
        else:
            value = _clean(value)
        values[key] = value
    if "inventory_no" in values and not values["inventory_no"]:
        raise LibraryError(_l("An inventory number is required."))
    wanted = values.get("status", holding.status)
    if wanted != holding.status and (
        HoldingStatus.IN_USE in (wanted, holding.status) or wanted not in MANUAL_HOLDING_STATUSES
    ):
        raise IllegalTransition(
            _l("copy"), HOLDING_STATUS_LABELS[holding.status], HOLDING_STATUS_LABELS[wanted]
        )
    number = values.get("inventory_no", holding.inventory_no)
    code = values.get("barcode", holding.barcode)
    if number != holding.inventory_no or code != holding.barcode:
        _check_unique(session, number, code, exclude=holding.id)
    changed = [key for key, value in values.items() if getattr(holding, key) != value]
    for key in changed:
        setattr(holding, key, values[key])
    if changed:
        audit.record(
            session,
            "holding.updated",
            actor_id=actor_id,
            subject_type="holding",
            subject_id=holding.id,
            detail={
                "fields": changed,
                **({"status": str(holding.status)} if "status" in changed else {}),
            },
        )
    _flush_holding(session)
    return holding


# --- reading-room requests ------------------------------------------------------------


def _is_officer(user: User) -> bool:
    return user.has_role(Role.OFFICER)


def get_reading_request(session: Session, request_id: int, *, lock: bool = False) -> ReadingRequest:
    found = session.get(
        ReadingRequest, request_id, with_for_update=lock or None, populate_existing=lock
    )
    if found is None:
        raise RecordNotFound()
    return found


def check_move(request: ReadingRequest, wanted: ReadingStatus) -> None:
    """Raise ``IllegalTransition`` unless ``request`` may become ``wanted``."""
    if wanted not in READING_MOVES[request.status]:
        raise IllegalTransition(
            _l("request"), READING_STATUS_LABELS[request.status], READING_STATUS_LABELS[wanted]
        )


def open_request_for(session: Session, publication_id: int, user_id: int) -> ReadingRequest | None:
    """The reader's open (requested or ready) request for a publication, if any."""
    return session.scalar(
        select(ReadingRequest).where(
            ReadingRequest.publication_id == publication_id,
            ReadingRequest.user_id == user_id,
            ReadingRequest.status.in_(OPEN_READING),
        )
    )


@transactional
def request_reading(
    session: Session,
    publication_id: int,
    *,
    reader: User,
    actor: User | None = None,
    note: str | None = None,
    now: datetime,
) -> ReadingRequest:
    """Ask for a printed copy in the reading room, for oneself or (an officer, ``actor``)
    for a walk-in ``reader``. One open request per reader and publication."""
    actor = actor or reader
    if actor.id != reader.id and not _is_officer(actor):
        raise AccessDenied(_l("Only officers can ask for a copy on behalf of someone else."))
    get_publication(session, publication_id, now=now)
    # The reader's row lock makes two requests at once (a double click) wait for each
    # other, so the check below sees the first.
    session.get(User, reader.id, with_for_update=True, populate_existing=True)
    usable = session.scalar(
        select(func.count(Holding.id)).where(
            Holding.publication_id == publication_id,
            Holding.status.in_((HoldingStatus.AVAILABLE, HoldingStatus.IN_USE)),
        )
    )
    if not usable:
        raise RecordNotFound(
            _l("This publication has no printed copy to read in the reading room.")
        )
    if open_request_for(session, publication_id, reader.id) is not None:
        raise AlreadyRequested()
    request = ReadingRequest(
        publication_id=publication_id,
        user_id=reader.id,
        status=ReadingStatus.REQUESTED,
        note=(_clean(note) or "")[:300] or None,
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        "reading.requested",
        actor_id=actor.id,
        subject_type="reading_request",
        subject_id=request.id,
        detail={"publication_id": publication_id, "reader_id": reader.id},
        at=now,
    )
    return request


def find_reader(session: Session, email: str) -> User:
    """The active account with this email address (a walk-in reader)."""
    address = (email or "").strip().lower()
    person: User | None = session.scalar(select(User).where(func.lower(User.email) == address))
    if person is None or not person.active:
        raise RecordNotFound(_l("No active account has this email address."))
    return person


@transactional
def request_for_walk_in(
    session: Session,
    publication_id: int,
    *,
    email: str,
    actor: User,
    note: str | None = None,
    now: datetime,
) -> ReadingRequest:
    """An officer asks for a copy on behalf of a reader at the desk, found by email."""
    if not _is_officer(actor):
        raise AccessDenied(_l("Only officers can ask for a copy on behalf of someone else."))
    reader = find_reader(session, email)
    made = request_reading(session, publication_id, reader=reader, actor=actor, note=note, now=now)
    # The officer is likely serving this reader at the desk: the desk links the request
    # to that number, so the copy's return joins the visit's record (one service).
    send_service_begun(
        session,
        ServiceStart(ref=reading_ref(made.id), user_id=reader.id, officer_id=actor.id, at=now),
    )
    return made


def reading_ref(request_id: int) -> str:
    """A reading-room request as a service (its record, or the desk visit it joins)."""
    return f"library-reading:{request_id}"


@transactional
def mark_ready(
    session: Session,
    request_id: int,
    *,
    actor_id: int,
    holding_id: int | None = None,
    now: datetime,
) -> ReadingRequest:
    """An officer brought a copy to the reading room: ``holding_id``, or the first
    available one (shelf copies before the storage room). The copy becomes in use."""
    request = get_reading_request(session, request_id, lock=True)
    check_move(request, ReadingStatus.READY)
    if holding_id is not None:
        holding = get_holding(session, holding_id, lock=True)
        if holding.publication_id != request.publication_id:
            raise RecordNotFound(_l("This copy belongs to another publication."))
        if holding.status != HoldingStatus.AVAILABLE:
            raise IllegalTransition(
                _l("copy"),
                HOLDING_STATUS_LABELS[holding.status],
                HOLDING_STATUS_LABELS[HoldingStatus.IN_USE],
            )
    else:
        found = session.scalar(
            select(Holding)
            .where(
                Holding.publication_id == request.publication_id,
                Holding.status == HoldingStatus.AVAILABLE,
            )
            .order_by(Holding.location, Holding.inventory_no)
            .limit(1)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)
        )
        if found is None:
            raise RecordNotFound(_l("No copy of this publication is available now."))
        holding = found
    holding.status = HoldingStatus.IN_USE
    request.status = ReadingStatus.READY
    request.holding_id = holding.id
    request.handled_by_id = actor_id
    request.ready_at = now
    audit.record(
        session,
        "reading.ready",
        actor_id=actor_id,
        subject_type="reading_request",
        subject_id=request.id,
        detail={"holding_id": holding.id, "inventory_no": holding.inventory_no},
        at=now,
    )
    return request


def _release_copy(session: Session, request: ReadingRequest) -> None:
    if request.holding_id is None:
        return
    holding = session.get(Holding, request.holding_id, with_for_update=True, populate_existing=True)
    if holding is not None and holding.status == HoldingStatus.IN_USE:
        holding.status = HoldingStatus.AVAILABLE


@transactional
def mark_returned(
    session: Session, request_id: int, *, actor_id: int, now: datetime
) -> ReadingRequest:
    """The reader gave the copy back: it is available again."""
    request = get_reading_request(session, request_id, lock=True)
    check_move(request, ReadingStatus.RETURNED)
    request.status = ReadingStatus.RETURNED
    _release_copy(session, request)
    request.handled_by_id = actor_id
    request.closed_at = now
    audit.record(
        session,
        "reading.returned",
        actor_id=actor_id,
        subject_type="reading_request",
        subject_id=request.id,
        detail={"holding_id": request.holding_id},
        at=now,
    )
    send_service_given(
        session,
        ServiceEvent(
            service="library",
            user_id=request.user_id,
            started_at=request.ready_at or request.created_at,
            ended_at=request.closed_at,
            channel="walk_in",
            officer_id=actor_id,
            products=[request.publication.title],
            note="reading room",
            source="library.reading",
            source_ref=str(request.id),
            ref=reading_ref(request.id),
        ),
    )
    return request


@transactional
def cancel_reading(
    session: Session, request_id: int, *, actor: User, now: datetime
) -> ReadingRequest:
    """Cancel an open request: the reader their own, an officer any. A copy already in
    the reading room goes back to available."""
    request = get_reading_request(session, request_id, lock=True)
    officer = _is_officer(actor)
    if request.user_id != actor.id and not officer:
        raise AccessDenied(_l("This request belongs to another reader."))
    check_move(request, ReadingStatus.CANCELLED)
    request.status = ReadingStatus.CANCELLED
    _release_copy(session, request)
    request.closed_at = now
    if officer and request.user_id != actor.id:
        request.handled_by_id = actor.id
    audit.record(
        session,
        "reading.cancelled",
        actor_id=actor.id,
        subject_type="reading_request",
        subject_id=request.id,
        detail={"holding_id": request.holding_id, "by": "officer" if officer else "reader"},
        at=now,
    )
    return request


def open_requests(
    session: Session, *, page: int = 1, per_page: int = 20
) -> tuple[list[ReadingRequest], int]:
    """The reading-room queue: requested and ready, oldest first; and how many in all."""
    where = ReadingRequest.status.in_(OPEN_READING)
    total = session.scalar(select(func.count(ReadingRequest.id)).where(where)) or 0
    rows = session.scalars(
        select(ReadingRequest)
        .where(where)
        .options(
            joinedload(ReadingRequest.publication),
            joinedload(ReadingRequest.user),
            joinedload(ReadingRequest.holding),
        )
        .order_by(ReadingRequest.created_at, ReadingRequest.id)
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    ).all()
    return list(rows), int(total)


def reader_requests(
    session: Session, user_id: int, *, page: int = 1, per_page: int = 20
) -> tuple[list[ReadingRequest], int]:
    """A reader's reading requests, newest first; and how many in all."""
    where = ReadingRequest.user_id == user_id
    total = session.scalar(select(func.count(ReadingRequest.id)).where(where)) or 0
    rows = session.scalars(
        select(ReadingRequest)
        .where(where)
        .options(joinedload(ReadingRequest.publication), joinedload(ReadingRequest.holding))
        .order_by(ReadingRequest.created_at.desc(), ReadingRequest.id.desc())
        .limit(per_page)
        .offset((max(1, page) - 1) * per_page)
    ).all()
    return list(rows), int(total)

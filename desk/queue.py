"""The queue machine: numbers per service and service day, the desk console's actions
(call next, recall, skip, transfer, start, finish), the display board and the live
status of one number.

Numbers are gapless and unique under concurrency: the per-(day, service) counter row is
created if missing (``INSERT … ON CONFLICT DO NOTHING``) and then incremented with
``UPDATE … RETURNING``, which holds the row lock until the transaction ends; the ticket is
inserted in that same transaction, so a failure rolls the number back with it. A unique
constraint on (day, service, seq) is the safety net.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from app import idempotency
from app.accounts.models import User
from app.uow import transactional
from desk import calendar
from desk.errors import (
    AppointmentInvalid,
    AppointmentOutsideHours,
    AppointmentTooSoon,
    DeskBusy,
    IllegalTransition,
    NotYourTicket,
    OutsideHours,
    TicketNotFound,
)
from desk.models import (
    ACTIVE_STATUSES,
    RATING_CODE_LENGTH,
    Appointment,
    AppointmentStatus,
    Channel,
    Outcome,
    ServiceRecord,
    ServiceType,
    Ticket,
    TicketCounter,
    TicketStatus,
    new_rating_code,
)

#: A visitor's number is still open (gives them no second one) in these states.
OPEN_STATUSES = (TicketStatus.WAITING, *ACTIVE_STATUSES)

DEFAULT_PREFIXES = {
    ServiceType.LIBRARY.value: "A",
    ServiceType.SALES.value: "B",
    ServiceType.CONSULTATION.value: "C",
    ServiceType.RECOMMENDATION.value: "D",
}

SERVICE_LABELS = {
    ServiceType.LIBRARY: _l("Library"),
    ServiceType.SALES: _l("Sales of statistical products"),
    ServiceType.CONSULTATION: _l("Statistical consultation"),
    ServiceType.RECOMMENDATION: _l("Recommendation of statistical activities"),
}
STATUS_LABELS = {
    TicketStatus.WAITING: _l("waiting"),
    TicketStatus.CALLED: _l("called"),
    TicketStatus.SERVING: _l("being served"),
    TicketStatus.DONE: _l("done"),
    TicketStatus.NO_SHOW: _l("skipped (no-show)"),
    TicketStatus.TRANSFERRED: _l("transferred"),
}
APPOINTMENT_STATUS_LABELS = {
    AppointmentStatus.BOOKED: _l("booked"),
    AppointmentStatus.USED: _l("used"),
    AppointmentStatus.CANCELLED: _l("cancelled"),
}
_ACTION_LABELS = {
    "recall": _l("called again"),
    "skip": _l("skipped"),
    "start": _l("started"),
    "finish": _l("finished"),
    "transfer": _l("transferred"),
}


def prefixes() -> dict[str, str]:
    if has_app_context():
        return dict(current_app.config.get("DESK_SERVICE_PREFIXES") or DEFAULT_PREFIXES)
    return dict(DEFAULT_PREFIXES)


def format_number(service: ServiceType, seq: int) -> str:
    return f"{prefixes().get(service.value, '?')}-{seq:03d}"


def _new_token() -> str:
    return secrets.token_urlsafe(18)[:24]


# --- numbers ---------------------------------------------------------------------------


def _next_seq(session: Session, day: date, service: ServiceType) -> int:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(TicketCounter)
        .values(service_day=day, service=service, last_seq=0)
        .on_conflict_do_nothing()
    )
    seq = session.execute(
        update(TicketCounter)
        .where(TicketCounter.service_day == day, TicketCounter.service == service)
        .values(last_seq=TicketCounter.last_seq + 1)
        .returning(TicketCounter.last_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    return int(seq)


def issue_ticket(
    session: Session,
    *,
    service: ServiceType,
    now: datetime,
    channel: Channel,
    user_id: int | None = None,
    visit_id: int | None = None,
    appointment: Appointment | None = None,
    staff: bool = False,
    transferred_from_id: int | None = None,
) -> Ticket:
    """Add the next number of ``service`` for today's service day (no commit).

    Outside service hours only staff (the receptionist: appointments, extended hours)
    or a valid appointment get a number.
    """
    if not staff and appointment is None and not calendar.is_open(session, now):
        raise OutsideHours()
    day = calendar.service_day(now)
    seq = _next_seq(session, day, service)
    ticket = Ticket(
        token=_new_token(),
        rating_code=new_rating_code(),
        service_day=day,
        service=service,
        seq=seq,
        number=format_number(service, seq),
        status=TicketStatus.WAITING,
        channel=channel,
        user_id=user_id,
        visit_id=visit_id,
        appointment_id=appointment.id if appointment is not None else None,
        transferred_from_id=transferred_from_id,
        issued_at=now,
    )
    session.add(ticket)
    session.flush()
    return ticket


@dataclass(frozen=True)
class Issued:
    """A number handed to a visitor: new, or the one they already had (``reused``)."""

    ticket: Ticket
    reused: bool = False


def lock_visitor(session: Session, user_id: int) -> None:
    """Serialise one visitor's number-taking until the transaction ends.

    ``FOR NO KEY UPDATE`` on their account row: a second request by the same visitor
    waits here and then finds the number the first one took. (It does not conflict
    with the key-share locks that inserts referencing the account take.)
    """
    session.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))


def open_ticket(
    session: Session, *, user_id: int, service: ServiceType, day: date
) -> Ticket | None:
    """The visitor's number of ``service`` on ``day`` still waiting, called or served."""
    return session.scalar(
        select(Ticket)
        .where(
            Ticket.user_id == user_id,
            Ticket.service_day == day,
            Ticket.service == service,
            Ticket.status.in_(OPEN_STATUSES),
        )
        .order_by(Ticket.id)
        .limit(1)
    )


def take_ticket(
    session: Session,
    *,
    service: ServiceType,
    now: datetime,
    channel: Channel = Channel.API,
    user_id: int | None = None,
    staff: bool = False,
    appointment_code: str | None = None,
) -> Ticket:
    """Take a number (without a guest-book entry) and commit; see :func:`take_number`."""
    return take_number(
        session,
        service=service,
        now=now,
        channel=channel,
        user_id=user_id,
        staff=staff,
        appointment_code=appointment_code,
    ).ticket


@transactional
def take_number(
    session: Session,
    *,
    service: ServiceType,
    now: datetime,
    channel: Channel = Channel.API,
    user_id: int | None = None,
    staff: bool = False,
    appointment_code: str | None = None,
) -> Issued:
    """Take a number (without a guest-book entry) and commit.

    A visitor taking their own number (``user_id`` and not ``staff``) who still has an
    open number of ``service`` today gets that number back, not a second one.
    """
    if user_id is not None and not staff:
        lock_visitor(session, user_id)
        held = open_ticket(session, user_id=user_id, service=service, day=calendar.service_day(now))
        if held is not None:
            # Returning ends the scope: the commit releases the visitor's row lock.
            return Issued(held, reused=True)
    appointment = use_appointment(session, appointment_code, now) if appointment_code else None
    ticket = issue_ticket(
        session,
        service=service,
        now=now,
        channel=channel,
        user_id=user_id,
        appointment=appointment,
        staff=staff,
    )
    return Issued(ticket)


# --- appointments ----------------------------------------------------------------------

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@transactional
def book_appointment(
    session: Session,
    *,
    service: ServiceType,
    starts_at: datetime,
    now: datetime,
    user_id: int | None,
    name: str = "",
    note: str = "",
    booked_by_id: int | None = None,
    lead_minutes: int = 60,
    outside_hours: bool = False,
    submission: str | None = None,
) -> Appointment:
    """Book a visit at ``starts_at`` at least ``lead_minutes`` ahead; commit.

    The time must fall within the service calendar's opening hours. With
    ``outside_hours`` (``DESK_APPOINTMENTS_OUTSIDE_HOURS``, the SOP's service outside
    working hours by appointment) any time of a working day is accepted, and a closed
    day (weekend, holiday) if booked on an earlier day. ``submission`` is the form's
    one-time token: a second post of it raises ``AlreadySubmitted``.
    """
    if starts_at < now + timedelta(minutes=lead_minutes):
        raise AppointmentTooSoon(lead_minutes)
    if not calendar.is_open(session, starts_at):
        day = calendar.service_day(starts_at)
        hours = calendar.day_hours(session, day)
        if not outside_hours:
            raise AppointmentOutsideHours(hours)
        if hours is None and calendar.service_day(now) >= day:
            raise AppointmentOutsideHours(None, day_ahead=True)
    claimed = idempotency.claim(session, submission, kind="desk.appointment", user_id=user_id)
    appointment = Appointment(
        code="".join(secrets.choice(_CODE_ALPHABET) for _ in range(6)),
        service=service,
        starts_at=starts_at,
        user_id=user_id,
        name=name.strip()[:120],
        note=note.strip(),
        booked_by_id=booked_by_id,
        created_at=now,
    )
    session.add(appointment)
    session.flush()
    idempotency.settle(claimed, appointment.id)
    return appointment


def find_appointment(session: Session, code: str, now: datetime) -> Appointment:
    """The booked appointment with ``code`` that may be used at ``now`` (within the
    window ``DESK_APPOINTMENT_WINDOW_MINUTES`` either side of its time)."""
    window = 60
    if has_app_context():
        window = int(current_app.config.get("DESK_APPOINTMENT_WINDOW_MINUTES", 60))
    appointment = session.scalar(
        select(Appointment).where(Appointment.code == code.strip().upper().replace(" ", ""))
    )
    if (
        appointment is None
        or appointment.status != AppointmentStatus.BOOKED
        or abs((appointment.starts_at - now).total_seconds()) > window * 60
    ):
        raise AppointmentInvalid()
    return appointment


def use_appointment(session: Session, code: str, now: datetime) -> Appointment:
    appointment = find_appointment(session, code, now)
    appointment.status = AppointmentStatus.USED
    return appointment


def appointments_on(session: Session, day: date) -> list[Appointment]:
    """The appointments of one WIB day, earliest first."""
    from datetime import time

    from app.i18n import WIB

    start = datetime.combine(day, time(0), WIB)
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.starts_at >= start, Appointment.starts_at < start + timedelta(days=1)
            )
            .order_by(Appointment.starts_at)
        )
    )


@transactional
def cancel_appointment(session: Session, appointment_id: int, *, user_id: int) -> None:
    appointment = session.get(Appointment, appointment_id)
    if (
        appointment is not None
        and appointment.user_id == user_id
        and appointment.status == AppointmentStatus.BOOKED
    ):
        appointment.status = AppointmentStatus.CANCELLED


# --- the desk console ------------------------------------------------------------------


def get_ticket(session: Session, ticket_id: int, *, lock: bool = False) -> Ticket:
    ticket = session.get(Ticket, ticket_id, with_for_update=lock or None)
    if ticket is None:
        raise TicketNotFound()
    return ticket


def ticket_by_token(session: Session, token: str) -> Ticket:
    ticket = session.scalar(select(Ticket).where(Ticket.token == token))
    if ticket is None:
        raise TicketNotFound()
    return ticket


def current_ticket(session: Session, ticket: Ticket) -> Ticket:
    """The number the visitor holds now: ``ticket`` itself, or — after transfers — the
    last ticket of the chain that began with it (the status page of the first number
    follows the visitor to each new queue)."""
    current = ticket
    for _hop in range(len(ServiceType) * 4):  # a chain is short; never loop forever
        if current.status != TicketStatus.TRANSFERRED:
            break
        following = session.scalar(
            select(Ticket)
            .where(Ticket.transferred_from_id == current.id)
            .order_by(Ticket.id.desc())
            .limit(1)
        )
        if following is None:
            break
        current = following
    return current


def normalise_rating_code(raw: str) -> str:
    """``abcd efgh`` or ``ABCD-EFGH`` → ``ABCDEFGH`` (what the visitor types)."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:32]


def ticket_by_rating_code(session: Session, code: str) -> Ticket | None:
    """The ticket whose printed rating code is ``code`` (any day), or None. The code,
    not the guessable number, opens a rating at the kiosk."""
    wanted = normalise_rating_code(code)
    if len(wanted) != RATING_CODE_LENGTH:
        return None
    return session.scalar(select(Ticket).where(Ticket.rating_code == wanted))


def ticket_by_number(session: Session, number: str, now: datetime) -> Ticket:
    """Today's ticket with ``number`` (e.g. "A-001", "a1", "A 1")."""
    raw = "".join(ch for ch in number.upper() if ch.isalnum())
    letters = "".join(ch for ch in raw if ch.isalpha())
    digits = "".join(ch for ch in raw if ch.isdigit())
    by_prefix = {p: s for s, p in prefixes().items()}
    if not letters or not digits or letters not in by_prefix:
        raise TicketNotFound()
    ticket = session.scalar(
        select(Ticket).where(
            Ticket.service_day == calendar.service_day(now),
            Ticket.service == ServiceType(by_prefix[letters]),
            Ticket.seq == int(digits),
        )
    )
    if ticket is None:
        raise TicketNotFound()
    return ticket


def active_ticket(session: Session, officer_id: int, now: datetime) -> Ticket | None:
    """The number this officer has called or is serving today, if any."""
    return session.scalar(
        select(Ticket)
        .where(
            Ticket.officer_id == officer_id,
            Ticket.service_day == calendar.service_day(now),
            Ticket.status.in_(ACTIVE_STATUSES),
        )
        .order_by(Ticket.last_called_at.desc())
        .limit(1)
    )


def _previous_end(session: Session, ticket: Ticket, now: datetime) -> datetime | None:
    return session.scalar(
        select(func.max(Ticket.finished_at)).where(
            Ticket.service_day == ticket.service_day,
            Ticket.service == ticket.service,
            Ticket.finished_at.is_not(None),
            Ticket.finished_at <= now,
            Ticket.status == TicketStatus.DONE,
        )
    )


@transactional
def call_next(
    session: Session,
    *,
    services: Sequence[ServiceType],
    officer_id: int,
    desk: str,
    now: datetime,
) -> Ticket | None:
    """Call the longest-waiting number of ``services`` to ``desk``; None if nobody waits.

    Two desks calling at once get different numbers (``FOR UPDATE SKIP LOCKED``).
    """
    if active_ticket(session, officer_id, now) is not None:
        raise DeskBusy()
    day = calendar.service_day(now)
    # A visitor with numbers in two queues is not called while at another desk; their
    # number keeps its place and is called once that service ends.
    elsewhere = aliased(Ticket)
    at_another_desk = exists().where(
        elsewhere.user_id == Ticket.user_id,
        elsewhere.service_day == day,
        elsewhere.status.in_(ACTIVE_STATUSES),
    )
    ticket = session.scalar(
        select(Ticket)
        .where(
            Ticket.service_day == day,
            Ticket.service.in_(list(services)),
            Ticket.status == TicketStatus.WAITING,
            ~at_another_desk,
        )
        .order_by(Ticket.issued_at, Ticket.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if ticket is None:
        # Nothing written: ending the scope releases the rows looked at.
        return None
    previous = _previous_end(session, ticket, now)
    ticket.wait_from = max(ticket.issued_at, previous) if previous else ticket.issued_at
    ticket.status = TicketStatus.CALLED
    ticket.called_at = ticket.last_called_at = now
    ticket.officer_id = officer_id
    ticket.desk = desk
    return ticket


def _own(
    session: Session, ticket_id: int, officer_id: int, allowed: Iterable[TicketStatus], action: str
) -> Ticket:
    ticket = get_ticket(session, ticket_id, lock=True)
    if ticket.officer_id is not None and ticket.officer_id != officer_id:
        raise NotYourTicket()
    if ticket.status not in set(allowed):
        current = STATUS_LABELS[ticket.status]
        raise IllegalTransition(ticket.number, current, _ACTION_LABELS[action])
    return ticket


@transactional
def recall(session: Session, ticket_id: int, *, officer_id: int, now: datetime) -> Ticket:
    """Call the same number again (the board shows and chimes it once more)."""
    ticket = _own(session, ticket_id, officer_id, [TicketStatus.CALLED], "recall")
    ticket.recalls += 1
    ticket.last_called_at = now
    return ticket


@transactional
def skip(session: Session, ticket_id: int, *, officer_id: int, now: datetime) -> Ticket:
    """The called visitor did not come: mark the number as a no-show."""
    ticket = _own(session, ticket_id, officer_id, [TicketStatus.CALLED], "skip")
    ticket.status = TicketStatus.NO_SHOW
    ticket.finished_at = now
    return ticket


@transactional
def start(session: Session, ticket_id: int, *, officer_id: int, now: datetime) -> Ticket:
    ticket = _own(session, ticket_id, officer_id, [TicketStatus.CALLED], "start")
    ticket.status = TicketStatus.SERVING
    ticket.started_at = now
    return ticket


@transactional
def finish(
    session: Session,
    ticket_id: int,
    *,
    officer_id: int,
    now: datetime,
    outcome: Outcome = Outcome.SERVED,
    products: Sequence[str] = (),
    note: str = "",
) -> ServiceRecord:
    """End the service of a number and record it (the officer can correct it later)."""
    from desk.mails import invite_to_rate
    from desk.records import record_for_ticket

    ticket = _own(session, ticket_id, officer_id, ACTIVE_STATUSES, "finish")
    ticket.status = TicketStatus.DONE
    ticket.started_at = ticket.started_at or ticket.called_at or now
    ticket.finished_at = now
    record = record_for_ticket(
        session, ticket, officer_id=officer_id, outcome=outcome, products=products, note=note
    )
    invite_to_rate(session, record, SERVICE_LABELS[ticket.service])
    return record


@transactional
def transfer(
    session: Session,
    ticket_id: int,
    *,
    to_service: ServiceType,
    officer_id: int,
    now: datetime,
    note: str = "",
) -> Ticket:
    """Send the visitor to another service: a new number in that queue. What was served
    already is recorded as referred."""
    from desk.records import record_for_ticket

    ticket = _own(session, ticket_id, officer_id, ACTIVE_STATUSES, "transfer")
    if ticket.service == to_service:
        raise IllegalTransition(
            ticket.number, STATUS_LABELS[ticket.status], _ACTION_LABELS["transfer"]
        )
    was_serving = ticket.status == TicketStatus.SERVING
    ticket.status = TicketStatus.TRANSFERRED
    ticket.finished_at = now
    if was_serving:
        record_for_ticket(
            session, ticket, officer_id=officer_id, outcome=Outcome.REFERRED, note=note
        )
    new = issue_ticket(
        session,
        service=to_service,
        now=now,
        channel=ticket.channel,
        user_id=ticket.user_id,
        visit_id=ticket.visit_id,
        staff=True,
        transferred_from_id=ticket.id,
    )
    return new


# --- the board and the status page -----------------------------------------------------


@dataclass(frozen=True)
class QueueState:
    service: ServiceType
    prefix: str
    waiting: int
    next_numbers: list[str]
    serving: list[tuple[str, str | None]]  # (number, desk)


@dataclass(frozen=True)
class Board:
    calls: list[Ticket]  # the latest calls, newest first
    queues: list[QueueState]
    signal: str  # changes whenever a number is called or recalled (for the chime)
    open_now: bool
    next_opening: datetime | None = None
    extra: dict[str, object] = field(default_factory=dict)


def board(session: Session, now: datetime, *, calls: int = 6) -> Board:
    day = calendar.service_day(now)
    recent = list(
        session.scalars(
            select(Ticket)
            .where(Ticket.service_day == day, Ticket.status.in_(ACTIVE_STATUSES))
            .order_by(Ticket.last_called_at.desc(), Ticket.id.desc())
            .limit(calls)
        )
    )
    waiting_rows = session.execute(
        select(Ticket.service, Ticket.number)
        .where(Ticket.service_day == day, Ticket.status == TicketStatus.WAITING)
        .order_by(Ticket.issued_at, Ticket.id)
    ).all()
    serving_rows = session.execute(
        select(Ticket.service, Ticket.number, Ticket.desk).where(
            Ticket.service_day == day, Ticket.status.in_(ACTIVE_STATUSES)
        )
    ).all()
    pre = prefixes()
    queues = []
    for service in ServiceType:
        waiting = [n for s, n in waiting_rows if s == service]
        queues.append(
            QueueState(
                service=service,
                prefix=pre.get(service.value, "?"),
                waiting=len(waiting),
                next_numbers=waiting[:3],
                serving=[(n, d) for s, n, d in serving_rows if s == service],
            )
        )
    latest = recent[0] if recent else None
    signal = f"{latest.id}.{latest.recalls}" if latest else ""
    open_now = calendar.is_open(session, now)
    return Board(
        calls=recent,
        queues=queues,
        signal=signal,
        open_now=open_now,
        next_opening=None if open_now else calendar.next_opening(session, now),
    )


def people_ahead(session: Session, ticket: Ticket) -> int:
    if ticket.status != TicketStatus.WAITING:
        return 0
    return int(
        session.scalar(
            select(func.count()).where(
                Ticket.service_day == ticket.service_day,
                Ticket.service == ticket.service,
                Ticket.status == TicketStatus.WAITING,
                (Ticket.issued_at < ticket.issued_at)
                | ((Ticket.issued_at == ticket.issued_at) & (Ticket.id < ticket.id)),
            )
        )
        or 0
    )


def waiting_list(session: Session, services: Sequence[ServiceType], now: datetime) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(
                Ticket.service_day == calendar.service_day(now),
                Ticket.service.in_(list(services)),
                Ticket.status == TicketStatus.WAITING,
            )
            .order_by(Ticket.issued_at, Ticket.id)
        )
    )


def visit_tickets(session: Session, ticket: Ticket) -> list[Ticket]:
    """The other numbers of ``ticket``'s guest-book visit (one per service chosen)."""
    if ticket.visit_id is None:
        return []
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.visit_id == ticket.visit_id, Ticket.id != ticket.id)
            .order_by(Ticket.issued_at, Ticket.id)
        )
    )


def todays_tickets(session: Session, now: datetime) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.service_day == calendar.service_day(now))
            .order_by(Ticket.issued_at.desc(), Ticket.id.desc())
        )
    )

"""The queue machine: numbers per service and service day, the desk console's actions
(call next, recall, skip, transfer, start, finish), the display board and the live
status of one number.

Numbers are gapless and unique under concurrency: the per-(day, service) counter row is
created if missing (``INSERT … ON CONFLICT DO NOTHING``) and then incremented with
``UPDATE … RETURNING``, which holds the row lock until the transaction ends; the ticket is
inserted in that same transaction, so a failure rolls the number back with it. A unique
constraint on (day, service, seq) is the safety net.

The number's shape and labels are :mod:`desk.numbering`, appointments
:mod:`desk.appointments`, ticket look-ups :mod:`desk.tickets` and the display board
:mod:`desk.board`; their names are importable from here too.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from app.accounts.models import User
from app.numbering import take_next
from app.uow import transactional
from desk import calendar
from desk.appointments import appointments_on as appointments_on
from desk.appointments import book_appointment as book_appointment
from desk.appointments import cancel_appointment as cancel_appointment
from desk.appointments import find_appointment as find_appointment
from desk.appointments import use_appointment as use_appointment
from desk.board import Board as Board
from desk.board import QueueState as QueueState
from desk.board import board as board
from desk.board import people_ahead as people_ahead
from desk.board import todays_tickets as todays_tickets
from desk.board import visit_tickets as visit_tickets
from desk.board import waiting_list as waiting_list
from desk.errors import (
    DeskBusy,
    IllegalTransition,
    NotYourTicket,
    OutsideHours,
)
from desk.models import (
    ACTIVE_STATUSES,
    Appointment,
    Channel,
    Outcome,
    ServiceRecord,
    ServiceType,
    Ticket,
    TicketCounter,
    TicketStatus,
    new_rating_code,
)

# The number's shape, appointments, ticket look-ups and the board live in modules of
# their own; their names stay importable from here ("as" marks a re-export).
from desk.numbering import APPOINTMENT_STATUS_LABELS as APPOINTMENT_STATUS_LABELS
from desk.numbering import DEFAULT_PREFIXES as DEFAULT_PREFIXES
from desk.numbering import OPEN_STATUSES as OPEN_STATUSES
from desk.numbering import SERVICE_LABELS as SERVICE_LABELS
from desk.numbering import STATUS_LABELS as STATUS_LABELS
from desk.numbering import format_number as format_number
from desk.settings import DEFAULT_SETTINGS, Settings
from desk.tickets import active_ticket as active_ticket
from desk.tickets import current_ticket as current_ticket
from desk.tickets import get_ticket as get_ticket
from desk.tickets import normalise_rating_code as normalise_rating_code
from desk.tickets import ticket_by_number as ticket_by_number
from desk.tickets import ticket_by_rating_code as ticket_by_rating_code
from desk.tickets import ticket_by_token as ticket_by_token

_ACTION_LABELS = {
    "recall": _l("called again"),
    "skip": _l("skipped"),
    "start": _l("started"),
    "finish": _l("finished"),
    "transfer": _l("transferred"),
}


def _new_token() -> str:
    return secrets.token_urlsafe(18)[:24]


# --- numbers ---------------------------------------------------------------------------


def _next_seq(session: Session, day: date, service: ServiceType) -> int:
    return take_next(session, TicketCounter, {"service_day": day, "service": service})


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
    settings: Settings = DEFAULT_SETTINGS,
) -> Ticket:
    """Add the next number of ``service`` for today's service day (no commit).

    Outside service hours only staff (the receptionist: appointments, extended hours)
    or a valid appointment get a number.
    """
    if not staff and appointment is None and not calendar.is_open(session, now, settings):
        raise OutsideHours()
    day = calendar.service_day(now)
    seq = _next_seq(session, day, service)
    ticket = Ticket(
        token=_new_token(),
        rating_code=new_rating_code(),
        service_day=day,
        service=service,
        seq=seq,
        number=format_number(service, seq, settings.service_prefixes),
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
    settings: Settings = DEFAULT_SETTINGS,
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
        settings=settings,
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
    settings: Settings = DEFAULT_SETTINGS,
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
    appointment = (
        use_appointment(session, appointment_code, now, settings) if appointment_code else None
    )
    ticket = issue_ticket(
        session,
        service=service,
        now=now,
        channel=channel,
        user_id=user_id,
        appointment=appointment,
        staff=staff,
        settings=settings,
    )
    return Issued(ticket)


# --- the desk console ------------------------------------------------------------------


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
    invite_to_rate(session, record, SERVICE_LABELS[ticket.service], now=now)
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
    settings: Settings = DEFAULT_SETTINGS,
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
        settings=settings,
    )
    return new

"""Finding a ticket: by id (locked for a change), by the status page's token, by the
printed rating code or by today's number, and the number an officer is busy with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import calendar
from desk.errors import (
    TicketNotFound,
)
from desk.models import (
    ACTIVE_STATUSES,
    RATING_CODE_LENGTH,
    ServiceType,
    Ticket,
    TicketStatus,
)
from desk.settings import DEFAULT_SETTINGS, Settings


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


def ticket_by_number(
    session: Session, number: str, now: datetime, settings: Settings = DEFAULT_SETTINGS
) -> Ticket:
    """Today's ticket with ``number`` (e.g. "A-001", "a1", "A 1")."""
    raw = "".join(ch for ch in number.upper() if ch.isalnum())
    letters = "".join(ch for ch in raw if ch.isalpha())
    digits = "".join(ch for ch in raw if ch.isdigit())
    by_prefix = {p: s for s, p in settings.service_prefixes.items()}
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

"""The display board and the status page: the latest calls, each queue's waiting
numbers, how many are ahead of a visitor, and today's lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk import calendar
from desk.models import (
    ACTIVE_STATUSES,
    ServiceType,
    Ticket,
    TicketStatus,
)
from desk.settings import DEFAULT_SETTINGS, Settings


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


def board(
    session: Session, now: datetime, *, calls: int = 6, settings: Settings = DEFAULT_SETTINGS
) -> Board:
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
    pre = settings.service_prefixes
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
    open_now = calendar.is_open(session, now, settings)
    return Board(
        calls=recent,
        queues=queues,
        signal=signal,
        open_now=open_now,
        next_opening=None if open_now else calendar.next_opening(session, now, settings),
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

"""The desk's answers to other features about its queue tickets (``app.events.ticket_lookup``).

A feature the console links to (the store's walk-in sale) learns from here whose number
it is and for which service, without importing the desk; it gets a plain
:class:`app.events.DeskTicket`, never the desk's rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.events import DeskTicket
from desk.models import Ticket


def ticket_info(sender: Any, *, session: Session, ticket_id: int, **_: Any) -> DeskTicket | None:
    """The ``ticket_lookup`` receiver (connected by the wiring)."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        return None
    return DeskTicket(
        ticket_id=ticket.id,
        number=ticket.number,
        service=ticket.service.value,
        user_id=ticket.user_id,
        visit_id=ticket.visit_id,
        status=ticket.status.value,
        officer_id=ticket.officer_id,
    )

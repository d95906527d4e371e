"""Domain events that cross features, so that no feature needs to import another.

A feature that gives a service online (the library's downloads and softcopies, the
store's orders, the advisory's consultations) sends ``service_given`` inside its own
transaction; the front desk listens and keeps the record of every service given (and
invites a rating). Receivers add rows to the sender's session and never commit: the
record lands with the service or not at all.

The catalogue asks ``access_changing`` before it changes a publication's access policy,
so that a feature above it (the store) can refuse a change that would contradict what
it offers, without the catalogue importing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from blinker import Namespace
from sqlalchemy.orm import Session

_signals = Namespace()

#: Sent with ``session=`` and ``event=`` (a :class:`ServiceEvent`).
service_given = _signals.signal("service-given")

#: Asked before a publication's access policy changes, with ``session=``,
#: ``publication_id=`` and ``access=`` (the new policy's value: ``open``, ``read_only``,
#: ``sale``). A receiver returns a reason to refuse (a translated string) or None; the
#: catalogue refuses the change if any receiver objects. The store objects to ``open``
#: while it sells the publication as a paid digital product.
access_changing = _signals.signal("publication-access-changing")


@dataclass(frozen=True)
class ServiceEvent:
    """One service given to one person, as the front desk records it."""

    service: str  # library | sales | consultation | recommendation
    user_id: int | None
    started_at: datetime
    ended_at: datetime
    channel: str = "online"  # online | walk_in
    officer_id: int | None = None
    outcome: str = "served"
    products: list[str] = field(default_factory=list)  # e.g. publication titles
    note: str = ""
    source: str = ""  # what gave it, e.g. "library.download"
    source_ref: str = ""  # and which one, e.g. the download's id
    #: The desk's queue ticket the service was given under (a walk-in sale made at the
    #: console), so that the desk adds it to that ticket's record instead of a new one.
    ticket_id: int | None = None


@dataclass(frozen=True)
class DeskTicket:
    """What another feature may know of a queue ticket: whose it is and for what."""

    ticket_id: int
    number: str
    service: str
    user_id: int | None
    visit_id: int | None
    status: str
    officer_id: int | None = None


#: Sent with ``session=`` and ``ticket_id=``; the front desk answers with a
#: :class:`DeskTicket` (or ``None``). Lets a feature start work for the visitor a desk
#: officer is serving without importing the desk.
ticket_lookup = _signals.signal("ticket-lookup")


def look_up_ticket(session: Session, ticket_id: int) -> DeskTicket | None:
    """The desk's answer about ticket ``ticket_id``; ``None`` when unknown (or no desk)."""
    for _receiver, answer in ticket_lookup.send(None, session=session, ticket_id=ticket_id):
        if isinstance(answer, DeskTicket):
            return answer
    return None


def send_service_given(session: Session, event: ServiceEvent, sender: Any = None) -> None:
    """Tell the listeners (the front desk) that a service was given."""
    service_given.send(sender, session=session, event=event)


def objections_to_access(session: Session, publication_id: int, access: str) -> list[Any]:
    """The reasons other features give against ``publication_id`` taking ``access``
    (empty: nobody objects). Receivers only read; they change nothing."""
    answers = access_changing.send(
        None, session=session, publication_id=publication_id, access=access
    )
    return [reason for _receiver, reason in answers if reason]

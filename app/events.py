"""Domain events that cross features, so that no feature needs to import another.

A feature that gives a service online (the library's downloads and softcopies, the
store's orders, the advisory's consultations) sends ``service_given`` inside its own
transaction; the front desk listens and keeps the record of every service given (and
invites a rating). Receivers add rows to the sender's session and never commit: the
record lands with the service or not at all.

One service, one record. Every event names the service it is about with a reference
(``ref``, e.g. ``"store-order:42"``); events with the same reference — twenty
downloads of one publication on one day, a resent event — land on one record. A
follow-on of another service names that one in ``belongs_to`` (a download of a bought
publication: ``belongs_to="store-order:42"``; an order made at the desk:
``belongs_to=desk_ticket_ref(11)``) and is attached to its record instead of making a
new one. A feature that starts something for a visitor an officer is serving at the
desk (a reading-room copy asked for at the desk, a paper FS3 form recorded there) sends
``service_begun`` with the reference its later ``service_given`` will carry; the desk
links that reference to the number being served, so the follow-on attaches to the
desk's record without the feature knowing the desk at all.

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

#: Sent with ``session=`` and ``event=`` (a :class:`ServiceEvent`); a receiver may
#: return a :class:`Recorded`.
service_given = _signals.signal("service-given")

#: Sent with ``session=`` and ``start=`` (a :class:`ServiceStart`); a receiver may return
#: the reference of the desk service the new one was linked to.
service_begun = _signals.signal("service-begun")


def desk_ticket_ref(ticket_id: int) -> str:
    """The reference of the service given to a queue number (its desk record)."""
    return f"desk-ticket:{ticket_id}"


#: Asked before a publication's access policy changes, with ``session=``,
#: ``publication_id=`` and ``access=`` (the new policy's value: ``open``, ``read_only``,
#: ``sale``). A receiver returns a reason to refuse (a translated string) or None; the
#: catalogue refuses the change if any receiver objects. The store objects to ``open``
#: while it sells the publication as a paid digital product.
access_changing = _signals.signal("publication-access-changing")

#: Sent with ``session=``, ``key=`` (the blob's SHA-256) and ``path=`` (a local copy of
#: the file) when the catalogue stores a new master PDF, inside the transaction that
#: records it. The library makes the master's stamping plan there and then, so the
#: first download of a publication copies bytes at once instead of studying the file.
master_stored = _signals.signal("master-stored")

#: Sent with ``session=`` and ``publication_ids=`` when the catalogue's release job has
#: found publications whose scheduled release moment (Rencana Terbit) has come, inside
#: its transaction. Receivers do their own follow-up (feeds, usage, notices); whether a
#: publication is visible never depends on it (see ``catalog.visibility``).
publication_released = _signals.signal("publication-released")


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
    #: The service this event is about ("store-order:42", "library-reading:7",
    #: "advisory-recommendation:3"); events with one ``ref`` make one record.
    #: Empty: ``"<source>:<source_ref>"``.
    ref: str = ""
    #: The service this one continues, whose record it joins: another event's ``ref``
    #: ("store-order:42") or a desk number (:func:`desk_ticket_ref`).
    belongs_to: str = ""
    #: The sender mails the person a rating link if the desk allows it
    #: (:attr:`Recorded.invite`): one invitation per record.
    invite: bool = False

    @property
    def key(self) -> str:
        """This event's own service reference (``ref``, or one made of its source)."""
        if self.ref:
            return self.ref[:80]
        if self.source and self.source_ref:
            return f"{self.source}:{self.source_ref}"[:80]
        return ""


@dataclass(frozen=True)
class Recorded:
    """What the desk made of a :class:`ServiceEvent`."""

    key: str  # the reference of the record the event landed on
    created: bool  # a new record (False: attached to an existing one)
    #: The sender may invite the person to rate it (its own mail carries the link): the
    #: record is new to invitations and ratable. True at most once per record.
    invite: bool


@dataclass(frozen=True)
class ServiceStart:
    """A service begun for a visitor, possibly while an officer serves them at the desk."""

    ref: str  # the ``ref`` its ``service_given`` will carry later
    user_id: int
    officer_id: int | None
    at: datetime | None = None


def send_service_given(
    session: Session, event: ServiceEvent, sender: Any = None
) -> Recorded | None:
    """Tell the listeners (the front desk) that a service was given; what the desk
    recorded, or None when nobody records services."""
    found: Recorded | None = None
    for _receiver, result in service_given.send(sender, session=session, event=event):
        if isinstance(result, Recorded):
            found = result
    return found


def send_service_begun(session: Session, start: ServiceStart, sender: Any = None) -> str | None:
    """Announce a service begun for ``start.user_id`` by ``start.officer_id``; the
    reference of the desk service it joins (e.g. ``"desk-ticket:11"``), or None."""
    for _receiver, result in service_begun.send(sender, session=session, start=start):
        if result:
            return str(result)
    return None


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


def objections_to_access(session: Session, publication_id: int, access: str) -> list[Any]:
    """The reasons other features give against ``publication_id`` taking ``access``
    (empty: nobody objects). Receivers only read; they change nothing."""
    answers = access_changing.send(
        None, session=session, publication_id=publication_id, access=access
    )
    return [reason for _receiver, reason in answers if reason]

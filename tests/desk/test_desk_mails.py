"""After a walk-in service a registered visitor is mailed a link to rate it."""

from __future__ import annotations

import email

from deskkit import served_record


def _mails(outbox, to):
    found = [email.message_from_bytes(p.read_bytes()) for p in outbox.messages()]
    return [m for m in found if m["To"] == to]


def _text(message) -> str:
    part = message.get_body(("plain",)) if hasattr(message, "get_body") else message
    return (part or message).get_payload(decode=True).decode()


def test_a_finished_number_invites_its_visitor_to_rate(
    client, session, outbox, clock, officer, visitor
):
    record = served_record(session, officer, clock, user_id=visitor.id)
    invitations = _mails(outbox, visitor.email)
    assert len(invitations) == 1
    body = _text(invitations[0])
    link = f"/desk/rate/{record.rating_token}"
    assert link in body and "Perpustakaan" in body  # the service, in Indonesian
    assert client.get(link).status_code == 200  # the link needs no sign-in


def test_an_anonymous_walk_in_is_not_mailed(session, outbox, clock, officer):
    before = len(list(outbox.messages()))
    served_record(session, officer, clock)
    assert len(list(outbox.messages())) == before


def test_a_cancelled_number_is_not_mailed(session, outbox, clock, officer, visitor):
    from desk import queue
    from desk.models import Channel, Outcome, ServiceType

    ticket = queue.take_ticket(
        session,
        service=ServiceType.LIBRARY,
        now=clock.now,
        channel=Channel.KIOSK,
        user_id=visitor.id,
    )
    queue.call_next(
        session, services=[ServiceType.LIBRARY], officer_id=officer.id, desk="1", now=clock.now
    )
    record = queue.finish(
        session, ticket.id, officer_id=officer.id, now=clock.now, outcome=Outcome.CANCELLED
    )
    assert _mails(outbox, visitor.email) == []  # "Dibatalkan": nothing to rate
    assert not record.ratable and record.invited_at is None

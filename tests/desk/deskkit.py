"""Helpers shared by the front-desk tests (imported as ``deskkit``)."""

from __future__ import annotations

from typing import Any

from desk import queue
from desk.models import Channel, Outcome, ServiceType


def served_record(
    session: Any,
    officer: Any,
    clock: Any,
    *,
    service: ServiceType = ServiceType.LIBRARY,
    user_id: int | None = None,
    desk: str = "1",
) -> Any:
    """Issue, call, start and finish a number: the service record it leaves."""
    ticket = queue.take_ticket(
        session, service=service, now=clock.now, channel=Channel.KIOSK, user_id=user_id
    )
    clock.advance(minutes=2)
    called = queue.call_next(
        session, services=[service], officer_id=officer.id, desk=desk, now=clock.now
    )
    assert called is not None and called.id == ticket.id
    queue.start(session, ticket.id, officer_id=officer.id, now=clock.now)
    clock.advance(minutes=5)
    return queue.finish(
        session,
        ticket.id,
        officer_id=officer.id,
        now=clock.now,
        outcome=Outcome.SERVED,
        products=["Statistik Daerah 2025"],
    )


def login(client: Any, email: str) -> None:
    from factories import PASSWORD
    from helpers import csrf_token

    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code


def mailed(outbox: Any) -> list[Any]:
    """The messages in the test outbox, oldest first (``email.message.Message``)."""
    import email

    return [email.message_from_bytes(p.read_bytes()) for p in outbox.messages()]


def recipients(outbox: Any) -> list[str]:
    return [str(m["To"]) for m in mailed(outbox)]

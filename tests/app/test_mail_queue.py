"""The mail queue under faults, with a real SMTP server (aiosmtpd on loopback).

Each test's app sends to ``127.0.0.1:<port>``, where the server is started and stopped
by the test: "down" is a port nothing listens on, "hanging" one that accepts and never
answers.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from factories import user
from helpers import submit
from sqlalchemy import select

from app import jobs
from app.accounts.models import Role
from app.audit import AuditEvent
from app.db import utcnow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Collect:
    def __init__(self, delay: float = 0.0) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.delay = delay
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
        return "250 OK"


class SMTPServer:
    """A real SMTP server on a fixed port, started and stopped at will."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = _Collect()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> list[tuple[str, list[str], bytes]]:
        return self.handler.messages


@pytest.fixture
def smtp_port() -> int:
    return _free_port()


@pytest.fixture
def smtp(smtp_port: int) -> Iterator[SMTPServer]:
    server = SMTPServer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def extra_config() -> dict[str, Any]:
    """Parametrize a test with this name to change its app's configuration."""
    return {}


@pytest.fixture
def config_overrides(smtp_port: int, extra_config: dict[str, Any]) -> dict[str, Any]:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "MAIL_USE_TLS": False,
        "MAIL_TIMEOUT_S": 3,
        **extra_config,
    }


def _forgot(client: Any) -> tuple[Any, float]:
    started = time.monotonic()
    response = submit(client, "/password/forgot", {"email": "ada@example.org"})
    return response, time.monotonic() - started


def _messages(session: Any) -> list[Any]:
    from app.mail_queue import MailMessage

    session.expire_all()
    return list(session.scalars(select(MailMessage).order_by(MailMessage.id)))


# --- the findings ------------------------------------------------------------------------


@pytest.mark.parametrize("extra_config", [{"JOBS_IMMEDIATE": False}])
def test_mail_written_while_the_server_is_down_is_sent_by_the_worker_once_it_is_up(
    client, session, smtp
):
    """Finding: mail was sent in the request's commit hook and dropped if the server
    was down. Now the request stores it; the worker sends it once the server is up."""
    user(session, email="ada@example.org")
    response, elapsed = _forgot(client)  # the server is down
    assert response.status_code == 302 and elapsed < 8
    smtp.start()
    jobs.run_queued_here(session)  # what the worker does
    assert len(smtp.received) == 1, "the mail was lost"
    ((_sender, rcpts, raw),) = smtp.received
    assert rcpts == ["ada@example.org"]
    assert "/password/reset/" in message_from_bytes(raw, policy=policy.default).as_string()
    jobs.run_queued_here(session)
    assert len(smtp.received) == 1


@pytest.mark.parametrize("extra_config", [{"JOBS_IMMEDIATE": False, "MAIL_TIMEOUT_S": 15}])
def test_a_request_never_waits_on_the_mail_server(client, session, smtp_port):
    """Finding: the request's commit hook talked SMTP (20 s timeout). A server that
    accepts the connection and never answers must not hold the request."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", smtp_port))
    silent.listen(5)
    try:
        user(session, email="ada@example.org")
        response, elapsed = _forgot(client)
    finally:
        silent.close()
    assert response.status_code == 302
    # Talking to this server would take the whole timeout (15 s; 20 s on the old code).
    assert elapsed < 8, f"the request took {elapsed:.1f} s"
    ((message,),) = [_messages(session)]
    assert message.state == "pending" and message.recipient == "ada@example.org"


# --- retries ---------------------------------------------------------------------------


def test_outage_retries_with_backoff_and_sends_exactly_once(client, session, smtp):
    from app.mail import current_mailer, deliver_pending
    from app.mail_queue import deliver_due

    user(session, email="ada@example.org")
    response, elapsed = _forgot(client)  # the job runs at once here and finds no server
    assert response.status_code == 302 and elapsed < 8
    (message,) = _messages(session)
    assert message.state == "pending" and message.attempts == 1
    assert "refused" in (message.last_error or "").lower()
    assert timedelta(seconds=50) < message.next_attempt_at - utcnow() <= timedelta(minutes=1)

    smtp.start()
    assert deliver_pending(session) == 0  # not due yet: the backoff holds
    assert smtp.received == []
    later = utcnow() + timedelta(minutes=1, seconds=1)
    assert deliver_due(session, current_mailer(), later) == 1
    assert deliver_due(session, current_mailer(), later + timedelta(hours=1)) == 0
    assert len(smtp.received) == 1
    (message,) = _messages(session)
    assert message.state == "sent" and message.attempts == 2 and message.sent_at
    assert message.message is None and message.last_error is None  # the body is not kept


def test_backoff_doubles_then_caps_and_gives_up_after_the_limit(app, session, smtp):
    from app.mail import Mail, current_mailer, send_after_commit
    from app.mail_queue import backoff, deliver_due

    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(30) == timedelta(minutes=60)
    send_after_commit(session, current_mailer(), Mail(to="a@example.org", subject="s", text="t"))
    session.commit()
    (message,) = _messages(session)
    assert message.state == "pending"
    now = utcnow()
    for _ in range(5):
        (message,) = _messages(session)
        now = message.next_attempt_at
        assert deliver_due(session, current_mailer(), now) == 0
    (message,) = _messages(session)
    assert message.attempts == 6 and message.state == "pending"
    assert message.next_attempt_at - now == timedelta(minutes=32)
    deliver_due(session, current_mailer(), message.give_up_at)
    (message,) = _messages(session)
    assert message.state == "failed" and message.attempts == 7
    assert "ConnectionRefusedError" in message.last_error
    smtp.start()
    assert deliver_due(session, current_mailer(), message.give_up_at + timedelta(days=9)) == 0
    assert smtp.received == []  # a failed message waits for an admin


def test_a_recipient_refused_for_good_fails_at_once(app, session, smtp):
    from app.mail import Mail, current_mailer, send_after_commit

    smtp.handler.refuse.add("gone@example.org")
    smtp.start()
    send_after_commit(session, current_mailer(), Mail(to="gone@example.org", subject="s", text="t"))
    send_after_commit(session, current_mailer(), Mail(to="here@example.org", subject="s", text="t"))
    session.commit()
    gone, here = _messages(session)
    assert gone.state == "failed" and gone.attempts == 1 and "550" in gone.last_error
    assert here.state == "sent"
    assert [r for _s, r, _raw in smtp.received] == [["here@example.org"]]


@pytest.mark.parametrize(
    "extra_config", [{"JOBS_IMMEDIATE": False, "REDIS_URL": "redis://127.0.0.1:1/0"}]
)
def test_mail_stored_while_the_queue_is_unreachable_goes_with_the_next_run(client, session, smtp):
    """The job could not be handed to the queue (Redis down): the request stands, the
    message waits in the table, and the periodic run (``mail.deliver``) sends it."""
    from app.mail import deliver_pending

    user(session, email="ada@example.org")
    response, _elapsed = _forgot(client)
    assert response.status_code == 302
    job = session.scalars(select(jobs.Job).where(jobs.Job.name == "mail.deliver")).one()
    assert job.state == "queued"  # never handed to the queue
    (message,) = _messages(session)
    assert message.state == "pending"
    smtp.start()
    assert deliver_pending(session) == 1
    assert len(smtp.received) == 1


@pytest.mark.parametrize("extra_config", [{"JOBS_IMMEDIATE": False}])
def test_two_workers_never_send_one_message_twice(app, session, smtp):
    from sqlalchemy.orm import Session

    from app.extensions import db
    from app.mail import Mail, current_mailer, send_after_commit
    from app.mail_queue import deliver_due

    for n in range(12):
        send_after_commit(
            session, current_mailer(), Mail(to=f"p{n}@example.org", subject=f"n{n}", text="t")
        )
    session.commit()
    smtp.handler.delay = 0.05  # so the workers overlap
    smtp.start()
    sent: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            with app.app_context(), Session(db.engine) as own:
                sent.append(deliver_due(own, current_mailer(), utcnow()))
        except BaseException as exc:  # pragma: no cover - shown by the assertion
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sum(sent) == 12
    rcpts = sorted(r[0] for _s, r, _raw in smtp.received)
    assert rcpts == sorted(f"p{n}@example.org" for n in range(12))
    assert all(m.state == "sent" for m in _messages(session))


# --- the admins' page ------------------------------------------------------------------


def _login(client: Any, email: str) -> None:
    from factories import PASSWORD

    response = submit(client, "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302


def test_admins_see_failed_mail_and_send_it_again(app, client, session, smtp):
    from app.mail import Mail, current_mailer, send_after_commit
    from app.mail_queue import MailMessage, deliver_due

    admin = user(session, role=Role.ADMIN, email="admin@example.org")
    send_after_commit(
        session, current_mailer(), Mail(to="budi@example.org", subject="Pesanan A-1", text="t")
    )
    session.commit()
    (message,) = _messages(session)
    deliver_due(session, current_mailer(), message.give_up_at)  # still down: failed
    _login(client, "admin@example.org")
    page = client.get("/staff/mail?state=failed").get_data(as_text=True)
    assert "budi@example.org" in page and "Pesanan A-1" in page
    assert "ConnectionRefusedError" in page

    smtp.start()
    response = submit(client, f"/staff/mail/{message.id}/send-again", {}, page="/staff/mail")
    assert response.status_code == 302
    (message,) = _messages(session)
    assert message.state == "sent"  # the job ran at once (tests run jobs immediately)
    assert [r for _s, r, _raw in smtp.received] == [["budi@example.org"]]
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "mail.sent_again")).one()
    assert event.actor_id == admin.id and event.subject_id == str(message.id)
    # Only a failed message can be sent again.
    again = submit(client, f"/staff/mail/{message.id}/send-again", {}, page="/staff/mail")
    assert again.status_code == 409
    assert session.get(MailMessage, message.id).state == "sent"
    huge = submit(client, f"/staff/mail/{10**30}/send-again", {}, page="/staff/mail")
    assert huge.status_code == 404


def test_outgoing_mail_is_for_admins_only(client, session):
    user(session, role=Role.OFFICER, email="petugas@example.org")
    _login(client, "petugas@example.org")
    assert client.get("/staff/mail").status_code == 403

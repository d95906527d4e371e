"""The mail queue: every outgoing message as a row, delivered with retries.

A message is stored in the transaction of the change that caused it, with a
``mail.deliver`` job (one per transaction), so it commits — or rolls back — with that
change, and nothing announces a change that never happened. :func:`deliver_due` sends
what is due, one message per commit: a message is taken under a row lock
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL) and with a lease, so two workers never send
it twice; a failure to reach the server schedules another attempt with exponential
backoff (1, 2, 4… minutes, capped), and after ``MAIL_GIVE_UP_HOURS`` the message is
marked failed with the error, for an admin to send again.

The composed bytes are kept until the message is sent, then dropped: they hold links
with tokens and the person's data, which a sent message no longer needs.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Index, Integer, LargeBinary, String, Text, event, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, scoped_session

from app import audit, jobs
from app.db import Base, UTCDateTime, utcnow
from app.errors import Conflict, NotFound
from app.uow import after_commit, transactional, unit_of_work

log = logging.getLogger(__name__)

DELIVER_JOB = "mail.deliver"
PENDING, SENT, FAILED = "pending", "sent", "failed"
STATES = (PENDING, SENT, FAILED)
#: How long a message taken by a worker is kept from the others (SQLite holds no row
#: lock across the send): longer than any SMTP conversation.
LEASE = timedelta(minutes=10)
#: Most messages one delivery run sends (the next run takes the rest).
BATCH = 200
_KEY = "pst.mail_job"


class MailMessage(Base):
    __tablename__ = "mail_messages"
    __table_args__ = (Index("ix_mail_messages_due", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(255))
    #: The composed RFC 5322 message (attachments included); emptied once sent.
    message: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    state: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: After this moment a failed attempt marks the message failed.
    give_up_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Transport(Protocol):
    def send_raw(self, to: str, raw: bytes) -> None: ...


# --- storing ----------------------------------------------------------------------------


def _give_up_after() -> timedelta:
    return timedelta(hours=float(current_app.config.get("MAIL_GIVE_UP_HOURS") or 48))


def store(
    session: Session | scoped_session[Session], *, to: str, subject: str, raw: bytes
) -> MailMessage:
    """Add a pending message to ``session``'s transaction, and (once per transaction)
    the job that delivers it after commit."""
    if isinstance(session, scoped_session):
        session = session()
    now = utcnow()
    message = MailMessage(
        recipient=to[:320],
        subject=subject[:255],
        message=raw,
        state=PENDING,
        attempts=0,
        next_attempt_at=now,
        give_up_at=now + _give_up_after(),
        created_at=now,
    )
    session.add(message)
    _deliver_after_commit(session)
    return message


def _deliver_after_commit(session: Session) -> None:
    if session.info.get(_KEY):
        return  # this transaction has its delivery job already
    jobs.enqueue(session, DELIVER_JOB)
    session.info[_KEY] = True
    after_commit(session, lambda: session.info.pop(_KEY, None))


@event.listens_for(Session, "after_soft_rollback")
def _forget_job(session: Session, previous_transaction: object) -> None:
    session.info.pop(_KEY, None)


# --- delivering -------------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4… minutes, capped."""
    cap = float(current_app.config.get("MAIL_RETRY_MAX_MINUTES") or 60)
    return timedelta(minutes=min(2 ** max(0, attempts - 1), cap))


def deliver_due(session: Session, mailer: Transport, now: datetime) -> int:
    """Send the messages due at ``now`` through ``mailer``; return how many were sent.

    Each message is marked sent (or rescheduled, or failed) in its own commit right
    after its attempt, so a worker that dies loses at most the one in hand — which is
    tried again once its lease ends.
    """
    sent = 0
    # PostgreSQL: one unit of work per message, holding its row lock through the send.
    # SQLite: the claim is a unit of work of its own, committed before the send.
    hold = session.get_bind().dialect.name == "postgresql"
    for _ in range(BATCH):
        with unit_of_work(session):
            taken = _take(session, now)
            if hold and isinstance(taken, tuple):
                sent += _attempt(session, mailer, taken, now)
        if taken is None:
            break
        if not isinstance(taken, tuple):
            continue  # another worker took it first
        if not hold:
            with unit_of_work(session):
                sent += _attempt(session, mailer, taken, now)
    return sent


def _attempt(
    session: Session, mailer: Transport, taken: tuple[int, str, bytes], now: datetime
) -> int:
    """Send one claimed message and record the outcome; 1 when it was sent."""
    message_id, to, raw = taken
    try:
        mailer.send_raw(to, raw)
    except Exception as exc:
        if not isinstance(exc, OSError | smtplib.SMTPException):
            log.exception("mail %s could not be sent", message_id)
        _failed_attempt(session, message_id, exc, now)
        return 0
    _sent(session, message_id)
    return 1


def _take(session: Session, now: datetime) -> tuple[int, str, bytes] | bool | None:
    """Claim the next due message: ``(id, recipient, bytes)``, ``None`` when nothing
    is due, ``False`` when another worker claimed the one found first.

    PostgreSQL keeps the row locked (SKIP LOCKED: other workers pass it by) until the
    attempt is recorded. SQLite has no row locks and allows one writer, which must not
    wait on a mail server, so there the claim — a lease on ``next_attempt_at``, won by
    whoever updates ``attempts`` first — is committed before the send (the caller's
    units of work draw these lines).
    """
    row = session.execute(
        select(MailMessage.id, MailMessage.attempts, MailMessage.recipient, MailMessage.message)
        .where(MailMessage.state == PENDING, MailMessage.next_attempt_at <= now)
        .order_by(MailMessage.next_attempt_at, MailMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if row is None:
        return None
    claimed = session.execute(
        update(MailMessage)
        .where(
            MailMessage.id == row.id,
            MailMessage.state == PENDING,
            MailMessage.attempts == row.attempts,
        )
        .values(attempts=row.attempts + 1, next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    if not getattr(claimed, "rowcount", 0):
        return False
    return row.id, row.recipient, row.message or b""


def _sent(session: Session, message_id: int) -> None:
    session.execute(
        update(MailMessage)
        .where(MailMessage.id == message_id)
        .values(state=SENT, sent_at=utcnow(), message=None, last_error=None)
        .execution_options(synchronize_session=False)
    )


def _permanent(exc: Exception) -> bool:
    """The server refused this message for good (5xx for the recipient, the size…);
    a refused login is the office's configuration, which can be fixed: retried."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def _describe(exc: Exception) -> str:
    """The error as an admin reads it: its kind and the server's words (which name no
    one but the recipient)."""
    text = str(exc).strip()
    return (f"{type(exc).__name__}: {text}" if text else type(exc).__name__)[:500]


def _failed_attempt(session: Session, message_id: int, exc: Exception, now: datetime) -> None:
    """Record a failed attempt: on PostgreSQL in the claim's transaction (still holding
    the row), on SQLite in a new one (the claim is committed, ``attempts`` counted)."""
    row = session.execute(
        select(MailMessage.attempts, MailMessage.give_up_at, MailMessage.state).where(
            MailMessage.id == message_id
        )
    ).first()
    if row is None or row.state != PENDING:
        return
    values: dict[str, Any] = {"last_error": _describe(exc)}
    if _permanent(exc) or now >= row.give_up_at:
        values["state"] = FAILED
        log.warning("mail %s failed after %s attempts (%s)", message_id, row.attempts, type(exc))
    else:
        values["next_attempt_at"] = now + backoff(row.attempts)
        log.warning("mail %s not sent (attempt %s), tried again later", message_id, row.attempts)
    session.execute(
        update(MailMessage)
        .where(MailMessage.id == message_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


# --- for admins -------------------------------------------------------------------------


def recent(
    session: Session, *, state: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[MailMessage], int]:
    """Messages newest first (optionally in one state) and how many there are."""
    query = select(MailMessage)
    if state in STATES:
        query = query.where(MailMessage.state == state)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def counts(session: Session) -> dict[str, int]:
    found: dict[str, Any] = dict(
        session.execute(select(MailMessage.state, func.count()).group_by(MailMessage.state)).all()
    )
    return {state: int(found.get(state, 0)) for state in STATES}


class MessageNotFailed(Conflict):
    message = _l("Only a message that failed can be sent again.")


@transactional
def send_again(session: Session, message_id: int, *, actor_id: int | None) -> MailMessage:
    """Put a failed message back in the queue (an admin's decision, audited): it is
    tried at once, and again with backoff for another ``MAIL_GIVE_UP_HOURS``."""
    if not 0 < message_id < 2**31:  # an id no row can have (PostgreSQL would refuse it)
        raise NotFound()
    message = session.get(MailMessage, message_id, with_for_update=True)
    if message is None:
        raise NotFound()
    if message.state != FAILED or message.message is None:
        raise MessageNotFailed()
    now = utcnow()
    previous = message.last_error
    message.state, message.attempts = PENDING, 0
    message.next_attempt_at, message.give_up_at = now, now + _give_up_after()
    audit.record(
        session,
        "mail.sent_again",
        actor_id=actor_id,
        subject_type="mail_message",
        subject_id=message.id,
        detail={"error": previous or ""},
    )
    _deliver_after_commit(session)
    return message


audit.label_actions({"mail.sent_again": _l("Mail sent again")}, {"error": _l("Last error")})

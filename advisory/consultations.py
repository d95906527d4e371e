"""Consultations and data requests (SOP-1-03): tickets with threaded messages.

A person asks online (after searching, see :mod:`advisory.faq`); an officer records
questions that came by email or at the desk when they need follow-up (a table to
process). The request gets its deadline from the service calendar
(:mod:`advisory.deadlines`), an officer takes it (or is assigned it), may escalate it
to subject-matter staff, and answers; the answer completes the service, which the
front desk records and invites a rating for (``service_given``). A data request that
needs processing gets a numbered letter with the agreed completion date
(:func:`issue_data_letter`), which then becomes its deadline.

Every function takes the session, the acting user and the clock ``now``, runs in a unit
of work (:func:`app.uow.transactional`: it commits, or raises an
:class:`~advisory.errors.AdvisoryError` and everything rolls back), locks the row it
changes, leaves an audit event and mails the people concerned (after commit).

What the steps share is :mod:`advisory.consultation_support`; the data request letter
is :mod:`advisory.data_letters`, the lists :mod:`advisory.consultation_lists` (their
names are importable from here too).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from advisory import attachments as files
from advisory import deadlines, mails

# What the steps share, the data request letter and the lists live in modules of their
# own; their public names stay importable from here ("as" marks a re-export).
from advisory.consultation_lists import StaffQueue as StaffQueue
from advisory.consultation_lists import my_consultations as my_consultations
from advisory.consultation_lists import staff_members as staff_members
from advisory.consultation_lists import staff_queue as staff_queue
from advisory.consultation_support import OFFICERS as OFFICERS
from advisory.consultation_support import READERS as READERS
from advisory.consultation_support import SOURCE as SOURCE
from advisory.consultation_support import (
    audit_step,
    clean,
    link,
    locked,
    mail_staff,
    mail_status,
    service_ref,
    staff_user,
    status_label,
)
from advisory.consultation_support import can_handle as can_handle
from advisory.consultation_support import can_read as can_read
from advisory.consultation_support import get_consultation as get_consultation
from advisory.consultation_support import is_officer as is_officer
from advisory.consultation_support import rate_link as rate_link
from advisory.consultation_support import visible_messages as visible_messages
from advisory.data_letters import issue_data_letter as issue_data_letter
from advisory.errors import (
    ConsultationNotFound,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
)
from advisory.labels import KIND_LABELS
from advisory.models import (
    Channel,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    Message,
)
from advisory.settings import Settings
from app import idempotency
from app.accounts.models import Role, User
from app.events import ServiceEvent, ServiceStart, send_service_begun, send_service_given
from app.uow import transactional
from storage import BlobStore

# --- creating -------------------------------------------------------------------------


@transactional
def create_consultation(
    session: Session,
    store: BlobStore,
    *,
    requester: User,
    subject: str,
    body: str,
    kind: ConsultationKind = ConsultationKind.QUESTION,
    topic: str = "",
    channel: Channel = Channel.ONLINE,
    uploads: Sequence[files.Upload] = (),
    now: datetime,
    settings: Settings,
    actor: User | None = None,
    submission: str | None = None,
) -> Consultation:
    """Open a consultation for ``requester`` (asked by themselves, or recorded by the
    officer ``actor`` from an email or a walk-in visit). ``submission`` is the form's
    one-time token: a second post of it raises ``AlreadySubmitted``."""
    actor = actor or requester
    if actor.id != requester.id and not is_officer(actor):
        raise NotAllowed()
    if channel != Channel.ONLINE and not is_officer(actor):
        raise NotAllowed()
    subject, body = clean(subject, 200), clean(body, 20_000)
    if len(subject) < 3 or len(body) < 3:
        raise InvalidInput(_l("Write a subject and your question."))
    claimed = idempotency.claim(session, submission, kind="advisory.consultation", user_id=actor.id)
    received_on, due_on = deadlines.consultation_due(session, now, settings)
    c = Consultation(
        user_id=requester.id,
        kind=kind,
        channel=channel,
        status=ConsultationStatus.NEW,
        subject=subject,
        topic=clean(topic, 120),
        received_at=now,
        received_on=received_on,
        due_on=due_on,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    c.user = requester
    message = Message(author_id=actor.id, body=body, created_at=now)
    c.messages.append(message)
    session.add(c)
    files.attach(session, store, message, uploads, settings)
    session.flush()
    idempotency.settle(claimed, c.id)
    if actor.id != requester.id:
        # Recorded by an officer: it is theirs to handle.
        c.assigned_to_id, c.assigned_at = actor.id, now
        c.status = ConsultationStatus.ASSIGNED
    audit_step(
        session,
        "created",
        c,
        actor,
        now,
        kind=kind.value,
        channel=channel.value,
        due=due_on.isoformat(),
    )
    if channel == Channel.WALK_IN:
        # Asked at the desk: its answer joins the record of the number being served.
        send_service_begun(
            session,
            ServiceStart(ref=service_ref(c.id), user_id=requester.id, officer_id=actor.id, at=now),
        )
    mail_status(session, c)
    return c


# --- the thread -----------------------------------------------------------------------


@transactional
def post_message(
    session: Session,
    store: BlobStore,
    consultation_id: int,
    *,
    author: User,
    body: str,
    uploads: Sequence[files.Upload] = (),
    internal: bool = False,
    now: datetime,
    settings: Settings,
) -> Message:
    """Add a message. The requester's reply to an answer reopens the consultation; an
    officer's reply to a new one takes it. ``internal`` notes are for staff only."""
    c = locked(session, consultation_id)
    requester = c.user_id == author.id
    handler = can_handle(author, c)
    if not requester and not handler:
        raise ConsultationNotFound() if not can_read(author, c) else NotAllowed()
    if c.status in (ConsultationStatus.CLOSED, ConsultationStatus.CANCELLED):
        raise IllegalTransition(status_label(c.status), _l("answered"))
    body = clean(body, 20_000)
    if not body and not any(u.filename for u in uploads):
        raise InvalidInput(_l("Write a message or attach a file."))
    internal = internal and handler and not requester
    message = Message(
        consultation_id=c.id, author_id=author.id, body=body, internal=internal, created_at=now
    )
    c.messages.append(message)
    files.attach(session, store, message, uploads, settings)
    reopened = False
    if requester and not handler:
        if c.status == ConsultationStatus.ANSWERED:
            c.status = (
                ConsultationStatus.ESCALATED
                if c.escalated_to_id
                else (ConsultationStatus.ASSIGNED if c.assigned_to_id else ConsultationStatus.NEW)
            )
            reopened = True
        handlers = {p.id: p for p in (c.assigned_to, c.escalated_to) if p is not None}
        for person in handlers.values():
            mail_staff(session, person, c, _l("The requester wrote a new message."))
    else:
        if c.status == ConsultationStatus.NEW and is_officer(author):
            c.assigned_to_id, c.assigned_at = author.id, now
            c.status = ConsultationStatus.ASSIGNED
            c.assigned_to = author
        if not internal:
            mails.send(
                session,
                c.user,
                _l("%(ref)s: a new message", ref=c.reference),
                "consultation_message",
                c=c,
                author=author.full_name,
                body=body,
                link=link(c),
            )
    c.updated_at = now
    audit_step(
        session,
        "message",
        c,
        author,
        now,
        internal=internal,
        reopened=reopened,
        files=len(message.attachments),
    )
    return message


@transactional
def assign(
    session: Session, consultation_id: int, *, officer_id: int, actor: User, now: datetime
) -> Consultation:
    """Give the consultation to an officer (an officer may take it themselves)."""
    if not is_officer(actor):
        raise NotAllowed()
    c = locked(session, consultation_id)
    if not c.is_open:
        raise IllegalTransition(status_label(c.status), _l("assigned"))
    officer = staff_user(session, officer_id, *OFFICERS)
    before = c.assigned_to_id
    c.assigned_to_id, c.assigned_at = officer.id, now
    c.assigned_to = officer
    was_new = c.status == ConsultationStatus.NEW
    if was_new:
        c.status = ConsultationStatus.ASSIGNED
    c.updated_at = now
    audit_step(session, "assigned", c, actor, now, before=before, after=officer.id)
    if was_new:
        mail_status(session, c)
    if officer.id != actor.id:
        mail_staff(session, officer, c, _l("A consultation was assigned to you."))
    return c


@transactional
def escalate(
    session: Session,
    consultation_id: int,
    *,
    specialist_id: int,
    note: str,
    actor: User,
    now: datetime,
) -> Consultation:
    """Ask subject-matter staff to help (SOP-1-03: deep questions); the note is internal."""
    if not is_officer(actor):
        raise NotAllowed()
    c = locked(session, consultation_id)
    if not c.is_open:
        raise IllegalTransition(status_label(c.status), _l("escalated"))
    specialist = staff_user(session, specialist_id, Role.SUBJECT_MATTER)
    note = clean(note, 5000)
    if not note:
        raise InvalidInput(_l("Say what the specialist should help with."))
    c.escalated_to_id, c.escalated_at = specialist.id, now
    c.escalated_to = specialist
    if c.assigned_to_id is None:
        c.assigned_to_id, c.assigned_at = actor.id, now
    c.status = ConsultationStatus.ESCALATED
    c.messages.append(
        Message(consultation_id=c.id, author_id=actor.id, body=note, internal=True, created_at=now)
    )
    c.updated_at = now
    audit_step(session, "escalated", c, actor, now, specialist=specialist.id)
    mail_status(session, c)
    mail_staff(
        session,
        specialist,
        c,
        _l(
            "%(name)s asks for your help with a consultation: %(note)s",
            name=actor.full_name,
            note=note,
        ),
    )
    return c


@transactional
def answer(
    session: Session,
    store: BlobStore,
    consultation_id: int,
    *,
    actor: User,
    body: str,
    uploads: Sequence[files.Upload] = (),
    now: datetime,
    settings: Settings,
) -> Consultation:
    """Send the answer: the service is given. The first answer tells the front desk
    (a service record and a rating invitation); a later one (after a follow-up) does not
    count twice."""
    c = locked(session, consultation_id)
    if not can_handle(actor, c):
        raise NotAllowed()
    if not c.is_open:
        raise IllegalTransition(status_label(c.status), _l("answered"))
    body = clean(body, 20_000)
    if len(body) < 3:
        raise InvalidInput(_l("Write the answer."))
    message = Message(
        consultation_id=c.id, author_id=actor.id, body=body, is_answer=True, created_at=now
    )
    c.messages.append(message)
    files.attach(session, store, message, uploads, settings)
    first = c.answered_at is None
    c.status = ConsultationStatus.ANSWERED
    c.answered_at = c.answered_at or now
    c.answered_by_id = c.answered_by_id or actor.id
    if c.assigned_to_id is None and is_officer(actor):
        c.assigned_to_id, c.assigned_at = actor.id, now
    c.updated_at = now
    on_time = deadlines.met(c.deadline, now)
    audit_step(session, "answered", c, actor, now, on_time=on_time, first=first)
    invite = False
    if first:
        recorded = send_service_given(
            session,
            ServiceEvent(
                service="consultation",
                user_id=c.user_id,
                started_at=c.received_at,
                ended_at=now,
                channel="walk_in" if c.channel == Channel.WALK_IN else "online",
                officer_id=actor.id,
                outcome="served",
                products=[c.subject],
                note=str(KIND_LABELS[c.kind]),
                source=SOURCE,
                source_ref=str(c.id),
                ref=service_ref(c.id),
                invite=True,
            ),
        )
        # One rating invitation per service: none when it joined a desk visit already
        # invited (or cancelled).
        invite = recorded is not None and recorded.invite
    mail_status(session, c, note=body, rate=invite)
    return c


@transactional
def close(session: Session, consultation_id: int, *, actor: User, now: datetime) -> Consultation:
    """Close an answered consultation, or cancel an open one (the requester withdraws,
    or an officer closes a duplicate)."""
    c = locked(session, consultation_id)
    if c.user_id != actor.id and not is_officer(actor):
        raise NotAllowed()
    if c.status == ConsultationStatus.ANSWERED:
        c.status = ConsultationStatus.CLOSED
    elif c.is_open:
        c.status = ConsultationStatus.CANCELLED
    else:
        raise IllegalTransition(status_label(c.status), _l("closed"))
    c.closed_at, c.updated_at = now, now
    audit_step(session, c.status.value, c, actor, now)
    mail_status(session, c)
    return c

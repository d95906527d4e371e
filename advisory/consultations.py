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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from advisory import attachments as files
from advisory import deadlines, letters, mails
from advisory.errors import (
    ConsultationNotFound,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
    NotStaff,
)
from advisory.labels import CONSULTATION_STATUS_LABELS, KIND_LABELS
from advisory.models import (
    OPEN_CONSULTATION,
    Channel,
    Consultation,
    ConsultationKind,
    ConsultationStatus,
    Letter,
    LetterKind,
    Message,
)
from advisory.settings import Settings
from app import audit, idempotency
from app.accounts.models import Role, User
from app.events import ServiceEvent, ServiceStart, send_service_begun, send_service_given
from app.i18n import format_day
from app.pdf import tanggal
from app.uow import transactional
from app.urls import external_url
from storage import BlobStore

#: Who handles consultations (admins hold every role).
OFFICERS = (Role.OFFICER, Role.HEAD)
#: Staff who may read any consultation.
READERS = (Role.OFFICER, Role.HEAD, Role.SUBJECT_MATTER)
SOURCE = "advisory.consultation"


def _clean(text: str | None, limit: int) -> str:
    return (text or "").strip()[:limit]


def _status_label(status: ConsultationStatus) -> Any:
    """The status's name as a lazy string (mails render it in the recipient's language)."""
    return CONSULTATION_STATUS_LABELS[status]


def _link(c: Consultation) -> str:
    return external_url("advisory.consultation", consultation_id=c.id)


def _staff_link(c: Consultation) -> str:
    return external_url("advisory.staff_consultation", consultation_id=c.id)


def rate_link() -> str | None:
    """Where the requester rates the service (the front desk's page), if it exists."""
    if "desk.my_services" in current_app.view_functions:
        return external_url("desk.my_services")
    return None


# --- access ---------------------------------------------------------------------------


def is_officer(user: User) -> bool:
    return user.has_role(*OFFICERS)


def can_read(user: User, c: Consultation) -> bool:
    return c.user_id == user.id or user.has_role(*READERS)


def can_handle(user: User, c: Consultation) -> bool:
    """Officers, and the specialist it was escalated to."""
    return is_officer(user) or (c.escalated_to_id is not None and c.escalated_to_id == user.id)


def get_consultation(session: Session, consultation_id: int, user: User) -> Consultation:
    """A consultation ``user`` may read (someone else's is "not found")."""
    c = session.get(Consultation, consultation_id)
    if c is None or not can_read(user, c):
        raise ConsultationNotFound()
    return c


def _locked(session: Session, consultation_id: int) -> Consultation:
    c = session.get(Consultation, consultation_id, with_for_update=True, populate_existing=True)
    if c is None:
        raise ConsultationNotFound()
    return c


def visible_messages(c: Consultation, user: User) -> list[Message]:
    staff = user.has_role(*READERS)
    return [m for m in c.messages if staff or not m.internal]


def _staff_user(session: Session, user_id: int, *roles: Role) -> User:
    person = session.get(User, user_id)
    if person is None or not person.active or not person.has_role(*roles):
        raise NotStaff()
    return person


def _audit(
    session: Session, action: str, c: Consultation, actor: User | None, now: datetime, **detail: Any
) -> None:
    audit.record(
        session,
        f"advisory.consultation_{action}",
        actor_id=actor.id if actor else None,
        subject_type="advisory_consultation",
        subject_id=c.id,
        detail=detail or None,
        at=now,
    )


def _mail_status(session: Session, c: Consultation, *, note: Any = "", rate: bool = False) -> None:
    mails.send(
        session,
        c.user,
        _l("%(ref)s: %(status)s", ref=c.reference, status=_status_label(c.status)),
        "consultation_status",
        c=c,
        status_label=_status_label(c.status),
        note=note,
        link=_link(c),
        rate_link=rate_link() if rate else None,
    )


def _mail_staff(session: Session, person: User | None, c: Consultation, message: Any) -> None:
    mails.send(
        session,
        person,
        _l("%(ref)s: %(subject)s", ref=c.reference, subject=c.subject),
        "staff_notice",
        message=message,
        ref=c.reference,
        what=c.subject,
        due=c.deadline if c.is_open else None,
        link=_staff_link(c),
    )


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
    subject, body = _clean(subject, 200), _clean(body, 20_000)
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
        topic=_clean(topic, 120),
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
    _audit(
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
    _mail_status(session, c)
    return c


def service_ref(consultation_id: int) -> str:
    """A consultation as a service (its record at the front desk)."""
    return f"advisory-consultation:{consultation_id}"


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
    c = _locked(session, consultation_id)
    requester = c.user_id == author.id
    handler = can_handle(author, c)
    if not requester and not handler:
        raise ConsultationNotFound() if not can_read(author, c) else NotAllowed()
    if c.status in (ConsultationStatus.CLOSED, ConsultationStatus.CANCELLED):
        raise IllegalTransition(_status_label(c.status), _l("answered"))
    body = _clean(body, 20_000)
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
            _mail_staff(session, person, c, _l("The requester wrote a new message."))
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
                link=_link(c),
            )
    c.updated_at = now
    _audit(
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
    c = _locked(session, consultation_id)
    if not c.is_open:
        raise IllegalTransition(_status_label(c.status), _l("assigned"))
    officer = _staff_user(session, officer_id, *OFFICERS)
    before = c.assigned_to_id
    c.assigned_to_id, c.assigned_at = officer.id, now
    c.assigned_to = officer
    was_new = c.status == ConsultationStatus.NEW
    if was_new:
        c.status = ConsultationStatus.ASSIGNED
    c.updated_at = now
    _audit(session, "assigned", c, actor, now, before=before, after=officer.id)
    if was_new:
        _mail_status(session, c)
    if officer.id != actor.id:
        _mail_staff(session, officer, c, _l("A consultation was assigned to you."))
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
    c = _locked(session, consultation_id)
    if not c.is_open:
        raise IllegalTransition(_status_label(c.status), _l("escalated"))
    specialist = _staff_user(session, specialist_id, Role.SUBJECT_MATTER)
    note = _clean(note, 5000)
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
    _audit(session, "escalated", c, actor, now, specialist=specialist.id)
    _mail_status(session, c)
    _mail_staff(
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
    c = _locked(session, consultation_id)
    if not can_handle(actor, c):
        raise NotAllowed()
    if not c.is_open:
        raise IllegalTransition(_status_label(c.status), _l("answered"))
    body = _clean(body, 20_000)
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
    _audit(session, "answered", c, actor, now, on_time=on_time, first=first)
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
    _mail_status(session, c, note=body, rate=invite)
    return c


@transactional
def close(session: Session, consultation_id: int, *, actor: User, now: datetime) -> Consultation:
    """Close an answered consultation, or cancel an open one (the requester withdraws,
    or an officer closes a duplicate)."""
    c = _locked(session, consultation_id)
    if c.user_id != actor.id and not is_officer(actor):
        raise NotAllowed()
    if c.status == ConsultationStatus.ANSWERED:
        c.status = ConsultationStatus.CLOSED
    elif c.is_open:
        c.status = ConsultationStatus.CANCELLED
    else:
        raise IllegalTransition(_status_label(c.status), _l("closed"))
    c.closed_at, c.updated_at = now, now
    _audit(session, c.status.value, c, actor, now)
    _mail_status(session, c)
    return c


# --- the data request letter ----------------------------------------------------------


@transactional
def issue_data_letter(
    session: Session,
    store: BlobStore,
    consultation_id: int,
    *,
    actor: User,
    data: str,
    purpose: str,
    agreed_on: date,
    terms: str,
    now: datetime,
) -> Letter:
    """The data request letter (*surat permintaan data*): the table asked for, the terms
    and the agreed completion date, which becomes the request's deadline."""
    if not is_officer(actor):
        raise NotAllowed()
    c = _locked(session, consultation_id)
    if not c.is_open:
        raise IllegalTransition(_status_label(c.status), _l("given a letter"))
    data, purpose, terms = _clean(data, 2000), _clean(purpose, 500), _clean(terms, 2000)
    if len(data) < 3:
        raise InvalidInput(_l("Describe the data that will be prepared."))
    if agreed_on < deadlines.today(now):
        raise InvalidInput(_l("The completion date cannot be in the past."))
    requester = c.user
    recipient = requester.full_name + (
        f" ({requester.institution})" if requester.institution else ""
    )
    content = letters.LetterContent(
        kind=LetterKind.DATA_REQUEST,
        recipient=recipient,
        title=data,
        issued_on=deadlines.today(now),
        signer_name=actor.full_name,
        signer_role="Petugas Pelayanan Statistik Terpadu",
        reference=c.reference,
        rows=[
            ("Nomor permintaan", c.reference),
            ("Nama pemohon", requester.full_name),
            ("Instansi", requester.institution or "-"),
            ("Email", requester.email or "-"),
            ("Data yang diminta", data),
            ("Keperluan", purpose or "-"),
            ("Tanggal diterima", tanggal(c.received_on)),
            ("Tanggal penyelesaian yang disepakati", tanggal(agreed_on)),
            ("Syarat dan ketentuan", terms or "-"),
        ],
        details={"reference": c.reference, "agreed_on": agreed_on.isoformat()},
    )
    letter = letters.issue(session, store, content, actor_id=actor.id, consultation_id=c.id)
    c.kind = ConsultationKind.DATA_REQUEST
    c.agreed_due_on = agreed_on
    if c.assigned_to_id is None:
        c.assigned_to_id, c.assigned_at = actor.id, now
        c.status = ConsultationStatus.ASSIGNED
    c.messages.append(
        Message(
            consultation_id=c.id,
            author_id=actor.id,
            body=f"Surat permintaan data {letter.number}: {data} — {tanggal(agreed_on)}",
            created_at=now,
        )
    )
    c.updated_at = now
    c.reminded_at = None  # a new deadline: remind again before it
    _audit(
        session,
        "letter_issued",
        c,
        actor,
        now,
        number=letter.number,
        agreed_on=agreed_on.isoformat(),
    )
    _mail_status(
        session,
        c,
        note=_l(
            "Data request letter %(number)s: the data will be ready by %(day)s.",
            number=letter.number,
            day=LazyString(format_day, agreed_on),  # written in the recipient's language
        ),
    )
    return letter


# --- lists ----------------------------------------------------------------------------


def my_consultations(session: Session, user_id: int) -> list[Consultation]:
    return list(
        session.scalars(
            select(Consultation)
            .where(Consultation.user_id == user_id)
            .order_by(Consultation.created_at.desc())
            .limit(200)
        )
    )


@dataclass
class StaffQueue:
    mine: list[Consultation]  # assigned to me or escalated to me, by deadline
    unassigned: list[Consultation]
    others: list[Consultation]  # open, someone else's
    answered: list[Consultation]  # recently answered (for FAQ publishing)


def staff_queue(session: Session, user: User) -> StaffQueue:
    open_rows = list(
        session.scalars(
            select(Consultation)
            .where(Consultation.status.in_(OPEN_CONSULTATION))
            .options(joinedload(Consultation.user), joinedload(Consultation.assigned_to))
            .order_by(Consultation.due_on, Consultation.id)
        ).unique()
    )
    open_rows.sort(key=lambda c: (c.deadline, c.id))
    mine = [c for c in open_rows if user.id in (c.assigned_to_id, c.escalated_to_id)]
    unassigned = [c for c in open_rows if c.assigned_to_id is None and c not in mine]
    others = [c for c in open_rows if c not in mine and c not in unassigned]
    answered = list(
        session.scalars(
            select(Consultation)
            .where(
                Consultation.status.in_((ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED))
            )
            .where(
                or_(
                    Consultation.assigned_to_id == user.id,
                    Consultation.answered_by_id == user.id,
                    Consultation.escalated_to_id == user.id,
                )
            )
            .order_by(Consultation.answered_at.desc())
            .limit(20)
        )
    )
    if not user.has_role(*OFFICERS):  # subject-matter staff see what was given to them
        return StaffQueue(mine, [], [], answered)
    return StaffQueue(mine, unassigned, others, answered)


def staff_members(session: Session, *roles: Role) -> list[User]:
    return [
        u
        for u in session.scalars(select(User).where(User.active).order_by(User.full_name))
        if u.role in roles
    ]

"""What every step of a consultation shares: who may read or handle it, its row locked
for a change, its audit events and the mails that tell people about it.

Used by :mod:`advisory.consultations` (the thread and its states) and
:mod:`advisory.data_letters` (the data request letter).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from werkzeug.routing import BuildError

from advisory import mails
from advisory.errors import ConsultationNotFound, NotStaff
from advisory.labels import CONSULTATION_STATUS_LABELS
from advisory.models import Consultation, ConsultationStatus, Message
from app import audit
from app.accounts.models import Role, User
from app.urls import external_url

#: Who handles consultations (admins hold every role).
OFFICERS = (Role.OFFICER, Role.HEAD)
#: Staff who may read any consultation.
READERS = (Role.OFFICER, Role.HEAD, Role.SUBJECT_MATTER)
SOURCE = "advisory.consultation"


def clean(text: str | None, limit: int) -> str:
    return (text or "").strip()[:limit]


def status_label(status: ConsultationStatus) -> Any:
    """The status's name as a lazy string (mails render it in the recipient's language)."""
    return CONSULTATION_STATUS_LABELS[status]


def link(c: Consultation) -> str:
    return external_url("advisory.consultation", consultation_id=c.id)


def staff_link(c: Consultation) -> str:
    return external_url("advisory.staff_consultation", consultation_id=c.id)


def rate_link() -> str | None:
    """Where the requester rates the service (the front desk's page), if it exists."""
    try:
        return external_url("desk.my_services")
    except BuildError:  # an app without the front desk
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


def locked(session: Session, consultation_id: int) -> Consultation:
    c = session.get(Consultation, consultation_id, with_for_update=True, populate_existing=True)
    if c is None:
        raise ConsultationNotFound()
    return c


def visible_messages(c: Consultation, user: User) -> list[Message]:
    staff = user.has_role(*READERS)
    return [m for m in c.messages if staff or not m.internal]


def staff_user(session: Session, user_id: int, *roles: Role) -> User:
    person = session.get(User, user_id)
    if person is None or not person.active or not person.has_role(*roles):
        raise NotStaff()
    return person


def audit_step(
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


def mail_status(session: Session, c: Consultation, *, note: Any = "", rate: bool = False) -> None:
    mails.send(
        session,
        c.user,
        _l("%(ref)s: %(status)s", ref=c.reference, status=status_label(c.status)),
        "consultation_status",
        c=c,
        status_label=status_label(c.status),
        note=note,
        link=link(c),
        rate_link=rate_link() if rate else None,
    )


def mail_staff(session: Session, person: User | None, c: Consultation, message: Any) -> None:
    mails.send(
        session,
        person,
        _l("%(ref)s: %(subject)s", ref=c.reference, subject=c.subject),
        "staff_notice",
        message=message,
        ref=c.reference,
        what=c.subject,
        due=c.deadline if c.is_open else None,
        link=staff_link(c),
    )


def service_ref(consultation_id: int) -> str:
    """A consultation as a service (its record at the front desk)."""
    return f"advisory-consultation:{consultation_id}"

"""What every step of a recommendation request shares: who may read, edit or handle it,
its row locked for a change, its audit events and the mails that tell people about it.

Used by :mod:`advisory.recommendations` (the requester's steps and documents) and
:mod:`advisory.recommendation_review` (the officer's verification, the head's approval).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from advisory import letters, mails
from advisory.errors import RecommendationNotFound
from advisory.labels import RECOMMENDATION_STATUS_LABELS
from advisory.models import Letter, Recommendation, RecommendationStatus, RecommendationVersion
from app import audit
from app.accounts.models import Role, User
from app.urls import external_url

OFFICERS = (Role.OFFICER, Role.HEAD)
SOURCE = "advisory.recommendation"


def status_label(status: RecommendationStatus) -> Any:
    """The status's name as a lazy string (mails render it in the recipient's language)."""
    return RECOMMENDATION_STATUS_LABELS[status]


def link(r: Recommendation) -> str:
    return external_url("advisory.recommendation", rec_id=r.id)


def staff_link(r: Recommendation) -> str:
    return external_url("advisory.staff_recommendation", rec_id=r.id)


def is_officer(user: User) -> bool:
    return user.has_role(*OFFICERS)


def can_read(user: User, r: Recommendation) -> bool:
    return r.user_id == user.id or user.has_role(Role.OFFICER, Role.HEAD, Role.SUBJECT_MATTER)


def can_edit(user: User, r: Recommendation) -> bool:
    return r.user_id == user.id or (r.created_by_id == user.id and is_officer(user))


def get_recommendation(session: Session, rec_id: int, user: User) -> Recommendation:
    r = session.get(Recommendation, rec_id)
    if r is None or not can_read(user, r):
        raise RecommendationNotFound()
    return r


def locked(session: Session, rec_id: int) -> Recommendation:
    r = session.get(Recommendation, rec_id, with_for_update=True, populate_existing=True)
    if r is None:
        raise RecommendationNotFound()
    return r


def audit_step(
    session: Session, action: str, r: Recommendation, actor: User, now: datetime, **detail: Any
) -> None:
    audit.record(
        session,
        f"advisory.recommendation_{action}",
        actor_id=actor.id,
        subject_type="advisory_recommendation",
        subject_id=r.id,
        detail=detail or None,
        at=now,
    )


def mail_status(
    session: Session,
    r: Recommendation,
    *,
    note: str = "",
    letter: Letter | None = None,
    rate: bool = False,
) -> None:
    from advisory.consultations import rate_link

    mails.send(
        session,
        r.user,
        _l("%(ref)s: %(status)s", ref=r.reference, status=status_label(r.status)),
        "recommendation_status",
        attachments=(letters.attachment(letter),) if letter else (),
        r=r,
        status_label=status_label(r.status),
        note=note,
        letter=letter,
        download_link=external_url("advisory.letter_pdf", letter_id=letter.id) if letter else None,
        letter_file=letters.filename(letter) if letter else None,
        verify_link=letters.verify_url(letter) if letter else None,
        rate_link=rate_link() if rate else None,
        link=link(r),
    )


def mail_one(session: Session, person: User, r: Recommendation, message: Any) -> None:
    mails.send(
        session,
        person,
        _l("%(ref)s: %(subject)s", ref=r.reference, subject=r.title),
        "staff_notice",
        message=message,
        ref=r.reference,
        what=r.title,
        due=r.due_on,
        link=staff_link(r),
    )


def mail_staff(session: Session, roles: tuple[Role, ...], r: Recommendation, message: Any) -> None:
    for person in session.scalars(select(User).where(User.active)):
        if person.role in roles:
            mail_one(session, person, r, message)


def service_ref(rec_id: int) -> str:
    """A recommendation request as a service (its record at the front desk)."""
    return f"advisory-recommendation:{rec_id}"


def latest_version(r: Recommendation) -> RecommendationVersion | None:
    """The last submitted version of the form (None before the first submission)."""
    return r.versions[-1] if r.versions else None

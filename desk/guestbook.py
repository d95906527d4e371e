"""The electronic guest book (*buku tamu*): find a returning visitor, sign a visit in,
hand out the queue number.

Visitors are accounts (:class:`~app.accounts.models.User`) with the registration
profile, so the guest book and the website share one user-profile database. A
returning visitor is found by ID number, phone or email; a new one gives the profile
and an email address, and gets an account without a password (an unusable hash: they
claim it by registering online or with "forgot password", which mails a link to set
one). The kiosk shows a found visitor only as a
masked name. The time from opening the form to the number is kept for the 10-minute
standard.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app import audit
from app.accounts.models import Role, User
from app.accounts.passwords import unusable_password
from app.accounts.services import PROFILE_FIELDS, normalise_email
from desk import calendar
from desk.errors import VisitorNotFound
from desk.models import Channel, GuestVisit, Purpose, ServiceType, Ticket
from desk.queue import issue_ticket, use_appointment

PURPOSE_LABELS = {
    Purpose.STUDY: _l("School or university work, thesis"),
    Purpose.RESEARCH: _l("Research"),
    Purpose.GOVERNMENT: _l("Government planning and evaluation"),
    Purpose.BUSINESS: _l("Business"),
    Purpose.MEDIA: _l("News and media"),
    Purpose.PERSONAL: _l("Personal interest"),
    Purpose.OTHER: _l("Other"),
}

_NON_DIGITS = re.compile(r"[^0-9]")


def normalise_phone(raw: str) -> str:
    """Digits only, with the Indonesian country code written as a leading 0."""
    digits = _NON_DIGITS.sub("", raw or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def _phone_column() -> Any:
    column: Any = User.phone
    for ch in (" ", "-", "+", "(", ")", "."):
        column = func.replace(column, ch, "")
    return column


def lookup(session: Session, key: str) -> User | None:
    """The visitor with this ID number, phone number or email address (active accounts)."""
    key = (key or "").strip()
    if not key or len(key) > 254:
        return None
    if "@" in key:
        return session.scalar(select(User).where(User.email == normalise_email(key), User.active))
    compact = re.sub(r"\s+", "", key).upper()
    found = session.scalar(
        select(User).where(User.id_number == compact, User.active).order_by(User.id).limit(1)
    )
    if found is not None:
        return found
    phone = normalise_phone(key)
    if len(phone) < 8:
        return None
    variants = {phone, "62" + phone[1:]} if phone.startswith("0") else {phone}
    return session.scalar(
        select(User).where(_phone_column().in_(variants), User.active).order_by(User.id).limit(1)
    )


def mask_name(name: str) -> str:
    """``Dewi Anggraini`` → ``D*** A********``: enough for a visitor to recognise
    themselves, too little to learn who else uses the office."""
    words = (name or "").split()
    return " ".join(w[0] + "*" * max(2, len(w) - 1) for w in words[:3]) or "***"


def _find_existing(session: Session, profile: Mapping[str, Any], email: str) -> User | None:
    conditions = [User.email == normalise_email(email)]
    if profile.get("id_number"):
        conditions.append(User.id_number == profile["id_number"])
    return session.scalar(
        select(User).where(or_(*conditions), User.active).order_by(User.id).limit(1)
    )


def _new_visitor(
    session: Session, profile: Mapping[str, Any], email: str, locale: str | None
) -> tuple[User, bool]:
    """The visitor's account: an existing one with this email or ID number (blank
    profile fields are filled in, nothing is overwritten), else a new one."""
    existing = _find_existing(session, profile, email)
    if existing is not None:
        for key in PROFILE_FIELDS:
            if getattr(existing, key) in (None, "") and profile.get(key) not in (None, ""):
                setattr(existing, key, profile[key])
        return existing, True
    user = User(
        email=normalise_email(email),
        password_hash=unusable_password(),
        role=Role.USER,
        locale=locale,
        **{k: profile.get(k) for k in PROFILE_FIELDS},
    )
    session.add(user)
    session.flush()
    audit.record(
        session, "desk.visitor_registered", actor_id=None, subject_type="user", subject_id=user.id
    )
    return user, False


def canonical_services(services: Sequence[ServiceType | str]) -> list[ServiceType]:
    chosen = {ServiceType(s) for s in services}
    return [s for s in ServiceType if s in chosen]


def sign_in(
    session: Session,
    *,
    now: datetime,
    opened_at: datetime | None,
    channel: Channel,
    services: Sequence[ServiceType | str],
    purpose: Purpose,
    need: str = "",
    user_id: int | None = None,
    profile: Mapping[str, Any] | None = None,
    email: str | None = None,
    locale: str | None = None,
    receptionist_id: int | None = None,
    appointment_code: str | None = None,
    staff: bool = False,
) -> tuple[GuestVisit, Ticket]:
    """Write the visit into the guest book and issue the number of its first service;
    commit. Either ``user_id`` (a returning visitor) or ``profile`` and ``email``."""
    chosen = canonical_services(services)
    if not chosen:
        raise ValueError("at least one service")
    try:
        appointment = use_appointment(session, appointment_code, now) if appointment_code else None
        if user_id is not None:
            user = session.get(User, user_id)
            if user is None or not user.active:
                raise VisitorNotFound()
            returning = True
        elif profile is not None and email:
            user, returning = _new_visitor(session, profile, email, locale)
        else:
            raise ValueError("a visitor or a profile")
        opened = opened_at if opened_at is not None and opened_at <= now else now
        visit = GuestVisit(
            user_id=user.id,
            service_day=calendar.service_day(now),
            services=",".join(s.value for s in chosen),
            purpose=purpose,
            need=(need or "").strip()[:2000],
            channel=channel,
            is_returning=returning,
            opened_at=opened,
            signed_at=now,
            receptionist_id=receptionist_id,
            appointment_id=appointment.id if appointment is not None else None,
        )
        session.add(visit)
        session.flush()
        ticket = issue_ticket(
            session,
            service=chosen[0],
            now=now,
            channel=channel,
            user_id=user.id,
            visit_id=visit.id,
            appointment=appointment,
            staff=staff,
        )
    except Exception:
        session.rollback()
        raise
    session.commit()
    return visit, ticket


def todays_visits(session: Session, now: datetime) -> list[GuestVisit]:
    return list(
        session.scalars(
            select(GuestVisit)
            .where(GuestVisit.service_day == calendar.service_day(now))
            .order_by(GuestVisit.signed_at.desc())
        )
    )

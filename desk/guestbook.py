"""The electronic guest book (*buku tamu*): find a returning visitor, sign a visit in,
hand out the queue number.

Visitors are accounts (:class:`~app.accounts.models.User`) with the registration
profile, so the guest book and the website share one user-profile database. A
returning visitor is found by ID number, phone or email; a new one gives the profile
(phone and ID number are required) and, if they have one, an email address, and gets an
account without a password (an unusable hash: with an email they claim it by registering
online or with "forgot password", which mails a link to set one; without one the account
serves the guest book only). The kiosk shows a found visitor only as a masked name. The
time from opening the form to the number is kept for the 10-minute standard.

One visit per visitor and service day: signing in again the same day adds the services
to that day's visit. One open number per visitor and service: a visitor whose number of
a service is still waiting, called or being served gets that number back. Both hold
under concurrency because each sign-in first locks the visitor's account row
(:func:`desk.queue.lock_visitor`); a new visitor's registration is serialised per ID
number and email (an advisory lock on PostgreSQL), so a double-tapped form makes one
account. Each chosen service gets its own number (the SOP's
"nomor antrian sesuai jenis layanan yang dibutuhkan": a number per service type).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from app import audit
from app.accounts.models import Role, User
from app.accounts.passwords import unusable_password
from app.accounts.services import PROFILE_FIELDS, normalise_email
from desk import calendar
from desk.errors import VisitorNotFound
from desk.models import Channel, GuestVisit, Purpose, ServiceType, Ticket
from desk.queue import Issued, issue_ticket, lock_visitor, open_ticket, use_appointment

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


def _find_existing(session: Session, profile: Mapping[str, Any], email: str | None) -> User | None:
    conditions = []
    if email:
        conditions.append(User.email == normalise_email(email))
    if profile.get("id_number"):
        conditions.append(User.id_number == profile["id_number"])
    if not conditions:
        return None
    return session.scalar(
        select(User).where(or_(*conditions), User.active).order_by(User.id).limit(1)
    )


def _lock_identity(session: Session, keys: Sequence[str]) -> None:
    """Serialise registrations of one identity (a double-tapped "take a number" on the
    new-visitor form): on PostgreSQL a transaction-level advisory lock per key, taken
    in a fixed order, so the second request waits and then finds the first's account."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite serialises writers
    for key in sorted(set(keys)):
        digest = hashlib.sha256(f"desk.visitor:{key}".encode()).digest()
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"),
            {"key": int.from_bytes(digest[:8], "big", signed=True)},
        )


def _new_visitor(
    session: Session, profile: Mapping[str, Any], email: str | None, locale: str | None
) -> tuple[User, bool]:
    """The visitor's account: an existing one with this email or ID number (blank
    profile fields are filled in, nothing is overwritten), else a new one. Without an
    email the account has none (it serves the guest book, not the website)."""
    address = normalise_email(email) if email else None
    identity = [f"id:{profile['id_number']}"] if profile.get("id_number") else []
    _lock_identity(session, [*identity, *([f"email:{address}"] if address else [])])
    existing = _find_existing(session, profile, address)
    if existing is not None:
        for key in PROFILE_FIELDS:
            if getattr(existing, key) in (None, "") and profile.get(key) not in (None, ""):
                setattr(existing, key, profile[key])
        taken = address and session.scalar(select(User.id).where(User.email == address))
        if existing.email is None and address and not taken:
            existing.email = address
        return existing, True
    user = User(
        email=address,
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


@dataclass(frozen=True)
class SignedIn:
    """A guest-book signature and the numbers it gave, one per chosen service."""

    visit: GuestVisit
    numbers: list[Issued]

    @property
    def ticket(self) -> Ticket:
        return self.numbers[0].ticket


def _todays_visit(session: Session, user_id: int, day: date) -> GuestVisit | None:
    return session.scalar(
        select(GuestVisit)
        .where(GuestVisit.user_id == user_id, GuestVisit.service_day == day)
        .order_by(GuestVisit.id)
        .limit(1)
    )


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
) -> SignedIn:
    """Write the visit into the guest book and issue a number for each chosen service;
    commit. Either ``user_id`` (a returning visitor) or ``profile`` (``email`` optional).

    A visitor already in today's guest book signs the same visit (its services grow); a
    service whose number they still hold gives that number back (``Issued.reused``).
    """
    chosen = canonical_services(services)
    if not chosen:
        raise ValueError("at least one service")
    need = (need or "").strip()[:2000]
    try:
        if user_id is not None:
            user = session.get(User, user_id)
            if user is None or not user.active:
                raise VisitorNotFound()
            returning = True
        elif profile is not None:
            user, returning = _new_visitor(session, profile, email, locale)
        else:
            raise ValueError("a visitor or a profile")
        lock_visitor(session, user.id)
        day = calendar.service_day(now)
        held = {s: open_ticket(session, user_id=user.id, service=s, day=day) for s in chosen}
        needs_number = any(ticket is None for ticket in held.values())
        appointment = (
            use_appointment(session, appointment_code, now)
            if appointment_code and needs_number
            else None
        )
        visit = _todays_visit(session, user.id, day)
        if visit is None:
            opened = opened_at if opened_at is not None and opened_at <= now else now
            visit = GuestVisit(
                user_id=user.id,
                service_day=day,
                services=",".join(s.value for s in chosen),
                purpose=purpose,
                need=need,
                channel=channel,
                is_returning=returning,
                opened_at=opened,
                signed_at=now,
                receptionist_id=receptionist_id,
                appointment_id=appointment.id if appointment is not None else None,
            )
            session.add(visit)
            session.flush()
        else:
            # The same day's visit: what the visitor adds joins it (one visit a day).
            merged = canonical_services([*visit.service_list, *chosen])
            visit.services = ",".join(s.value for s in merged)
            if need and need not in visit.need:
                visit.need = f"{visit.need}\n{need}".strip()[:2000]
            if visit.appointment_id is None and appointment is not None:
                visit.appointment_id = appointment.id
        numbers = []
        for service in chosen:
            ticket = held[service]
            if ticket is not None:
                numbers.append(Issued(ticket, reused=True))
                continue
            ticket = issue_ticket(
                session,
                service=service,
                now=now,
                channel=channel,
                user_id=user.id,
                visit_id=visit.id,
                appointment=appointment,
                staff=staff,
            )
            numbers.append(Issued(ticket))
    except Exception:
        session.rollback()
        raise
    session.commit()
    return SignedIn(visit, numbers)


def todays_visits(session: Session, now: datetime) -> list[GuestVisit]:
    return list(
        session.scalars(
            select(GuestVisit)
            .where(GuestVisit.service_day == calendar.service_day(now))
            .order_by(GuestVisit.signed_at.desc())
        )
    )

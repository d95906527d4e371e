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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.accounts.consent_models import ConsentChannel
from app.accounts.models import User
from app.accounts.services import consent as privacy
from app.accounts.services import normalise_email
from app.uow import transactional, unit_of_work
from desk import calendar
from desk.errors import (
    EmailLinkInvalid,
    EmailTakenByOther,
    IdentityMismatch,
    VisitorNotFound,
)
from desk.models import Channel, GuestVisit, Purpose, ServiceType, Ticket
from desk.queue import Issued, issue_ticket, lock_visitor, open_ticket, use_appointment
from desk.settings import DEFAULT_SETTINGS, Settings
from desk.visitors import lookup as lookup
from desk.visitors import mask_name as mask_name
from desk.visitors import new_visitor
from desk.visitors import normalise_phone as normalise_phone

PURPOSE_LABELS = {
    Purpose.STUDY: _l("School or university work, thesis"),
    Purpose.RESEARCH: _l("Research"),
    Purpose.GOVERNMENT: _l("Government planning and evaluation"),
    Purpose.BUSINESS: _l("Business"),
    Purpose.MEDIA: _l("News and media"),
    Purpose.PERSONAL: _l("Personal interest"),
    Purpose.OTHER: _l("Other"),
}


def canonical_services(services: Sequence[ServiceType | str]) -> list[ServiceType]:
    chosen = {ServiceType(s) for s in services}
    return [s for s in ServiceType if s in chosen]


@dataclass(frozen=True)
class SignedIn:
    """A guest-book signature and the numbers it gave, one per chosen service."""

    visit: GuestVisit
    numbers: list[Issued]
    #: An address typed at the kiosk that joins the account only once its owner
    #: follows the link mailed to it (shown to the visitor whatever happens to it).
    email_to_confirm: str | None = None

    @property
    def ticket(self) -> Ticket:
        return self.numbers[0].ticket


@dataclass(frozen=True)
class Consented:
    """The visitor ticked the guest book's consent box under version ``notice`` of the
    privacy notice (the one the form showed; None: the current one)."""

    notice: int | None = None


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
    settings: Settings = DEFAULT_SETTINGS,
    consent: Consented | None = None,
) -> SignedIn:
    """Write the visit into the guest book and issue a number for each chosen service;
    commit. Either ``user_id`` (a returning visitor) or ``profile`` (``email`` optional).

    A visitor already in today's guest book signs the same visit (its services grow); a
    service whose number they still hold gives that number back (``Issued.reused``).

    ``consent``: the visitor agreed to the privacy notice on this form; it is recorded
    with the visit (given at the kiosk, or entered by the receptionist
    ``receptionist_id`` when ``staff``), in the same transaction.
    """
    chosen = canonical_services(services)
    if not chosen:
        raise ValueError("at least one service")
    need = (need or "").strip()[:2000]
    to_confirm = None
    try:
        with unit_of_work(session, savepoint=True):
            if user_id is not None:
                user = session.get(User, user_id)
                if user is None or not user.active:
                    raise VisitorNotFound()
                returning = True
            elif profile is not None:
                found = new_visitor(session, profile, email, locale, staff=staff)
                user, returning, to_confirm = found.user, found.returning, found.email_to_confirm
            else:
                raise ValueError("a visitor or a profile")
            lock_visitor(session, user.id)
            day = calendar.service_day(now)
            held = {s: open_ticket(session, user_id=user.id, service=s, day=day) for s in chosen}
            needs_number = any(ticket is None for ticket in held.values())
            appointment = (
                use_appointment(session, appointment_code, now, settings)
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
                    settings=settings,
                )
                numbers.append(Issued(ticket))
            if consent is not None:
                privacy.record(
                    session,
                    channel=ConsentChannel.RECEPTIONIST if staff else ConsentChannel.KIOSK,
                    notice_number=consent.notice,
                    user_id=user.id,
                    visit_id=visit.id,
                    recorded_by_id=receptionist_id if staff else None,
                    locale=locale,
                    now=now,
                )
            if to_confirm is not None:
                _offer_email(session, user, to_confirm, settings.secret_key)
    except IdentityMismatch as exc:
        # The sign-in is undone, but the attempt is remembered: in a scope of its own,
        # after the failed one has rolled back.
        with unit_of_work(session):
            for matched in exc.user_ids:
                audit.record(
                    session,
                    "desk.kiosk_identity_mismatch",
                    actor_id=None,
                    subject_type="user",
                    subject_id=matched,
                )
        raise
    return SignedIn(visit, numbers, to_confirm)


def _offer_email(session: Session, user: User, address: str, secret_key: str) -> None:
    """Mail ``address`` a link that adds it to ``user``'s account, unless another account
    has it (then nothing is sent: its owner has an account already)."""
    from desk import mails

    if session.scalar(select(User.id).where(User.email == address)) is not None:
        return
    mails.confirm_email(session, user, address, secret_key=secret_key)
    audit.record(
        session,
        "desk.visitor_email_offered",
        actor_id=None,
        subject_type="user",
        subject_id=user.id,
    )


@transactional
def confirm_email(session: Session, user_id: int, address: str, *, now: datetime) -> User:
    """The owner of ``address`` followed the kiosk's link: the address joins the account,
    confirmed; commit. A link for an address the account already has is a no-op."""
    user = session.get(User, user_id)
    address = normalise_email(address)
    if user is None or not user.active or user.email not in (None, address):
        raise EmailLinkInvalid()
    if user.email == address:
        return user
    if session.scalar(select(User.id).where(User.email == address)) is not None:
        raise EmailTakenByOther()
    user.email = address
    user.email_verified_at = now
    audit.record(
        session,
        "desk.visitor_email_confirmed",
        actor_id=user.id,
        subject_type="user",
        subject_id=user.id,
        at=now,
    )
    try:
        # A race for the address: the unique index decides (the flush waits for the
        # other transaction).
        session.flush()
    except IntegrityError:
        raise EmailTakenByOther() from None
    return user


def todays_visits(session: Session, now: datetime) -> list[GuestVisit]:
    return list(
        session.scalars(
            select(GuestVisit)
            .where(GuestVisit.service_day == calendar.service_day(now))
            .order_by(GuestVisit.signed_at.desc())
        )
    )


@transactional
def note_kiosk_lookup(session: Session, user: User, device_id: int | None) -> None:
    """Audit that the kiosk found ``user`` (which device; not the key typed): repeated
    look-ups from one device show up in the trail. Commit."""
    audit.record(
        session,
        "desk.kiosk_lookup",
        actor_id=None,
        subject_type="user",
        subject_id=user.id,
        detail={"device": device_id} if device_id is not None else None,
    )

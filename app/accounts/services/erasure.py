"""The right to erasure (UU 27/2022): a person asks, an officer completes.

:func:`anonymise_person` is the one way an account's personal data goes: the profile
fields are cleared (the name becomes ``Dihapus #<id>``), sign-in is closed for good
(no address, no password, every session ended, tokens and two-factor deleted), and each
feature's registered section (:mod:`app.accounts.rights`) erases or anonymises its own
records. What the law makes the office keep — orders, invoices and receipts, service
records and IKM ratings, letters, the audit trail — stays, pointing at the anonymised
account, so totals and counts do not change. A retention job calls the same function
for accounts left inactive.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, String, cast, delete, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit, mail_queue
from app.accounts import rights
from app.accounts.erasure_models import ErasureRequest, ErasureStatus
from app.accounts.errors import ErasureAlreadyRequested, UnknownErasureRequest, WrongPassword
from app.accounts.models import ApiToken, RecoveryCode, Role, SsoIdentity, TwoFactor, User
from app.accounts.passwords import unusable_password, verify_password
from app.accounts.services.data_export import ACCOUNT_SECTION
from app.accounts.services.sign_in import end_sessions
from app.accounts.services.trail import trail
from app.audit import AuditEvent
from app.mail import Mailer, mail_to, send_after_commit
from app.uow import transactional

#: Who works the queue of erasure requests: erasing closes an account for good and
#: rewrites records of every feature, which is account administration.
ERASURE_ROLES = (Role.ADMIN,)

#: Profile fields cleared on erasure. Education, kind of institution and gender stay:
#: categories that identify nobody, counted in the visitor-profile statistics that
#: must keep adding up.
CLEARED_FIELDS = (
    "email",
    "phone",
    "id_type",
    "id_number",
    "institution",
    "occupation",
    "birth_year",
    "email_verified_at",
)


#: What an erased account's name starts with (the rest is its number).
PSEUDONYM_PREFIX = "Dihapus #"


def pseudonym(user: User) -> str:
    """The name an erased account keeps: its number, nothing about the person."""
    return f"{PSEUDONYM_PREFIX}{user.id}"


def is_erased() -> ColumnElement[bool]:
    """True for accounts already erased (their name is their pseudonym)."""
    return User.full_name == literal(PSEUDONYM_PREFIX) + cast(User.id, String)


@transactional
def anonymise_person(
    session: Session, user: User, *, actor: User | None, now: datetime
) -> rights.Erasing:
    """Erase ``user``'s personal data everywhere, keeping the records the law requires
    (see the module's text). ``actor`` is the officer (None: the retention job)."""
    identifiers = tuple(
        str(v) for v in (user.full_name, user.email, user.phone, user.id_number) if v
    )
    old_email = user.email
    erasing = rights.Erasing(user=user, pseudonym=pseudonym(user), identifiers=identifiers, now=now)
    user.full_name = erasing.pseudonym
    for name in CLEARED_FIELDS:
        setattr(user, name, None)
    user.password_hash = unusable_password()
    user.active = False
    end_sessions(user)
    for model in (ApiToken, RecoveryCode, TwoFactor, SsoIdentity):
        session.execute(delete(model).where(model.user_id == user.id))
    _scrub_mail(session, user, old_email)
    _scrub_audit(session, erasing)
    ACCOUNT_SECTION.erase(session, erasing)
    for section in rights.sections():
        section.erase(session, erasing)
    session.flush()
    trail(
        session,
        "privacy.person_erased",
        user,
        actor_id=actor.id if actor else None,
        detail={"sections": [s.key for s in rights.sections()]},
    )
    return erasing


def _scrub_mail(session: Session, user: User, address: str | None) -> None:
    """Mail sent to the person (or waiting to be) keeps no address nor text of them."""
    if not address:
        return
    session.execute(
        update(mail_queue.MailMessage)
        .where(mail_queue.MailMessage.recipient == address)
        .values(
            recipient=f"erased-{user.id}@invalid",
            subject="-",
            message=None,
            state=mail_queue.FAILED,
            last_error="erased",
        )
        .execution_options(synchronize_session=False)
    )


def _scrub_audit(session: Session, erasing: rights.Erasing) -> None:
    """The audit trail stays (who did what, when) without the person's values in it."""
    events = session.scalars(
        select(AuditEvent).where(
            AuditEvent.detail.is_not(None),
            or_(
                AuditEvent.actor_id == erasing.user.id,
                (AuditEvent.subject_type == "user")
                & (AuditEvent.subject_id == str(erasing.user.id)),
            ),
        )
    )
    for event in events:
        event.detail = erasing.scrub(event.detail)


@transactional
def request_erasure(
    session: Session, user: User, *, password: str, reason: str, mailer: Mailer, now: datetime
) -> ErasureRequest:
    """Queue ``user``'s request (confirmed with their password) and tell them it was
    received."""
    if not verify_password(user.password_hash, password):
        raise WrongPassword()
    if _pending(session, user.id) is not None:
        raise ErasureAlreadyRequested()
    request = ErasureRequest(user_id=user.id, reason=reason.strip()[:2000], requested_at=now)
    session.add(request)
    try:
        session.flush()
    except IntegrityError:  # a second tab won the race for the one pending request
        raise ErasureAlreadyRequested() from None
    trail(
        session, "privacy.erasure_requested", user, actor_id=user.id, detail={"request": request.id}
    )
    send_after_commit(
        session,
        mailer,
        mail_to(
            user,
            _l("We received your request to erase your data"),
            "mail/erasure_received.txt",
            request=request,
        ),
    )
    return request


def _pending(session: Session, user_id: int) -> ErasureRequest | None:
    return session.scalar(
        select(ErasureRequest).where(
            ErasureRequest.user_id == user_id, ErasureRequest.status == ErasureStatus.PENDING
        )
    )


def pending_request(session: Session, user: User) -> ErasureRequest | None:
    """``user``'s request waiting for the officer, if any."""
    return _pending(session, user.id)


@transactional
def cancel_erasure(session: Session, user: User, request_id: int, *, now: datetime) -> None:
    """The person withdraws their own pending request (anyone else's is not found)."""
    request = session.get(ErasureRequest, request_id, with_for_update=True)
    if request is None or request.user_id != user.id or request.status != ErasureStatus.PENDING:
        raise UnknownErasureRequest()
    request.status = ErasureStatus.CANCELLED
    request.closed_at = now
    trail(
        session, "privacy.erasure_cancelled", user, actor_id=user.id, detail={"request": request.id}
    )


def pending_erasure(session: Session, request_id: int) -> ErasureRequest:
    """A pending request by its id, for the officer (any other is not found)."""
    found = session.get(ErasureRequest, request_id)
    if found is None or found.status != ErasureStatus.PENDING:
        raise UnknownErasureRequest()
    return found


def erasure_queue(session: Session) -> list[ErasureRequest]:
    """Pending requests, oldest first."""
    return list(
        session.scalars(
            select(ErasureRequest)
            .where(ErasureRequest.status == ErasureStatus.PENDING)
            .order_by(ErasureRequest.requested_at, ErasureRequest.id)
        )
    )


def recent_erasures(session: Session, limit: int = 20) -> list[ErasureRequest]:
    """The latest closed requests (completed or withdrawn), newest first."""
    return list(
        session.scalars(
            select(ErasureRequest)
            .where(ErasureRequest.status != ErasureStatus.PENDING)
            .order_by(ErasureRequest.closed_at.desc(), ErasureRequest.id.desc())
            .limit(limit)
        )
    )


@transactional
def complete_erasure(
    session: Session, request_id: int, *, actor: User, mailer: Mailer, now: datetime
) -> ErasureRequest:
    """An officer completes a pending request: the person is erased, then told so at
    the address they had (the one message that still holds it, until delivered)."""
    request = session.get(ErasureRequest, request_id, with_for_update=True)
    if request is None or request.status != ErasureStatus.PENDING:
        raise UnknownErasureRequest()
    person = request.user
    notice = (
        mail_to(
            person,
            _l("Your data has been erased"),
            "mail/erasure_completed.txt",
            request=request,
        )
        if person.email
        else None
    )
    anonymise_person(session, person, actor=actor, now=now)
    request.status = ErasureStatus.COMPLETED
    request.closed_at = now
    request.closed_by_id = actor.id
    request.reason = ""  # the person's own words may name them
    trail(
        session,
        "privacy.erasure_completed",
        person,
        actor_id=actor.id,
        detail={"request": request.id},
    )
    if notice is not None:
        send_after_commit(session, mailer, notice)
    return request


audit.label_actions(
    {
        "privacy.erasure_requested": _l("Erasure of personal data asked for"),
        "privacy.erasure_cancelled": _l("Erasure request withdrawn"),
        "privacy.erasure_completed": _l("Erasure request completed"),
        "privacy.person_erased": _l("Personal data erased"),
    },
    {"request": _l("Request"), "sections": _l("Parts erased")},
)

"""Account services: plain functions with explicit inputs (session, mailer, signer, clock).

Each public function that writes is :func:`~app.uow.transactional`: on its own it commits
on success (or rolls back and raises an :class:`~app.accounts.errors.AccountError`),
inside a caller's unit of work it joins it; mail leaves after commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.accounts import emails
from app.accounts.errors import (
    EmailTaken,
    InvalidEmail,
    InvalidToken,
    LastAdmin,
    UnknownToken,
    UnknownUser,
)
from app.accounts.models import ApiToken, Role, User
from app.accounts.passwords import (
    hash_password,
    needs_rehash,
    unusable_password,
    verify_password,
)
from app.accounts.tokens import (
    LinkSigner,
    digest_api_token,
    new_api_token,
    password_fingerprint,
    same,
)
from app.db import utcnow
from app.mail import Mailer, send_after_commit
from app.uow import in_unit_of_work, transactional, unit_of_work

Clock = Callable[[], datetime]
LinkMaker = Callable[[str], str]

#: Profile fields a person may set on themselves (registration and profile page).
PROFILE_FIELDS = (
    "full_name",
    "phone",
    "id_type",
    "id_number",
    "institution",
    "institution_kind",
    "occupation",
    "education",
    "gender",
    "birth_year",
)

# Writing last_used_at on every API call would turn reads into writes.
_TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class Links:
    """Builds the absolute links that mails carry, given a signed token."""

    verify: LinkMaker
    reset: LinkMaker
    login: str = ""  # the sign-in page
    forgot: str = ""  # the "forgot password" page


def _trail(
    session: Session,
    action: str,
    user: User,
    *,
    actor_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record an event about an account in the audit trail (same transaction)."""
    audit.record(
        session, action, actor_id=actor_id, subject_type="user", subject_id=user.id, detail=detail
    )


def end_sessions(user: User) -> None:
    """Raise ``user``'s session version (saved with the caller's commit): every session
    and remember-me cookie issued so far is refused from its next request on (see
    :mod:`app.sessions`). API tokens are separate credentials and are not touched."""
    user.session_version = (user.session_version or 0) + 1


@transactional
def sign_out(session: Session, user: User) -> None:
    """End every session of ``user``, this one and those on other devices.

    A session is a signed cookie the server cannot take back: signing out only here
    would leave any copy of it (or of the remember-me cookie) working."""
    end_sessions(user)
    _trail(session, "account.signed_out", user, actor_id=user.id)


def _reset_token(signer: LinkSigner, user: User) -> str:
    """A password link bound to the current password, so it works once."""
    return signer.dumps("reset", {"uid": user.id, "pw": password_fingerprint(user.password_hash)})


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    """The normalised address, or :class:`InvalidEmail`. The one rule for an account's
    address, however it is made or used (the forms, ``pst users create``, the admin
    page), so that an address accepted anywhere can sign in: a well-formed address
    whose domain can receive mail (``email_validator`` without a DNS lookup; reserved
    names such as ``.test`` are refused — every account receives its links by mail)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise InvalidEmail() from None
    return normalise_email(email)


def find_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def register(
    session: Session,
    *,
    email: str,
    password: str,
    profile: Mapping[str, Any],
    locale: str | None,
    mailer: Mailer,
    signer: LinkSigner,
    links: Links,
) -> User | None:
    """Create a visitor account and mail a verification link; return it.

    Registration never reveals whether an address is taken: the caller shows the same
    page whatever happens here. For an address that has an account already, nothing
    is created or changed (None is returned) and its owner is mailed instead: a link
    to choose a password when the account has none (a visitor registered at the
    desk claims it so), otherwise a note that someone tried to register with it.

    It is a unit of work of its own (not one to join): the loser of a race for an
    address is answered in a second one, after the first rolled back.
    """
    address = normalise_email(email)
    # Hash on every path: skipping argon2 for a known address would time as a "yes".
    password_hash = hash_password(password)
    try:
        with unit_of_work(session):
            existing = find_by_email(session, address)
            if existing is None:
                user = User(
                    email=address,
                    password_hash=password_hash,
                    role=Role.USER,
                    locale=locale,
                    **{k: profile.get(k) for k in PROFILE_FIELDS},
                )
                session.add(user)
                session.flush()
                _trail(session, "account.registered", user, actor_id=user.id)
                _mail_verification(session, user, mailer, signer, links)
                return user
            _answer_known_address(session, existing, mailer, signer, links)
            return None
    except IntegrityError:
        if in_unit_of_work(session):
            raise  # a caller's transaction failed with it: theirs to roll back
        # Two registrations racing for one address: the unique index decides, and
        # the loser is answered as for a known address.
    with unit_of_work(session):
        existing = find_by_email(session, address)
        if existing is not None:  # else the winner rolled back after all
            _answer_known_address(session, existing, mailer, signer, links)
    return None


def _answer_known_address(
    session: Session, user: User, mailer: Mailer, signer: LinkSigner, links: Links
) -> None:
    """Someone registered with ``user``'s address: tell its owner (never the caller)."""
    if not user.active:
        return  # a closed account is reopened by an administrator, not by a form
    if user.has_password:
        mail = emails.already_registered_mail(user, links.login, links.forgot)
        _trail(session, "account.register_attempted", user, actor_id=None)
    else:
        mail = emails.claim_mail(user, links.reset(_reset_token(signer, user)))
        _trail(session, "account.claim_requested", user, actor_id=None)
    send_after_commit(session, mailer, mail)


def _mail_verification(
    session: Session, user: User, mailer: Mailer, signer: LinkSigner, links: Links
) -> None:
    token = signer.dumps("verify", {"uid": user.id, "email": user.email})
    send_after_commit(session, mailer, emails.verification_mail(user, links.verify(token)))


@transactional
def resend_verification(
    session: Session, email: str, *, mailer: Mailer, signer: LinkSigner, links: Links
) -> None:
    """Mail a new link to an unverified account; silent otherwise (no account probing).
    An account without a password (made at the front desk) gets the link to choose one
    instead: verifying alone would not let its owner sign in."""
    user = find_by_email(session, email)
    if user is not None and user.active and not user.has_password:
        send_after_commit(
            session, mailer, emails.claim_mail(user, links.reset(_reset_token(signer, user)))
        )
    elif user is not None and user.active and not user.email_verified:
        _mail_verification(session, user, mailer, signer, links)


@transactional
def verify_email(
    session: Session, token: str, *, signer: LinkSigner, max_age: int, now: Clock = utcnow
) -> User:
    data = signer.loads("verify", token, max_age)
    user = session.get(User, data.get("uid")) if data else None
    if (
        user is None
        or data is None
        or user.email is None
        or not same(user.email, str(data.get("email", "")))
    ):
        raise InvalidToken()
    if user.email_verified_at is None:
        user.email_verified_at = now()
        _trail(session, "account.email_verified", user, actor_id=user.id)
    return user


@transactional
def authenticate(
    session: Session, email: str, password: str, *, now: Clock = utcnow
) -> User | None:
    """The user for these credentials, or None — with the same work either way."""
    user = find_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now()
    _trail(session, "account.login", user, actor_id=user.id)
    return user


@transactional
def request_password_reset(
    session: Session, email: str, *, mailer: Mailer, signer: LinkSigner, links: Links
) -> None:
    """Mail a reset link if the account exists; the caller says the same thing either way."""
    user = find_by_email(session, email)
    if user is not None and user.active:
        token = _reset_token(signer, user)
        send_after_commit(session, mailer, emails.reset_mail(user, links.reset(token)))
        _trail(session, "account.reset_requested", user, actor_id=user.id)


def user_for_reset_token(session: Session, token: str, *, signer: LinkSigner, max_age: int) -> User:
    data = signer.loads("reset", token, max_age)
    user = session.get(User, data.get("uid")) if data else None
    if (
        user is None
        or data is None
        or not user.active
        or not same(password_fingerprint(user.password_hash), str(data.get("pw", "")))
    ):
        raise InvalidToken()
    return user


@transactional
def reset_password(
    session: Session,
    token: str,
    password: str,
    *,
    signer: LinkSigner,
    max_age: int,
    now: Clock = utcnow,
) -> User:
    user = user_for_reset_token(session, token, signer=signer, max_age=max_age)
    user.password_hash = hash_password(password)
    end_sessions(user)  # whoever knew the old password is signed out everywhere
    # Receiving the link proves the mailbox, as a verification link would.
    user.email_verified_at = user.email_verified_at or now()
    _trail(session, "account.password_reset", user, actor_id=user.id)
    return user


@transactional
def change_password(session: Session, user: User, current: str, new: str) -> bool:
    if not verify_password(user.password_hash, current):
        return False
    user.password_hash = hash_password(new)
    end_sessions(user)  # the caller renews the session that made the change
    _trail(session, "account.password_changed", user, actor_id=user.id)
    return True


@transactional
def update_profile(session: Session, user: User, profile: Mapping[str, Any]) -> User:
    changed = sorted(k for k in PROFILE_FIELDS if k in profile and getattr(user, k) != profile[k])
    for key in changed:
        setattr(user, key, profile[key])
    if changed:
        _trail(
            session, "account.profile_updated", user, actor_id=user.id, detail={"fields": changed}
        )
    return user


@transactional
def set_locale(session: Session, user: User, locale: str) -> None:
    user.locale = locale


# --- staff administration -------------------------------------------------------------


@transactional
def create_staff(
    session: Session,
    *,
    email: str,
    full_name: str,
    role: Role,
    password: str | None,
    actor_id: int | None,
    mailer: Mailer | None = None,
    signer: LinkSigner | None = None,
    links: Links | None = None,
    now: Clock = utcnow,
) -> User:
    """Create an account with ``role``, verified, as an admin (page or ``pst users create``).

    Without a password the person receives a link to choose one.
    """
    user = User(
        email=check_email(email),
        full_name=full_name.strip(),
        role=role,
        password_hash=hash_password(password) if password else unusable_password(),
        email_verified_at=now(),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise EmailTaken() from None  # the unit of work rolls back
    _trail(session, "account.staff_created", user, actor_id=actor_id, detail={"role": role.value})
    if password is None and mailer and signer and links:
        token = _reset_token(signer, user)
        send_after_commit(session, mailer, emails.staff_welcome_mail(user, links.reset(token)))
    return user


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)
        )
        or 0
    )


@transactional
def change_role(session: Session, user_id: int, role: Role, *, actor_id: int) -> User:
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise UnknownUser()
    if user.role == Role.ADMIN and role != Role.ADMIN and _active_admins(session) <= 1:
        raise LastAdmin()
    old = user.role
    if old != role:
        # Sessions signed in under the old role end: the person signs in again as what
        # they are now (a demoted officer's open pages stop working at once).
        end_sessions(user)
    user.role = role
    _trail(
        session,
        "account.role_changed",
        user,
        actor_id=actor_id,
        detail={"from": old.value, "to": role.value},
    )
    return user


@transactional
def set_active(session: Session, user_id: int, active: bool, *, actor_id: int) -> User:
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise UnknownUser()
    if not active and user.role == Role.ADMIN and _active_admins(session) <= 1:
        raise LastAdmin()
    if user.active != active:
        end_sessions(user)
    user.active = active
    _trail(
        session, "account.activated" if active else "account.deactivated", user, actor_id=actor_id
    )
    return user


# --- personal API tokens --------------------------------------------------------------


@transactional
def create_api_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """Store a new token for ``user``; the plain value is returned once and never kept."""
    plain = new_api_token()
    token = ApiToken(
        user_id=user.id,
        name=name.strip() or "token",
        prefix=plain[:12],
        token_hash=digest_api_token(plain),
    )
    session.add(token)
    session.flush()
    audit.record(
        session, "token.created", actor_id=user.id, subject_type="api_token", subject_id=token.id
    )
    return token, plain


@transactional
def revoke_api_token(session: Session, user: User, token_id: int, *, now: Clock = utcnow) -> None:
    """Revoke one of ``user``'s own tokens (another person's token is 'not found')."""
    token = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None:
        raise UnknownToken()
    if token.revoked_at is None:
        token.revoked_at = now()
        audit.record(
            session,
            "token.revoked",
            actor_id=user.id,
            subject_type="api_token",
            subject_id=token.id,
        )


@transactional
def user_for_api_token(session: Session, plain: str, *, now: Clock = utcnow) -> User | None:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest_api_token(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    moment = now()
    if token.last_used_at is None or moment - token.last_used_at > _TOKEN_TOUCH_INTERVAL:
        token.last_used_at = moment
    return token.user

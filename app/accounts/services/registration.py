"""Registering a visitor account and verifying its address, without ever telling the
caller whether an address already has an account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts import emails
from app.accounts.consent_models import ConsentChannel
from app.accounts.errors import InvalidToken
from app.accounts.models import Role, User
from app.accounts.passwords import hash_password
from app.accounts.services import consent
from app.accounts.services.addresses import find_by_email, normalise_email
from app.accounts.services.links import Links, reset_token
from app.accounts.services.profile import PROFILE_FIELDS
from app.accounts.services.trail import trail
from app.accounts.tokens import LinkSigner, same
from app.clock import Clock
from app.db import utcnow
from app.mail import Mailer, send_after_commit
from app.uow import in_unit_of_work, transactional, unit_of_work


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
    notice: int | None = None,
    now: Clock = utcnow,
) -> User | None:
    """Create a visitor account and mail a verification link; return it.

    Registering is agreeing to the privacy notice (the form requires the box): the
    consent to version ``notice`` — the one the form showed; None: the current one — is
    recorded with the account, in its transaction (:class:`UnknownNotice` for a
    version that does not exist, and nothing is created).

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
            # Checked whether the address is known or not: the answer must not differ.
            if notice is not None and consent.notice(session, notice) is None:
                raise consent.UnknownNotice()
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
                trail(session, "account.registered", user, actor_id=user.id)
                consent.record(
                    session,
                    channel=ConsentChannel.REGISTRATION,
                    notice_number=notice,
                    user_id=user.id,
                    recorded_by_id=user.id,
                    locale=locale,
                    now=now(),
                )
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
        trail(session, "account.register_attempted", user, actor_id=None)
    else:
        mail = emails.claim_mail(user, links.reset(reset_token(signer, user)))
        trail(session, "account.claim_requested", user, actor_id=None)
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
            session, mailer, emails.claim_mail(user, links.reset(reset_token(signer, user)))
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
        trail(session, "account.email_verified", user, actor_id=user.id)
    return user

"""A forgotten password: a reset link by mail, checked and used once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.accounts import emails
from app.accounts.errors import InvalidToken
from app.accounts.models import User
from app.accounts.passwords import hash_password
from app.accounts.services.addresses import find_by_email
from app.accounts.services.links import Links, reset_token
from app.accounts.services.sign_in import end_sessions
from app.accounts.services.trail import trail
from app.accounts.tokens import LinkSigner, password_fingerprint, same
from app.clock import Clock
from app.db import utcnow
from app.mail import Mailer, send_after_commit
from app.uow import transactional


@transactional
def request_password_reset(
    session: Session, email: str, *, mailer: Mailer, signer: LinkSigner, links: Links
) -> None:
    """Mail a reset link if the account exists; the caller says the same thing either way."""
    user = find_by_email(session, email)
    if user is not None and user.active:
        token = reset_token(signer, user)
        send_after_commit(session, mailer, emails.reset_mail(user, links.reset(token)))
        trail(session, "account.reset_requested", user, actor_id=user.id)


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
    trail(session, "account.password_reset", user, actor_id=user.id)
    return user

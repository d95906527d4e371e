"""Signing in with a password, and signing out everywhere."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.oidc_errors import LocalPasswordRefused
from app.accounts.passwords import hash_password, needs_rehash, verify_password
from app.accounts.services.addresses import find_by_email
from app.accounts.services.trail import trail
from app.clock import Clock
from app.db import utcnow
from app.uow import transactional


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
    trail(session, "account.signed_out", user, actor_id=user.id)


@transactional
def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    now: Clock = utcnow,
    staff_passwords: bool = True,
) -> User | None:
    """The user for these credentials, or None — with the same work either way.

    With ``staff_passwords`` off (``LOCAL_STAFF_PASSWORDS``), a staff account's right
    password is refused (:class:`~app.accounts.oidc_errors.LocalPasswordRefused`): staff sign
    in through SSO. Said only after the password matched, so it tells a stranger nothing."""
    user = find_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        return None
    if user.is_staff and not staff_passwords:
        raise LocalPasswordRefused()
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now()
    trail(session, "account.login", user, actor_id=user.id)
    return user

"""Signing in through the OpenID provider (SSO BPS): which account a verified identity
opens, and its role from the provider's roles at every sign-in.

The policy, in order (README "Single sign-on (OpenID Connect)"):

1. An account already linked to (issuer, subject) is that person's, whatever their
   address says now.
2. Otherwise the provider must vouch for the address (``email_verified`` is JSON
   ``true``) and the person must hold a mapped staff role; then the account with that
   address is linked, or a staff account is created. An address PST itself never
   verified may have been registered by someone else before the owner (account
   pre-hijacking): linking it drops its password and ends its sessions, so only the
   provider's person holds it afterwards.
3. No mapped staff role: refused, nothing created or linked. An account linked before
   loses its staff role (back to visitor) and every session — the provider withdrew it.

SSO is the staff door: visitors keep signing in with their PST password.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.accounts.models import Role, SsoIdentity, User
from app.accounts.oidc_errors import SsoInactive, SsoLinkConflict, SsoNoEmail, SsoNoRole
from app.accounts.oidc_identity import Identity
from app.accounts.passwords import unusable_password
from app.accounts.services.addresses import find_by_email, normalise_email
from app.accounts.services.sign_in import end_sessions
from app.accounts.services.trail import trail
from app.clock import Clock
from app.db import utcnow
from app.uow import transactional


def linked_account(session: Session, issuer: str, subject: str) -> User | None:
    """The account linked to (issuer, subject), if any."""
    return session.scalar(
        select(User)
        .join(SsoIdentity, SsoIdentity.user_id == User.id)
        .where(SsoIdentity.issuer == issuer, SsoIdentity.subject == subject)
    )


def _set_role(session: Session, user: User, role: Role | None) -> None:
    if role is None or user.role == role:
        return
    before = user.role
    user.role = role
    end_sessions(user)  # as for a role changed by an administrator
    trail(
        session,
        "account.role_changed",
        user,
        actor_id=None,
        detail={"from": before.value, "to": role.value, "why": "sso"},
    )


@transactional
def sign_in_with_sso(session: Session, identity: Identity, *, now: Clock = utcnow) -> User:
    """The account ``identity`` opens, linked or created, with its mapped role; or an
    :class:`~app.accounts.oidc_errors.SsoError` (nothing changed)."""
    moment = now()
    link = session.scalar(
        select(SsoIdentity).where(
            SsoIdentity.issuer == identity.issuer, SsoIdentity.subject == identity.subject
        )
    )
    if link is not None:
        user = link.user
        if not user.active:
            raise SsoInactive()
        if identity.role is None:
            raise SsoNoRole()
    else:
        if identity.role is None:
            raise SsoNoRole()
        if not identity.email or not identity.email_verified:
            raise SsoNoEmail()
        user, link = _link_or_create(session, identity, moment)
    _set_role(session, user, identity.role)
    user.last_login_at = moment
    link.last_login_at = moment
    trail(session, "account.login", user, actor_id=user.id, detail={"method": "sso"})
    return user


def _link_or_create(
    session: Session, identity: Identity, moment: datetime
) -> tuple[User, SsoIdentity]:
    email, role = identity.email or "", identity.role or Role.USER  # checked by the caller
    user = find_by_email(session, email)
    if user is None:
        user = User(
            email=normalise_email(email),
            full_name=identity.name or email.split("@")[0][:120],
            role=role,
            password_hash=unusable_password(),
            email_verified_at=moment,
        )
        session.add(user)
        session.flush()
        action = "account.sso_created"
    else:
        if not user.active:
            raise SsoInactive()
        other = session.scalar(
            select(SsoIdentity).where(
                SsoIdentity.user_id == user.id, SsoIdentity.issuer == identity.issuer
            )
        )
        if other is not None:  # the address moved to another person at the provider
            raise SsoLinkConflict()
        if not user.email_verified:
            # Registered here but never confirmed: perhaps not by the owner. The
            # provider vouches for the owner, so whatever else held the account goes.
            user.password_hash = unusable_password()
            user.email_verified_at = moment
            end_sessions(user)
        action = "account.sso_linked"
    link = SsoIdentity(user_id=user.id, issuer=identity.issuer, subject=identity.subject)
    session.add(link)
    try:
        session.flush()
    except IntegrityError:  # the same person's other tab linked it a moment ago
        raise SsoLinkConflict() from None
    link.user = user
    trail(session, action, user, actor_id=user.id, detail={"role": role.value})
    return user, link


@transactional
def withdraw_staff_role(session: Session, issuer: str, subject: str) -> User | None:
    """The provider no longer grants a linked account any staff role: it becomes a
    visitor's and every session of it ends. The account, if it changed."""
    user = linked_account(session, issuer, subject)
    if user is None or not user.is_staff:
        return None
    _set_role(session, user, Role.USER)
    return user


@transactional
def record_refusal(session: Session, reason: str, *, user_id: int | None = None) -> None:
    """Audit a refused sign-in through SSO (the reason code only: no token, no claim)."""
    audit.record(
        session,
        "account.sso_refused",
        actor_id=None,
        subject_type="user" if user_id else None,
        subject_id=user_id,
        detail={"why": reason},
    )

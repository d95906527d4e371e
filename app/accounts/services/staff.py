"""Administering accounts: creating staff, changing roles, closing and reopening, with
always one active administrator left."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts import emails
from app.accounts.errors import EmailTaken, LastAdmin, UnknownUser
from app.accounts.models import Role, User
from app.accounts.passwords import hash_password, unusable_password
from app.accounts.services.addresses import check_email
from app.accounts.services.links import Links, reset_token
from app.accounts.services.sign_in import end_sessions
from app.accounts.services.trail import trail
from app.accounts.tokens import LinkSigner
from app.clock import Clock
from app.db import utcnow
from app.mail import Mailer, send_after_commit
from app.uow import transactional


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
    trail(session, "account.staff_created", user, actor_id=actor_id, detail={"role": role.value})
    if password is None and mailer and signer and links:
        token = reset_token(signer, user)
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
    trail(
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
    trail(
        session, "account.activated" if active else "account.deactivated", user, actor_id=actor_id
    )
    return user

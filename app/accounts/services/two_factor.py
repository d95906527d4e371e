"""Two-factor sign-in: enrolling an authenticator app, checking its codes and the
one-time recovery codes, turning it off, and an administrator's reset.

Every step is audited (``account.2fa_*``); the secret and the codes never are. A code
is accepted once: the step it matched is kept and an equal or earlier step is refused
(:func:`check_code`), so a code seen by someone else cannot be replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.accounts import totp
from app.accounts.errors import (
    AlreadyEnrolled,
    NotEnrolled,
    ReplayedCode,
    TwoFactorRequired,
    UnknownUser,
    WrongCode,
    WrongPassword,
)
from app.accounts.models import RecoveryCode, TwoFactor, User
from app.accounts.passwords import hash_password, verify_password
from app.accounts.services.sign_in import end_sessions
from app.accounts.services.trail import trail
from app.clock import Clock
from app.db import utcnow
from app.uow import transactional

#: Characters of a recovery code kept in clear to find its hash (see RecoveryCode).
HINT = 2


class Outcome(StrEnum):
    """How a second-step code was taken."""

    CODE = "code"
    RECOVERY = "recovery"
    WRONG = "wrong"
    REPLAYED = "replayed"


@dataclass(frozen=True)
class Checked:
    outcome: Outcome
    recovery_left: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.CODE, Outcome.RECOVERY)


def factor(session: Session, user_id: int) -> TwoFactor | None:
    """The account's authenticator record, confirmed or still being enrolled."""
    return session.get(TwoFactor, user_id)


def is_enrolled(session: Session, user_id: int) -> bool:
    found = factor(session, user_id)
    return found is not None and found.confirmed_at is not None


def recovery_left(session: Session, user_id: int) -> int:
    return len(_unused_codes(session, user_id))


def _unused_codes(session: Session, user_id: int) -> list[RecoveryCode]:
    return list(
        session.scalars(
            select(RecoveryCode)
            .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
            .order_by(RecoveryCode.id)
        )
    )


def _spend(session: Session, user_id: int, code: str) -> tuple[RecoveryCode | None, int]:
    """The unused recovery code ``code`` is (or None), and how many are unused."""
    plain = totp.normalise_recovery_code(code)
    unused = _unused_codes(session, user_id)
    candidates = [c for c in unused if len(plain) > HINT and c.hint == plain[:HINT]]
    found = next((c for c in candidates if verify_password(c.code_hash, plain)), None)
    return found, len(unused)


@transactional
def start_enrolment(session: Session, user: User) -> str:
    """The secret to show for enrolment: the pending one, or a new one. Nothing is
    audited until the person confirms it with a code."""
    found = factor(session, user.id)
    if found is not None and found.confirmed_at is not None:
        raise AlreadyEnrolled()  # a confirmed secret is never shown again
    if found is None:
        found = TwoFactor(user_id=user.id, secret=totp.new_secret())
        session.add(found)
        session.flush()
    return found.secret


def _accept(found: TwoFactor, code: str, now: Clock) -> None:
    """Take ``code`` for ``found`` or raise: a wrong code, or a step already used."""
    step = totp.matching_step(found.secret, code, now())
    if step is None:
        raise WrongCode()
    if found.last_step is not None and step <= found.last_step:
        raise ReplayedCode()
    found.last_step = step


def _new_recovery_codes(session: Session, user: User, now: Clock) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    moment = now()
    for code in codes:
        plain = totp.normalise_recovery_code(code)
        session.add(
            RecoveryCode(
                user_id=user.id,
                hint=plain[:HINT],
                code_hash=hash_password(plain),
                created_at=moment,
            )
        )
    return codes


@transactional
def confirm_enrolment(session: Session, user: User, code: str, *, now: Clock = utcnow) -> list[str]:
    """Turn two-factor sign-in on with the first code of the app; returns the ten
    recovery codes (shown once). Every other session of the account ends."""
    found = session.get(TwoFactor, user.id, with_for_update=True)
    if found is None or found.confirmed_at is not None:
        raise NotEnrolled()
    _accept(found, code, now)
    found.confirmed_at = now()
    codes = _new_recovery_codes(session, user, now)
    end_sessions(user)
    trail(session, "account.2fa_enabled", user, actor_id=user.id)
    return codes


@transactional
def check_code(session: Session, user: User, code: str, *, now: Clock = utcnow) -> Checked:
    """The second step of signing in: a code of the app or an unused recovery code.

    A refusal is not an exception: it is audited and committed like a success (the
    rate limits count the attempt in the view)."""
    found = session.get(TwoFactor, user.id, with_for_update=True)
    if found is None or found.confirmed_at is None:
        raise NotEnrolled()
    if totp.looks_like_code(code):
        try:
            _accept(found, code, now)
        except ReplayedCode:
            trail(session, "account.2fa_refused", user, actor_id=user.id, detail={"why": "replay"})
            return Checked(Outcome.REPLAYED)
        except WrongCode:
            trail(session, "account.2fa_refused", user, actor_id=user.id, detail={"why": "wrong"})
            return Checked(Outcome.WRONG)
        trail(session, "account.2fa_passed", user, actor_id=user.id)
        return Checked(Outcome.CODE)
    spent, unused = _spend(session, user.id, code)
    if spent is None:
        trail(session, "account.2fa_refused", user, actor_id=user.id, detail={"why": "wrong"})
        return Checked(Outcome.WRONG)
    spent.used_at = now()
    left = unused - 1
    trail(session, "account.2fa_recovery_used", user, actor_id=user.id, detail={"left": left})
    return Checked(Outcome.RECOVERY, left)


@transactional
def disable(
    session: Session,
    user: User,
    password: str,
    code: str,
    *,
    required: bool,
    now: Clock = utcnow,
) -> None:
    """Turn two-factor sign-in off: the password and a current code (or a recovery
    code) prove it is the owner. Refused for staff when it is ``required``."""
    if required and user.is_staff:
        raise TwoFactorRequired()
    if not verify_password(user.password_hash, password):
        raise WrongPassword()
    found = session.get(TwoFactor, user.id, with_for_update=True)
    if found is None or found.confirmed_at is None:
        raise NotEnrolled()
    if totp.looks_like_code(code):
        _accept(found, code, now)
    else:
        if _spend(session, user.id, code)[0] is None:
            raise WrongCode()
    _remove(session, user.id)
    trail(session, "account.2fa_disabled", user, actor_id=user.id)


def _remove(session: Session, user_id: int) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.execute(delete(TwoFactor).where(TwoFactor.user_id == user_id))


@transactional
def reset(session: Session, user_id: int, *, actor_id: int) -> User:
    """An administrator's reset for a lost phone: the authenticator and the recovery
    codes go, and every session of the account ends (the person enrols again at the
    next sign-in when two-factor is required)."""
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise UnknownUser()
    _remove(session, user_id)
    end_sessions(user)
    trail(session, "account.2fa_reset", user, actor_id=actor_id)
    return user

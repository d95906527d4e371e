"""Two-factor services without HTTP: codes and their window, replay, recovery codes
spent once, turning off, an administrator's reset — each step in the audit trail."""

from __future__ import annotations

import pytest
from factories import PASSWORD, user
from helpers import FakeClock
from sqlalchemy import select

from app.accounts import totp
from app.accounts.errors import (
    AlreadyEnrolled,
    NotEnrolled,
    ReplayedCode,
    TwoFactorRequired,
    WrongCode,
    WrongPassword,
)
from app.accounts.models import RecoveryCode, Role, TwoFactor
from app.accounts.services import two_factor
from app.audit import AuditEvent


def _actions(session, person):
    return [
        e.action
        for e in session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == "user", AuditEvent.subject_id == str(person.id))
            .order_by(AuditEvent.id)
        )
        if e.action.startswith("account.2fa")
    ]


def _code(secret, clock, steps=0):
    return totp.code_at(secret, totp.step_at(clock()) + steps)


def _enrolled(session, clock, **kwargs):
    person = user(session, **kwargs)
    secret = two_factor.start_enrolment(session, person)
    codes = two_factor.confirm_enrolment(session, person, _code(secret, clock), now=clock)
    clock.advance(seconds=3 * totp.INTERVAL)  # well past the enrolment's step
    return person, secret, codes


def test_enrolment_needs_the_apps_code_and_gives_ten_hashed_recovery_codes(session):
    clock = FakeClock()
    person = user(session)
    secret = two_factor.start_enrolment(session, person)
    assert two_factor.start_enrolment(session, person) == secret  # the same until confirmed
    assert not two_factor.is_enrolled(session, person.id)
    with pytest.raises(WrongCode):
        two_factor.confirm_enrolment(
            session, person, "000000" if _code(secret, clock) != "000000" else "111111", now=clock
        )
    codes = two_factor.confirm_enrolment(session, person, _code(secret, clock), now=clock)
    assert two_factor.is_enrolled(session, person.id)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == person.id)).all()
    assert len(stored) == 10
    assert all(c.code_hash.startswith("$argon2") for c in stored)
    assert not any(code.replace("-", "") in c.code_hash for code in codes for c in stored)
    # Only the first two characters are kept in clear, to find the one hash to verify.
    assert sorted(c.hint for c in stored) == sorted(code[:2] for code in codes)
    with pytest.raises(AlreadyEnrolled):  # a confirmed secret is never shown again
        two_factor.start_enrolment(session, person)
    assert _actions(session, person) == ["account.2fa_enabled"]


def test_codes_are_taken_one_step_either_side_and_not_two(session):
    clock = FakeClock()
    person, secret, _codes = _enrolled(session, clock)
    for steps, expected in ((-2, "wrong"), (2, "wrong"), (-1, "code")):
        checked = two_factor.check_code(session, person, _code(secret, clock, steps), now=clock)
        assert checked.outcome == expected, steps
    clock.advance(seconds=totp.INTERVAL * 5)
    assert two_factor.check_code(session, person, _code(secret, clock, 1), now=clock).ok
    assert two_factor.check_code(session, person, "12 34", now=clock).outcome == "wrong"


def test_a_code_is_taken_once_and_an_earlier_step_after_it_is_refused(session):
    clock = FakeClock()
    person, secret, _codes = _enrolled(session, clock)
    code = _code(secret, clock)
    assert two_factor.check_code(session, person, code, now=clock).outcome == "code"
    assert two_factor.check_code(session, person, code, now=clock).outcome == "replayed"
    earlier = _code(secret, clock, -1)  # inside the window, but before the step used
    assert two_factor.check_code(session, person, earlier, now=clock).outcome == "replayed"
    clock.advance(seconds=totp.INTERVAL)
    assert two_factor.check_code(session, person, _code(secret, clock), now=clock).ok
    assert session.get(TwoFactor, person.id).last_step == totp.step_at(clock())
    assert _actions(session, person) == [
        "account.2fa_enabled",
        "account.2fa_passed",
        "account.2fa_refused",
        "account.2fa_refused",
        "account.2fa_passed",
    ]


def test_each_recovery_code_signs_in_once(session):
    clock = FakeClock()
    person, _secret, codes = _enrolled(session, clock)
    first = two_factor.check_code(session, person, codes[3].upper().replace("-", " "), now=clock)
    assert first.outcome == "recovery" and first.recovery_left == 9
    assert two_factor.check_code(session, person, codes[3], now=clock).outcome == "wrong"
    assert two_factor.check_code(session, person, "abcde-fghjk", now=clock).outcome == "wrong"
    assert two_factor.check_code(session, person, codes[0], now=clock).recovery_left == 8
    assert two_factor.recovery_left(session, person.id) == 8
    assert _actions(session, person)[1:] == [
        "account.2fa_recovery_used",
        "account.2fa_refused",
        "account.2fa_refused",
        "account.2fa_recovery_used",
    ]


def test_turning_off_needs_the_password_and_a_code(session):
    clock = FakeClock()
    person, secret, _codes = _enrolled(session, clock)
    with pytest.raises(WrongPassword):
        two_factor.disable(
            session, person, "salah-salah-1", _code(secret, clock), required=False, now=clock
        )
    with pytest.raises(WrongCode):
        two_factor.disable(session, person, PASSWORD, "abcde-fghjk", required=False, now=clock)
    assert two_factor.is_enrolled(session, person.id)
    two_factor.disable(session, person, PASSWORD, _code(secret, clock), required=False, now=clock)
    assert not two_factor.is_enrolled(session, person.id)
    assert session.scalars(select(RecoveryCode)).all() == []
    with pytest.raises(NotEnrolled):
        two_factor.check_code(session, person, "123456", now=clock)
    assert _actions(session, person)[-1] == "account.2fa_disabled"


def test_staff_cannot_turn_it_off_when_required(session):
    clock = FakeClock()
    person, secret, _codes = _enrolled(session, clock, role=Role.OFFICER)
    with pytest.raises(TwoFactorRequired):
        two_factor.disable(
            session, person, PASSWORD, _code(secret, clock), required=True, now=clock
        )
    assert two_factor.is_enrolled(session, person.id)


def test_a_replayed_code_does_not_turn_it_off(session):
    clock = FakeClock()
    person, secret, _codes = _enrolled(session, clock)
    code = _code(secret, clock)
    assert two_factor.check_code(session, person, code, now=clock).ok
    with pytest.raises(ReplayedCode):
        two_factor.disable(session, person, PASSWORD, code, required=False, now=clock)
    assert two_factor.is_enrolled(session, person.id)


def test_an_administrators_reset_removes_it_and_ends_the_sessions(session):
    clock = FakeClock()
    admin = user(session, role=Role.ADMIN)
    person, _secret, _codes = _enrolled(session, clock, role=Role.OFFICER)
    version = person.session_version
    two_factor.reset(session, person.id, actor_id=admin.id)
    session.refresh(person)
    assert not two_factor.is_enrolled(session, person.id)
    assert person.session_version == version + 1
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "account.2fa_reset"))
    assert event.actor_id == admin.id and event.subject_id == str(person.id)


def test_the_secret_is_not_in_the_audit_trail_nor_the_record_repr(session):
    clock = FakeClock()
    person, secret, _codes = _enrolled(session, clock)
    two_factor.check_code(session, person, "000000", now=clock)
    details = " ".join(str(e.detail) for e in session.scalars(select(AuditEvent)))
    assert secret not in details
    assert secret not in repr(session.get(TwoFactor, person.id))


def test_a_secret_is_masked_in_log_lines():
    from app.logfilter import MASK, mask

    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret, "ada@example.org", "PST")
    for line in (
        uri,
        f"[parameters: {{'user_id': 1, 'secret': '{secret}'}}]",  # PostgreSQL's error
        f"[parameters: (1, '{secret}', None)]",  # SQLite's
    ):
        assert secret not in mask(line) and MASK in mask(line)

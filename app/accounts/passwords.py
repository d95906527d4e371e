"""Password hashing with Argon2id (argon2-cffi's current recommended parameters).

An account without a password (a visitor registered at the kiosk or by the
receptionist, staff created without one) stores an *unusable* hash: ``!`` and a
random tail, which no password verifies (the Unix convention). Its owner claims the
account by setting a password through a mailed link.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

#: ``PASSWORD_HASH_COST`` values: production uses argon2-cffi's recommended
#: parameters; ``cheapest`` (tests only) makes a hash take microseconds instead of
#: most of a second, which is most of the suite's time otherwise.
COSTS = {"default": None, "cheapest": profiles.CHEAPEST}

_hasher = PasswordHasher()
_cost = "default"
_dummy_hash: str | None = None


def configure(cost: str) -> None:
    """Use the argon2 parameters named ``cost`` (setting ``PASSWORD_HASH_COST``)."""
    global _hasher, _cost, _dummy_hash
    if cost not in COSTS:
        raise ValueError(f"unknown PASSWORD_HASH_COST {cost!r}; choose one of {sorted(COSTS)}")
    if cost == _cost:
        return
    parameters = COSTS[cost]
    _hasher = PasswordHasher() if parameters is None else PasswordHasher.from_parameters(parameters)
    _cost = cost
    _dummy_hash = None


def _dummy() -> str:
    """Verifying against this when the account does not exist keeps sign-in timing the
    same whether or not an email is registered (made once, with the current cost)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("pst-dummy-password-for-timing")
    return _dummy_hash


MIN_LENGTH = 10
MAX_LENGTH = 256

UNUSABLE_PREFIX = "!"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def unusable_password() -> str:
    """The stored hash of an account without a password (random, so that each
    account's set-password link is bound to its own value)."""
    return UNUSABLE_PREFIX + secrets.token_hex(16)


def is_usable(stored_hash: str | None) -> bool:
    """Whether a password was ever set on this hash."""
    return bool(stored_hash) and not str(stored_hash).startswith(UNUSABLE_PREFIX)


def verify_password(stored_hash: str | None, password: str) -> bool:
    # No account, or one without a password: verify against the dummy hash anyway, so
    # the answer takes as long as for a real account.
    usable = is_usable(stored_hash)
    try:
        return (
            _hasher.verify(stored_hash if stored_hash and usable else _dummy(), password) and usable
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)

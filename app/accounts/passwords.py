"""Password hashing with Argon2id (argon2-cffi's current recommended parameters).

An account without a password (a visitor registered at the kiosk or by the
receptionist, staff created without one) stores an *unusable* hash: ``!`` and a
random tail, which no password verifies (the Unix convention). Its owner claims the
account by setting a password through a mailed link.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()

# Verifying against this when the account does not exist keeps sign-in timing the
# same whether or not an email is registered.
_DUMMY_HASH = _hasher.hash("pst-dummy-password-for-timing")

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
            _hasher.verify(stored_hash if stored_hash and usable else _DUMMY_HASH, password)
            and usable
        )
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)

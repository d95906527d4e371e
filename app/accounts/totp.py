"""Time-based one-time codes (RFC 6238, through pyotp) and recovery codes, without a
database: what the two-factor services compute.

A code is accepted in its own 30-second step and one step either side (a phone's clock
a little off, a code typed as it turned over), and the step it matched is returned so
the caller can refuse the same step twice: a code seen over a shoulder or read from a
proxy's log cannot be used again. Recovery codes are ten random words of ten letters
and digits (50 bits each), shown once and stored only as password hashes.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import pyotp

#: Seconds a code lasts (what every authenticator app assumes).
INTERVAL = 30
#: Steps accepted either side of the current one.
WINDOW = 1
DIGITS = 6
RECOVERY_CODES = 10
# No 0/o, 1/l/i: a code copied from paper is not misread.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10


def new_secret() -> str:
    """A random base32 secret of 160 bits (RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def step_at(moment: datetime) -> int:
    """The time step (counter) of ``moment``."""
    return int(moment.timestamp()) // INTERVAL


def code_at(secret: str, step: int) -> str:
    """The code of ``step`` for ``secret``."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).generate_otp(step)


def looks_like_code(text: str) -> bool:
    """Six digits (spaces allowed, as apps show ``123 456``): a TOTP code, not a
    recovery code."""
    plain = text.replace(" ", "")
    return len(plain) == DIGITS and plain.isascii() and plain.isdigit()


def matching_step(secret: str, code: str, moment: datetime) -> int | None:
    """The step within the window whose code is ``code``, or None. Every step of the
    window is compared, in constant time, so the answer takes as long either way."""
    plain = code.replace(" ", "")
    if not looks_like_code(plain):
        return None
    current = step_at(moment)
    found = None
    for step in range(current - WINDOW, current + WINDOW + 1):
        if hmac.compare_digest(code_at(secret, step), plain) and found is None:
            found = step
    return found


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL).provisioning_uri(
        name=account, issuer_name=issuer
    )


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_recovery_codes() -> list[str]:
    """Ten fresh recovery codes, as shown: ``abcde-fghjk``."""
    codes = []
    for _ in range(RECOVERY_CODES):
        word = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{word[:5]}-{word[5:]}")
    return codes


def normalise_recovery_code(text: str) -> str:
    """A recovery code as stored (hashed): lower case, without spaces or dashes."""
    return "".join(c for c in text.lower() if c not in " -\t")[:64]

"""Secrets handed to people: signed links (email verification, password reset) and
personal API tokens.

Links are signed and time-limited with itsdangerous and bound to the state they
change: a verification link names the email it verifies, a reset link carries a
fingerprint of the current password hash, so it works once.
API tokens are 256-bit random strings; only their SHA-256 digest is stored (a slow
hash adds nothing to a value with that much entropy).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

API_TOKEN_PREFIX = "pst_"  # noqa: S105 - lets secret scanners recognise our tokens


class LinkSigner:
    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key)

    def dumps(self, purpose: str, payload: dict[str, Any]) -> str:
        return self._serializer.dumps(payload, salt=f"pst.{purpose}")

    def loads(self, purpose: str, token: str, max_age: int) -> dict[str, Any] | None:
        try:
            data = self._serializer.loads(token, salt=f"pst.{purpose}", max_age=max_age)
        except BadSignature:  # also covers SignatureExpired
            return None
        return data if isinstance(data, dict) else None


def password_fingerprint(password_hash: str) -> str:
    """A short digest that changes whenever the password does."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

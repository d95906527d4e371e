"""ID numbers (NIK…) at rest: encrypted, found by a keyed hash, masked when shown.

UU 27/2022 asks that personal data be protected. A person's ID number is stored as a
Fernet token (:class:`EncryptedText`), so a copy of the database or a backup does not
give it away, and next to it an HMAC-SHA256 of the plain value (``id_number_hash``) by
which the guest book and the kiosk find a visitor: the plain value is never indexed.

Both keys are derived with HKDF from one secret, ``PERSONAL_DATA_KEY``; unset, from
``SECRET_KEY`` (so the embedded install needs no configuration — a production
deployment should set a key of its own, kept apart from the one that signs cookies).
Rotation: set the new key, list the previous ones in ``PERSONAL_DATA_OLD_KEYS`` (still
read, and still searched by their hash) and run ``pst privacy rotate-key``.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from app.settings import Setting, declare

if TYPE_CHECKING:
    from flask import Flask

SETTINGS = declare(
    Setting(
        "PERSONAL_DATA_KEY",
        str,
        None,
        "Encrypts ID numbers at rest (unset: derived from SECRET_KEY); set one in production",
        secret=True,
    ),
    Setting(
        "PERSONAL_DATA_OLD_KEYS",
        list[str],
        [],
        "Previous PERSONAL_DATA_KEY values, still read until `pst privacy rotate-key` ran",
        secret=True,
    ),
)

#: Where the app keeps its :class:`Keyring` (``app.extensions``).
EXTENSION = "pst.personal_data"
_SALT = b"pst personal data"


class PersonalDataKeyError(RuntimeError):
    """A stored ID number opens with none of the configured keys."""


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=purpose).derive(
        secret.encode()
    )


@dataclass(frozen=True)
class Keyring:
    """The current key first, then the old ones: each as a Fernet key and a hash key."""

    fernet: MultiFernet
    hash_keys: tuple[bytes, ...]

    def encrypt(self, plain: str) -> str:
        return self.fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self.fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise PersonalDataKeyError(
                "A stored ID number opens with none of the keys: set PST_PERSONAL_DATA_KEY "
                "back, or list the key it was written with in PST_PERSONAL_DATA_OLD_KEYS."
            ) from None

    def lookup_hash(self, plain: str) -> str:
        """The value kept for look-up: HMAC-SHA256 of ``plain`` under the current key."""
        return _hmac(self.hash_keys[0], plain)

    def lookup_hashes(self, plain: str) -> list[str]:
        """``plain``'s hash under every key: a row not yet rotated is still found."""
        return [_hmac(key, plain) for key in self.hash_keys]


def _hmac(key: bytes, plain: str) -> str:
    return hmac.new(key, plain.encode(), hashlib.sha256).hexdigest()


def keyring(secret: str, old: Sequence[str] = ()) -> Keyring:
    """The keyring of ``secret`` (current) and the ``old`` secrets, in that order."""
    secrets = [secret, *(key for key in old if key and key != secret)]
    fernets = [Fernet(_fernet_key(s)) for s in secrets]
    return Keyring(MultiFernet(fernets), tuple(_derive(s, b"lookup hash v1") for s in secrets))


def _fernet_key(secret: str) -> bytes:
    import base64

    return base64.urlsafe_b64encode(_derive(secret, b"encryption v1"))


def keyring_for(config: Mapping[str, Any]) -> Keyring:
    """The keyring an app's configuration describes (the migration builds it so too)."""
    secret = config.get("PERSONAL_DATA_KEY") or config["SECRET_KEY"]
    return keyring(str(secret), [str(k) for k in config.get("PERSONAL_DATA_OLD_KEYS") or []])


def current() -> Keyring:
    """The keyring of the app in context: every database access has one."""
    from flask import current_app

    found: Keyring = current_app.extensions[EXTENSION]  # set by init_app
    return found


def init_app(app: Flask) -> None:
    """Read the keys once per app, and give templates the ``mask_nik`` filter."""
    from app.config import set_defaults

    set_defaults(app, SETTINGS)
    app.extensions[EXTENSION] = keyring_for(app.config)
    app.jinja_env.filters["mask_nik"] = mask_nik


class EncryptedText(TypeDecorator[str]):
    """A text column holding a Fernet token; Python sees the plain value."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else current().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else current().decrypt(value)


def lookup_hashes(plain: str) -> list[str]:
    """What ``User.id_number_hash`` may hold for ``plain`` (see :meth:`Keyring.lookup_hashes`)."""
    return current().lookup_hashes(plain)


def mask_nik(value: str | None) -> str:
    """An ID number as shown to whoever does not need it: ``3171********0001``.

    A short number (a passport) keeps only its last two characters: its first and last
    four would show it all."""
    if not value:
        return ""
    if len(value) >= 12:
        return value[:4] + "*" * (len(value) - 8) + value[-4:]
    return "*" * max(len(value) - 2, 1) + value[-2:]

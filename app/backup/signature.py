"""``MANIFEST.sig``: an HMAC-SHA256 of ``MANIFEST.json`` under a key kept outside backups.

The manifest's SHA-256 list proves a file was not damaged, not that it was not changed:
whoever can write the folder can change a file and its hash together. The signature
closes that: ``BACKUP_SIGNING_KEY`` (a setting given in the environment, never saved in
``settings.json``, never ``SECRET_KEY``, which ``keys.json`` holds) signs the exact bytes
of the manifest, and restore checks them before anything else is read.

``MANIFEST.sig`` names the key by an id (an HMAC of a fixed text, not the key or a plain
hash of it), so a restore can tell "another key" from "changed after signing". A bad
signature is always refused; an unsigned backup, or a signed one restored where no key
is set, only with an explicit ``allow_unsigned``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from app.backup.errors import BackupError
from app.backup.manifest import NAME, write_json

FILE = "MANIFEST.sig"
ALGORITHM = "HMAC-SHA256"
SETTING = "BACKUP_SIGNING_KEY"
#: Shorter keys are refused: a guessable key signs nothing.
MIN_KEY_LENGTH = 32
_KEY_ID_TEXT = b"pst backup signing key id"

#: What :func:`check` found: signed and verified, or restored unchecked on request.
SIGNED = "signed"
UNSIGNED = "unsigned"
NOT_CHECKED = "not checked"


def _key_bytes(key: str) -> bytes:
    if len(key) < MIN_KEY_LENGTH:
        raise BackupError(
            f"{SETTING} is too short: use at least {MIN_KEY_LENGTH} characters "
            "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
    return key.encode("utf-8")


def key_id(key: str) -> str:
    """A short name of ``key`` that reveals nothing of it (shown to operators)."""
    return hmac.new(_key_bytes(key), _KEY_ID_TEXT, hashlib.sha256).hexdigest()[:16]


def _mac(key: str, body: bytes) -> str:
    return hmac.new(_key_bytes(key), body, hashlib.sha256).hexdigest()


def sign(folder: Path, key: str) -> str:
    """Write ``MANIFEST.sig`` for the folder's manifest; return the key's id."""
    body = (folder / NAME).read_bytes()
    ident = key_id(key)
    write_json(
        folder / FILE,
        {"algorithm": ALGORITHM, "key_id": ident, "signature": _mac(key, body)},
    )
    return ident


def check_key(key: str | None) -> None:
    """Refuse a configured key that is too short before a backup starts."""
    if key:
        _key_bytes(key)


@dataclass(frozen=True)
class Verdict:
    state: str  # SIGNED, UNSIGNED or NOT_CHECKED
    key_id: str | None


def check(folder: Path, key: str | None, *, allow_unsigned: bool) -> Verdict:
    """Verify the folder's signature with ``key``; refuse (one line) a bad one, and an
    unsigned or unverifiable backup unless ``allow_unsigned``."""
    path = folder / FILE
    if not path.exists():
        if not allow_unsigned:
            raise BackupError(
                f"the backup in {folder} is not signed ({FILE} is missing): restore it only "
                "if you know where it comes from, with --allow-unsigned. Nothing was restored."
            )
        return Verdict(UNSIGNED, None)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        algorithm, ident, signature = data["algorithm"], data["key_id"], data["signature"]
        if not all(isinstance(v, str) for v in (algorithm, ident, signature)):
            raise TypeError(data)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise BackupError(f"{path} cannot be read: the backup is damaged") from None
    if algorithm != ALGORITHM:
        raise BackupError(f"{path} uses {algorithm!r:.40}; this PST checks {ALGORITHM} only")
    if not key:
        if not allow_unsigned:
            raise BackupError(
                f"the backup is signed (key id {ident:.16}) but {SETTING} is not set here: "
                f"set PST_{SETTING}, or pass --allow-unsigned to restore it unchecked. "
                "Nothing was restored."
            )
        return Verdict(NOT_CHECKED, ident)
    here = key_id(key)
    body = (folder / NAME).read_bytes()
    if not hmac.compare_digest(_mac(key, body), signature):
        why = (
            f"it was signed with another key (key id {ident:.16}; {SETTING} here: {here})"
            if ident != here
            else f"{NAME} was changed after the backup was made"
        )
        raise BackupError(f"the backup's signature does not match: {why}. Nothing was restored.")
    return Verdict(SIGNED, here)

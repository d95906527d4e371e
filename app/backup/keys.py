"""Keys and settings in a backup: the secrets an instance cannot be rebuilt without.

``keys.json`` holds ``SECRET_KEY`` (sessions, links), ``ADVISORY_LETTER_KEY`` (the
letters' verification codes) and ``PERSONAL_DATA_KEY`` with ``PERSONAL_DATA_OLD_KEYS``
(the stored ID numbers are encrypted with them). The letter and personal-data keys are
derived from ``SECRET_KEY`` when unset, so that key is then what keeps issued letters
verifiable and ID numbers readable. ``settings.json`` holds every declared setting
in effect, secrets included, but ``BACKUP_SIGNING_KEY`` (it must stay outside the
backups it signs: a ``config.py`` holding it is refused); ``instance/`` the instance's
``config.py``. Restore puts ``config.py`` and the ``secret_key`` file (from
``keys.json``) back and says which setting given in the environment (``PST_*``) differs
from the backup's, since no file can change it.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Config

from app.backup.errors import BackupError
from app.backup.manifest import Manifest, Progress, private_file, quiet, write_json
from app.settings import ConfigurationError, lookup, registered

KEYS = "keys.json"
SETTINGS = "settings.json"
INSTANCE = "instance"
SECRET_FILE = "secret_key"  # noqa: S105 - a file name (app.config.SECRET_FILE)
CONFIG_FILE = "config.py"
#: Set for the instance they run in: a restored instance derives its own.
_PER_INSTANCE = frozenset({"DATABASE_URL", "STORAGE_URL", "SEARCH_INDEX_PATH", "MAIL_OUTBOX_PATH"})
_KEY_NAMES = ("SECRET_KEY", "ADVISORY_LETTER_KEY", "PERSONAL_DATA_KEY")
#: Never written into a backup: the key that signs backups must live outside them.
_NOT_SAVED = frozenset({"BACKUP_SIGNING_KEY"})
#: What fails when a restored instance runs with another key than the backup's.
_KEY_FAILS = {
    "SECRET_KEY": "sessions and links fail, and so do issued letters' codes and stored ID "
    "numbers where their keys are derived from it",
    "ADVISORY_LETTER_KEY": "issued letters' codes fail to verify",
    "PERSONAL_DATA_KEY": "stored ID numbers cannot be read or found",
}


def save(folder: Path, instance: Path, settings: Mapping[str, Any]) -> None:
    """Write ``keys.json``, ``settings.json`` and the instance's own files."""
    letter_key = settings.get("ADVISORY_LETTER_KEY") or None
    data_key = settings.get("PERSONAL_DATA_KEY") or None
    write_json(
        folder / KEYS,
        {
            "SECRET_KEY": settings.get("SECRET_KEY"),
            "ADVISORY_LETTER_KEY": letter_key,
            "letter_codes": "ADVISORY_LETTER_KEY"
            if letter_key
            else "derived from SECRET_KEY: keep SECRET_KEY, or issued letters fail to verify",
            "PERSONAL_DATA_KEY": data_key,
            "PERSONAL_DATA_OLD_KEYS": list(settings.get("PERSONAL_DATA_OLD_KEYS") or []),
            "id_numbers": "PERSONAL_DATA_KEY"
            if data_key
            else "derived from SECRET_KEY: keep SECRET_KEY, or stored ID numbers are unreadable",
        },
    )
    declared = [s for s in registered() if s.type is not object and s.name not in _NOT_SAVED]
    write_json(
        folder / SETTINGS,
        {
            "settings": {s.name: settings.get(s.name) for s in declared},
            "secrets": [s.name for s in declared if s.secret],
        },
    )
    # The key file is not copied: keys.json holds the key in effect, wherever it came from.
    source = instance / CONFIG_FILE
    if source.is_file():
        with private_file(folder / INSTANCE / CONFIG_FILE) as out:
            out.write(source.read_bytes())


def check_signing_key_outside(instance: Path, key: str | None) -> None:
    """Refuse to back up an instance whose ``config.py`` (copied into every backup)
    holds the signing key: a signature whose key travels with the backup proves nothing."""
    source = instance / CONFIG_FILE
    if key and source.is_file() and key.encode("utf-8") in source.read_bytes():
        raise BackupError(
            f"BACKUP_SIGNING_KEY is written in {source}, which every backup copies: "
            "give it as PST_BACKUP_SIGNING_KEY in the environment instead"
        )


def restore(
    folder: Path,
    manifest: Manifest,
    instance: Path,
    environ: Mapping[str, str],
    progress: Progress = quiet,
) -> list[str]:
    """Put ``config.py`` and the secret key back into ``instance``; return warnings."""
    instance.mkdir(parents=True, exist_ok=True)
    keys = json.loads((folder / KEYS).read_text(encoding="utf-8"))
    if keys.get("SECRET_KEY"):
        _replace(instance / SECRET_FILE, str(keys["SECRET_KEY"]).encode())
        progress(f"{instance / SECRET_FILE} restored")
    saved_config = folder / INSTANCE / CONFIG_FILE
    if f"{INSTANCE}/{CONFIG_FILE}" in manifest.files:
        target = instance / CONFIG_FILE
        content = saved_config.read_bytes()
        if target.is_file() and target.read_bytes() != content:
            target.replace(instance / f"{CONFIG_FILE}.before-restore")
            progress(f"the instance's own {CONFIG_FILE} was kept as {CONFIG_FILE}.before-restore")
        _replace(target, content)
        progress(f"{target} restored")
    saved = json.loads((folder / SETTINGS).read_text(encoding="utf-8"))
    return warnings(keys, saved["settings"], instance, environ)


def _replace(path: Path, content: bytes) -> None:
    """Write ``path`` whole (0600) or not at all."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, path)


def warnings(
    keys: Mapping[str, Any],
    saved: Mapping[str, Any],
    instance: Path,
    environ: Mapping[str, str],
) -> list[str]:
    """What the restored instance will run with that differs from the backup's.

    The environment wins over ``config.py`` and the key file, so a ``PST_*`` value that
    differs from the backup's is what an operator must change by hand."""
    config = Config(str(instance))
    config.from_pyfile(CONFIG_FILE, silent=True)
    found: list[str] = []
    for name in _KEY_NAMES:
        wanted = keys.get(name) or None
        value = _effective(name, environ, config)
        if name == "SECRET_KEY" and value is None:
            continue  # the restored key file serves it
        if (value or None) != wanted:
            how = (
                "unset PST_" + name if wanted is None else f"set PST_{name} to its value in {KEYS}"
            )
            found.append(f"{name} here is not the backup's: {how}, or {_KEY_FAILS[name]}")
    for name, value in sorted(saved.items()):
        setting = lookup(name)
        if name in _KEY_NAMES or name in _PER_INSTANCE or setting is None:
            continue
        raw = environ.get(setting.env_name)
        if raw is None:
            continue
        try:
            here = setting.parse(raw)
        except ConfigurationError:
            continue
        if here != value:
            shown = "a different value" if setting.secret else f"{here!r} (backup: {value!r})"
            found.append(f"{setting.env_name} is {shown}; {SETTINGS} has the backup's")
    return found


def _effective(name: str, environ: Mapping[str, str], config: Config) -> Any:
    raw = environ.get(f"PST_{name}")
    if raw is not None:
        return raw.strip() or None
    return config.get(name)

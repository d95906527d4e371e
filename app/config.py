"""Layered configuration: defaults -> instance ``config.py`` -> ``PST_*`` environment -> tests.

Every setting has an embedded default that needs no server: SQLite, blobs and the
search index in the instance folder, jobs in a SQLite-backed queue. Production sets
``PST_DATABASE_URL``, ``PST_STORAGE_URL`` and ``PST_REDIS_URL`` and nothing else is
required. Feature packages add their own defaults with :func:`set_defaults`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

ENV_PREFIX = "PST_"

#: Settings a deployment may change, with their defaults. ``None`` means "derived
#: from the instance folder at start-up". Keys are documented in README.md.
DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,
    "ENV": None,
    "DATABASE_URL": None,
    # The embedded SQLite database's sync level (app.db.tune_sqlite): FULL is durable
    # through a power cut; tests use NORMAL.
    "SQLITE_SYNCHRONOUS": "FULL",
    "STORAGE_URL": None,
    "REDIS_URL": None,
    "SEARCH_INDEX_PATH": None,
    "OFFICE_NAME": "BPS Provinsi Bengkulu",
    "OFFICE_SHORT_NAME": "PST BPS Bengkulu",
    "OFFICE_EMAIL": "pst1700@bps.go.id",
    "OFFICE_DOMAIN_CODE": "1700",
    "BASE_URL": None,
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": True,
    "MAIL_USE_SSL": False,
    "MAIL_SENDER": "PST BPS Provinsi Bengkulu <no-reply@bps.go.id>",
    "MAIL_OUTBOX_PATH": None,
    "MAIL_TIMEOUT_S": 20,
    "MAIL_RETRY_MAX_MINUTES": 60,
    "MAIL_GIVE_UP_HOURS": 48,
    "COOKIE_SECURE": True,
    "SESSION_IDLE_MINUTES": 8 * 60,
    "REMEMBER_COOKIE_DAYS": 30,
    "TRUST_PROXY_HOPS": 0,
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    "RATELIMIT_ENABLED": True,
    "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
    "RESET_RATE_LIMIT": "5 per minute;20 per hour",
    "REGISTER_RATE_LIMIT": "10 per hour",
    "EMAIL_TOKEN_MAX_AGE": 3 * 24 * 3600,
    "RESET_TOKEN_MAX_AGE": 3600,
    "JOBS_IMMEDIATE": False,
    "JOBS_WORKERS": 2,
    "JOBS_LEASE_SECONDS": 60,
    "JOBS_SWEEP_SECONDS": 30,
    "JOBS_MAX_ATTEMPTS": 3,
    "JOBS_RETRY_SECONDS": 30,
    "JOBS_STALE_SECONDS": 600,
    "S3_ENDPOINT_URL": None,
    "S3_REGION": None,
    "S3_ACCESS_KEY_ID": None,
    "S3_SECRET_ACCESS_KEY": None,
    "DEFAULT_LOCALE": "id",
    "TIMEZONE": "Asia/Jakarta",
    "CLOCK": None,
    # argon2 parameters: "default" (argon2-cffi's recommendation); tests set "cheapest".
    "PASSWORD_HASH_COST": "default",
}

#: Longest "keep me signed in" a deployment may choose.
MAX_REMEMBER_DAYS = 30


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely; the message names the setting to fix."""


#: Settings never printed, logged or shown.
SECRET_KEYS = frozenset({"SECRET_KEY", "MAIL_PASSWORD", "S3_SECRET_ACCESS_KEY"})


def set_defaults(app: Flask, defaults: Mapping[str, Any]) -> None:
    """Let a package declare its own defaults without overriding what is configured."""
    for key, value in defaults.items():
        app.config.setdefault(key, value)


def _coerce(raw: str, default: Any) -> Any:
    """Turn an environment string into the type of the setting's default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, list | dict):
        return json.loads(raw)
    return raw


def from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """Collect ``PST_*`` variables, typed like their defaults."""
    found: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name == "PST_INSTANCE_PATH":
            continue
        key = name[len(ENV_PREFIX) :]
        try:
            found[key] = _coerce(raw, DEFAULTS.get(key))
        except ValueError as exc:
            raise ConfigurationError(f"{name} has an invalid value: {exc}") from None
    return found


def load(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` in layers, then derive what depends on the instance folder."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environ(os.environ))
    if test_config is not None:
        app.config.update(test_config)
    _derive(app)


def _derive(app: Flask) -> None:
    cfg = app.config
    instance = Path(app.instance_path)
    if not cfg["SECRET_KEY"]:
        if not is_embedded(cfg):
            raise ConfigurationError(
                "PST_SECRET_KEY is not set. A production deployment (PostgreSQL, Redis or "
                "PST_ENV=production) needs one long random key shared by every process — "
                "each gunicorn worker and pst worker — or sessions and mailed links made by "
                "one process fail in the others. Generate one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        cfg["SECRET_KEY"] = _instance_secret(instance)
    days = int(cfg["REMEMBER_COOKIE_DAYS"])
    if not 1 <= days <= MAX_REMEMBER_DAYS:
        raise ConfigurationError(
            f"PST_REMEMBER_COOKIE_DAYS must be between 1 and {MAX_REMEMBER_DAYS} (got {days})."
        )
    cost = cfg["PASSWORD_HASH_COST"]
    if cost not in {"default", "cheapest"} or (cost != "default" and not cfg.get("TESTING")):
        raise ConfigurationError(
            f"PST_PASSWORD_HASH_COST must be 'default' (got {cost!r}); 'cheapest' is for tests."
        )
    # Counted from sign-in, never extended by use (Flask-Login's refresh stays off).
    cfg["REMEMBER_COOKIE_DURATION"] = timedelta(days=days)
    cfg["REMEMBER_COOKIE_REFRESH_EACH_REQUEST"] = False
    cfg["SQLALCHEMY_DATABASE_URI"] = _database_uri(cfg["DATABASE_URL"], instance)
    engine = cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    # A database error's message otherwise carries the statement's values (a NIK, a
    # phone, a password hash) into the log with the traceback.
    engine.setdefault("hide_parameters", True)
    cfg["STORAGE_URL"] = cfg["STORAGE_URL"] or str(instance / "blobs")
    cfg["SEARCH_INDEX_PATH"] = cfg["SEARCH_INDEX_PATH"] or str(instance / "search-index")
    cfg["MAIL_OUTBOX_PATH"] = cfg["MAIL_OUTBOX_PATH"] or str(instance / "outbox")
    cfg["RATELIMIT_STORAGE_URI"] = cfg["REDIS_URL"] or "memory://"
    cfg["RATELIMIT_KEY_PREFIX"] = "pst-limits"
    # Redis away: count in this process's memory (a logged warning) instead of failing
    # every limited request; flask-limiter goes back to Redis once it answers again.
    cfg["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
    cfg.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 2})
    cfg["BABEL_DEFAULT_LOCALE"] = cfg["DEFAULT_LOCALE"]
    cfg["BABEL_DEFAULT_TIMEZONE"] = cfg["TIMEZONE"]
    secure = bool(cfg["COOKIE_SECURE"])
    cfg["SESSION_COOKIE_SECURE"] = secure
    cfg["REMEMBER_COOKIE_SECURE"] = secure
    # The __Host- prefix pins the cookie to this host and path; browsers only accept
    # it over HTTPS, so the plain-HTTP embedded server keeps an ordinary name.
    cfg["SESSION_COOKIE_NAME"] = "__Host-pst_session" if secure else "pst_session"
    cfg["SESSION_COOKIE_HTTPONLY"] = True
    cfg["SESSION_COOKIE_SAMESITE"] = "Lax"
    cfg["REMEMBER_COOKIE_HTTPONLY"] = True
    cfg["REMEMBER_COOKIE_SAMESITE"] = "Lax"
    cfg["WTF_CSRF_TIME_LIMIT"] = None  # the token lives as long as the session
    cfg["WTF_CSRF_CHECK_DEFAULT"] = False  # app.security checks every non-API request
    cfg["PREFERRED_URL_SCHEME"] = "https" if secure else "http"


def _database_uri(url: str | None, instance: Path) -> str:
    if not url:
        return f"sqlite:///{instance / 'pst.sqlite3'}"
    # Accept the common "postgres://" and "postgresql://" spellings; we speak psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_embedded(cfg: Mapping[str, Any]) -> bool:
    """True for the single-machine defaults of ``pst serve``: SQLite, no Redis, and no
    ``PST_ENV=production``. Anything else is a production deployment of several
    processes, which must share a configured ``SECRET_KEY``."""
    if str(cfg.get("ENV") or "").strip().lower() == "production":
        return False
    if cfg.get("REDIS_URL"):
        return False
    url = str(cfg.get("DATABASE_URL") or "")
    return not url or url.startswith("sqlite")


def _instance_secret(instance: Path) -> str:
    """Return the secret kept in the instance folder by ``pst`` (see :func:`prepare_instance`).

    The factory writes nothing: without a configured or prepared key it falls back to a
    per-process random key, which works for one process but logs people out on restart
    and is not shared with other processes, so it says so in the log. Every ``pst``
    command prepares the file first, and production must set ``PST_SECRET_KEY``."""
    import logging
    import secrets

    try:
        key = (instance / SECRET_FILE).read_text().strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    logging.getLogger(__name__).warning(
        "No PST_SECRET_KEY and no %s: this process uses a key of its own, so sessions and "
        "links end when it stops and are refused by any other process. Run a pst command "
        "once (it creates the file) or set PST_SECRET_KEY.",
        instance / SECRET_FILE,
    )
    return secrets.token_urlsafe(48)


SECRET_FILE = "secret_key"  # noqa: S105 - a file name, not a secret


def prepare_instance(instance: Path) -> None:
    """Create the instance folder and its secret key file once (called by the CLI).

    Several processes may start at once (``pst serve`` and ``pst worker``): the key is
    written in full to a private temporary file which is then hard-linked to its name,
    an atomic step that fails if the name exists. No process ever reads a half-written
    or empty key, and whichever process links first gives every process its key."""
    import contextlib
    import secrets
    import tempfile

    instance.mkdir(parents=True, exist_ok=True)
    path = instance / SECRET_FILE
    if path.exists():
        return
    fd, temporary = tempfile.mkstemp(prefix=f".{SECRET_FILE}.", dir=instance)  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
            fh.flush()
            os.fsync(fh.fileno())
        # FileExistsError: another process won the race; its key is as good.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        os.unlink(temporary)


def public_settings(app: Flask) -> dict[str, Any]:
    """The effective configuration with secrets masked (for ``pst config``)."""
    shown: dict[str, Any] = {}
    for key in sorted(DEFAULTS):
        value = app.config.get(key)
        if key in SECRET_KEYS and value:
            value = "********"
        shown[key] = value
    return shown

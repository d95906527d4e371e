"""Layered configuration: defaults -> instance ``config.py`` -> ``PST_*`` environment -> tests.

Every setting has an embedded default that needs no server: SQLite, blobs and the
search index in the instance folder, jobs in a SQLite-backed queue. Production sets
``PST_DATABASE_URL``, ``PST_STORAGE_URL`` and ``PST_REDIS_URL`` and nothing else is
required. Every setting is declared, typed, in :mod:`app.settings`' registry; feature
packages declare theirs in their ``wiring`` and plug them in with :func:`set_defaults`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from app.settings import ConfigurationError, Setting, declare, lookup, registered, shown

__all__ = ["ConfigurationError", "Setting", "declare", "set_defaults"]

ENV_PREFIX = "PST_"

#: Where :func:`load` keeps ``PST_*`` values of settings not declared yet (a package
#: may declare its settings as it plugs in); :func:`set_defaults` parses them.
_PENDING = "pst.settings.pending"

S = Setting
#: The shell's settings. ``None`` means "derived from the instance folder at start-up"
#: or "unset". Documented in README.md; ``pst settings`` lists every package's.
SETTINGS = declare(
    S("SECRET_KEY", str, None, "Signs sessions and links; required in production", secret=True),
    S("ENV", str, None, "`production` requires SECRET_KEY even on SQLite without Redis"),
    S("DATABASE_URL", str, None, "Database URL (default: SQLite file in the instance folder)"),
    S(
        "SQLITE_SYNCHRONOUS",
        str,
        "FULL",
        "Embedded SQLite's sync level (WAL): FULL survives a power cut, NORMAL a crash",
    ),
    S("STORAGE_URL", str, None, "Blob store: a local path or s3://bucket/prefix"),
    S("REDIS_URL", str, None, "Redis for the shared job queue and rate limits"),
    S("SEARCH_INDEX_PATH", str, None, "Whoosh full-text index folder"),
    S("OFFICE_NAME", str, "BPS Provinsi Bengkulu", "The office's name"),
    S("OFFICE_SHORT_NAME", str, "PST BPS Bengkulu", "The office's short name"),
    S("OFFICE_EMAIL", str, "pst1700@bps.go.id", "The office's address"),
    S("OFFICE_DOMAIN_CODE", str, "1700", "The office's BPS domain code"),
    S("BASE_URL", str, None, "Address used in mails sent outside a request"),
    S("MAIL_SERVER", str, None, "SMTP server (unset: mails go to the outbox folder)"),
    S("MAIL_PORT", int, 587, "SMTP port"),
    S("MAIL_USERNAME", str, None, "SMTP user"),
    S("MAIL_PASSWORD", str, None, "SMTP password", secret=True),
    S("MAIL_USE_TLS", bool, True, "SMTP with STARTTLS"),
    S("MAIL_USE_SSL", bool, False, "SMTP over SSL"),
    S("MAIL_SENDER", str, "PST BPS Provinsi Bengkulu <no-reply@bps.go.id>", "From address"),
    S("MAIL_OUTBOX_PATH", str, None, "Folder of .eml files when no SMTP server is set"),
    S("MAIL_TIMEOUT_S", int, 20, "SMTP socket timeout (seconds)"),
    S("MAIL_RETRY_MAX_MINUTES", int, 60, "Longest wait between attempts to deliver a mail"),
    S("MAIL_GIVE_UP_HOURS", int, 48, "How long a mail is retried before it is marked failed"),
    S("COOKIE_SECURE", bool, True, "Secure, __Host- session cookie and HSTS"),
    S("SESSION_IDLE_MINUTES", int, 8 * 60, "A session ends after this long without a request"),
    S("REMEMBER_COOKIE_DAYS", int, 30, "'Keep me signed in' lasts this many days (1-30)"),
    S("TRUST_PROXY_HOPS", int, 0, "Reverse proxies whose X-Forwarded-* headers are trusted"),
    S("MAX_CONTENT_LENGTH", int, 16 * 1024 * 1024, "Largest request body (bytes)"),
    S("RATELIMIT_ENABLED", bool, True, "Rate limits on sign-in, reset and other forms"),
    S("LOGIN_RATE_LIMIT", str, "10 per minute;50 per hour", "Sign-in attempts allowed"),
    S("TOTP_RATE_LIMIT", str, "5 per minute;30 per hour", "Two-factor codes tried per account"),
    S("TOTP_REQUIRED_FOR_STAFF", bool, False, "Staff must sign in with an authenticator code"),
    S(
        "BACKUP_SIGNING_KEY",
        str,
        None,
        "Signs each backup's MANIFEST.json (HMAC-SHA256; 32+ characters); keep it outside "
        "backups (environment only) and give the same key to pst restore",
        secret=True,
    ),
    S("RETENTION_AUTOMATIC", bool, True, "Apply the retention periods daily (pst worker)"),
    S(
        "RETENTION_WALK_IN_DAYS",
        int,
        730,
        "Walk-in visitors (no email) anonymised after this long idle; 0 keeps",
    ),
    S(
        "RETENTION_INACTIVE_ACCOUNT_DAYS",
        int,
        1095,
        "Website accounts anonymised after this long idle; 0 keeps",
    ),
    S("RESET_RATE_LIMIT", str, "5 per minute;20 per hour", "Password reset requests allowed"),
    S("REGISTER_RATE_LIMIT", str, "10 per hour", "Registrations allowed"),
    S("EMAIL_TOKEN_MAX_AGE", int, 3 * 24 * 3600, "Life of an address verification link (s)"),
    S("RESET_TOKEN_MAX_AGE", int, 3600, "Life of a password reset link (seconds)"),
    S("JOBS_IMMEDIATE", bool, False, "Run jobs in the process that enqueues them (tests)"),
    S("JOBS_WORKERS", int, 2, "Worker threads of pst worker / pst serve"),
    S("JOBS_LEASE_SECONDS", int, 60, "How long a running job's lease lasts unrenewed"),
    S("JOBS_SWEEP_SECONDS", int, 30, "How often each worker's sweeper runs"),
    S("JOBS_MAX_ATTEMPTS", int, 3, "Runs a job gets (a job may set its own)"),
    S("JOBS_RETRY_SECONDS", int, 30, "First retry delay, doubled each time (at most 1 h)"),
    S("JOBS_STALE_SECONDS", int, 600, "Wait before the sweeper takes a handed-over job as lost"),
    S("JOBS_QUEUE_NAME", str, "pst", "The job queue's name in Redis (one per PST installation)"),
    S("S3_ENDPOINT_URL", str, None, "S3-compatible server (MinIO…); unset: AWS"),
    S("S3_REGION", str, None, "S3 region"),
    S("S3_ACCESS_KEY_ID", str, None, "S3 access key id"),
    S("S3_SECRET_ACCESS_KEY", str, None, "S3 secret access key", secret=True),
    S("DEFAULT_LOCALE", str, "id", "Language of the office"),
    S("TIMEZONE", str, "Asia/Jakarta", "Time zone of the office"),
    S("CLOCK", object, None, "A callable returning the current aware time (tests, demos)"),
    S(
        "PASSWORD_HASH_COST",
        str,
        "default",
        "argon2 parameters: default (argon2-cffi's recommendation); cheapest only in tests",
    ),
)

#: The shell's defaults, by name.
DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}

#: Longest "keep me signed in" a deployment may choose.
MAX_REMEMBER_DAYS = 30


def set_defaults(app: Flask, settings: Iterable[Setting] | Mapping[str, Any]) -> None:
    """Declare a package's settings into ``app`` without overriding what is configured.

    A ``PST_*`` value of a setting declared only now is parsed by its type here (a
    test's mapping still wins over it). A plain mapping of defaults is accepted too.
    """
    pending: dict[str, str] = app.extensions.setdefault(_PENDING, {})
    if isinstance(settings, Mapping):
        for key, value in settings.items():
            app.config.setdefault(key, value)
        return
    for setting in declare(*settings):
        raw = pending.pop(setting.name, None)
        if raw is not None:
            app.config[setting.name] = setting.parse(raw)
        else:
            app.config.setdefault(setting.name, setting.default)


def from_environ(environ: Mapping[str, str]) -> dict[str, Any]:
    """Collect ``PST_*`` variables, parsed by the type of their declared setting.

    A variable of no declared setting is kept as its string."""
    found: dict[str, Any] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name == "PST_INSTANCE_PATH":
            continue
        key = name[len(ENV_PREFIX) :]
        setting = lookup(key)
        found[key] = setting.parse(raw) if setting is not None else raw
    return found


def load(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` in layers, then derive what depends on the instance folder."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    environ = from_environ(os.environ)
    app.config.update(environ)
    # Settings declared later (as their package plugs in) are parsed then.
    app.extensions[_PENDING] = {
        key: value
        for key, value in environ.items()
        if lookup(key) is None and key not in (test_config or {})
    }
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
    """The effective value of every declared setting, secrets masked (``pst config``)."""
    return {setting.name: shown(setting, app.config.get(setting.name)) for setting in registered()}

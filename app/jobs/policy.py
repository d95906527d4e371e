"""How long a lease lasts, how many runs a job gets and how long it waits between them:
the JOBS_* settings, overridden per job by its :class:`~app.jobs.registry.JobSpec`."""

from __future__ import annotations

from flask import current_app
from sqlalchemy.exc import InterfaceError, OperationalError

from app.jobs import registry

#: Errors every job retries: the database went away under it (a restart, a failover,
#: a terminated connection). The next attempt gets a fresh connection from the pool.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


def _setting(key: str, default: float) -> float:
    try:
        return float(current_app.config.get(key) or default)
    except RuntimeError:  # outside an app context (a bare script): the default
        return default


def lease_seconds() -> float:
    return _setting("JOBS_LEASE_SECONDS", 60)


def max_attempts(name: str) -> int:
    allowed = registry.spec(name).max_attempts
    if allowed is not None:
        return max(1, allowed)
    return max(1, int(_setting("JOBS_MAX_ATTEMPTS", 3)))


def backoff(name: str, attempt: int) -> float:
    """Seconds before run ``attempt + 1``: the base doubled each time, at most an hour."""
    base = registry.spec(name).backoff_seconds
    if base is None:
        base = _setting("JOBS_RETRY_SECONDS", 30)
    return float(min(base * 2 ** max(0, attempt - 1), 3600.0))


def retryable(name: str) -> tuple[type[BaseException], ...]:
    return (*TRANSIENT_ERRORS, *registry.spec(name).retry_on)

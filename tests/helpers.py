"""Helpers for tests: the base test configuration, the fake clock and CSRF-aware posting.

Imported as ``helpers`` (tests/ is on sys.path through conftest), not from
``conftest``, whose module name is shared by every folder's conftest.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

from app.db import utcnow
from app.i18n import WIB

#: A Wednesday in service hours, on no holiday.
WEDNESDAY_10 = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)


class FakeClock:
    """The one test clock, set as ``CLOCK`` (app/clock.py): stands still at ``start``
    unless moved, or with ``running=True`` goes on in real time from ``start`` (for
    a browser, whose pages wait for time to pass)."""

    def __init__(self, start: datetime = WEDNESDAY_10, *, running: bool = False) -> None:
        self.now = start
        self._since = utcnow() if running else None

    def __call__(self) -> datetime:
        if self._since is not None:
            return self.now + (utcnow() - self._since)
        return self.now

    def set(self, *args: int) -> datetime:
        """Set the WIB time: ``set(2026, 11, 25, 10, 0)``."""
        self.now = datetime(*args, tzinfo=WIB)  # type: ignore[misc]
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now


def base_config(instance: Path, database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "SQLITE_SYNCHRONOUS": "NORMAL",  # nothing here must survive a power cut
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False,
        "JOBS_IMMEDIATE": True,
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
        "PASSWORD_HASH_COST": "cheapest",  # production parameters cost ~0.1-0.5 s a hash
    }


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    """Fetch ``url`` and return the CSRF token of its (first) form."""
    response = client.get(url)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({response.status_code})"
    return match.group(1)


def submit(
    client: FlaskClient, url: str, data: dict[str, Any], *, page: str | None = None, **kwargs: Any
) -> Any:
    """POST ``data`` to ``url`` with the CSRF token of the form on ``page`` (default ``url``)."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def redis_queue(url: str) -> dict[str, Any]:
    """Settings for a Redis-backed job queue of this test's own: its name is unique, so
    test runs sharing the Redis (SQLite and PostgreSQL at once in ``make test``, xdist
    workers) never take each other's jobs, and nothing has to flush the whole database."""
    import uuid

    return {"REDIS_URL": url, "JOBS_QUEUE_NAME": f"pst-test-{uuid.uuid4().hex[:12]}"}

"""Shared fixtures: an app on a temp instance folder and a real database.

The database is SQLite by default; set ``PST_TEST_DATABASE_URL`` (for example
``postgresql://127.0.0.1:5432/test``) to run the same suite on PostgreSQL. The schema
is built once per run by the Alembic migrations — so the migrations themselves are
under test — and every table is emptied after each test.
"""

from __future__ import annotations

import contextvars
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from app import create_app, jobs
from app.extensions import db as _db
from catalog.search.index import close_searchers

sys.path.insert(0, str(Path(__file__).parent))  # the factories module

import logcheck
from helpers import base_config

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

_catcher: logcheck.PersonalDataCatcher | None = None


def pytest_sessionstart(session: pytest.Session) -> None:
    """Watch every log record of the run for a test user's NIK or phone number."""
    global _catcher
    _catcher = logcheck.start()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if any log line showed a NIK or phone number (issue #15)."""
    if _catcher is None:
        return
    found = logcheck.stop(_catcher)
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = ["personal data in the logs of this run:", *found[:20]]
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line("\n".join(lines), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _test_database_url(tmp_root: Path) -> str:
    return os.environ.get("PST_TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.sqlite3'}"


def _reset_postgres(url: str) -> None:
    from app.config import _database_uri

    engine = create_engine(_database_uri(url, Path(".")))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated, empty database for this test run."""
    from flask_migrate import upgrade

    root = tmp_path_factory.mktemp("db")
    url = _test_database_url(root)
    if url.startswith("postgres"):
        _reset_postgres(url)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(root / "i"),
            "SECRET_KEY": "migrations-" + "x" * 40,  # PostgreSQL is production-shaped
        }
    )
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return url


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """Override in a test module (or parametrize) to change the app's configuration."""
    return {}


@pytest.fixture
def app(tmp_path: Path, database_url: str, config_overrides: dict[str, Any]) -> Iterator[Flask]:
    instance = tmp_path / "instance"
    application = create_app({**base_config(instance, database_url), **config_overrides})
    with application.app_context():
        yield application
        _db.session.remove()
        _empty_tables()
        _db.engine.dispose()
    close_searchers()  # each test's index lives in its own folder: close its files


def _empty_tables() -> None:
    with _db.engine.begin() as conn:
        tables = list(reversed(_db.metadata.sorted_tables))
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def make_app() -> Iterator[Any]:
    """Build extra apps (other configurations); their connections are closed afterwards."""
    made: list[Flask] = []

    def factory(config: dict[str, Any]) -> Flask:
        application = create_app(config)
        made.append(application)
        return application

    yield factory
    for application in made:
        with application.app_context():
            _db.session.remove()
            for engine in _db.engines.values():
                engine.dispose()


@pytest.fixture
def db(app: Flask) -> Any:
    return _db


@pytest.fixture
def session(app: Flask) -> Any:
    return _db.session


class IsolatedClient(FlaskClient):
    """A test client whose requests run outside the test's app context.

    Flask reuses an already pushed app context for a request, so ``g`` (where
    Flask-Login and Flask-WTF cache the user and the CSRF token) and the database
    session would leak between the test and its requests. Running each request in a
    fresh ``contextvars`` context gives it its own, as in production.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        # Buffered: a streamed body (downloads) is read inside the request's own context.
        kwargs.setdefault("buffered", True)
        response = contextvars.Context().run(super().open, *args, **kwargs)
        _db.session.expire_all()  # the test's view of the data follows the request's
        return response


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def outbox(app: Flask) -> Any:
    return app.extensions["pst.mailer"]


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Jobs stay queued (no worker takes them) until the test runs one: ``held(job_id)``
    runs it in a session of its own and returns its row as it ended."""
    monkeypatch.setattr(jobs.JobQueue, "submit", lambda self, job_id: None)

    def run(job_id: str) -> jobs.Job:
        with Session(_db.engine) as own:
            jobs.execute(own, job_id)
        _db.session.expire_all()
        job = _db.session.get(jobs.Job, job_id)
        assert job is not None
        return job

    return run

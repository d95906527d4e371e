"""Shared fixtures: an app on a temp instance folder and a real database.

The database is SQLite by default; set ``PST_TEST_DATABASE_URL`` (for example
``postgresql://127.0.0.1:5432/test``) to run the same suite on PostgreSQL. The schema
is built once per run by the Alembic migrations — so the migrations themselves are
under test — and every table is emptied after each test.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db as _db

import sys

sys.path.insert(0, str(Path(__file__).parent))  # the factories module

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


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
    app = create_app({"TESTING": True, "DATABASE_URL": url, "INSTANCE_PATH": str(root / "i")})
    with app.app_context():
        upgrade()
        _db.engine.dispose()
    return url


def base_config(instance: Path, database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": False,
        "JOBS_IMMEDIATE": True,
        "BASE_URL": "http://localhost",
        "SERVER_NAME": None,
    }


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


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    """Fetch ``url`` and return the CSRF token of its (first) form."""
    response = client.get(url)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {url} ({response.status_code})"
    return match.group(1)


def submit(client: FlaskClient, url: str, data: dict[str, Any], *, page: str | None = None,
           **kwargs: Any) -> Any:
    """POST ``data`` to ``url`` with the CSRF token of the form on ``page`` (default ``url``)."""
    token = csrf_token(client, page or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)

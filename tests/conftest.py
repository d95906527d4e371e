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
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from app import create_app, jobs
from app.extensions import db as _db
from catalog.search.index import close_searchers

sys.path.insert(0, str(Path(__file__).parent))  # the factories module

import logcheck
from database_runs import pytest_collection_modifyitems, pytest_configure  # noqa: F401 - hooks
from helpers import base_config

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Scanner discovery with the system's SANE configuration probes USB and the network for
# about 3 s; tests that use a scanner write a configuration of their own (sanekit).
os.environ.setdefault("SANE_CONFIG_DIR", str(Path(__file__).resolve().parent / "sane-none"))

_catcher: logcheck.PersonalDataCatcher | None = None


def _memoize_url_builders() -> None:
    """Build each URL rule's builder function once per run, not once per app.

    Werkzeug generates and compiles Python source for every rule of every app: with
    ~250 rules that is most of ``create_app``, and the suite builds an app per test.
    The generated function depends only on the key below (it reads the rule's
    converters through ``self`` at call time), so one compiled copy serves every app.
    """
    from werkzeug.routing.rules import Rule

    original = Rule._compile_builder
    cache: dict[Any, Any] = {}

    def compile_builder(self: Rule, append_unknown: bool = True) -> Any:
        defaults = self.defaults or {}
        constants = tuple(
            (name, self._converters[name].to_url(defaults[name]))
            for dynamic, name in self._trace
            if dynamic and name in defaults
        )
        key = (self.rule, append_unknown, tuple(self._trace), tuple(defaults), constants)
        builder = cache.get(key)
        if builder is None:
            builder = cache[key] = original(self, append_unknown)
        return builder

    Rule._compile_builder = compile_builder  # type: ignore[method-assign]


def _memoize_rule_parsing() -> None:
    """Parse each URL rule once per run, not once per app (with the builders above,
    the rest of what werkzeug does per rule per app).

    Parsing yields the rule's regex parts and, on the side, records its trace and makes
    its converters. The parts depend only on the rule and the map's converter classes;
    a cached parse replays the trace and makes this map's own converters again."""
    from werkzeug.routing.rules import Rule

    original = Rule._parse_rule
    cache: dict[Any, Any] = {}

    def parse_rule(self: Rule, rule: str) -> Any:
        assert self.map is not None
        key = (rule, tuple(sorted(self.map.converters.items())))
        hit = cache.get(key)
        if hit is None:
            made: list[tuple[Any, ...]] = []
            get_converter = self.get_converter

            def recording(variable: str, name: str, args: Any, kwargs: Any) -> Any:
                made.append((variable, name, args, kwargs))
                return get_converter(variable, name, args, kwargs)

            self.get_converter = recording  # type: ignore[method-assign]
            start = len(self._trace)
            try:
                parts = list(original(self, rule))
            finally:
                del self.get_converter
            hit = cache[key] = (parts, self._trace[start:], made)
            return parts
        parts, trace, made = hit
        self._trace.extend(trace)
        for variable, name, args, kwargs in made:
            self._converters[variable] = self.get_converter(variable, name, args, kwargs)
            self.arguments.add(variable)
        return parts

    Rule._parse_rule = parse_rule  # type: ignore[method-assign]


_memoize_url_builders()
_memoize_rule_parsing()

# Hypothesis profiles (``pytest --hypothesis-profile=NAME``; ``make test`` uses "ci").
# The examples are derandomized (the same every run), so a profile with fewer is a
# subset of one with more: "ci" still covers every property with several documents and
# every API operation with positive and negative requests; "thorough" is for a change
# to the documents or the API. The explicit ``PST_DOCUMENT_EXAMPLES`` wins (odd_text).
settings.register_profile("dev", max_examples=15)
settings.register_profile("ci", max_examples=6)
settings.register_profile("thorough", max_examples=60)
settings.load_profile("dev")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Watch every log record of the run for a test user's NIK or phone number."""
    global _catcher
    _catcher = logcheck.start()


#: What the pytest-xdist workers' catchers found, gathered by the controller.
_from_workers: list[str] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """An xdist worker ended: keep what its catcher found (the tests ran there)."""
    _from_workers.extend(getattr(node, "workeroutput", {}).get("pst_personal_data", []))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if any log line showed a NIK or phone number (issue #15)."""
    if _catcher is None:
        return
    found = logcheck.stop(_catcher)
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller reports and fails
        workeroutput["pst_personal_data"] = found
        return
    found = [*found, *_from_workers]
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = ["personal data in the logs of this run:", *found[:20]]
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line("\n".join(lines), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _test_database_url(tmp_root: Path) -> str:
    url = os.environ.get("PST_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_root / 'test.sqlite3'}"  # tmp_root is the worker's own
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # pytest-xdist: each worker its own database, test_gw0, test_gw1…
        url = _worker_database(url, worker)
    return url


def _worker_database(url: str, worker: str) -> str:
    """``url`` with ``_<worker>`` appended to the database name, created if missing."""
    from sqlalchemy.engine import make_url

    from app.config import _database_uri

    base = make_url(_database_uri(url, Path(".")))
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


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
    """Delete every row, children first, and restart the id sequences that were used.

    On PostgreSQL, DELETE of the few rows a test writes is 10-20 times faster than
    TRUNCATE of 50 tables (which rewrites each table's files); restarting only the
    sequences that moved gives the next test the ids TRUNCATE ... RESTART IDENTITY did.
    The statements are written once per run and sent as plain SQL (PostgreSQL: all the
    DELETEs in one round trip), since this runs after every test.
    """
    with _db.engine.begin() as conn:
        if conn.dialect.name != "postgresql":
            for statement in _delete_statements(conn.dialect):
                conn.exec_driver_sql(statement)
            return
        conn.exec_driver_sql("; ".join(_delete_statements(conn.dialect)))
        used = conn.exec_driver_sql(
            "SELECT schemaname, sequencename FROM pg_sequences "
            "WHERE last_value IS NOT NULL AND schemaname = current_schema()"
        ).all()
        if used:
            conn.exec_driver_sql(
                "; ".join(f'ALTER SEQUENCE "{schema}"."{name}" RESTART' for schema, name in used)
            )


_DELETES: dict[str, list[str]] = {}


def _delete_statements(dialect: Any) -> list[str]:
    """``DELETE FROM <table>`` for every table, children first (once per dialect)."""
    found = _DELETES.get(dialect.name)
    if found is None:
        quote = dialect.identifier_preparer.format_table
        found = _DELETES[dialect.name] = [
            f"DELETE FROM {quote(table)}"  # noqa: S608 - the models' own table names
            for table in reversed(_db.metadata.sorted_tables)
        ]
    return found


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


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Any]:
    """A real OpenID provider (node-oidc-provider) for this worker: ``tests/oidckit.py``."""
    import oidckit

    provider = oidckit.start_provider()
    yield provider
    provider.stop()

"""The database part of a backup: dump and restore, and what restore must check first.

PostgreSQL is dumped with ``pg_dump --format=custom`` (a consistent snapshot while the
app runs) and restored with ``pg_restore`` in one transaction. SQLite is copied with its
online backup API (``sqlite3.Connection.backup``), which reads a consistent snapshot of
a database in WAL mode while the app keeps writing. The password of a PostgreSQL URL
goes to the tools through ``PGPASSWORD``, never on a command line others can read.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.exc import SQLAlchemyError

from app.backup.errors import BackupError
from app.backup.manifest import Progress, private_file, quiet

MIGRATIONS = str(Path(__file__).resolve().parents[1] / "migrations")
POSTGRES_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
_SQLITE_PAGES = 4096


def kind(engine: Engine) -> str:
    """``postgresql`` or ``sqlite`` (the only databases PST runs on)."""
    name = engine.dialect.name
    if name not in ("postgresql", "sqlite"):
        raise BackupError(f"backing up a {name} database is not supported")
    return name


def file_name(database: str) -> str:
    return POSTGRES_FILE if database == "postgresql" else SQLITE_FILE


# --- revisions ------------------------------------------------------------------------------


def revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (``None``: never migrated)."""
    if "alembic_version" not in inspect(engine).get_table_names():
        return None
    with engine.connect() as conn:
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


def code_head() -> str:
    head = ScriptDirectory(MIGRATIONS).get_current_head()
    assert head is not None
    return head


def check_revision(backup: str | None) -> None:
    """Refuse a backup whose schema this code does not know (made by a newer PST)."""
    if backup is None:
        raise BackupError("the backup's database was never migrated: nothing to restore")
    try:
        ScriptDirectory(MIGRATIONS).get_revision(backup)
    except CommandError:
        raise BackupError(
            f"the backup's database is at migration {backup}, newer than this PST knows "
            f"(its newest is {code_head()}): install the PST version that made the backup "
            "and restore with it. Nothing was restored."
        ) from None


# --- emptiness ----------------------------------------------------------------------------


def is_empty(engine: Engine) -> bool:
    """A database with no tables at all (a fresh one: restore never merges into data)."""
    if kind(engine) == "sqlite" and not _sqlite_path(engine.url).exists():
        return True  # not made yet (connecting would fail where its folder is missing)
    return not inspect(engine).get_table_names()


# --- dumping ------------------------------------------------------------------------------


def dump(engine: Engine, dest: Path, progress: Progress = quiet) -> None:
    """Write a consistent copy of the database to ``dest`` (a new 0600 file)."""
    if kind(engine) == "postgresql":
        _pg_dump(engine.url, dest)
    else:
        _sqlite_copy(_sqlite_path(engine.url), dest, progress)


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_copy(source: Path, dest: Path, progress: Progress) -> None:
    if not source.is_file():
        raise BackupError(f"the SQLite database {source} does not exist")
    with private_file(dest):
        pass  # an empty 0600 file: SQLite writes the copy into it, keeping the mode

    def report(_status: int, remaining: int, total: int) -> None:
        if total:
            progress(f"database: {total - remaining}/{total} pages")

    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(dest)
        try:
            # Page by page, so a long copy lets the app write between steps; the
            # backup restarts by itself if a write lands meanwhile.
            src.backup(dst, pages=_SQLITE_PAGES, progress=report)
        finally:
            dst.close()
    finally:
        src.close()


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URL without the password, and the environment that carries it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_dump(url: URL, dest: Path) -> None:
    dbname, env = _libpq(url)
    with private_file(dest) as out:
        done = _tool(["pg_dump", "--format=custom", "--dbname", dbname], stdout=out, env=env)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {_last_line(done.stderr)}")


def _tool(
    args: list[str], *, stdout: Any = subprocess.DEVNULL, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run a PostgreSQL client tool; a missing one is a refusal naming the package."""
    try:
        return subprocess.run(  # noqa: S603 - fixed programs, arguments not from users
            args, stdout=stdout, stderr=subprocess.PIPE, env=env, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{args[0]} is not installed: install the PostgreSQL client of the server's "
            "version (Debian: postgresql-client-15)"
        ) from None


def _last_line(stderr: bytes) -> str:
    lines = [line for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


# --- restoring ----------------------------------------------------------------------------


def check_dump(database: str, source: Path) -> None:
    """Refuse, before anything is changed, a dump this machine's ``pg_restore`` cannot
    read (an archive of a newer ``pg_dump``): a forced restore clears the schema first."""
    if database != "postgresql":
        return
    done = _tool(["pg_restore", "--list", str(source)])
    if done.returncode != 0:
        raise BackupError(
            f"pg_restore cannot read {source.name}: {_last_line(done.stderr)}. "
            "Nothing was restored."
        )


def restore(engine: Engine, source: Path, *, clear: bool, progress: Progress = quiet) -> None:
    """Replace the database of ``engine`` by the backup's ``source``.

    ``clear`` empties a non-empty PostgreSQL schema first (the operator confirmed it);
    SQLite's backup API replaces the whole file either way. The caller disposes of
    the engine's pooled connections before and after.
    """
    if kind(engine) == "postgresql":
        if clear:
            _clear_schema(engine)
        _pg_restore(engine.url, source)
    else:
        target = _sqlite_path(engine.url)
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(target)
            try:
                # All pages in one step: the copy lands whole or not at all.
                src.backup(dst, pages=-1)
            finally:
                dst.close()
        finally:
            src.close()
    progress("database restored")


def _clear_schema(engine: Engine) -> None:
    try:
        with engine.begin() as conn:
            schema = conn.scalar(text("SELECT current_schema()"))
            quoted = engine.dialect.identifier_preparer.quote_identifier(str(schema))
            conn.execute(text(f"DROP SCHEMA {quoted} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {quoted}"))
    except SQLAlchemyError as exc:
        # Dropped in one transaction: on failure the database is as it was.
        reason = type(getattr(exc, "orig", None) or exc).__name__
        raise BackupError(
            f"the database could not be emptied ({reason}): its owner must run the "
            "restore. Nothing was restored."
        ) from None


def _pg_restore(url: URL, source: Path) -> None:
    dbname, env = _libpq(url)
    done = _tool(
        [
            "pg_restore",
            "--dbname",
            dbname,
            # Owners and grants are the old server's roles; this server has its own.
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",  # whole or nothing
            str(source),
        ],
        env=env,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {_last_line(done.stderr)}")

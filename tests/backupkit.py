"""Helpers of the backup tests (imported as ``backupkit``): the CLI runner and an empty
database of the suite's kind to restore into."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.config import _database_uri


def cli(application: Any, *args: Any, input: str | None = None) -> Any:
    return application.test_cli_runner().invoke(args=[str(a) for a in args], input=input)


@pytest.fixture
def empty_url(tmp_path: Path, database_url: str) -> Iterator[str]:
    """An empty database of the suite's kind to restore into (a second PostgreSQL
    database, dropped afterwards)."""
    if not database_url.startswith("postgres"):
        folder = tmp_path / "restored-db"
        folder.mkdir()
        yield f"sqlite:///{folder / 'pst.sqlite3'}"
        return
    base = make_url(_database_uri(database_url, Path(".")))
    name = f"{base.database}_restore"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()

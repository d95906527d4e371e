"""Database building blocks shared by every package: the declarative base and column types.

Times are stored as UTC and always come back timezone-aware, so that pages can show
them in WIB without guessing; SQLite keeps no zone, hence :class:`UTCDateTime`.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

#: Deterministic constraint names so that Alembic migrations are reproducible on
#: SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for every model in the project."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def str_enum(kind: type[enum.Enum], name: str, length: int = 16) -> Enum:
    """A column type for a string enum, stored as its values in a plain string column
    (no native ENUM type: adding a value then needs no migration on PostgreSQL)."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        length=length,
        values_callable=lambda k: [str(m.value) for m in k],
    )


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC (the only zone stored)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and returned timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        value = value.astimezone(UTC)
        # SQLite has no zone support: keep naive UTC there.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def tune_sqlite(engine: Engine, synchronous: str) -> None:
    """Give every SQLite connection of ``engine`` a write-ahead log.

    In its default rollback-journal mode SQLite syncs the disk two or three times per
    commit (about 22 ms each here) and a writer waits for every reader; with WAL a
    commit syncs once (``FULL``: about 4 ms, and still durable through a power cut) and
    readers never block the writer. Tests choose ``NORMAL`` (no sync per commit: safe
    when the process dies, not when the power does).
    """
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    level = synchronous.upper()
    if level not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        raise ValueError(
            f"SQLITE_SYNCHRONOUS must be OFF, NORMAL, FULL or EXTRA, not {synchronous!r}"
        )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA synchronous={level}")
        finally:
            cursor.close()

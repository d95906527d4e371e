"""Gapless numbering: the next number of a sequence, taken under the counter's row lock.

Queue tickets (per service day and service), letters (per kind and year) and invoices
and receipts (per kind and year) are numbered 1, 2, 3 … with no gap and no number given
twice. Each feature keeps its counters in a table of its own (one row per sequence: the
key columns and the last number given); :func:`take_next` is the one way to advance one.

How it stays gapless: the row is created if missing (``INSERT … ON CONFLICT DO
NOTHING``, so two first callers do not collide) and then advanced by ``UPDATE … SET
last = last + 1 RETURNING last``. On PostgreSQL the update holds the row lock until the
caller's transaction ends, so a concurrent caller waits and then reads the committed
value; if the caller's transaction rolls back, so does the increment and the number is
given again. SQLite serialises writers, so the same statements are enough there.

Call it inside the unit of work that stores the numbered thing, as late as possible:
the lock is held until that unit commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def take_next(
    session: Session, counter: type[Any], key: Mapping[str, Any], *, column: str = "last_seq"
) -> int:
    """Advance the sequence of ``counter`` (a mapped class) named by ``key`` and return
    its new number, starting at 1.

    ``key`` gives a value for each primary-key column of the counter table (for
    example ``{"kind": kind, "year": 2026}``); ``column`` is the integer column holding
    the last number given.
    """
    table = counter.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(table).values({**key, column: 0}).on_conflict_do_nothing())
    last = table.c[column]
    number = session.execute(
        update(table)
        .where(*(table.c[name] == value for name, value in key.items()))
        .values({column: last + 1})
        .returning(last)
    ).scalar_one()
    return int(number)

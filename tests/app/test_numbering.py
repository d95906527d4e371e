"""Gapless numbering (app/numbering.py): per sequence 1, 2, 3 … with no gap and no
number given twice — after rolled-back attempts, and (on PostgreSQL) between callers
on separate connections at the same moment."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.numbering import take_next
from app.uow import unit_of_work
from desk.models import ServiceType, TicketCounter
from store.models import Counter

_names = itertools.count()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(st.tuples(st.integers(min_value=0, max_value=2), st.booleans()), max_size=25))
def test_each_sequence_counts_up_without_gaps(db: Any, steps: list[tuple[int, bool]]) -> None:
    """Whatever the order of calls over three sequences, and whichever attempts roll
    back, the numbers kept in each sequence are exactly 1..n."""
    run = next(_names)  # a fresh set of sequences per example (the table persists)
    names = [f"T{run}-{i}" for i in range(3)]
    kept: dict[str, list[int]] = {name: [] for name in names}
    session = db.session()
    for which, keep in steps:
        name = names[which]
        try:
            with unit_of_work(session):
                number = take_next(session, Counter, {"name": name}, column="value")
                if not keep:
                    raise RuntimeError("the numbered thing failed to save")
        except RuntimeError:
            continue
        kept[name].append(number)
    for name, numbers in kept.items():
        assert numbers == list(range(1, len(numbers) + 1)), name


def test_a_composite_key_numbers_each_day_and_service_apart(db: Any) -> None:
    session = db.session()
    day, other = date(2026, 3, 2), date(2026, 3, 3)
    with unit_of_work(session):
        taken = [
            take_next(session, TicketCounter, {"service_day": d, "service": s})
            for d, s in [
                (day, ServiceType.LIBRARY),
                (day, ServiceType.LIBRARY),
                (day, ServiceType.CONSULTATION),
                (other, ServiceType.LIBRARY),
                (day, ServiceType.LIBRARY),
            ]
        ]
    assert taken == [1, 2, 1, 1, 3]


def test_concurrent_callers_never_share_or_skip_a_number(db: Any) -> None:
    """Two threads, each with its own connection, take numbers of one sequence at the
    same time; some of their transactions roll back. The committed numbers are 1..n."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (set PST_TEST_DATABASE_URL)")
    per_thread = 40
    engine = db.engine  # read here: the threads have no app context
    start = threading.Barrier(2)

    def worker(me: int) -> list[int]:
        kept = []
        with Session(engine) as session:
            start.wait(timeout=30)
            for i in range(per_thread):
                try:
                    with unit_of_work(session):
                        number = take_next(session, Counter, {"name": "race"}, column="value")
                        if (i + me) % 5 == 0:
                            raise RuntimeError("rolled back: the number goes to the next one")
                except RuntimeError:
                    continue
                kept.append(number)
        return kept

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(worker, range(2)))
    numbers = sorted(results[0] + results[1])
    assert len(set(numbers)) == len(numbers)  # never the same number twice
    assert numbers == list(range(1, len(numbers) + 1))  # and never a gap
    with Session(db.engine) as check:
        assert check.scalar(select(Counter.value).where(Counter.name == "race")) == len(numbers)

"""The service calendar: hours, weekends, Indonesian holidays, the office table, and
working-day deadlines."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from app.i18n import WIB
from desk import calendar


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_service_hours_mon_thu_and_friday(session):
    assert calendar.is_open(session, wib(2026, 11, 23, 8, 0))  # Monday opening
    assert not calendar.is_open(session, wib(2026, 11, 23, 7, 59))
    assert calendar.is_open(session, wib(2026, 11, 26, 15, 29))  # Thursday
    assert not calendar.is_open(session, wib(2026, 11, 26, 15, 30))  # closing is exclusive
    assert calendar.is_open(session, wib(2026, 11, 27, 15, 45))  # Friday until 16:00
    assert not calendar.is_open(session, wib(2026, 11, 27, 16, 0))
    assert not calendar.is_open(session, wib(2026, 11, 28, 10, 0))  # Saturday
    assert not calendar.is_open(session, wib(2026, 11, 29, 10, 0))  # Sunday


def test_utc_instants_are_judged_on_the_office_clock(session):
    from datetime import UTC

    # 01:00 UTC is 08:00 WIB.
    assert calendar.is_open(session, datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    assert not calendar.is_open(session, datetime(2026, 11, 23, 0, 59, tzinfo=UTC))


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 8, 17),  # Independence Day (Monday)
        date(2026, 1, 1),  # New Year (Thursday)
        date(2026, 3, 20),  # Eid al-Fitr joint leave (government category)
        date(2026, 12, 24),  # Christmas joint leave
        date(2026, 5, 14),  # Ascension Day
    ],
)
def test_indonesian_holidays_and_joint_leave_are_closed(session, day):
    assert day.weekday() < 5
    info = calendar.day_info(session, day)
    assert not info.is_open and info.holiday
    assert not calendar.is_open(session, datetime.combine(day, time(10), WIB))


def test_office_table_closes_a_day_and_reopens_a_holiday(session):
    closed = date(2026, 12, 31)  # Thursday, no national holiday
    assert calendar.is_working_day(session, closed)
    calendar.add_day(
        session,
        day=closed,
        is_open=False,
        opens_at=None,
        closes_at=None,
        note="Cuti bersama akhir tahun",
        actor_id=None,
    )
    assert not calendar.is_working_day(session, closed)
    # A holiday whose estimated date moved: the office reopens it, with its own hours.
    calendar.add_day(
        session,
        day=date(2026, 5, 14),
        is_open=True,
        opens_at=time(9),
        closes_at=time(12),
        note="Koreksi tanggal",
        actor_id=None,
    )
    assert calendar.day_hours(session, date(2026, 5, 14)) == (time(9), time(12))
    assert calendar.is_open(session, wib(2026, 5, 14, 11, 0))
    assert not calendar.is_open(session, wib(2026, 5, 14, 12, 0))
    # A Saturday of extended service takes the usual hours when none are given.
    calendar.add_day(
        session,
        day=date(2026, 11, 28),
        is_open=True,
        opens_at=None,
        closes_at=None,
        note="Layanan Sabtu",
        actor_id=None,
    )
    assert calendar.is_open(session, wib(2026, 11, 28, 9, 0))


def test_a_day_has_one_office_entry(session):
    from desk.errors import CalendarDayExists

    kwargs = {
        "day": date(2026, 12, 30),
        "is_open": False,
        "opens_at": None,
        "closes_at": None,
        "note": "x",
        "actor_id": None,
    }
    calendar.add_day(session, **kwargs)
    with pytest.raises(CalendarDayExists):
        calendar.add_day(session, **kwargs)


def test_next_opening(session):
    assert calendar.next_opening(session, wib(2026, 11, 25, 10, 0)) == wib(2026, 11, 25, 10, 0)
    assert calendar.next_opening(session, wib(2026, 11, 25, 6, 0)) == wib(2026, 11, 25, 8, 0)
    assert calendar.next_opening(session, wib(2026, 11, 27, 16, 30)) == wib(2026, 11, 30, 8, 0)
    # Sunday 16 August: Monday 17 August is Independence Day.
    assert calendar.next_opening(session, wib(2026, 8, 16, 12, 0)) == wib(2026, 8, 18, 8, 0)
    # Eid al-Fitr 2026: joint leave and holidays from Friday 20 to Tuesday 24 March.
    assert calendar.next_opening(session, wib(2026, 3, 19, 16, 0)) == wib(2026, 3, 25, 8, 0)


def test_add_working_days_counts_from_the_day_after_receipt(session):
    monday = wib(2026, 11, 23, 10, 0)
    assert calendar.add_working_days(session, monday, 0) == date(2026, 11, 23)
    assert calendar.add_working_days(session, monday, 3) == date(2026, 11, 26)  # Thursday
    # After hours: received the next working day.
    assert calendar.add_working_days(session, wib(2026, 11, 23, 16, 0), 3) == date(2026, 11, 27)
    # Before opening: the same day.
    assert calendar.add_working_days(session, wib(2026, 11, 23, 7, 0), 3) == date(2026, 11, 26)
    # On a Saturday: received Monday.
    assert calendar.add_working_days(session, wib(2026, 11, 28, 10, 0), 3) == date(2026, 12, 3)
    # Friday after 16:00 → Monday; 3 working days → Thursday.
    assert calendar.add_working_days(session, wib(2026, 11, 27, 16, 5), 3) == date(2026, 12, 3)
    # A plain date counts as received that day when it is a working day.
    assert calendar.add_working_days(session, date(2026, 11, 23), 1) == date(2026, 11, 24)


def test_deadlines_skip_holidays_and_office_closures(session):
    # Received Friday 14 August 2026; Monday 17 August is a holiday.
    assert calendar.add_working_days(session, wib(2026, 8, 14, 9, 0), 1) == date(2026, 8, 18)
    # Received Tuesday 17 March 2026: Nyepi, Eid al-Fitr and their joint leave close
    # 18–24 March, so day 1 is Wednesday 25 March.
    assert calendar.add_working_days(session, wib(2026, 3, 17, 9, 0), 1) == date(2026, 3, 25)
    # Received on Nyepi itself (19 March): received on 25 March, day 1 is the 26th.
    assert calendar.add_working_days(session, wib(2026, 3, 19, 9, 0), 1) == date(2026, 3, 26)
    calendar.add_day(
        session,
        day=date(2026, 11, 24),
        is_open=False,
        opens_at=None,
        closes_at=None,
        note="Office closed",
        actor_id=None,
    )
    assert calendar.add_working_days(session, wib(2026, 11, 23, 10, 0), 3) == date(2026, 11, 27)


def test_working_days_between_matches_add_working_days(session):
    start = wib(2026, 3, 16, 11, 0)
    received = calendar.received_on(session, start)
    for n in (0, 1, 3, 5, 30):
        deadline = calendar.add_working_days(session, start, n)
        assert calendar.working_days_between(session, received, deadline) == n
    assert calendar.working_days_between(session, date(2026, 11, 27), date(2026, 11, 23)) == -4
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_days(session, start, -1)


def test_configured_hours(app, session):
    from desk.settings import settings_from

    app.config["DESK_HOURS"] = {"mon": ["07:30", "12:00"]}
    settings = settings_from(app.config)
    assert calendar.is_open(session, wib(2026, 11, 23, 7, 45), settings)
    assert not calendar.is_open(
        session, wib(2026, 11, 24, 10, 0), settings
    )  # Tuesday left out: closed

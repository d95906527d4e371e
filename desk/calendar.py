"""The service calendar: when the office serves, and working-day deadlines.

Service hours come from ``DESK_HOURS`` (by default Mon–Thu 08:00–15:30, Fri 08:00–16:00
WIB; closed at weekends). A day is closed on the Indonesian public holidays and the
government's joint leave (*cuti bersama*) as the ``holidays`` package lists them
(categories ``DESK_HOLIDAY_CATEGORIES``), and the office table
(:class:`~desk.models.CalendarDay`) overrides both: an entry closes a day (joint leave
announced late, an office closure) or reopens it (a holiday whose estimated Islamic
date moved, an extended-service Saturday), optionally with its own hours.

Deadlines (:func:`add_working_days`) follow one rule, used by every feature: **a request
counts as received at the next opening of the office** — during service hours that is the
moment itself; after closing time, before opening on a closed day, or on a closed day it
is the next working day. Day 1 is the first working day after the day of receipt, so "3
working days" from Monday 10:00 ends on Thursday, from Monday 16:00 (after hours) on
Friday, and from Saturday on Thursday. The deadline is the end of that day.

Every function takes the session (for the office table) and aware datetimes or plain
WIB dates, and the desk's :class:`~desk.settings.Settings` (hours, holiday categories)
from its caller; none commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from flask import has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import WIB
from app.uow import transactional
from desk.models import CalendarDay
from desk.settings import DEFAULT_CATEGORIES as DEFAULT_CATEGORIES
from desk.settings import DEFAULT_HOURS as DEFAULT_HOURS
from desk.settings import Settings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: How far the search for an opening looks before giving up (a closed year is an error).
_HORIZON_DAYS = 400


class CalendarError(RuntimeError):
    """The calendar has no opening within a year (misconfigured hours)."""


@dataclass(frozen=True)
class DayInfo:
    day: date
    hours: tuple[time, time] | None  # None: closed
    holiday: str | None  # the holiday's name (public list), if any
    override: CalendarDay | None  # the office's entry, if any

    @property
    def is_open(self) -> bool:
        return self.hours is not None


def _parse(value: str) -> time:
    hh, mm = str(value).split(":")
    return time(int(hh), int(mm))


def weekly_hours(hours: Mapping[str, Sequence[str]]) -> dict[int, tuple[time, time]]:
    """``DESK_HOURS`` as {weekday number: (opens, closes)}."""
    result: dict[int, tuple[time, time]] = {}
    for name, pair in hours.items():
        if pair:
            result[WEEKDAYS.index(name.lower()[:3])] = (_parse(pair[0]), _parse(pair[1]))
    return result


def hours_rule(locale: str, hours: Mapping[str, Sequence[str]]) -> str:
    """The weekly service hours in words, e.g. ``Senin–Kamis 08.00–15.30, Jumat
    08.00–16.00`` (``id``): consecutive days with the same hours are grouped."""
    from babel.dates import format_time, get_day_names

    names = get_day_names("wide", locale=locale)
    weekly = weekly_hours(hours)
    groups: list[tuple[int, int, tuple[time, time]]] = []
    for day in sorted(weekly):
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == weekly[day]:
            groups[-1] = (groups[-1][0], day, weekly[day])
        else:
            groups.append((day, day, weekly[day]))
    parts = []
    for first, last, (opens, closes) in groups:
        days = names[first] if first == last else f"{names[first]}–{names[last]}"
        span = f"{format_time(opens, 'short', locale=locale)}–"
        parts.append(f"{days} {span}{format_time(closes, 'short', locale=locale)}")
    return ", ".join(parts)


#: The ``holidays`` package's languages for the site's locales (its default is English).
HOLIDAY_LANGUAGES = {"id": "id", "en": "en_US"}


@lru_cache(maxsize=64)
def _holidays(year: int, categories: tuple[str, ...], language: str = "id") -> dict[date, str]:
    import holidays  # here, not at start-up: its country tables take a quarter second

    listed = holidays.country_holidays("ID", categories=categories, years=year, language=language)
    return {day: str(name) for day, name in listed.items()}


def _language() -> str:
    """The holiday names' language: the request's locale, else the office's (Indonesian)."""
    if not has_app_context():
        return "id"
    from app.i18n import current_locale

    return HOLIDAY_LANGUAGES.get(current_locale(), "id")


def national_holiday(day: date, categories: tuple[str, ...] = DEFAULT_CATEGORIES) -> str | None:
    """The name of the public holiday or joint leave on ``day``, if any (no office table),
    in the reader's language."""
    return _holidays(day.year, tuple(categories), _language()).get(day)


def weekday_names() -> list[str]:
    """Monday … Sunday in the reader's language (Babel), for the opening-hours list."""
    from babel.dates import get_day_names

    locale = "id"
    if has_app_context():
        from app.i18n import current_locale

        locale = current_locale()
    names = get_day_names("wide", locale=locale)
    return [str(names[i]) for i in range(7)]


def _configured() -> Settings:
    """The app's desk settings, for callers that pass none.

    Transitional: advisory's deadlines (:mod:`advisory.deadlines`) still call the
    calendar without settings; once they pass the desk's, ``settings`` becomes required
    and this (the module's entry in scripts/services_allowlist.txt) goes.
    """
    if has_app_context():
        from flask import current_app

        from desk.settings import settings_from

        return settings_from(current_app.config)
    return Settings()


class _Days:
    """Resolves days, loading the office table once per year asked."""

    def __init__(self, session: Session, settings: Settings | None) -> None:
        self.session = session
        self.settings = settings if settings is not None else _configured()
        self.weekly = weekly_hours(self.settings.hours)
        self._years: dict[int, dict[date, CalendarDay]] = {}

    def override(self, day: date) -> CalendarDay | None:
        if day.year not in self._years:
            rows = self.session.scalars(
                select(CalendarDay).where(
                    CalendarDay.day >= date(day.year, 1, 1),
                    CalendarDay.day <= date(day.year, 12, 31),
                )
            )
            self._years[day.year] = {row.day: row for row in rows}
        return self._years[day.year].get(day)

    def info(self, day: date) -> DayInfo:
        holiday = national_holiday(day, self.settings.holiday_categories)
        entry = self.override(day)
        if entry is not None:
            if not entry.is_open:
                return DayInfo(day, None, holiday, entry)
            usual = self.weekly.get(day.weekday()) or self.weekly.get(0) or (time(8), time(15, 30))
            hours = (entry.opens_at or usual[0], entry.closes_at or usual[1])
            return DayInfo(day, hours, holiday, entry)
        if holiday is not None:
            return DayInfo(day, None, holiday, None)
        return DayInfo(day, self.weekly.get(day.weekday()), None, None)

    def hours(self, day: date) -> tuple[time, time] | None:
        return self.info(day).hours


def service_day(moment: datetime) -> date:
    """The office (WIB) date of ``moment``: queue numbers restart on it."""
    return moment.astimezone(WIB).date()


def day_info(session: Session, day: date, settings: Settings | None = None) -> DayInfo:
    return _Days(session, settings).info(day)


def day_hours(
    session: Session, day: date, settings: Settings | None = None
) -> tuple[time, time] | None:
    """Opening and closing time (WIB) of ``day``, or None when the office is closed."""
    return _Days(session, settings).hours(day)


def is_working_day(session: Session, day: date, settings: Settings | None = None) -> bool:
    return _Days(session, settings).hours(day) is not None


def is_open(session: Session, moment: datetime, settings: Settings | None = None) -> bool:
    """True while ``moment`` falls within service hours (opening inclusive, closing not)."""
    local = moment.astimezone(WIB)
    hours = day_hours(session, local.date(), settings)
    return hours is not None and hours[0] <= local.time().replace(tzinfo=None) < hours[1]


def next_opening(session: Session, moment: datetime, settings: Settings | None = None) -> datetime:
    """``moment`` itself while open, else the next opening (aware, WIB)."""
    days = _Days(session, settings)
    local = moment.astimezone(WIB)
    for offset in range(_HORIZON_DAYS):
        day = local.date() + timedelta(days=offset)
        hours = days.hours(day)
        if hours is None:
            continue
        opens = datetime.combine(day, hours[0], WIB)
        closes = datetime.combine(day, hours[1], WIB)
        if offset == 0:
            if opens <= local < closes:
                return local
            if local < opens:
                return opens
            continue
        return opens
    raise CalendarError("no opening within a year; check DESK_HOURS and the calendar")


def received_on(session: Session, start: datetime | date, settings: Settings | None = None) -> date:
    """The day of receipt by the deadline rule: the day of the next opening."""
    if not isinstance(start, datetime):
        start = datetime.combine(start, time(0), WIB)
    return next_opening(session, start, settings).date()


def add_working_days(
    session: Session, start: datetime | date, n: int, settings: Settings | None = None
) -> date:
    """The deadline (a WIB date) ``n`` working days after a request received at ``start``.

    A ``date`` is taken as that day at 00:00 WIB (so a working day counts as received
    that day). ``n == 0`` gives the day of receipt. See the module notes for the rule.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    days = _Days(session, settings)
    day = received_on(session, start, settings)
    counted = 0
    for _ in range(_HORIZON_DAYS * max(1, n)):
        if counted == n:
            return day
        day += timedelta(days=1)
        if days.hours(day) is not None:
            counted += 1
    raise CalendarError("no working day within the horizon")


def working_days_between(
    session: Session, start: date, end: date, settings: Settings | None = None
) -> int:
    """Working days ``d`` with ``start < d <= end`` (negative when ``end`` is earlier).

    ``working_days_between(s, received_on(s, t), add_working_days(s, t, n)) == n``.
    """
    if end < start:
        return -working_days_between(session, end, start, settings)
    days = _Days(session, settings)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if days.hours(start + timedelta(days=offset)) is not None
    )


def month(
    session: Session, year: int, month_no: int, settings: Settings | None = None
) -> list[DayInfo]:
    """Every day of a month, for the calendar page."""
    days = _Days(session, settings)
    first = date(year, month_no, 1)
    result = []
    day = first
    while day.month == month_no:
        result.append(days.info(day))
        day += timedelta(days=1)
    return result


def closed_days(
    session: Session, start: date, end: date, settings: Settings | None = None
) -> list[DayInfo]:
    """Holidays and office closures between two dates (weekends left out)."""
    days = _Days(session, settings)
    found = []
    day = start
    while day <= end:
        info = days.info(day)
        if info.holiday or info.override:
            found.append(info)
        day += timedelta(days=1)
    return found


@transactional
def add_day(
    session: Session,
    *,
    day: date,
    is_open: bool,
    opens_at: time | None,
    closes_at: time | None,
    note: str,
    actor_id: int | None,
) -> CalendarDay:
    """Add an office entry (closing or reopening ``day``) and commit, with an audit event."""
    from sqlalchemy.exc import IntegrityError

    from app import audit
    from desk.errors import CalendarDayExists

    entry = CalendarDay(
        day=day,
        is_open=is_open,
        opens_at=opens_at if is_open else None,
        closes_at=closes_at if is_open else None,
        note=note.strip(),
        created_by_id=actor_id,
    )
    session.add(entry)
    try:
        session.flush()
    except IntegrityError:
        raise CalendarDayExists() from None
    audit.record(
        session,
        "desk.calendar_day_added",
        actor_id=actor_id,
        subject_type="desk_calendar_day",
        subject_id=day.isoformat(),
        detail={"open": is_open, "note": entry.note},
    )
    return entry


@transactional
def delete_day(session: Session, entry_id: int, *, actor_id: int | None) -> None:
    from app import audit

    entry = session.get(CalendarDay, entry_id)
    if entry is not None:
        audit.record(
            session,
            "desk.calendar_day_deleted",
            actor_id=actor_id,
            subject_type="desk_calendar_day",
            subject_id=entry.day.isoformat(),
            detail={"open": entry.is_open, "note": entry.note},
        )
        session.delete(entry)

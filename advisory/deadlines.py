"""Deadlines of the advisory services, on the front desk's service calendar.

* A consultation or data request must be answered within ``ADVISORY_CONSULTATION_DAYS``
  (3) **working days** (SOP-1-03), counted by :func:`desk.calendar.add_working_days`:
  the request counts as received at the next opening of the office (after closing time,
  at a weekend, on a public holiday or joint leave it is the next working day), day 1 is
  the first working day after that, and the deadline is the end of the last day. A data
  request may carry a later completion date agreed with the requester (the letter says
  it), which then replaces the deadline.
* A recommendation letter is due ``ADVISORY_RECOMMENDATION_DAYS`` (30) days after the
  form is complete in the system (SOP-1-04): the submission that the officers pass
  (each resubmission after a return restarts the clock). ``ADVISORY_RECOMMENDATION_DAY_KIND``
  says how they count: ``"working"`` days as above, or ``"calendar"`` days from the day
  of receipt — a calendar deadline that falls on a closed day moves to the next working
  day, since nothing can be issued then.

Reminders go out when at most ``ADVISORY_REMIND_WORKING_DAYS`` working days are left
(see :mod:`advisory.reminders`). Every function takes the session (the office's own
calendar table), aware datetimes and the :class:`~advisory.settings.Settings`; none
commits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from advisory.settings import Settings
from app.i18n import WIB
from desk import calendar


class DeadlineState(enum.StrEnum):
    OK = "ok"
    DUE_SOON = "due_soon"  # within the reminder window
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    DONE = "done"


def today(now: datetime) -> date:
    """The office (WIB) date of ``now``."""
    return now.astimezone(WIB).date()


def consultation_due(
    session: Session, received_at: datetime, settings: Settings
) -> tuple[date, date]:
    """(day of receipt, deadline) of a consultation or data request arriving at ``received_at``."""
    days = settings.consultation_days
    return (
        calendar.received_on(session, received_at),
        calendar.add_working_days(session, received_at, days),
    )


def recommendation_due(session: Session, complete_at: datetime, settings: Settings) -> date:
    """The day a recommendation letter is due for a form complete at ``complete_at``."""
    days = settings.recommendation_days
    kind = settings.recommendation_day_kind.lower()
    if kind == "working":
        return calendar.add_working_days(session, complete_at, days)
    if kind != "calendar":
        raise ValueError("ADVISORY_RECOMMENDATION_DAY_KIND must be 'calendar' or 'working'")
    due = calendar.received_on(session, complete_at) + timedelta(days=days)
    return calendar.received_on(session, due)  # a closed day: the next working day


def working_days_left(session: Session, now: datetime, due: date) -> int:
    """Working days after today up to and including ``due`` (0 on the day, <0 when late).

    A late request counts the working days it is late by, as a negative number."""
    return calendar.working_days_between(session, today(now), due)


@dataclass(frozen=True)
class Deadline:
    due: date
    state: DeadlineState
    days_left: int  # working days, see :func:`working_days_left`


def deadline(
    session: Session, due: date | None, now: datetime, settings: Settings, *, done: bool = False
) -> Deadline | None:
    """How a deadline stands at ``now``."""
    if due is None:
        return None
    left = working_days_left(session, now, due)
    if done:
        state = DeadlineState.DONE
    elif today(now) > due:
        state = DeadlineState.OVERDUE
    elif today(now) == due:
        state = DeadlineState.DUE_TODAY
    elif left <= settings.remind_working_days:
        state = DeadlineState.DUE_SOON
    else:
        state = DeadlineState.OK
    return Deadline(due, state, left)


def is_overdue(due: date | None, now: datetime) -> bool:
    """After the end (WIB) of the due day."""
    return due is not None and today(now) > due


def met(due: date | None, done_at: datetime | None) -> bool | None:
    """Whether a finished request was finished by its deadline (None while open)."""
    if due is None or done_at is None:
        return None
    return today(done_at) <= due

"""Deadlines on the service calendar: weekends, Idul Fitri, joint leave, after hours."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from advkit import mails

from advisory import consultations, deadlines, reminders
from advisory.settings import Settings, settings_from
from app.blobs import current_store
from app.i18n import WIB
from desk.models import CalendarDay

#: The advisory settings with their defaults (services get them explicitly).
SETTINGS = Settings()


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=WIB)


@pytest.mark.parametrize(
    ("received", "day_of_receipt", "due"),
    [
        # An ordinary Monday morning: Tue, Wed, Thu.
        (at(2026, 11, 23, 10, 0), date(2026, 11, 23), date(2026, 11, 26)),
        # Wednesday: Thu, Fri, then over the weekend to Monday.
        (at(2026, 11, 25, 10, 0), date(2026, 11, 25), date(2026, 11, 30)),
        # Thursday before the Good Friday long weekend (18-20 April 2025): Mon, Tue, Wed.
        (at(2025, 4, 17, 10, 0), date(2025, 4, 17), date(2025, 4, 23)),
        # The same Thursday after closing time (15:30): received Monday, due Thursday.
        (at(2025, 4, 17, 15, 45), date(2025, 4, 21), date(2025, 4, 24)),
        # Friday after hours (16:00): received Monday, due Thursday.
        (at(2026, 11, 27, 16, 30), date(2026, 11, 30), date(2026, 12, 3)),
        # Saturday: received Monday.
        (at(2026, 11, 28, 9, 0), date(2026, 11, 30), date(2026, 12, 3)),
        # Before opening on a working day counts that day.
        (at(2026, 11, 25, 6, 30), date(2026, 11, 25), date(2026, 11, 30)),
        # Thursday before Idul Fitri 2025 (joint leave 28 Mar - 7 Apr): 8, 9, 10 April.
        (at(2025, 3, 27, 14, 0), date(2025, 3, 27), date(2025, 4, 10)),
        # Idul Fitri 2026 (18-24 March closed): a Tuesday request waits until 25 March.
        (at(2026, 3, 17, 10, 0), date(2026, 3, 17), date(2026, 3, 27)),
        # Sent during the holiday itself: received on the first working day after it.
        (at(2026, 3, 21, 11, 0), date(2026, 3, 25), date(2026, 3, 30)),
        # Christmas 2026 (24 Dec joint leave, 25 Dec): 28, 29, 30 December.
        (at(2026, 12, 23, 15, 0), date(2026, 12, 23), date(2026, 12, 30)),
    ],
)
def test_consultation_deadline(session, received, day_of_receipt, due):
    assert deadlines.consultation_due(session, received, settings=SETTINGS) == (day_of_receipt, due)


def test_office_joint_leave_moves_the_deadline(session):
    # The office closes on Monday 28 December 2026 as well (announced late).
    session.add(CalendarDay(day=date(2026, 12, 28), is_open=False, note="Cuti bersama"))
    session.commit()
    assert deadlines.consultation_due(session, at(2026, 12, 23, 15, 0), settings=SETTINGS) == (
        date(2026, 12, 23),
        date(2026, 12, 31),
    )


def test_a_reopened_holiday_counts_again(session):
    # The estimated Eid date moved: the office reopens Tuesday 24 March 2026.
    session.add(
        CalendarDay(day=date(2026, 3, 24), is_open=True, opens_at=time(8), closes_at=time(15, 30))
    )
    session.commit()
    assert deadlines.consultation_due(session, at(2026, 3, 17, 10, 0), settings=SETTINGS)[
        1
    ] == date(2026, 3, 26)


def test_recommendation_calendar_days_skip_to_a_working_day(app, session):
    # 19 Feb 2026 + 30 days = Saturday 21 March (Idul Fitri): the next working day.
    assert deadlines.recommendation_due(session, at(2026, 2, 19, 10, 0), settings=SETTINGS) == date(
        2026, 3, 25
    )
    # An ordinary case lands on a working day as is.
    assert deadlines.recommendation_due(session, at(2026, 11, 2, 10, 0), settings=SETTINGS) == date(
        2026, 12, 2
    )
    # After hours: counted from the next working day.
    assert deadlines.recommendation_due(session, at(2026, 11, 2, 17, 0), settings=SETTINGS) == date(
        2026, 12, 3
    )


def test_recommendation_working_days_when_configured(app, session):
    app.config["ADVISORY_RECOMMENDATION_DAY_KIND"] = "working"
    # 30 working days from Mon 2 Nov 2026: six weeks of weekdays.
    assert deadlines.recommendation_due(
        session, at(2026, 11, 2, 10, 0), settings=settings_from(app.config)
    ) == date(2026, 12, 14)
    # From Tue 1 Dec 2026 across Christmas (24, 25 Dec), New Year and Isra Mi'raj (5 Jan).
    assert deadlines.recommendation_due(
        session, at(2026, 12, 1, 10, 0), settings=settings_from(app.config)
    ) == date(2027, 1, 18)
    app.config["ADVISORY_RECOMMENDATION_DAY_KIND"] = "weeks"
    with pytest.raises(ValueError, match="calendar"):
        deadlines.recommendation_due(
            session, at(2026, 11, 2, 10, 0), settings=settings_from(app.config)
        )


def test_deadline_states(app, session):
    due = date(2026, 11, 30)  # a Monday
    assert deadlines.deadline(session, due, at(2026, 11, 25, 10), settings=SETTINGS).state == "ok"
    assert (
        deadlines.deadline(session, due, at(2026, 11, 27, 10), settings=SETTINGS).state
        == "due_soon"
    )  # Friday
    assert (
        deadlines.deadline(session, due, at(2026, 11, 30, 15), settings=SETTINGS).state
        == "due_today"
    )
    late = deadlines.deadline(session, due, at(2026, 12, 2, 8), settings=SETTINGS)
    assert late.state == "overdue" and late.days_left == -2
    assert (
        deadlines.deadline(session, due, at(2026, 12, 2, 8), done=True, settings=SETTINGS).state
        == "done"
    )
    assert deadlines.met(due, at(2026, 11, 30, 23, 59)) is True
    assert deadlines.met(due, at(2026, 12, 1, 0, 1)) is False


def test_reminders_before_and_reports_after_the_deadline(
    app, session, clock, requester, officer, head, outbox
):
    clock.set(2025, 4, 17, 15, 45)  # Thursday after hours before Good Friday: due Thu 24 April
    c = consultations.create_consultation(
        session,
        current_store(),
        requester=requester,
        subject="Data kemiskinan",
        body="Mohon data kemiskinan per kecamatan",
        now=clock.now,
        settings=SETTINGS,
    )
    assert c.due_on == date(2025, 4, 24)
    clock.set(2025, 4, 22, 7, 0)  # Tuesday: two working days left, nothing yet
    assert reminders.remind(session, clock.now, window=SETTINGS.remind_working_days) == {
        "reminded": 0,
        "overdue": 0,
    }
    clock.set(2025, 4, 23, 7, 0)  # Wednesday: one working day left
    assert reminders.remind(session, clock.now, window=SETTINGS.remind_working_days) == {
        "reminded": 1,
        "overdue": 0,
    }
    reminder = mails(outbox, officer.email)
    assert (
        len(reminder) == 1 and "due soon" in reminder[0]["Subject"]
    )  # nobody assigned: every officer
    assert reminders.remind(session, clock.now, window=SETTINGS.remind_working_days) == {
        "reminded": 0,
        "overdue": 0,
    }  # once only
    clock.set(2025, 4, 25, 7, 0)  # Friday: late
    assert reminders.remind(session, clock.now, window=SETTINGS.remind_working_days) == {
        "reminded": 0,
        "overdue": 1,
    }
    assert any("Overdue" in m["Subject"] for m in mails(outbox, head.email))
    assert reminders.remind(session, clock.now, window=SETTINGS.remind_working_days) == {
        "reminded": 0,
        "overdue": 0,
    }
    from app.audit import AuditEvent

    assert session.query(AuditEvent).filter_by(action="advisory.consultation_overdue").count() == 1

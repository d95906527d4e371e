"""The queue machine: numbering, hours and appointments, the desk console's actions,
the board and the status of a number."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial

import pytest
from deskkit import served_record
from sqlalchemy import func, select

from app.i18n import WIB
from desk import queue
from desk.errors import (
    AppointmentInvalid,
    AppointmentOutsideHours,
    AppointmentTooSoon,
    DeskBusy,
    IllegalTransition,
    NotYourTicket,
    OutsideHours,
    TicketNotFound,
)
from desk.models import Appointment, Channel, Outcome, ServiceType, TicketStatus

L, S, C, R = (
    ServiceType.LIBRARY,
    ServiceType.SALES,
    ServiceType.CONSULTATION,
    ServiceType.RECOMMENDATION,
)


def take(session, clock, service=L, **kw):
    kw.setdefault("channel", Channel.KIOSK)
    return queue.take_ticket(session, service=service, now=clock.now, **kw)


def test_numbers_per_service_with_prefixes(session, clock):
    numbers = [take(session, clock, s).number for s in (L, L, S, C, R, L)]
    assert numbers == ["A-001", "A-002", "B-001", "C-001", "D-001", "A-003"]


def test_numbers_restart_each_service_day(session, clock):
    assert take(session, clock).number == "A-001"
    clock.advance(days=1)  # Thursday
    assert take(session, clock).number == "A-001"
    assert take(session, clock).number == "A-002"


def test_prefixes_are_configurable(app, session, clock):
    app.config["DESK_SERVICE_PREFIXES"] = {
        "library": "P",
        "sales": "J",
        "consultation": "K",
        "recommendation": "R",
    }
    from desk.settings import settings_from

    assert take(session, clock, S, settings=settings_from(app.config)).number == "J-001"


def test_the_kiosk_refuses_walk_ins_outside_hours(session, clock):
    clock.set(2026, 11, 25, 16, 0)
    with pytest.raises(OutsideHours):
        take(session, clock)
    # The number was not used up: the next one given is still the first.
    assert take(session, clock, staff=True).number == "A-001"


def test_a_receptionist_issues_numbers_at_any_time(session, clock):
    clock.set(2026, 11, 28, 9, 0)  # Saturday
    assert take(session, clock, staff=True, channel=Channel.RECEPTION).number == "A-001"


def test_appointments_only_within_service_hours(session, clock, visitor):
    """By default the office books only times it serves; each refusal says why."""
    clock.set(2026, 11, 25, 9, 0)  # Wednesday
    book = partial(queue.book_appointment, session, service=C, now=clock.now, user_id=visitor.id)
    with pytest.raises(AppointmentOutsideHours) as late:
        book(starts_at=clock.now.replace(hour=17))  # after closing
    assert late.value.hours == (time(8, 0), time(15, 30)) and "08.00" in str(late.value)
    with pytest.raises(AppointmentOutsideHours):
        book(starts_at=clock.now.replace(hour=15, minute=30))  # closing time itself
    with pytest.raises(AppointmentOutsideHours) as sunday:
        book(starts_at=datetime(2026, 11, 29, 10, 0, tzinfo=WIB))
    assert sunday.value.hours is None and not sunday.value.day_ahead
    with pytest.raises(AppointmentOutsideHours) as christmas:
        book(starts_at=datetime(2026, 12, 25, 10, 0, tzinfo=WIB))
    assert christmas.value.hours is None
    friday = book(starts_at=datetime(2026, 11, 27, 15, 45, tzinfo=WIB))  # Fri: until 16:00
    assert friday.starts_at == datetime(2026, 11, 27, 15, 45, tzinfo=WIB)
    assert session.scalar(select(func.count()).select_from(Appointment)) == 1


def test_appointments_outside_hours_when_the_office_allows_them(session, clock, visitor):
    """``DESK_APPOINTMENTS_OUTSIDE_HOURS``: the SOP's service outside working hours by
    appointment, at least an hour ahead, a closed day at least a day ahead."""
    clock.set(2026, 11, 28, 9, 0)  # Saturday
    with pytest.raises(AppointmentOutsideHours) as same_day:
        queue.book_appointment(
            session, service=C, starts_at=clock.now.replace(hour=13), now=clock.now,
            user_id=visitor.id, outside_hours=True,
        )  # fmt: skip
    assert same_day.value.day_ahead
    sunday = queue.book_appointment(
        session, service=C, starts_at=clock.now + timedelta(days=1), now=clock.now,
        user_id=visitor.id, outside_hours=True,
    )  # fmt: skip
    assert sunday.code
    clock.set(2026, 11, 25, 14, 0)
    evening = clock.now.replace(hour=17)
    with pytest.raises(AppointmentTooSoon):
        queue.book_appointment(
            session,
            service=C,
            starts_at=clock.now + timedelta(minutes=59),
            now=clock.now,
            user_id=visitor.id,
            outside_hours=True,
        )
    appointment = queue.book_appointment(
        session, service=C, starts_at=evening, now=clock.now, user_id=visitor.id,
        outside_hours=True,
    )  # fmt: skip
    assert len(appointment.code) == 6
    clock.set(2026, 11, 25, 16, 50)
    with pytest.raises(OutsideHours):
        take(session, clock, C)
    ticket = take(session, clock, C, appointment_code=appointment.code.lower())
    assert ticket.number == "C-001" and ticket.appointment_id == appointment.id
    # Used once only.
    with pytest.raises(AppointmentInvalid):
        take(session, clock, C, appointment_code=appointment.code)


def test_an_appointment_code_works_only_near_its_time(session, clock, visitor):
    appointment = queue.book_appointment(
        session, service=L, starts_at=clock.now.replace(hour=15), now=clock.now, user_id=visitor.id
    )
    clock.set(2026, 11, 25, 13, 30)  # 90 minutes early
    with pytest.raises(AppointmentInvalid):
        take(session, clock, appointment_code=appointment.code)
    with pytest.raises(AppointmentInvalid):
        take(session, clock, appointment_code="NOPE99")


def test_call_next_serves_the_longest_waiting_of_the_desk_queues(session, clock, officer):
    a1 = take(session, clock, L)
    clock.advance(minutes=1)
    b1 = take(session, clock, S)
    clock.advance(minutes=1)
    take(session, clock, L)
    called = queue.call_next(
        session, services=[S, L], officer_id=officer.id, desk="2", now=clock.now
    )
    assert called.id == a1.id and called.status == TicketStatus.CALLED and called.desk == "2"
    assert called.wait_seconds == 120
    queue.skip(session, called.id, officer_id=officer.id, now=clock.now)
    assert (
        queue.call_next(session, services=[S], officer_id=officer.id, desk="2", now=clock.now).id
        == b1.id
    )


def test_an_officer_serves_one_number_at_a_time(session, clock, officer):
    take(session, clock)
    take(session, clock)
    queue.call_next(session, services=[L], officer_id=officer.id, desk="1", now=clock.now)
    with pytest.raises(DeskBusy):
        queue.call_next(session, services=[L], officer_id=officer.id, desk="1", now=clock.now)


def test_nobody_waiting(session, clock, officer):
    assert (
        queue.call_next(session, services=[L], officer_id=officer.id, desk="1", now=clock.now)
        is None
    )


def test_two_desks_get_different_numbers(session, clock, officer, officer2):
    take(session, clock)
    take(session, clock)
    first = queue.call_next(session, services=[L], officer_id=officer.id, desk="1", now=clock.now)
    second = queue.call_next(session, services=[L], officer_id=officer2.id, desk="2", now=clock.now)
    assert {first.number, second.number} == {"A-001", "A-002"}
    with pytest.raises(NotYourTicket):
        queue.start(session, first.id, officer_id=officer2.id, now=clock.now)


def test_recall_start_finish_and_the_record(session, clock, officer, visitor):
    ticket = take(session, clock, user_id=visitor.id)
    clock.advance(minutes=3)
    queue.call_next(session, services=[L], officer_id=officer.id, desk="1", now=clock.now)
    clock.advance(seconds=30)
    recalled = queue.recall(session, ticket.id, officer_id=officer.id, now=clock.now)
    assert recalled.recalls == 1 and recalled.last_called_at == clock.now
    queue.start(session, ticket.id, officer_id=officer.id, now=clock.now)
    with pytest.raises(IllegalTransition):
        queue.recall(session, ticket.id, officer_id=officer.id, now=clock.now)
    clock.advance(minutes=12)
    record = queue.finish(
        session,
        ticket.id,
        officer_id=officer.id,
        now=clock.now,
        outcome=Outcome.PARTLY,
        products=["Bengkulu Dalam Angka 2025", " ", "Statistik Daerah"],
        note="Tabel per kecamatan",
    )
    assert (
        record.ticket_id == ticket.id
        and record.user_id == visitor.id
        and record.officer_id == officer.id
    )
    assert record.product_list == ["Bengkulu Dalam Angka 2025", "Statistik Daerah"]
    assert (record.ended_at - record.started_at) == timedelta(minutes=12)
    assert record.desk == "1" and record.outcome == Outcome.PARTLY
    with pytest.raises(IllegalTransition):
        queue.finish(session, ticket.id, officer_id=officer.id, now=clock.now)


def test_waiting_is_measured_from_the_end_of_the_previous_service(session, clock, officer):
    first = take(session, clock)
    second = take(session, clock)
    queue.call_next(session, services=[L], officer_id=officer.id, desk="1", now=clock.now)
    clock.advance(minutes=20)
    queue.finish(session, first.id, officer_id=officer.id, now=clock.now)
    clock.advance(minutes=4)
    called = queue.call_next(session, services=[L], officer_id=officer.id, desk="1", now=clock.now)
    assert called.id == second.id
    assert called.wait_seconds == 4 * 60  # by the SOP
    assert called.queue_seconds == 24 * 60  # since the number was taken


def test_transfer_gives_a_number_in_the_other_queue(session, clock, officer, visitor):
    ticket = take(session, clock, C, user_id=visitor.id)
    queue.call_next(session, services=[C], officer_id=officer.id, desk="3", now=clock.now)
    queue.start(session, ticket.id, officer_id=officer.id, now=clock.now)
    clock.advance(minutes=5)
    new = queue.transfer(
        session, ticket.id, to_service=S, officer_id=officer.id, now=clock.now, note="Mikrodata"
    )
    assert (
        new.number == "B-001" and new.user_id == visitor.id and new.transferred_from_id == ticket.id
    )
    assert new.status == TicketStatus.WAITING
    session.refresh(ticket)
    assert ticket.status == TicketStatus.TRANSFERRED
    assert ticket.record is not None and ticket.record.outcome == Outcome.REFERRED
    with pytest.raises(IllegalTransition):
        queue.transfer(session, new.id, to_service=S, officer_id=officer.id, now=clock.now)


def test_board_and_status(session, clock, officer):
    tickets = [take(session, clock) for _ in range(3)]
    take(session, clock, S)
    assert queue.people_ahead(session, tickets[2]) == 2
    queue.call_next(session, services=[L], officer_id=officer.id, desk="1", now=clock.now)
    state = queue.board(session, clock.now)
    assert [t.number for t in state.calls] == ["A-001"]
    library = next(q for q in state.queues if q.service == L)
    assert library.waiting == 2 and library.next_numbers == ["A-002", "A-003"]
    assert library.serving == [("A-001", "1")]
    signal = state.signal
    queue.recall(session, tickets[0].id, officer_id=officer.id, now=clock.advance(seconds=10))
    assert queue.board(session, clock.now).signal != signal
    assert queue.people_ahead(session, tickets[2]) == 1
    assert state.open_now


def test_ticket_by_number(session, clock):
    ticket = take(session, clock, S)
    for typed in ("B-001", "b1", "B 001", " b-01 "):
        assert queue.ticket_by_number(session, typed, clock.now).id == ticket.id
    for typed in ("B-002", "X-001", "", "---"):
        with pytest.raises(TicketNotFound):
            queue.ticket_by_number(session, typed, clock.now)


def test_served_record_helper(session, clock, officer):
    record = served_record(session, officer, clock)
    assert record.ticket.status == TicketStatus.DONE

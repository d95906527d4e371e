"""Appointments: a visit booked ahead (within the service hours, or outside them when the
office allows it), whose code takes a number at the kiosk within a window around its
time."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import idempotency
from app.uow import transactional
from desk import calendar
from desk.errors import (
    AppointmentInvalid,
    AppointmentOutsideHours,
    AppointmentTooSoon,
)
from desk.models import (
    Appointment,
    AppointmentStatus,
    ServiceType,
)
from desk.settings import DEFAULT_SETTINGS, Settings

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@transactional
def book_appointment(
    session: Session,
    *,
    service: ServiceType,
    starts_at: datetime,
    now: datetime,
    user_id: int | None,
    name: str = "",
    note: str = "",
    booked_by_id: int | None = None,
    lead_minutes: int = 60,
    outside_hours: bool = False,
    submission: str | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> Appointment:
    """Book a visit at ``starts_at`` at least ``lead_minutes`` ahead; commit.

    The time must fall within the service calendar's opening hours. With
    ``outside_hours`` (``DESK_APPOINTMENTS_OUTSIDE_HOURS``, the SOP's service outside
    working hours by appointment) any time of a working day is accepted, and a closed
    day (weekend, holiday) if booked on an earlier day. ``submission`` is the form's
    one-time token: a second post of it raises ``AlreadySubmitted``.
    """
    if starts_at < now + timedelta(minutes=lead_minutes):
        raise AppointmentTooSoon(lead_minutes)
    if not calendar.is_open(session, starts_at, settings):
        day = calendar.service_day(starts_at)
        hours = calendar.day_hours(session, day, settings)
        if not outside_hours:
            raise AppointmentOutsideHours(hours)
        if hours is None and calendar.service_day(now) >= day:
            raise AppointmentOutsideHours(None, day_ahead=True)
    claimed = idempotency.claim(session, submission, kind="desk.appointment", user_id=user_id)
    appointment = Appointment(
        code="".join(secrets.choice(_CODE_ALPHABET) for _ in range(6)),
        service=service,
        starts_at=starts_at,
        user_id=user_id,
        name=name.strip()[:120],
        note=note.strip(),
        booked_by_id=booked_by_id,
        created_at=now,
    )
    session.add(appointment)
    session.flush()
    idempotency.settle(claimed, appointment.id)
    return appointment


def find_appointment(
    session: Session, code: str, now: datetime, settings: Settings = DEFAULT_SETTINGS
) -> Appointment:
    """The booked appointment with ``code`` that may be used at ``now`` (within the
    window ``DESK_APPOINTMENT_WINDOW_MINUTES`` either side of its time)."""
    window = settings.appointment_window_minutes
    appointment = session.scalar(
        select(Appointment).where(Appointment.code == code.strip().upper().replace(" ", ""))
    )
    if (
        appointment is None
        or appointment.status != AppointmentStatus.BOOKED
        or abs((appointment.starts_at - now).total_seconds()) > window * 60
    ):
        raise AppointmentInvalid()
    return appointment


def use_appointment(
    session: Session, code: str, now: datetime, settings: Settings = DEFAULT_SETTINGS
) -> Appointment:
    appointment = find_appointment(session, code, now, settings)
    appointment.status = AppointmentStatus.USED
    return appointment


def appointments_on(session: Session, day: date) -> list[Appointment]:
    """The appointments of one WIB day, earliest first."""
    from datetime import time

    from app.i18n import WIB

    start = datetime.combine(day, time(0), WIB)
    return list(
        session.scalars(
            select(Appointment)
            .where(
                Appointment.starts_at >= start, Appointment.starts_at < start + timedelta(days=1)
            )
            .order_by(Appointment.starts_at)
        )
    )


@transactional
def cancel_appointment(session: Session, appointment_id: int, *, user_id: int) -> None:
    appointment = session.get(Appointment, appointment_id)
    if (
        appointment is not None
        and appointment.user_id == user_id
        and appointment.status == AppointmentStatus.BOOKED
    ):
        appointment.status = AppointmentStatus.CANCELLED

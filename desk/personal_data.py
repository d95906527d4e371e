"""The desk's share of a person's data (UU 27/2022): appointments, guest-book visits,
queue numbers, service records and IKM ratings — exported for the person, and erased
on request without changing a count: service records and ratings stay (the office
reports them), only the free text that may name the person goes."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.rights import Erasing, Section, row
from desk.models import Appointment, GuestVisit, Rating, ServiceRecord, ServiceType, Ticket


def _export(session: Session, user: User) -> dict[str, Any]:
    records = list(
        session.scalars(
            select(ServiceRecord).where(ServiceRecord.user_id == user.id).order_by(ServiceRecord.id)
        )
    )
    return {
        "appointments": [
            row(a, "code", "name", "service", "starts_at", "note", "status", "created_at")
            for a in session.scalars(
                select(Appointment).where(Appointment.user_id == user.id).order_by(Appointment.id)
            )
        ],
        "guest_book_visits": [
            row(v, "service_day", "services", "purpose", "need", "channel", "signed_at")
            for v in session.scalars(
                select(GuestVisit).where(GuestVisit.user_id == user.id).order_by(GuestVisit.id)
            )
        ],
        "queue_tickets": [
            row(
                t,
                "number",
                "service_day",
                "service",
                "status",
                "channel",
                "issued_at",
                "called_at",
                "finished_at",
            )
            for t in session.scalars(
                select(Ticket).where(Ticket.user_id == user.id).order_by(Ticket.id)
            )
        ],
        "service_records": [
            row(
                r,
                "id",
                "service",
                "channel",
                "service_day",
                "started_at",
                "ended_at",
                "outcome",
                "products",
                "note",
            )
            for r in records
        ],
        "ikm_ratings": [
            {
                "service_record": r.rating.record_id,
                **row(
                    r.rating,
                    "u1",
                    "u2",
                    "u3",
                    "u4",
                    "u5",
                    "u6",
                    "u7",
                    "u8",
                    "u9",
                    "comment",
                    "channel",
                    "submitted_at",
                ),
            }
            for r in records
            if r.rating is not None
        ],
    }


def _erase(session: Session, erasing: Erasing) -> None:
    uid = erasing.user.id
    for appointment in session.scalars(select(Appointment).where(Appointment.user_id == uid)):
        appointment.name = erasing.pseudonym
        appointment.note = erasing.scrub(appointment.note) or ""
    for visit in session.scalars(select(GuestVisit).where(GuestVisit.user_id == uid)):
        visit.need = erasing.scrub(visit.need) or ""
    for record in session.scalars(select(ServiceRecord).where(ServiceRecord.user_id == uid)):
        record.note = erasing.scrub(record.note) or ""
        record.products = erasing.scrub(record.products) or ""
    # A comment is the person's own words: it goes; the nine scores stay (the IKM).
    for rating in session.scalars(
        select(Rating).join(ServiceRecord).where(ServiceRecord.user_id == uid)
    ):
        rating.comment = ""


def _labels() -> dict[str, Any]:
    from desk.ikm import ELEMENT_LABELS

    return {
        "appointments": _l("Appointments"),
        "guest_book_visits": _l("Guest book visits"),
        "queue_tickets": _l("Queue numbers"),
        "service_records": _l("Services received"),
        "ikm_ratings": _l("Service ratings (IKM)"),
        "starts_at": _l("Time"),
        "service_day": _l("Day"),
        "services": _l("Services"),
        "need": _l("Data or help needed"),
        "signed_at": _l("Signed in the guest book"),
        "issued_at": _l("Issued"),
        "called_at": _l("Called"),
        "finished_at": _l("Finished"),
        "started_at": _l("Started"),
        "ended_at": _l("Ended"),
        "products": _l("Products given"),
        "service_record": _l("Service number"),
        **ELEMENT_LABELS,
    }


def _values() -> dict[str, Any]:
    from desk.guestbook import PURPOSE_LABELS
    from desk.ikm import SCORE_LABELS
    from desk.numbering import (
        APPOINTMENT_STATUS_LABELS,
        CHANNEL_LABELS,
        OUTCOME_LABELS,
        SERVICE_LABELS,
        STATUS_LABELS,
    )

    def services(value: str, _record: Any) -> str:
        return ", ".join(str(SERVICE_LABELS.get(ServiceType(s), s)) for s in value.split(",") if s)

    channels = {
        "kiosk": _l("Kiosk"),
        "reception": _l("Reception"),
        "api": _l("Application (API)"),
        "online": _l("Online"),
    }
    return {
        "service": SERVICE_LABELS,
        "services": services,
        "purpose": PURPOSE_LABELS,
        "appointments.status": APPOINTMENT_STATUS_LABELS,
        "queue_tickets.status": STATUS_LABELS,
        "service_records.channel": CHANNEL_LABELS,
        "channel": channels,
        "outcome": OUTCOME_LABELS,
        **{f"ikm_ratings.u{n}": SCORE_LABELS for n in range(1, 10)},
    }


SECTION = Section(
    key="desk",
    title=_l("Front desk: visits, queue numbers, services and ratings"),
    tables=(
        "desk_appointments",
        "desk_visits",
        "desk_tickets",
        "desk_service_records",
        "desk_ratings",
    ),
    exporter=_export,
    eraser=_erase,
    labels=_labels(),
    values=_values(),
)

"""Figures for the service-standard dashboard and its CSV/XLSX exports: today's queue,
compliance with the time standards, visitors by profile, services given."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from app.accounts.models import User
from app.i18n import to_wib
from desk import calendar, ikm
from desk.models import (
    ELEMENTS,
    GuestVisit,
    Rating,
    ServiceRecord,
    ServiceType,
    Ticket,
    TicketStatus,
)

#: The SOP's time standards, in minutes (``DESK_STANDARD_MINUTES`` overrides).
DEFAULT_STANDARDS = {"guestbook": 10, "waiting": 10, "rating": 10}


@dataclass(frozen=True)
class Compliance:
    """How many measured durations kept within the standard."""

    standard_minutes: int
    measured: int
    within: int
    average_seconds: float | None
    longest_seconds: float | None

    @property
    def percent(self) -> float | None:
        return 100.0 * self.within / self.measured if self.measured else None


def compliance(durations: Iterable[float | None], standard_minutes: int) -> Compliance:
    values = [d for d in durations if d is not None]
    limit = standard_minutes * 60
    return Compliance(
        standard_minutes=standard_minutes,
        measured=len(values),
        within=sum(1 for d in values if d <= limit),
        average_seconds=sum(values) / len(values) if values else None,
        longest_seconds=max(values) if values else None,
    )


@dataclass(frozen=True)
class QueueRow:
    service: ServiceType
    issued: int
    waiting: int
    active: int
    done: int
    no_show: int
    transferred: int
    waits: Compliance
    longest_waiting_seconds: float | None  # of those still waiting, now


def queue_today(session: Session, now: datetime, standard_minutes: int = 10) -> list[QueueRow]:
    tickets = list(
        session.scalars(select(Ticket).where(Ticket.service_day == calendar.service_day(now)))
    )
    rows = []
    for service in ServiceType:
        mine = [t for t in tickets if t.service == service]
        by_status = Counter(t.status for t in mine)
        waiting = [t for t in mine if t.status == TicketStatus.WAITING]
        rows.append(
            QueueRow(
                service=service,
                issued=len(mine),
                waiting=by_status[TicketStatus.WAITING],
                active=by_status[TicketStatus.CALLED] + by_status[TicketStatus.SERVING],
                done=by_status[TicketStatus.DONE],
                no_show=by_status[TicketStatus.NO_SHOW],
                transferred=by_status[TicketStatus.TRANSFERRED],
                waits=compliance((t.wait_seconds for t in mine), standard_minutes),
                longest_waiting_seconds=max(
                    ((now - t.issued_at).total_seconds() for t in waiting), default=None
                ),
            )
        )
    return rows


@dataclass(frozen=True)
class Standards:
    guestbook: Compliance
    waiting: Compliance
    rating: Compliance


def standards(
    session: Session, date_from: date, date_to: date, minutes: dict[str, int] | None = None
) -> Standards:
    limits = {**DEFAULT_STANDARDS, **(minutes or {})}
    visits = session.scalars(
        select(GuestVisit).where(
            GuestVisit.service_day >= date_from, GuestVisit.service_day <= date_to
        )
    )
    tickets = session.scalars(
        select(Ticket).where(
            Ticket.service_day >= date_from,
            Ticket.service_day <= date_to,
            Ticket.called_at.is_not(None),
        )
    )
    ratings = session.scalars(
        select(Rating)
        .join(ServiceRecord, ServiceRecord.id == Rating.record_id)
        .where(ServiceRecord.service_day >= date_from, ServiceRecord.service_day <= date_to)
    )
    return Standards(
        guestbook=compliance((v.signing_seconds for v in visits), limits["guestbook"]),
        waiting=compliance((t.wait_seconds for t in tickets), limits["waiting"]),
        rating=compliance((r.rating_seconds for r in ratings), limits["rating"]),
    )


PROFILE_DIMENSIONS = ("education", "occupation", "institution_kind", "purpose", "gender", "service")


def visitor_profile(
    session: Session, date_from: date, date_to: date, *, top: int = 10
) -> dict[str, list[tuple[str, int]]]:
    """Guest-book visits in the period counted by the visitor's education, occupation,
    kind of institution, gender, the purpose of the visit and the services asked for."""
    visits = session.scalars(
        select(GuestVisit)
        .options(joinedload(GuestVisit.user))
        .where(GuestVisit.service_day >= date_from, GuestVisit.service_day <= date_to)
    ).all()
    counters: dict[str, Counter[str]] = {d: Counter() for d in PROFILE_DIMENSIONS}
    for visit in visits:
        person = visit.user
        counters["education"][_value(person.education)] += 1
        counters["occupation"][(person.occupation or "").strip().title() or "?"] += 1
        counters["institution_kind"][_value(person.institution_kind)] += 1
        counters["gender"][_value(person.gender)] += 1
        counters["purpose"][visit.purpose.value] += 1
        for service in visit.service_list:
            counters["service"][service.value] += 1
    result = {}
    for name, counter in counters.items():
        items = counter.most_common()
        if name == "occupation" and len(items) > top:
            rest = sum(c for _, c in items[top:])
            items = [*items[:top], ("…", rest)]
        result[name] = items
    return result


def _value(member: Any) -> str:
    return member.value if member is not None else "?"


def services_given(session: Session, date_from: date, date_to: date) -> list[tuple[str, str, int]]:
    """Records in the period per (service, channel)."""
    rows = session.execute(
        select(ServiceRecord.service, ServiceRecord.channel, func.count())
        .where(ServiceRecord.service_day >= date_from, ServiceRecord.service_day <= date_to)
        .group_by(ServiceRecord.service, ServiceRecord.channel)
    ).all()
    return [(s.value, c.value, int(n)) for s, c, n in rows]


# --- exports ---------------------------------------------------------------------------


def _when(moment: datetime | None) -> str:
    return to_wib(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _minutes(seconds: float | None) -> str:
    return f"{seconds / 60:.1f}" if seconds is not None else ""


def records_table(
    session: Session, date_from: date, date_to: date
) -> tuple[list[str], list[list[Any]]]:
    header = [
        "id", "service", "channel", "service_day", "started_wib", "ended_wib", "duration_min",
        "user_id", "user_name", "institution_kind", "officer", "desk", "ticket", "outcome",
        "products", "note", "source", "wait_min", "rated", *ELEMENTS, "rating_comment",
    ]  # fmt: skip
    records = session.scalars(
        select(ServiceRecord)
        .options(
            joinedload(ServiceRecord.user),
            joinedload(ServiceRecord.officer),
            joinedload(ServiceRecord.ticket),
            joinedload(ServiceRecord.rating),
        )
        .where(ServiceRecord.service_day >= date_from, ServiceRecord.service_day <= date_to)
        .order_by(ServiceRecord.started_at, ServiceRecord.id)
    ).unique()
    rows = []
    for r in records:
        rating = r.rating
        rows.append(
            [
                r.id, r.service.value, r.channel.value, r.service_day.isoformat(),
                _when(r.started_at), _when(r.ended_at),
                _minutes((r.ended_at - r.started_at).total_seconds()),
                r.user_id or "", r.user.full_name if r.user else "",
                _value(r.user.institution_kind) if r.user else "",
                r.officer.full_name if r.officer else "", r.desk or "",
                r.ticket.number if r.ticket else "", r.outcome.value,
                "; ".join(r.product_list), r.note, r.source or "",
                _minutes(r.ticket.wait_seconds) if r.ticket else "",
                "yes" if rating else "no",
                *(rating.scores if rating else [""] * 9),
                rating.comment if rating else "",
            ]
        )  # fmt: skip
    return header, rows


def visits_table(
    session: Session, date_from: date, date_to: date
) -> tuple[list[str], list[list[Any]]]:
    header = [
        "id", "service_day", "signed_wib", "guestbook_min", "channel", "returning", "services",
        "purpose", "user_id", "education", "occupation", "institution_kind", "institution",
        "gender", "birth_year",
    ]  # fmt: skip
    visits = session.scalars(
        select(GuestVisit)
        .options(joinedload(GuestVisit.user))
        .where(GuestVisit.service_day >= date_from, GuestVisit.service_day <= date_to)
        .order_by(GuestVisit.signed_at)
    )
    rows = []
    for v in visits:
        u: User = v.user
        rows.append(
            [
                v.id, v.service_day.isoformat(), _when(v.signed_at), _minutes(v.signing_seconds),
                v.channel.value, "yes" if v.is_returning else "no", v.services, v.purpose.value,
                u.id, _value(u.education), u.occupation or "", _value(u.institution_kind),
                u.institution or "", _value(u.gender), u.birth_year or "",
            ]
        )  # fmt: skip
    return header, rows


def ikm_table(
    session: Session, date_from: date, date_to: date
) -> tuple[list[str], list[list[Any]]]:
    header = ["group", "key", "respondents", *(f"nrr_{e}" for e in ELEMENTS), "ikm", "grade"]
    rows_in = ikm.rated_rows(session, date_from=date_from, date_to=date_to)
    groups: list[tuple[str, Any, ikm.IkmResult]] = [
        ("all", "", ikm.compute(r.scores for r in rows_in))
    ]
    for by in ("service", "officer", "month"):
        groups.extend((by, key, result) for key, result in ikm.breakdown(rows_in, by))
    officer_ids = [k for g, k, _ in groups if g == "officer" and k is not None]
    officer_names = {
        u.id: u.full_name for u in session.scalars(select(User).where(User.id.in_(officer_ids)))
    }
    rows = []
    for group, key, result in groups:
        label = officer_names.get(key, key) if group == "officer" else key
        rows.append(
            [
                group,
                "" if label is None else label,
                result.respondents,
                *(str(v) for v in result.nrr_display),
                str(result.ikm_display or ""),
                result.grade or "",
            ]
        )
    return header, rows


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe_cell(value: Any) -> Any:
    # A cell starting with = + - @ would be run as a formula by spreadsheet programs.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value

"""The audit viewer's service: every audit event, filtered by actor, object, action and
days (in WIB), newest first, as readable rows for the admins' page and as a CSV export.

Events are shown through :func:`app.audit.readable` (action labels, labelled detail
rows), never as stored JSON. Details may quote what people typed (a corrected note, a
rating comment, a reason), so every value shown or exported is masked as the logs are
(:func:`app.logfilter.mask`: NIKs and phone numbers), and keys that name such data are
hidden whole. A cell starting with ``= + - @`` is quoted in the CSV so that a
spreadsheet never runs it as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session
from wtforms import StringField, SubmitField
from wtforms.fields import SelectField
from wtforms.validators import Optional, ValidationError

from app import audit, logfilter
from app.accounts.forms import ROLE_CHOICES
from app.accounts.models import User
from app.audit import AuditEvent
from app.edge import MAX_INT
from app.forms import FlaskForm
from app.i18n import WIB, format_day, format_wib, to_wib
from app.pagination import paging

#: What the kinds of audited records are called (a kind not named here is shown with
#: its words spaced: never the stored identifier).
OBJECT_LABELS: dict[str, Any] = {
    "user": _l("Account"),
    "api_token": _l("API token"),
    "job": _l("Background job"),
    "mail_message": _l("Outgoing mail"),
    "publication": _l("Publication"),
    "holding": _l("Printed copy"),
    "reading_request": _l("Reading request"),
    "softcopy_request": _l("Soft copy request"),
    "scan_request": _l("Scan request"),
    "scan_batch": _l("Scan batch"),
    "store_order": _l("Order"),
    "store_product": _l("Product"),
    "store_tariff": _l("Tariff"),
    "store_agreement": _l("Data use agreement"),
    "desk_service_record": _l("Service record"),
    "desk_calendar_day": _l("Calendar day"),
    "kiosk_device": _l("Kiosk device"),
    "advisory_consultation": _l("Consultation"),
    "advisory_faq": _l("Frequently asked question"),
    "advisory_recommendation": _l("Statistical recommendation"),
    "audit_log": _l("Audit log"),
    "retention": _l("Retention rule"),
}

EXPORTED = "audit.exported"
audit.label_actions(
    {EXPORTED: _l("Audit log exported")},
    {
        "actor_id": _l("Actor"),
        "subject_type": _l("Kind of record"),
        "subject_id": _l("Record number"),
        "date_from": _l("From"),
        "date_to": _l("To"),
        "action": _l("Action"),
    },
)

#: Detail keys whose values are personal data whatever they look like.
_PERSONAL_KEYS = frozenset({"nik", "id_number", "phone", "whatsapp", "mobile", "telephone"})
#: Roles in words (an account's role change keeps the stored values).
_ROLES = {choice.value: choice.label for choice in ROLE_CHOICES}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
#: Days a filter may name (a year 1 or 9999 day would overflow once moved to UTC).
_FIRST_DAY, _LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
#: Rows read per query while exporting (the export is streamed, never held whole).
EXPORT_BATCH = 500


def object_label(kind: str | None) -> str:
    if not kind:
        return ""
    return str(OBJECT_LABELS.get(kind, kind.replace("_", " ")))


def hidden() -> str:
    return _("[hidden]")


def masked(text: str) -> str:
    """``text`` with NIKs and phone numbers replaced by a translated marker."""
    return logfilter.mask(text).replace(logfilter.MASK, hidden())


# --- the filters ------------------------------------------------------------------------


def _parse_day(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError(_l("Enter a date as day, month and year.")) from None
    if not _FIRST_DAY <= day <= _LAST_DAY:
        raise ValidationError(_l("Enter a date between 2000 and 2099."))
    return day


def _at_most(n: int) -> Any:
    # WTForms' own Length message has no Indonesian translation.
    def check(form: Any, field: StringField) -> None:
        if field.data and len(field.data) > n:
            raise ValidationError(_("Use at most %(n)d characters.", n=n))

    return check


class AuditFilterForm(FlaskForm):
    """The filters, read from the query string (no CSRF: a GET changes nothing)."""

    actor = StringField(
        _l("Actor"),
        validators=[Optional(), _at_most(254)],
        description=_l("The email address or account number of who acted."),
    )
    action = SelectField(_l("Action"), choices=[], validate_choice=False)
    kind = SelectField(_l("Kind of record"), choices=[], validate_choice=False)
    object_id = StringField(_l("Record number"), validators=[Optional(), _at_most(64)])
    date_from = StringField(_l("From"), validators=[Optional()], render_kw={"type": "date"})
    date_to = StringField(_l("To"), validators=[Optional()], render_kw={"type": "date"})
    submit = SubmitField(_l("Show"))

    def validate_date_from(self, field: StringField) -> None:
        _parse_day(field.data)

    def validate_date_to(self, field: StringField) -> None:
        _parse_day(field.data)

    def validate_kind(self, field: SelectField) -> None:
        if field.data and field.data not in {value for value, _label in field.choices or []}:
            raise ValidationError(_l("Choose a kind of record from the list."))

    def validate_action(self, field: SelectField) -> None:
        if field.data and field.data not in {value for value, _label in field.choices or []}:
            raise ValidationError(_l("Choose an action from the list."))


@dataclass(frozen=True)
class Filters:
    actor_id: int | None = None
    action: str | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def as_args(self) -> dict[str, str]:
        """The filters as query-string arguments (for the pager and the export link)."""
        args = {
            "actor": "" if self.actor_id is None else str(self.actor_id),
            "action": self.action or "",
            "kind": self.subject_type or "",
            "object_id": self.subject_id or "",
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in args.items() if v}

    def as_detail(self) -> dict[str, Any]:
        """The filters as an audit detail (the export's own event)."""
        detail = {
            "actor_id": self.actor_id,
            "action": self.action,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {k: v for k, v in detail.items() if v is not None}


def filter_form(session: Session, args: Any) -> AuditFilterForm:
    """The filter form over ``args``, its lists filled with what the trail holds."""
    form = AuditFilterForm(args, meta={"csrf": False})
    kinds = session.scalars(
        select(AuditEvent.subject_type).where(AuditEvent.subject_type.is_not(None)).distinct()
    ).all()
    actions = session.scalars(select(AuditEvent.action).distinct()).all()
    named_kinds = sorted(((k, object_label(k)) for k in kinds if k), key=lambda c: c[1])
    named_actions = sorted(((a, audit.action_label(a)) for a in actions), key=lambda c: c[1])
    form.kind.choices = [("", _("Any kind")), *named_kinds]
    form.action.choices = [("", _("Any action")), *named_actions]
    return form


def read_filters(session: Session, form: AuditFilterForm) -> Filters | None:
    """The filters of a validated ``form``; ``None`` (with a field message) when the
    actor is not an account."""
    actor_id = None
    raw = (form.actor.data or "").strip()
    if raw:
        if raw.lstrip("#").isdigit():
            number = int(raw.lstrip("#")) if len(raw) <= 12 else MAX_INT + 1
            person = session.get(User, number) if 0 < number <= MAX_INT else None
        else:
            person = session.scalar(select(User).where(func.lower(User.email) == raw.lower()))
        if person is None:
            form.actor.errors = [*form.actor.errors, _("No account has this address or number.")]
            return None
        actor_id = person.id
    date_from, date_to = _parse_day(form.date_from.data), _parse_day(form.date_to.data)
    if date_from and date_to and date_to < date_from:
        date_from, date_to = date_to, date_from
    return Filters(
        actor_id=actor_id,
        action=form.action.data or None,
        subject_type=form.kind.data or None,
        subject_id=(form.object_id.data or "").strip() or None,
        date_from=date_from,
        date_to=date_to,
    )


def _wib_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, WIB).astimezone(UTC)


def _query(filters: Filters) -> Select[AuditEvent]:
    query = select(AuditEvent)
    if filters.actor_id is not None:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.subject_type:
        query = query.where(AuditEvent.subject_type == filters.subject_type)
    if filters.subject_id:
        query = query.where(AuditEvent.subject_id == filters.subject_id)
    if filters.date_from:
        query = query.where(AuditEvent.at >= _wib_midnight(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.at < _wib_midnight(filters.date_to + timedelta(days=1)))
    return query


# --- rows as people read them -------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    at: datetime
    action: str
    code: str
    actor: User | None
    actor_id: int | None
    kind: str
    subject_type: str | None
    subject_id: str | None
    ip: str | None
    rows: list[tuple[str, str]]


def _value(key: str, item: Any) -> Any:
    """A detail value in words, masked (see the module's docstring)."""
    if key.lower() in _PERSONAL_KEYS and item not in (None, ""):
        return hidden()
    if key in ("role", "from", "to") and isinstance(item, str) and item in _ROLES:
        return str(_ROLES[item])
    if key == "subject_type" and isinstance(item, str):
        return object_label(item)
    if key == "action" and isinstance(item, str):
        return audit.action_label(item)
    named = audit.value_label(key, item)
    if named is not item:
        return named
    if isinstance(item, bool):
        return _("yes") if item else _("no")
    if isinstance(item, str) and _ISO_DAY.fullmatch(item):
        try:
            return format_day(date.fromisoformat(item))
        except ValueError:
            pass
    if isinstance(item, str) and _ISO_MOMENT.match(item):
        try:
            moment = datetime.fromisoformat(item)
        except ValueError:
            pass
        else:
            return format_wib(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return masked(str(item))


def entries(session: Session, events: Sequence[AuditEvent]) -> list[Entry]:
    ids = {e.actor_id for e in events if e.actor_id is not None}
    people = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    result = []
    for event in events:
        shown = audit.readable(event, _value)
        result.append(
            Entry(
                at=event.at,
                action=shown.action,
                code=event.action,
                actor=people.get(event.actor_id) if event.actor_id is not None else None,
                actor_id=event.actor_id,
                kind=object_label(event.subject_type),
                subject_type=event.subject_type,
                subject_id=masked(event.subject_id) if event.subject_id else None,
                ip=event.ip,
                rows=shown.rows,
            )
        )
    return result


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    page: int
    pages: int
    total: int


def search(session: Session, filters: Filters, page: int, per_page: int) -> Page:
    """One page of the events ``filters`` keep, newest first."""
    query = _query(filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    shown = paging(page, per_page, total)
    events = session.scalars(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset(shown.offset)
    ).all()
    return Page(entries(session, events), shown.page, shown.pages, total)


# --- the export ---------------------------------------------------------------------------


def _batches(session: Session, filters: Filters, size: int) -> Iterator[list[AuditEvent]]:
    """The events in batches, newest first, each read after the last one's position (no
    offset: a long export does not slow down, and new events do not shift it)."""
    query = _query(filters).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    last: tuple[datetime, int] | None = None
    while True:
        page = query
        if last is not None:
            page = page.where(
                or_(
                    AuditEvent.at < last[0],
                    and_(AuditEvent.at == last[0], AuditEvent.id < last[1]),
                )
            )
        events = list(session.scalars(page.limit(size)))
        if not events:
            return
        yield events
        if len(events) < size:
            return
        last = (events[-1].at, events[-1].id)


def safe_cell(value: object) -> str:
    """A CSV cell no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_line(cells: Iterable[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([safe_cell(c) for c in cells])
    return out.getvalue()


def export_lines(session: Session, filters: Filters, size: int = EXPORT_BATCH) -> Iterator[str]:
    """The CSV export, line by line (the first carries a BOM so that Excel reads UTF-8)."""
    header = [
        _("Time (WIB)"),
        _("Action"),
        _("Action code"),
        _("Actor number"),
        _("Actor"),
        _("Actor email"),
        _("Kind of record"),
        _("Record number"),
        _("IP address"),
        _("Details"),
    ]
    yield "\ufeff" + _csv_line(header)
    for events in _batches(session, filters, size):
        for entry in entries(session, events):
            yield _csv_line(
                [
                    to_wib(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                    entry.action,
                    entry.code,
                    entry.actor_id if entry.actor_id is not None else "",
                    entry.actor.full_name if entry.actor else "",
                    entry.actor.email if entry.actor else "",
                    entry.kind,
                    entry.subject_id or "",
                    entry.ip or "",
                    "; ".join(f"{label}: {value}" for label, value in entry.rows),
                ]
            )
        for event in events:  # a long export holds one batch in memory, not all
            session.expunge(event)


def record_export(session: Session, filters: Filters, *, actor_id: int) -> None:
    """The export's own audit event (the caller commits it before the file streams)."""
    audit.record(
        session,
        EXPORTED,
        actor_id=actor_id,
        subject_type="audit_log",
        detail=filters.as_detail() or None,
    )

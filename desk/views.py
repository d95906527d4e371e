"""Front-desk pages: the desk's blueprint, the guest book's steps shared by the kiosk and
the receptionist's page, and those two pages. The same blueprint carries the number's
pages and the board (:mod:`desk.ticket_views`), visitors' ratings and appointments
(:mod:`desk.visitor_views`), kiosk enrolment (:mod:`desk.kiosk_views`) and the officers'
console, records, dashboard and calendar (:mod:`desk.staff_views`).

Kiosk pages need no sign-in (an office tablet) but answer only an enrolled kiosk device
or an office network (:mod:`desk.http`), are rate-limited and CSRF-protected; a
looked-up visitor is shown only by initials.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.accounts.models import Role
from app.auth import roles_required
from app.extensions import db, limiter
from app.flashing import flashed
from app.i18n import current_locale, format_number, to_wib
from app.pagination import page_number
from desk import calendar, guestbook, guestbook_views, queue, records
from desk.errors import DeskError
from desk.forms import (
    AppointmentForm,
    LookupForm,
    TicketForm,
    sign_moment,
    staff_wording,
)
from desk.http import desk_settings, kiosk_only
from desk.models import (
    Appointment,
    AppointmentStatus,
    Channel,
    Outcome,
    Purpose,
    RecordChannel,
    ServiceType,
    TicketStatus,
)

bp = Blueprint(
    "desk",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/desk",
)

OFFICERS = (Role.OFFICER, Role.HEAD)
RECEPTION = (Role.RECEPTIONIST, Role.OFFICER, Role.HEAD)
CONSOLE_KEY = "desk_console"


def _limit(key: str) -> Any:
    return lambda: current_app.config[key]


def _now() -> datetime:
    return clock.now()


def _int_arg(name: str, default: int = 1) -> int:
    return page_number(request.args.get(name), default)


def _standard(key: str) -> int:
    return int(current_app.config["DESK_STANDARD_MINUTES"].get(key, 10))


@bp.app_context_processor
def _desk_context() -> dict[str, Any]:
    return {
        "service_label": lambda s: queue.SERVICE_LABELS.get(ServiceType(s), s),
        "ticket_status_label": lambda s: queue.STATUS_LABELS.get(TicketStatus(s), s),
        "appointment_status_label": lambda s: queue.APPOINTMENT_STATUS_LABELS.get(
            AppointmentStatus(s), s
        ),
        "outcome_label": lambda o: records.OUTCOME_LABELS.get(Outcome(o), o),
        "record_channel_label": lambda c: records.CHANNEL_LABELS.get(RecordChannel(c), c),
        "record_source_label": records.source_label,
        "purpose_label": lambda p: guestbook.PURPOSE_LABELS.get(Purpose(p), p),
        "minutes": _minutes,
    }


def _minutes(seconds: float | None) -> str:
    """Minutes with one decimal, in the reader's notation (``1,8`` in Indonesian)."""
    if seconds is None:
        return "–"
    return format_number(seconds / 60, 1)


@bp.get("/desk/kiosk")
@kiosk_only
def kiosk_home() -> Any:
    now = _now()
    return render_template(
        "desk/kiosk_home.html",
        open_now=calendar.is_open(db.session(), now, desk_settings()),
        next_opening=_opening_text(calendar.next_opening(db.session(), now, desk_settings())),
    )


def _opening_text(moment: datetime) -> str:
    """``Senin, 07 Desember 2026 08.00 WIB``: the day in full, the time without seconds."""
    from flask_babel import format_date, format_time

    local = to_wib(moment)
    return f"{format_date(local.date(), 'full')} {format_time(local, 'short')} WIB"


def _appointment_rule(form: AppointmentForm) -> str:
    """Show the booking rule on the form (the same one :func:`queue.book_appointment`
    applies), and return it for the page's lead."""
    hours = calendar.hours_rule(current_locale(), current_app.config["DESK_HOURS"])
    lead = int(current_app.config["DESK_APPOINTMENT_LEAD_MINUTES"])
    if current_app.config["DESK_APPOINTMENTS_OUTSIDE_HOURS"]:
        form.at.description = _(
            "Service hours: %(hours)s WIB. Outside them too by appointment; a weekend or "
            "holiday must be booked at least a day ahead.",
            hours=hours,
        )
    else:
        form.at.description = _(
            "Within service hours: %(hours)s WIB, on working days (not on holidays).",
            hours=hours,
        )
    return str(_("Book at least %(n)s minutes ahead.", n=lead))


def _book(form: AppointmentForm, **who: Any) -> Appointment | None:
    """Book from ``form``; a refusal becomes the time field's message."""
    with flashed(DeskError, field=form.at):
        return queue.book_appointment(
            db.session(),
            service=ServiceType(form.service.data),
            starts_at=form.starts_at(),
            now=_now(),
            note=form.note.data or "",
            booked_by_id=current_user.id,
            lead_minutes=int(current_app.config["DESK_APPOINTMENT_LEAD_MINUTES"]),
            outside_hours=bool(current_app.config["DESK_APPOINTMENTS_OUTSIDE_HOURS"]),
            settings=desk_settings(),
            **who,
        )
    return None


@bp.route("/desk/kiosk/guestbook", methods=["GET", "POST"])
@limiter.limit(_limit("DESK_LOOKUP_RATE_LIMIT"), methods=["POST"])
@kiosk_only
def kiosk_lookup() -> Any:
    return guestbook_views.lookup("kiosk")


@bp.route("/desk/kiosk/guestbook/new", methods=["GET", "POST"])
@limiter.limit(_limit("DESK_KIOSK_RATE_LIMIT"), methods=["POST"])
@kiosk_only
def kiosk_new() -> Any:
    return guestbook_views.new_visitor("kiosk")


@bp.post("/desk/kiosk/guestbook/visit")
@limiter.limit(_limit("DESK_KIOSK_RATE_LIMIT"))
@kiosk_only
def kiosk_visit() -> Any:
    return guestbook_views.returning_visitor("kiosk")


@bp.route("/staff/desk/reception", methods=["GET", "POST"])
@roles_required(*RECEPTION)
def reception_lookup() -> Any:
    if request.method == "POST":
        return guestbook_views.lookup("reception")
    return _reception_page(AppointmentForm(formdata=None))


def _reception_page(appointment_form: AppointmentForm, status: int = 200) -> Any:
    now = _now()
    form = staff_wording(LookupForm(formdata=None))
    form.started.data = sign_moment(now)
    appointments = queue.appointments_on(db.session(), calendar.service_day(now))
    return render_template(
        "desk/reception.html",
        form=form,
        mode="reception",
        layout=guestbook_views.layout("reception"),
        ticket_form=TicketForm(formdata=None),
        appointment_form=appointment_form,
        appointment_lead=_appointment_rule(appointment_form),
        tickets=queue.todays_tickets(db.session(), now),
        visits=guestbook.todays_visits(db.session(), now),
        appointments=appointments,
        open_now=calendar.is_open(db.session(), now, desk_settings()),
    ), status


@bp.route("/staff/desk/reception/new", methods=["GET", "POST"])
@roles_required(*RECEPTION)
def reception_new() -> Any:
    return guestbook_views.new_visitor("reception")


@bp.post("/staff/desk/reception/visit")
@roles_required(*RECEPTION)
def reception_visit() -> Any:
    return guestbook_views.returning_visitor("reception")


@bp.post("/staff/desk/reception/ticket")
@roles_required(*RECEPTION)
def reception_ticket() -> Any:
    form = TicketForm()
    if form.validate_on_submit():
        ticket = queue.take_ticket(
            db.session(),
            service=ServiceType(form.service.data),
            now=_now(),
            channel=Channel.RECEPTION,
            staff=True,
            settings=desk_settings(),
        )
        flash(_("Number %(number)s issued.", number=ticket.number), "success")
        return redirect(url_for("desk.ticket", token=ticket.token))
    return redirect(url_for("desk.reception_lookup"))


@bp.post("/staff/desk/reception/appointments")
@roles_required(*RECEPTION)
def reception_appointment() -> Any:
    form = AppointmentForm()
    if form.validate_on_submit():
        appointment = _book(form, user_id=None, name=form.name.data or "")
        if appointment is not None:
            flash(_("Appointment booked. Code: %(code)s", code=appointment.code), "success")
            return redirect(url_for("desk.reception_lookup"))
    return _reception_page(form, 422)

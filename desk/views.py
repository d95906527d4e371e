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
from app.accounts.models import Role, User
from app.accounts.privacy_forms import notice_number
from app.accounts.services import consent as privacy
from app.accounts.services.consent import UnknownNotice
from app.auth import roles_required
from app.extensions import db, limiter
from app.flashing import flashed
from app.i18n import current_locale, format_number, to_wib
from app.pagination import page_number
from desk import calendar, guestbook, queue, records
from desk.errors import DeskError
from desk.forms import (
    AppointmentForm,
    LookupForm,
    NewVisitorForm,
    ReturningVisitForm,
    TicketForm,
    opened_at,
    sign,
    sign_moment,
    staff_wording,
    unsign,
)
from desk.http import current_device, desk_settings, kiosk_only
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
VISITOR_MAX_AGE = 30 * 60  # a looked-up visitor must finish within half an hour


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


# --- the guest book (kiosk and reception share the steps) ------------------------------


def _layout(mode: str) -> str:
    return "desk/screen.html" if mode == "kiosk" else "desk/page.html"


def _endpoint(mode: str, step: str) -> str:
    return f"desk.{mode}_{step}"


def _worded(mode: str, form: Any) -> Any:
    """The receptionist's forms ask about "the visitor", the kiosk's about "you"."""
    return staff_wording(form) if mode == "reception" else form


def _guestbook_lookup(mode: str) -> Any:
    form = _worded(mode, LookupForm())
    if request.method == "GET":
        form.started.data = sign_moment(_now())
        return render_template(
            "desk/guestbook_lookup.html", form=form, mode=mode, layout=_layout(mode)
        )
    if not form.validate_on_submit():
        return render_template(
            "desk/guestbook_lookup.html", form=form, mode=mode, layout=_layout(mode)
        ), 422
    started = form.started.data or sign_moment(_now())
    # At the kiosk an address finds an account only once its owner confirmed it.
    visitor = guestbook.lookup(db.session(), form.key.data, confirmed_email=mode == "kiosk")
    if visitor is not None and mode == "kiosk":
        device = current_device()
        guestbook.note_kiosk_lookup(db.session(), visitor, device.id if device else None)
    if visitor is None:
        new_form = _worded(mode, NewVisitorForm(formdata=None))
        new_form.started.data = started
        key = form.key.data
        if "@" in key:
            new_form.email.data = key.lower()
        elif key.replace(" ", "").replace("-", "").lstrip("+").isdigit() and len(key) < 16:
            new_form.phone.data = key
        else:
            new_form.id_number.data = key.upper().replace(" ", "")
        return render_template(
            "desk/guestbook_new.html",
            form=new_form,
            mode=mode,
            layout=_layout(mode),
            not_found=True,
        )
    visit_form = _worded(mode, ReturningVisitForm(formdata=None))
    visit_form.visitor.data = sign("visitor", visitor.id)
    visit_form.started.data = started
    return render_template(
        "desk/guestbook_visit.html", form=visit_form, **_visit_context(mode, visitor)
    )


def _guestbook_new(mode: str) -> Any:
    form = _worded(mode, NewVisitorForm())
    if request.method == "GET":
        form.started.data = sign_moment(_now())
        return render_template(
            "desk/guestbook_new.html", form=form, mode=mode, layout=_layout(mode)
        )
    if not form.validate_on_submit():
        return render_template(
            "desk/guestbook_new.html", form=form, mode=mode, layout=_layout(mode)
        ), 422
    return _sign_in(
        mode,
        form,
        "desk/guestbook_new.html",
        profile=form.profile(),
        email=form.email.data or None,
        consent=guestbook.Consented(notice_number(form.notice)),
    )


def _guestbook_visit(mode: str) -> Any:
    form = _worded(mode, ReturningVisitForm())
    user_id = unsign("visitor", form.visitor.data, VISITOR_MAX_AGE)
    if user_id is None:
        again = (
            _("Please look the visitor up again.")
            if mode == "reception"
            else _("Please look yourself up again.")
        )
        flash(again, "error")
        return redirect(url_for(_endpoint(mode, "lookup")))
    visitor = db.session.get(User, user_id)
    ask = _asks_consent(visitor)
    valid = form.validate_on_submit()
    if not (valid and (not ask or form.require_consent())):
        return render_template(
            "desk/guestbook_visit.html", form=form, **_visit_context(mode, visitor)
        ), 422
    consent = guestbook.Consented(notice_number(form.notice)) if ask else None
    return _sign_in(mode, form, "desk/guestbook_visit.html", user_id=int(user_id), consent=consent)


def _asks_consent(visitor: User | None) -> bool:
    """A returning visitor who has not agreed to the current privacy notice (a new
    version since their last visit, or none yet) is asked on the guest book's form, as
    the website asks at the next request."""
    return visitor is not None and privacy.must_ask(db.session(), visitor)


def _visit_context(mode: str, visitor: User | None) -> dict[str, Any]:
    """What the returning visitor's page shows besides its form."""
    return {
        "mode": mode,
        "layout": _layout(mode),
        "masked": guestbook.mask_name(visitor.full_name if visitor else ""),
        "visitor": visitor if mode == "reception" else None,
        "ask_consent": _asks_consent(visitor),
        # Asked again after a new version, or for the first time (a visitor from before
        # the notice): the page says which.
        "agreed_before": visitor is not None
        and privacy.agreed_number(db.session(), visitor.id) is not None,
    }


def _sign_in(mode: str, form: Any, template: str, **who: Any) -> Any:
    now = _now()
    staff = mode == "reception"
    with flashed(DeskError, UnknownNotice) as outcome:
        signed = guestbook.sign_in(
            db.session(),
            now=now,
            opened_at=opened_at(form.started.data),
            channel=Channel.RECEPTION if staff else Channel.KIOSK,
            services=form.services.data,
            purpose=Purpose(form.purpose.data),
            need=form.need.data or "",
            appointment_code=form.appointment_code.data or None,
            receptionist_id=current_user.id if staff else None,
            locale=current_locale(),
            staff=staff,
            settings=desk_settings(),
            **who,
        )
    if outcome.error is not None:
        context: dict[str, Any] = {"mode": mode, "layout": _layout(mode)}
        if "user_id" in who:
            context = _visit_context(mode, db.session.get(User, who["user_id"]))
        return render_template(template, form=form, **context), outcome.error.status
    _flash_numbers(signed.numbers, staff=staff)
    if signed.email_to_confirm:
        flash(
            _(
                "We are sending a link to %(email)s: the address joins your account once "
                "you follow it.",
                email=signed.email_to_confirm,
            ),
            "info",
        )
    first = signed.ticket
    return redirect(url_for("desk.ticket", token=first.token, kiosk=1 if not staff else None))


def _flash_numbers(numbers: list[queue.Issued], *, staff: bool) -> None:
    """Say which numbers were given: each new one, and each the visitor already had
    (to the visitor at the kiosk, about the visitor at the reception)."""
    for issued in numbers:
        ticket = issued.ticket
        words = {
            "number": ticket.number,
            "service": queue.SERVICE_LABELS[ticket.service],
            "status": queue.STATUS_LABELS[ticket.status],
        }
        if not issued.reused:
            flash(_("Number %(number)s issued for %(service)s.", **words), "success")
        elif staff:
            message = _(
                "The visitor already has number %(number)s for %(service)s (%(status)s); "
                "it is shown again. No second number was taken.",
                **words,
            )
            flash(message, "info")
        else:
            message = _(
                "You already have number %(number)s for %(service)s (%(status)s); here it "
                "is again. No second number was taken.",
                **words,
            )
            flash(message, "info")
    if len(numbers) > 1:
        if staff:
            message = _(
                "The visitor has one number for each service chosen. Each queue calls them "
                "separately; while they are at one desk, their other numbers keep their place."
            )
        else:
            message = _(
                "You have one number for each service you chose. Each queue calls you "
                "separately; while you are at one desk, your other numbers keep their place."
            )
        flash(message, "info")


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
    return _guestbook_lookup("kiosk")


@bp.route("/desk/kiosk/guestbook/new", methods=["GET", "POST"])
@limiter.limit(_limit("DESK_KIOSK_RATE_LIMIT"), methods=["POST"])
@kiosk_only
def kiosk_new() -> Any:
    return _guestbook_new("kiosk")


@bp.post("/desk/kiosk/guestbook/visit")
@limiter.limit(_limit("DESK_KIOSK_RATE_LIMIT"))
@kiosk_only
def kiosk_visit() -> Any:
    return _guestbook_visit("kiosk")


@bp.route("/staff/desk/reception", methods=["GET", "POST"])
@roles_required(*RECEPTION)
def reception_lookup() -> Any:
    if request.method == "POST":
        return _guestbook_lookup("reception")
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
        layout=_layout("reception"),
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
    return _guestbook_new("reception")


@bp.post("/staff/desk/reception/visit")
@roles_required(*RECEPTION)
def reception_visit() -> Any:
    return _guestbook_visit("reception")


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

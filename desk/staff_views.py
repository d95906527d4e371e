"""Staff pages of the front desk: the desk console, service records, the dashboard with
its exports, and the office calendar (the visitors' pages are in :mod:`desk.views`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Role, User
from app.auth import roles_required
from app.extensions import db
from app.flashing import flashed
from app.i18n import to_wib
from app.navigation import ticket_links
from desk import calendar, dashboard, guestbook, ikm, queue, records
from desk.errors import DeskError, TicketNotFound
from desk.forms import (
    ActionForm,
    CalendarDayForm,
    ConsoleForm,
    FinishForm,
    PeriodForm,
    RecordForm,
    RecordSearchForm,
    TransferForm,
)
from desk.http import desk_settings
from desk.models import (
    ELEMENTS,
    CalendarDay,
    Outcome,
    RecordChannel,
    ServiceType,
)
from desk.views import (
    CONSOLE_KEY,
    OFFICERS,
    _int_arg,
    _now,
    _standard,
    bp,
)

# --- the desk console ----------------------------------------------------------------------


def _console_setup() -> tuple[str, list[ServiceType]] | None:
    stored = session.get(CONSOLE_KEY)
    if not stored:
        return None
    try:
        return str(stored["desk"]), [ServiceType(s) for s in stored["services"]]
    except (KeyError, TypeError, ValueError):
        return None


@bp.route("/staff/desk/console", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def console() -> Any:
    form = ConsoleForm()
    if form.validate_on_submit():
        session[CONSOLE_KEY] = {"desk": form.desk.data, "services": form.services.data}
        return redirect(url_for("desk.console"))
    setup = _console_setup()
    if setup is not None and request.method == "GET":
        form.desk.data, form.services.data = setup[0], [s.value for s in setup[1]]
    now = _now()
    current = queue.active_ticket(db.session(), current_user.id, now)
    return render_template(
        "desk/console.html",
        form=form,
        setup=setup,
        current=current,
        waiting=queue.waiting_list(db.session(), setup[1], now) if setup else [],
        action_form=ActionForm(),
        finish_form=FinishForm(),
        transfer_form=TransferForm(),
        # Other features' pages for this number (the store's walk-in sale), by endpoint.
        ticket_links=ticket_links(current_user, current.service.value) if current else [],
        now=now,
    ), (422 if form.errors else 200)


@bp.post("/staff/desk/console/call")
@roles_required(*OFFICERS)
def console_call() -> Any:
    setup = _console_setup()
    if setup is None or not ActionForm().validate_on_submit():
        return redirect(url_for("desk.console"))
    with flashed(DeskError) as outcome:
        called = queue.call_next(
            db.session(), services=setup[1], officer_id=current_user.id, desk=setup[0], now=_now()
        )
    if not outcome.failed and called is None:
        flash(_("Nobody is waiting."), "info")
    return redirect(url_for("desk.console"))


def _console_action(ticket_id: int, action: str) -> Any:
    if not ActionForm().validate_on_submit():
        return redirect(url_for("desk.console"))
    fn = {"recall": queue.recall, "skip": queue.skip, "start": queue.start}[action]
    with flashed(DeskError):
        fn(db.session(), ticket_id, officer_id=current_user.id, now=_now())
    return redirect(url_for("desk.console"))


@bp.post("/staff/desk/console/<int:ticket_id>/recall")
@roles_required(*OFFICERS)
def console_recall(ticket_id: int) -> Any:
    return _console_action(ticket_id, "recall")


@bp.post("/staff/desk/console/<int:ticket_id>/skip")
@roles_required(*OFFICERS)
def console_skip(ticket_id: int) -> Any:
    return _console_action(ticket_id, "skip")


@bp.post("/staff/desk/console/<int:ticket_id>/start")
@roles_required(*OFFICERS)
def console_start(ticket_id: int) -> Any:
    return _console_action(ticket_id, "start")


@bp.post("/staff/desk/console/<int:ticket_id>/finish")
@roles_required(*OFFICERS)
def console_finish(ticket_id: int) -> Any:
    form = FinishForm()
    if not form.validate_on_submit():
        flash(_("Please check the outcome and notes."), "error")
        return redirect(url_for("desk.console"))
    with flashed(DeskError) as outcome:
        record = queue.finish(
            db.session(),
            ticket_id,
            officer_id=current_user.id,
            now=_now(),
            outcome=Outcome(form.outcome.data),
            products=(form.products.data or "").splitlines(),
            note=form.note.data or "",
        )
    if not outcome.failed:
        if record.ratable:
            flash(
                _(
                    "Service recorded. The visitor can now rate it at the kiosk "
                    "with number %(number)s.",
                    number=record.ticket.number if record.ticket else "",
                ),
                "success",
            )
        else:
            flash(
                _(
                    "Service recorded as cancelled. Number %(number)s has nothing to rate.",
                    number=record.ticket.number if record.ticket else "",
                ),
                "success",
            )
    return redirect(url_for("desk.console"))


@bp.post("/staff/desk/console/<int:ticket_id>/transfer")
@roles_required(*OFFICERS)
def console_transfer(ticket_id: int) -> Any:
    form = TransferForm()
    if form.validate_on_submit():
        with flashed(DeskError) as outcome:
            new = queue.transfer(
                db.session(),
                ticket_id,
                to_service=ServiceType(form.to_service.data),
                officer_id=current_user.id,
                now=_now(),
                note=form.note.data or "",
                settings=desk_settings(),
            )
        if not outcome.failed:
            flash(
                _("Transferred: the visitor's new number is %(number)s.", number=new.number),
                "success",
            )
    return redirect(url_for("desk.console"))


# --- service records ---------------------------------------------------------------------


@bp.get("/staff/desk/records")
@roles_required(*OFFICERS)
def record_list() -> Any:
    form = RecordSearchForm(request.args, meta={"csrf": False})
    valid = form.validate()
    found = records.search_records(
        db.session(),
        q=(form.q.data or "") if valid else "",
        service=ServiceType(form.service.data) if valid and form.service.data else None,
        channel=RecordChannel(form.channel.data) if valid and form.channel.data else None,
        date_from=form.date_from.data if valid else None,
        date_to=form.date_to.data if valid else None,
        page=_int_arg("page"),
    )
    args = {k: v for k, v in request.args.items() if k not in ("page", "submit")}
    return render_template("desk/records.html", form=form, found=found, args=args)


@bp.route("/staff/desk/records/<int:record_id>", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def record_detail(record_id: int) -> Any:
    record = records.get_record(db.session(), record_id)
    form = RecordForm()
    if form.validate_on_submit():
        with flashed(DeskError) as outcome:
            records.correct_record(
                db.session(), record_id, form.changes(), actor_id=current_user.id
            )
        if not outcome.failed:
            flash(_("The record was corrected."), "success")
            return redirect(url_for("desk.record_detail", record_id=record_id))
    elif request.method == "GET":
        start, end = to_wib(record.started_at), to_wib(record.ended_at)
        form.service.data = record.service.value
        form.outcome.data = record.outcome.value
        form.desk.data = record.desk or ""
        form.start_day.data, form.start_time.data = (
            start.date(),
            start.time().replace(second=0, microsecond=0),
        )
        form.end_day.data, form.end_time.data = (
            end.date(),
            end.time().replace(second=0, microsecond=0),
        )
        form.products.data = record.products
        form.note.data = record.note
    return render_template(
        "desk/record.html",
        record=record,
        form=form,
        trail=records.trail_entries(db.session(), record_id),
        elements=ELEMENTS,
        element_labels=ikm.ELEMENT_LABELS,
    ), (422 if form.errors else 200)


# --- dashboard and exports ----------------------------------------------------------------


def _period() -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.args, meta={"csrf": False})
    today = calendar.service_day(_now())
    date_from, date_to = today.replace(day=1), today
    if form.validate():
        date_from = form.date_from.data or date_from
        date_to = form.date_to.data or date_to
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    form.date_from.data, form.date_to.data = date_from, date_to
    return form, date_from, date_to


@bp.get("/staff/desk/dashboard")
@roles_required(*OFFICERS)
def dashboard_page() -> Any:
    form, date_from, date_to = _period()
    now = _now()
    rows = ikm.rated_rows(db.session(), date_from=date_from, date_to=date_to)
    overall = ikm.compute(r.scores for r in rows)
    by_officer = ikm.breakdown(rows, "officer")
    names = {
        u.id: u.full_name
        for u in db.session.scalars(
            db.select(User).where(User.id.in_([k for k, _ in by_officer if k is not None]))
        )
    }
    recent = records.search_records(db.session(), date_from=date_from, date_to=date_to, per_page=10)
    return render_template(
        "desk/dashboard.html",
        form=form,
        date_from=date_from,
        date_to=date_to,
        queue_rows=dashboard.queue_today(db.session(), now, _standard("waiting")),
        standards=dashboard.standards(
            db.session(), date_from, date_to, dict(current_app.config["DESK_STANDARD_MINUTES"])
        ),
        profile=dashboard.visitor_profile(db.session(), date_from, date_to),
        given=dashboard.services_given(db.session(), date_from, date_to),
        overall=overall,
        by_service=ikm.breakdown(rows, "service"),
        by_officer=[(names.get(k, "–") if k else "–", r) for k, r in by_officer],
        by_month=ikm.breakdown(rows, "month"),
        elements=ELEMENTS,
        element_labels=ikm.ELEMENT_LABELS,
        grade_labels=ikm.GRADE_LABELS,
        recent=recent.rows,
        labels=_profile_labels(),
    )


def _profile_labels() -> dict[str, dict[str, Any]]:
    from app.accounts.forms import EDUCATION_CHOICES, GENDER_CHOICES, INSTITUTION_CHOICES

    return {
        "education": {c.value: c.label for c in EDUCATION_CHOICES},
        "institution_kind": {c.value: c.label for c in INSTITUTION_CHOICES},
        "gender": {c.value: c.label for c in GENDER_CHOICES},
        "purpose": {p.value: label for p, label in guestbook.PURPOSE_LABELS.items()},
        "service": {s.value: label for s, label in queue.SERVICE_LABELS.items()},
        "occupation": {},
    }


_EXPORTS = {
    "records": dashboard.records_table,
    "visits": dashboard.visits_table,
    "ikm": dashboard.ikm_table,
}


@bp.get("/staff/desk/export/<dataset>.<fmt>")
@roles_required(*OFFICERS)
def export(dataset: str, fmt: str) -> Any:
    if dataset not in _EXPORTS or fmt not in ("csv", "xlsx"):
        raise TicketNotFound()
    _form, date_from, date_to = _period()
    header, rows = _EXPORTS[dataset](db.session(), date_from, date_to)
    name = f"pst-{dataset}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = Response(dashboard.to_csv(header, rows), mimetype="text/csv")
    else:
        response = Response(
            dashboard.to_xlsx(header, rows, dataset),
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the calendar ------------------------------------------------------------------------


@bp.route("/staff/desk/calendar", methods=["GET", "POST"])
@roles_required(Role.RECEPTIONIST, Role.HEAD)
def calendar_page() -> Any:
    form = CalendarDayForm()
    if form.validate_on_submit():
        with flashed(DeskError, field=form.day) as outcome:
            calendar.add_day(
                db.session(),
                day=form.day.data,
                is_open=form.is_open.data == "open",
                opens_at=form.opens_at.data,
                closes_at=form.closes_at.data,
                note=form.note.data,
                actor_id=current_user.id,
            )
        if not outcome.failed:
            flash(_("The calendar was updated."), "success")
            return redirect(url_for("desk.calendar_page", year=form.day.data.year))
    today = calendar.service_day(_now())
    year = request.args.get("year", today.year, type=int)
    if not 2000 <= year <= 2100:
        year = today.year
    return render_template(
        "desk/calendar.html",
        form=form,
        year=year,
        days=calendar.closed_days(
            db.session(), date(year, 1, 1), date(year, 12, 31), desk_settings()
        ),
        entries=db.session.scalars(
            db.select(CalendarDay)
            .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
            .order_by(CalendarDay.day)
        ).all(),
        hours=calendar.weekly_hours(desk_settings().hours),
        weekdays=calendar.weekday_names(),
        delete_form=ActionForm(),
    ), (422 if form.errors else 200)


@bp.post("/staff/desk/calendar/<int:entry_id>/delete")
@roles_required(Role.RECEPTIONIST, Role.HEAD)
def calendar_delete(entry_id: int) -> Any:
    if ActionForm().validate_on_submit():
        calendar.delete_day(db.session(), entry_id, actor_id=current_user.id)
        flash(_("The entry was deleted."), "success")
    return redirect(url_for("desk.calendar_page"))

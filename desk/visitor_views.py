"""Visitors' own desk pages: rating a service (at the kiosk with the ticket's code, or
from the mailed link), the services received, and booking appointments (same blueprint
as :mod:`desk.views`)."""

from __future__ import annotations

from typing import Any

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db, limiter
from app.flashing import flashed
from app.idempotency import AlreadySubmitted
from desk import ikm, queue, records
from desk.errors import DeskError
from desk.forms import (
    ActionForm,
    AppointmentForm,
    RateLookupForm,
    RatingForm,
    opened_at,
    sign_moment,
)
from desk.http import is_kiosk, kiosk_only
from desk.models import (
    ELEMENTS,
    Appointment,
    AppointmentStatus,
    Channel,
)
from desk.views import _appointment_rule, _book, _limit, _now, bp

# --- ratings -----------------------------------------------------------------------------


@bp.route("/desk/kiosk/rate", methods=["GET", "POST"])
@limiter.limit(_limit("DESK_LOOKUP_RATE_LIMIT"), methods=["POST"])
@kiosk_only
def kiosk_rate() -> Any:
    """Rate at the kiosk with the secret code printed on the ticket (the number alone,
    shown on the board, would let anyone rate someone else's service)."""
    form = RateLookupForm()
    if form.validate_on_submit():
        found = queue.ticket_by_rating_code(db.session(), form.code.data)
        if found is not None:
            found = queue.current_ticket(db.session(), found)  # a transferred number
        record = found.record if found is not None else None
        if found is None:
            form.code.errors = [_("No ticket has this code. Check the code on your ticket.")]
        elif record is None:
            form.code.errors = [_("This number has not been served yet.")]
        elif record.rating is not None:
            form.code.errors = [_("This service has already been rated. Thank you!")]
        elif not record.ratable:
            form.code.errors = [_("This service was cancelled: there is nothing to rate.")]
        else:
            return redirect(url_for("desk.rate", token=record.rating_token, kiosk=1))
        return render_template("desk/kiosk_rate.html", form=form), 422
    return render_template("desk/kiosk_rate.html", form=form), (422 if form.errors else 200)


@bp.route("/desk/rate/<token>", methods=["GET", "POST"])
@limiter.limit(_limit("DESK_KIOSK_RATE_LIMIT"), methods=["POST"])
def rate(token: str) -> Any:
    record = records.record_by_token(db.session(), token)
    # The kiosk's layout on request; counted as a kiosk rating only from the kiosk.
    kiosk = request.args.get("kiosk") == "1"
    channel = Channel.KIOSK if kiosk and is_kiosk() else Channel.ONLINE
    layout = "desk/screen.html" if kiosk else "desk/page.html"
    if record.rating is not None:
        return render_template("desk/rated.html", record=record, layout=layout, kiosk=kiosk)
    if not record.ratable:
        return render_template(
            "desk/unratable.html", record=record, layout=layout, kiosk=kiosk
        ), 409
    form = RatingForm()
    if request.method == "GET":
        form.started.data = sign_moment(_now())
    elif form.validate_on_submit():
        scores = {e: getattr(form, e).data for e in ELEMENTS}
        with flashed(DeskError):
            ikm.submit_rating(
                db.session(),
                record=record,
                scores=scores,
                comment=form.comment.data or "",
                channel=channel,
                opened_at=opened_at(form.started.data),
                now=_now(),
            )
        return redirect(url_for("desk.rate", token=token, kiosk=1 if kiosk else None))
    return render_template(
        "desk/rate.html",
        form=form,
        record=record,
        layout=layout,
        kiosk=kiosk,
        elements=ELEMENTS,
    ), (422 if form.errors else 200)


# --- visitors' own pages -----------------------------------------------------------------


@bp.get("/desk/my-services")
@login_required
def my_services() -> Any:
    return render_template(
        "desk/my_services.html", rows=records.my_records(db.session(), current_user.id)
    )


@bp.route("/desk/appointments", methods=["GET", "POST"])
@login_required
def appointments() -> Any:
    form = AppointmentForm()
    lead = _appointment_rule(form)
    if form.validate_on_submit():
        with flashed(AlreadySubmitted, category="info") as sent:
            appointment = _book(
                form,
                user_id=current_user.id,
                name=current_user.full_name,
                submission=form.submission_token,
            )
        if sent.failed:
            # Sent twice: the first post's appointment is in the list below.
            return redirect(url_for("desk.appointments"))
        if appointment is not None:
            flash(
                _(
                    "Appointment booked. Show the code %(code)s at the kiosk "
                    "or to the receptionist.",
                    code=appointment.code,
                ),
                "success",
            )
            return redirect(url_for("desk.appointments"))
    mine = db.session.scalars(
        db.select(Appointment)
        .where(Appointment.user_id == current_user.id)
        .order_by(Appointment.starts_at.desc())
        .limit(50)
    ).all()
    return render_template(
        "desk/appointments.html",
        form=form,
        mine=mine,
        lead=lead,
        cancel_form=ActionForm(),
        booked=AppointmentStatus.BOOKED,
    ), (422 if form.errors else 200)


@bp.post("/desk/appointments/<int:appointment_id>/cancel")
@login_required
def cancel_appointment(appointment_id: int) -> Any:
    if ActionForm().validate_on_submit():
        queue.cancel_appointment(db.session(), appointment_id, user_id=current_user.id)
        flash(_("The appointment was cancelled."), "success")
    return redirect(url_for("desk.appointments"))

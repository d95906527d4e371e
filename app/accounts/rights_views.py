"""Data-subject rights pages (UU 27/2022): download one's data, change one's email
address, ask for erasure; and the officer's queue of erasure requests.

Every page here acts on the signed-in person only — no page takes a person's id — and
a request id that is not the person's (or not pending, for the officer) is a 404.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import clock
from app.accounts import rights
from app.accounts.errors import AccountError, InvalidToken, WrongPassword
from app.accounts.forms import ConfirmForm
from app.accounts.rights_forms import EmailChangeForm, ErasureForm
from app.accounts.services import data_export, email_change, erasure
from app.accounts.views import bp, signer
from app.auth import roles_required
from app.extensions import db, limiter
from app.flashing import flashed
from app.mail import current_mailer
from app.urls import external_url


def _export() -> dict[str, Any]:
    return data_export.export_personal_data(db.session(), current_user, now=clock.now())


@bp.get("/account/data")
@login_required
def my_data() -> Any:
    """What PST holds about the person, and what they may do with it."""
    return render_template(
        "accounts/my_data.html",
        pending=erasure.pending_request(db.session(), current_user),
        cancel_form=ConfirmForm(),
    )


@bp.get("/account/data/download.json")
@login_required
@limiter.limit("30 per hour")
def data_json() -> Response:
    body = json.dumps(_export(), ensure_ascii=False, indent=2, sort_keys=False)
    stamp = clock.now().strftime("%Y%m%d")
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="pst-data-saya-{stamp}.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/account/data/view")
@login_required
@limiter.limit("30 per hour")
def data_html() -> Any:
    export = _export()
    sections = rights.readable_sections(export, rights.sections())
    response = current_app.make_response(
        render_template("accounts/data_export.html", export=export, sections=sections)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def change_email() -> Any:
    form = EmailChangeForm()
    if form.validate_on_submit():
        with flashed(AccountError, field=form.password) as outcome:
            email_change.request_email_change(
                db.session(),
                current_user,
                new_email=form.email.data or "",
                password=form.password.data or "",
                mailer=current_mailer(),
                signer=signer(),
                confirm_link=lambda token: external_url(
                    "accounts.confirm_email_change", token=token
                ),
            )
        if outcome.error is None:
            flash(
                _(
                    "If no other account uses that address, a link to confirm it is on its "
                    "way there. Your current address stays until you open it."
                ),
                "info",
            )
            return redirect(url_for("accounts.my_data"))
    return render_template("accounts/change_email.html", form=form), 422 if form.errors else 200


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email_change(token: str) -> Any:
    """A GET only asks (mail scanners open links); the POST changes the address."""
    max_age = current_app.config["EMAIL_TOKEN_MAX_AGE"]
    try:
        _user, address = email_change.read_email_change(
            db.session(), token, signer=signer(), max_age=max_age
        )
    except InvalidToken as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("accounts.login"))
    form = ConfirmForm()
    if form.validate_on_submit():
        with flashed(AccountError) as outcome:
            email_change.confirm_email_change(
                db.session(), token, signer=signer(), max_age=max_age, now=clock.now()
            )
        if outcome.error is None:
            flash(_("Your email address has been changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/confirm_email_change.html", form=form, address=address)


@bp.route("/account/erasure", methods=["GET", "POST"])
@login_required
def request_erasure() -> Any:
    pending = erasure.pending_request(db.session(), current_user)
    form = ErasureForm()
    if pending is None and form.validate_on_submit():
        with flashed(WrongPassword, field=form.password) as outcome:
            erasure.request_erasure(
                db.session(),
                current_user,
                password=form.password.data or "",
                reason=form.reason.data or "",
                mailer=current_mailer(),
                now=clock.now(),
            )
        if outcome.error is None:
            flash(_("Your request has been received. We have sent you a confirmation."), "success")
            return redirect(url_for("accounts.my_data"))
    status = 422 if form.errors else 200
    return render_template("accounts/request_erasure.html", form=form, pending=pending), status


@bp.post("/account/erasure/<int:request_id>/cancel")
@login_required
def cancel_erasure(request_id: int) -> Any:
    form = ConfirmForm()
    if form.validate_on_submit():
        erasure.cancel_erasure(db.session(), current_user, request_id, now=clock.now())
        flash(_("Your erasure request has been withdrawn."), "success")
    return redirect(url_for("accounts.my_data"))


@bp.get("/staff/erasure")
@roles_required(*erasure.ERASURE_ROLES)
def erasure_queue() -> Any:
    return render_template(
        "admin/erasure_queue.html",
        pending=erasure.erasure_queue(db.session()),
        closed=erasure.recent_erasures(db.session()),
    )


@bp.route("/staff/erasure/<int:request_id>", methods=["GET", "POST"])
@roles_required(*erasure.ERASURE_ROLES)
def erasure_request(request_id: int) -> Any:
    found = erasure.pending_erasure(db.session(), request_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        erasure.complete_erasure(
            db.session(), request_id, actor=current_user, mailer=current_mailer(), now=clock.now()
        )
        flash(_("The person's data has been erased and they have been told."), "success")
        return redirect(url_for("accounts.erasure_queue"))
    return render_template(
        "admin/erasure_request.html",
        request_=found,
        form=form,
        sections=[str(s.title) for s in rights.sections()],
    )

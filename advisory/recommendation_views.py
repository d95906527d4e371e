"""The FS3 form's pages: a recommendation request drafted, submitted, withdrawn and
compared version by version, its files, and the blank form to print (same blueprint as
:mod:`advisory.views`).

Views parse (WTForms), call one service and render; services commit.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from advisory import recommendations
from advisory.blank_form import FILENAME as BLANK_FORM_FILENAME
from advisory.blank_form import blank_fs3_pdf
from advisory.errors import AdvisoryError
from advisory.forms import ActionForm, RecommendationForm
from advisory.labels import FS3_LABELS
from advisory.models import FS3_FIELDS, Channel, RecommendationStatus
from advisory.views import OFFICERS, _already_sent, _now, _send_upload, _settings, _user, bp
from app.accounts.models import User
from app.accounts.services import normalise_email
from app.extensions import db
from app.flashing import flashed
from app.idempotency import AlreadySubmitted
from storage.disposition import content_disposition


def _save_recommendation(
    form: RecommendationForm, rec_id: int | None, requester: User | None = None
) -> Any:
    """Save (and, with the second button, submit) the FS3 form; None when it failed."""
    user = _user()
    try:
        if rec_id is None:
            r = recommendations.create_draft(
                db.session(),
                requester=requester or user,
                fields=form.values(),
                now=_now(),
                actor=user,
                channel=Channel.WALK_IN if requester is not None else Channel.ONLINE,
                submission=form.submission_token,
            )
        else:
            r = recommendations.update_draft(
                db.session(), rec_id, actor=user, fields=form.values(), now=_now()
            )
    except AlreadySubmitted as exc:
        return _already_sent(exc, "advisory.edit_recommendation", "rec_id", "advisory.home")
    except AdvisoryError as exc:
        if exc.status == 404:
            raise
        form.form_errors.append(str(exc.message))
        return None
    if form.submit_form.data:
        with flashed(AdvisoryError) as outcome:
            recommendations.submit(db.session(), r.id, actor=user, now=_now(), settings=_settings())
        if outcome.failed:
            flash(_("The draft is saved, but it cannot be submitted yet."), "info")
            return redirect(url_for("advisory.edit_recommendation", rec_id=r.id))
        if r.user_id != user.id:
            # An officer recorded a paper form: back to the staff page (attach the scan).
            flash(_("The request has been submitted for verification."), "success")
            return redirect(url_for("advisory.staff_recommendation", rec_id=r.id))
        flash(_("Your request has been submitted. Officers will verify it."), "success")
        return redirect(url_for("advisory.recommendation", rec_id=r.id))
    flash(_("The draft has been saved."), "success")
    return redirect(url_for("advisory.edit_recommendation", rec_id=r.id))


@bp.route("/advisory/recommendations/new", methods=["GET", "POST"])
@login_required
def new_recommendation() -> Any:
    form = RecommendationForm()
    requester = None
    on_behalf = request.args.get("for")
    if on_behalf and current_user.has_role(*OFFICERS):
        requester = (
            db.session.query(User).filter(User.email == normalise_email(on_behalf)).one_or_none()
        )
        if requester is None:
            flash(_("No account has this email address."), "error")
            return redirect(url_for("advisory.staff_on_behalf"))
    elif request.method == "GET" and current_user.institution:
        form.organiser.data = current_user.institution
        form.contact_name.data = current_user.full_name
        form.contact_email.data = current_user.email
        form.contact_phone.data = current_user.phone
    if form.validate_on_submit():
        done = _save_recommendation(form, None, requester)
        if done is not None:
            return done
    return render_template(
        "advisory/recommendation_form.html", form=form, r=None, requester=requester
    ), 422 if form.errors or form.form_errors else 200


@bp.route("/advisory/recommendations/<int:rec_id>/edit", methods=["GET", "POST"])
@login_required
def edit_recommendation(rec_id: int) -> Any:
    r = recommendations.get_recommendation(db.session(), rec_id, _user())
    if r.status not in (RecommendationStatus.DRAFT, RecommendationStatus.RETURNED):
        return redirect(url_for("advisory.recommendation", rec_id=rec_id))
    form = RecommendationForm(obj=r)
    if form.validate_on_submit():
        done = _save_recommendation(form, rec_id)
        if done is not None:
            return done
    missing = [FS3_LABELS[name] for name in recommendations.missing_fields(r)]
    returned = (
        recommendations.latest_version(r) if r.status == RecommendationStatus.RETURNED else None
    )
    return render_template(
        "advisory/recommendation_form.html",
        form=form,
        r=r,
        missing=missing,
        returned=returned,
        requester=None,
    ), 422 if form.errors or form.form_errors else 200


@bp.get("/advisory/recommendations/<int:rec_id>")
@login_required
def recommendation(rec_id: int) -> Any:
    user = _user()
    r = recommendations.get_recommendation(db.session(), rec_id, user)
    if r.user_id != user.id:
        # Staff (also the officer who recorded a paper form) work on the staff page;
        # this one is the requester's, with their "withdraw" button.
        return redirect(url_for("advisory.staff_recommendation", rec_id=rec_id))
    return render_template(
        "advisory/recommendation.html",
        r=r,
        action=ActionForm(),
        fields=FS3_FIELDS,
        missing=[FS3_LABELS[n] for n in recommendations.missing_fields(r)],
    )


@bp.get("/advisory/recommendations/fs3-form.pdf")
def blank_form() -> Any:
    """The blank FS3 form to print and fill by hand (open to everyone)."""
    response: Response = send_file(
        io.BytesIO(blank_fs3_pdf(_settings())),
        mimetype="application/pdf",
        max_age=3600,
        conditional=False,
    )
    response.headers["Content-Disposition"] = content_disposition(BLANK_FORM_FILENAME)
    return response


@bp.get("/advisory/recommendations/files/<int:file_id>")
@login_required
def recommendation_file(file_id: int) -> Any:
    """A covering letter or scanned form: for the requester and staff only."""
    item = recommendations.get_file(db.session(), file_id, _user())
    return _send_upload(item.blob_key, item.content_type, item.filename)


@bp.post("/advisory/recommendations/<int:rec_id>/submit")
@login_required
def submit_recommendation(rec_id: int) -> Any:
    if ActionForm().validate_on_submit():
        with flashed(AdvisoryError, keep_not_found=True) as outcome:
            recommendations.submit(
                db.session(), rec_id, actor=_user(), now=_now(), settings=_settings()
            )
        if outcome.failed:
            return redirect(url_for("advisory.edit_recommendation", rec_id=rec_id))
        flash(_("Your request has been submitted. Officers will verify it."), "success")
    return redirect(url_for("advisory.recommendation", rec_id=rec_id))


@bp.post("/advisory/recommendations/<int:rec_id>/withdraw")
@login_required
def withdraw_recommendation(rec_id: int) -> Any:
    if ActionForm().validate_on_submit():
        recommendations.withdraw(db.session(), rec_id, actor=_user(), now=_now())
        flash(_("The request has been withdrawn."), "success")
    return redirect(url_for("advisory.recommendation", rec_id=rec_id))


@bp.get("/advisory/recommendations/<int:rec_id>/compare")
@login_required
def compare_versions(rec_id: int) -> Any:
    r = recommendations.get_recommendation(db.session(), rec_id, _user())
    newest = r.version + (
        1 if r.status in (RecommendationStatus.DRAFT, RecommendationStatus.RETURNED) else 0
    )
    b = request.args.get("b", type=int) or newest
    a = request.args.get("a", type=int) or max(1, b - 1)
    rows = recommendations.compare(r, a, b)
    return render_template("advisory/compare.html", r=r, rows=rows, a=a, b=b, newest=newest)

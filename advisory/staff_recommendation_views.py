"""Officers' pages of a recommendation request: a paper FS3 form recorded for a
visitor, the officer's verification, the head's preview, return and approval, and the
files attached (same blueprint as :mod:`advisory.views`)."""

from __future__ import annotations

import io
from typing import Any

from flask import Response, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _

from advisory import recommendations, similarity
from advisory.attachments import Upload
from advisory.errors import AdvisoryError, LetterNotIssued
from advisory.forms import (
    ActionForm,
    HeadReturnForm,
    OnBehalfForm,
    RecommendationFileForm,
    ReviewForm,
)
from advisory.labels import CHECKLIST, FILE_KIND_LABELS, HISTORY_LABELS
from advisory.models import FS3_FIELDS, RecommendationFileKind, RecommendationStatus
from advisory.views import OFFICERS, STAFF, _now, _settings, _user, bp
from app.accounts.models import Role
from app.auth import roles_required
from app.blobs import current_store
from app.extensions import db
from app.flashing import flashed


@bp.route("/staff/advisory/recommendations/on-behalf", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def staff_on_behalf() -> Any:
    """Record a paper FS3 form: whose request it is, then the form itself."""
    form = OnBehalfForm()
    if form.validate_on_submit():
        return redirect(url_for("advisory.new_recommendation", **{"for": form.email.data}))
    return render_template("advisory/staff_on_behalf.html", form=form)


@bp.get("/staff/advisory/recommendations/<int:rec_id>")
@roles_required(*STAFF)
def staff_recommendation(
    rec_id: int, review_form: Any = None, status: int = 200, **forms: Any
) -> Any:
    user = _user()
    r = recommendations.get_recommendation(db.session(), rec_id, user)
    similar = (
        similarity.similar_activities(db.session(), r, threshold=_settings().duplicate_threshold)
        if r.status != RecommendationStatus.DRAFT
        else []
    )
    return render_template(
        "advisory/staff_recommendation.html",
        r=r,
        fields=FS3_FIELDS,
        similar=similar,
        review_form=review_form or ReviewForm(),
        file_form=forms.get("file_form") or RecommendationFileForm(prefix="file"),
        return_form=forms.get("return_form") or HeadReturnForm(prefix="head"),
        checklist=CHECKLIST,
        action=ActionForm(),
        history=recommendations.history(db.session(), r),
        history_labels=HISTORY_LABELS,
        file_kinds=FILE_KIND_LABELS,
        is_officer=user.has_role(*OFFICERS),
        is_head=user.has_role(Role.HEAD),
        recorded_by_me=r.created_by_id == user.id and r.user_id != user.id,
        missing=[str(label) for label in recommendations.missing_labels(r)],
    ), status


@bp.post("/staff/advisory/recommendations/<int:rec_id>/review")
@roles_required(*OFFICERS)
def staff_review(rec_id: int) -> Any:
    form = ReviewForm()
    if form.validate_on_submit():
        verdict = "pass" if form.pass_form.data else "return"
        checks = {key: bool(getattr(form, f"check_{key}").data) for key in CHECKLIST}
        with flashed(AdvisoryError, field=form.note, keep_not_found=True) as outcome:
            recommendations.review(
                db.session(),
                rec_id,
                actor=_user(),
                outcome=verdict,
                checklist=checks,
                note=form.note.data or "",
                now=_now(),
            )
        if outcome.failed:
            return staff_recommendation(rec_id, review_form=form, status=422)
        flash(
            _("The form has been passed.")
            if verdict == "pass"
            else _("The form has been returned."),
            "success",
        )
    return redirect(url_for("advisory.staff_recommendation", rec_id=rec_id))


@bp.post("/staff/advisory/recommendations/<int:rec_id>/approve")
@roles_required(Role.HEAD)
def staff_approve(rec_id: int) -> Any:
    if ActionForm().validate_on_submit():
        # A letter not drawn or stored changed nothing: the request is still passed and
        # approving again is the retry.
        with flashed(LetterNotIssued) as outcome:
            letter = recommendations.approve(
                db.session(),
                current_store(),
                rec_id,
                actor=_user(),
                now=_now(),
                settings=_settings(),
            )
        if not outcome.failed:
            flash(
                _(
                    "Approved. Recommendation letter %(number)s has been issued.",
                    number=letter.number,
                ),
                "success",
            )
    return redirect(url_for("advisory.staff_recommendation", rec_id=rec_id))


@bp.post("/staff/advisory/recommendations/<int:rec_id>/files")
@roles_required(*OFFICERS)
def staff_attach_file(rec_id: int) -> Any:
    """Attach the covering letter or the scanned paper form to a recorded request."""
    form = RecommendationFileForm(prefix="file")
    if form.validate_on_submit():
        sent = form.file.data
        name = (getattr(sent, "filename", "") or "") if sent else ""
        upload = Upload(name, sent.stream if name else io.BytesIO())  # none: the service says so
        with flashed(AdvisoryError, field=form.file, keep_not_found=True) as outcome:
            item = recommendations.attach_file(
                db.session(),
                current_store(),
                rec_id,
                actor=_user(),
                kind=RecommendationFileKind(form.kind.data),
                upload=upload,
                now=_now(),
                settings=_settings(),
            )
        if not outcome.failed:
            flash(_("%(name)s has been attached.", name=item.filename), "success")
            return redirect(url_for("advisory.staff_recommendation", rec_id=rec_id))
    return staff_recommendation(rec_id, status=422, file_form=form)


@bp.get("/staff/advisory/recommendations/<int:rec_id>/preview.pdf")
@roles_required(Role.HEAD)
def staff_preview_letter(rec_id: int) -> Any:
    """The letter as it will be issued, marked as a preview; no number is taken."""
    pdf = recommendations.preview_letter(
        db.session(), rec_id, actor=_user(), now=_now(), settings=_settings()
    )
    response: Response = send_file(
        io.BytesIO(pdf), mimetype="application/pdf", max_age=0, conditional=False
    )
    response.headers["Content-Disposition"] = (
        f'inline; filename="Pratinjau-Surat-Rekomendasi-R-{rec_id:06d}.pdf"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/staff/advisory/recommendations/<int:rec_id>/return-to-officer")
@roles_required(Role.HEAD)
def staff_return_to_officer(rec_id: int) -> Any:
    form = HeadReturnForm(prefix="head")
    if form.validate_on_submit():
        with flashed(AdvisoryError, field=form.note, keep_not_found=True) as outcome:
            recommendations.return_to_officer(
                db.session(), rec_id, actor=_user(), note=form.note.data, now=_now()
            )
        if not outcome.failed:
            flash(_("The request has been returned to the officer."), "success")
            return redirect(url_for("advisory.staff_recommendation", rec_id=rec_id))
    return staff_recommendation(rec_id, status=422, return_form=form)

"""Officers' pages of the advisory services: the queue by deadline and a consultation's
handling (take, assign, escalate, answer, letters, FAQ, a question recorded for a
visitor). The review and approval of recommendations are in
:mod:`advisory.staff_recommendation_views`; the visitors' and public pages in
:mod:`advisory.views` (all one blueprint)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from advisory import consultations, faq, recommendations
from advisory.errors import AdvisoryError
from advisory.forms import (
    ActionForm,
    AnswerForm,
    AssignForm,
    DataLetterForm,
    EscalateForm,
    FaqForm,
    MessageForm,
    RecordForm,
)
from advisory.models import Channel, ConsultationKind
from advisory.views import (
    OFFICERS,
    STAFF,
    _already_sent,
    _now,
    _settings,
    _uploads,
    _user,
    bp,
)
from app.accounts.models import Role, User
from app.accounts.services import normalise_email
from app.auth import roles_required
from app.blobs import current_store
from app.extensions import db
from app.flashing import flashed
from app.idempotency import AlreadySubmitted

# --- officers -------------------------------------------------------------------------


@bp.get("/staff/advisory")
@roles_required(*STAFF)
def staff_home() -> Any:
    user = _user()
    return render_template(
        "advisory/staff_home.html",
        queue=consultations.staff_queue(db.session(), user),
        recs=recommendations.staff_list(db.session()),
        is_officer=user.has_role(*OFFICERS),
        is_head=user.has_role(Role.HEAD),
    )


def _staff_forms(c: Any) -> dict[str, Any]:
    assign = AssignForm(prefix="assign")
    assign.officer.choices = [
        (u.id, u.full_name)
        for u in consultations.staff_members(db.session(), Role.OFFICER, Role.HEAD)
    ]
    escalate = EscalateForm(prefix="escalate")
    escalate.specialist.choices = [
        (u.id, u.full_name) for u in consultations.staff_members(db.session(), Role.SUBJECT_MATTER)
    ]
    letter_form = DataLetterForm(prefix="letter")
    if request.method == "GET":
        letter_form.agreed_on.data = c.deadline
        letter_form.data.data = c.subject
    faq_form = FaqForm(prefix="faq")
    if request.method == "GET":
        faq_form.question.data = c.subject
        answers = [m for m in c.messages if m.is_answer]
        faq_form.answer.data = answers[-1].body if answers else ""
        faq_form.topic.data = c.topic
    return {
        "assign_form": assign,
        "escalate_form": escalate,
        "letter_form": letter_form,
        "faq_form": faq_form,
        "answer_form": AnswerForm(prefix="answer"),
        "form": MessageForm(),
        "action": ActionForm(),
    }


def _render_staff_consultation(
    consultation_id: int, forms: dict[str, Any] | None = None, status: int = 200
) -> Any:
    user = _user()
    c = consultations.get_consultation(db.session(), consultation_id, user)
    context = _staff_forms(c)
    context.update(forms or {})
    return render_template(
        "advisory/staff_consultation.html",
        c=c,
        messages=consultations.visible_messages(c, user),
        can_handle=consultations.can_handle(user, c),
        is_officer=user.has_role(*OFFICERS),
        faq_entries=faq.entries_of(db.session(), c.id),
        **context,
    ), status


@bp.get("/staff/advisory/consultations/<int:consultation_id>")
@roles_required(*STAFF)
def staff_consultation(consultation_id: int) -> Any:
    return _render_staff_consultation(consultation_id)


def _back(consultation_id: int) -> Any:
    return redirect(url_for("advisory.staff_consultation", consultation_id=consultation_id))


@bp.post("/staff/advisory/consultations/<int:consultation_id>/take")
@roles_required(*OFFICERS)
def staff_take(consultation_id: int) -> Any:
    if ActionForm().validate_on_submit():
        consultations.assign(
            db.session(), consultation_id, officer_id=_user().id, actor=_user(), now=_now()
        )
        flash(_("The consultation is yours."), "success")
    return _back(consultation_id)


@bp.post("/staff/advisory/consultations/<int:consultation_id>/assign")
@roles_required(*OFFICERS)
def staff_assign(consultation_id: int) -> Any:
    form = AssignForm(prefix="assign")
    form.officer.choices = [
        (u.id, u.full_name)
        for u in consultations.staff_members(db.session(), Role.OFFICER, Role.HEAD)
    ]
    if form.validate_on_submit():
        consultations.assign(
            db.session(), consultation_id, officer_id=form.officer.data, actor=_user(), now=_now()
        )
        flash(_("The consultation has been assigned."), "success")
        return _back(consultation_id)
    return _render_staff_consultation(consultation_id, {"assign_form": form}, 422)


@bp.post("/staff/advisory/consultations/<int:consultation_id>/escalate")
@roles_required(*OFFICERS)
def staff_escalate(consultation_id: int) -> Any:
    form = EscalateForm(prefix="escalate")
    form.specialist.choices = [
        (u.id, u.full_name) for u in consultations.staff_members(db.session(), Role.SUBJECT_MATTER)
    ]
    if form.validate_on_submit():
        consultations.escalate(
            db.session(),
            consultation_id,
            specialist_id=form.specialist.data,
            note=form.note.data,
            actor=_user(),
            now=_now(),
        )
        flash(_("The consultation has been escalated."), "success")
        return _back(consultation_id)
    return _render_staff_consultation(consultation_id, {"escalate_form": form}, 422)


@bp.post("/staff/advisory/consultations/<int:consultation_id>/answer")
@roles_required(*STAFF)
def staff_answer(consultation_id: int) -> Any:
    form = AnswerForm(prefix="answer")
    if form.validate_on_submit():
        with flashed(AdvisoryError, field=form.body, keep_not_found=True) as outcome:
            consultations.answer(
                db.session(),
                current_store(),
                consultation_id,
                actor=_user(),
                body=form.body.data,
                uploads=_uploads(form.files),
                now=_now(),
                settings=_settings(),
            )
        if not outcome.failed:
            flash(_("The answer has been sent."), "success")
            return _back(consultation_id)
    return _render_staff_consultation(consultation_id, {"answer_form": form}, 422)


@bp.post("/staff/advisory/consultations/<int:consultation_id>/letter")
@roles_required(*OFFICERS)
def staff_letter(consultation_id: int) -> Any:
    form = DataLetterForm(prefix="letter")
    if form.validate_on_submit():
        with flashed(AdvisoryError, field=form.agreed_on, keep_not_found=True) as outcome:
            letter = consultations.issue_data_letter(
                db.session(),
                current_store(),
                consultation_id,
                actor=_user(),
                data=form.data.data,
                purpose=form.purpose.data or "",
                agreed_on=form.agreed_on.data,
                terms=form.terms.data or "",
                now=_now(),
                settings=_settings(),
            )
        if not outcome.failed:
            flash(
                _("Data request letter %(number)s has been issued.", number=letter.number),
                "success",
            )
            return _back(consultation_id)
    return _render_staff_consultation(consultation_id, {"letter_form": form}, 422)


@bp.post("/staff/advisory/consultations/<int:consultation_id>/faq")
@roles_required(*OFFICERS)
def staff_publish_faq(consultation_id: int) -> Any:
    form = FaqForm(prefix="faq")
    if form.validate_on_submit():
        with flashed(AdvisoryError, field=form.question, keep_not_found=True) as outcome:
            entry = faq.publish(
                db.session(),
                consultation_id,
                actor=_user(),
                question=form.question.data,
                answer=form.answer.data,
                topic=form.topic.data or "",
                now=_now(),
            )
        if not outcome.failed:
            flash(_("The answer is published in the FAQ."), "success")
            return redirect(url_for("advisory.faq_entry", faq_id=entry.id))
    return _render_staff_consultation(consultation_id, {"faq_form": form}, 422)


@bp.post("/staff/advisory/faq/<int:faq_id>/toggle")
@roles_required(*OFFICERS)
def staff_toggle_faq(faq_id: int) -> Any:
    if ActionForm().validate_on_submit():
        entry = faq.get_entry(db.session(), faq_id, staff=True)
        faq.set_published(db.session(), faq_id, not entry.published, actor=_user(), now=_now())
        flash(_("The FAQ entry has been updated."), "success")
    return redirect(url_for("advisory.faq_entry", faq_id=faq_id))


@bp.route("/staff/advisory/record", methods=["GET", "POST"])
@roles_required(*OFFICERS)
def staff_record() -> Any:
    """Record a question that came by email or at the desk and needs follow-up."""
    form = RecordForm()
    if form.validate_on_submit():
        requester = (
            db.session.query(User)
            .filter(User.email == normalise_email(form.email.data))
            .one_or_none()
        )
        if requester is None:
            form.email.errors = [
                _("No account has this email address. Register the visitor at the desk first.")
            ]
        else:
            try:
                with flashed(AdvisoryError, field=form.files) as outcome:
                    c = consultations.create_consultation(
                        db.session(),
                        current_store(),
                        requester=requester,
                        subject=form.subject.data,
                        body=form.body.data,
                        kind=ConsultationKind(form.kind.data),
                        topic=form.topic.data or "",
                        channel=Channel(form.channel.data),
                        uploads=_uploads(form.files),
                        now=_now(),
                        settings=_settings(),
                        actor=_user(),
                        submission=form.submission_token,
                    )
            except AlreadySubmitted as exc:
                return _already_sent(
                    exc, "advisory.staff_consultation", "consultation_id", "advisory.staff_home"
                )
            if not outcome.failed:
                flash(_("The request has been recorded."), "success")
                return _back(c.id)
    return render_template("advisory/staff_record.html", form=form), 422 if form.errors else 200

"""Advisory pages: the blueprint and what its pages share, "my requests", ask (search
first), the consultation thread and the FAQ. The other pages join the same blueprint:
the FS3 form and its versions (:mod:`advisory.recommendation_views`), the letters and
their public verification (:mod:`advisory.letter_views`), and the officers' pages
(:mod:`advisory.staff_views`, :mod:`advisory.staff_recommendation_views`).

Views parse (WTForms), call one service and render; services commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from advisory import consultations, deadlines, faq, recommendations
from advisory.attachments import Upload
from advisory.errors import AdvisoryError, AttachmentNotFound
from advisory.forms import ActionForm, AskForm, MessageForm
from advisory.labels import (
    CHANNEL_LABELS,
    CONSULTATION_STATUS_LABELS,
    DEADLINE_LABELS,
    DESIGN_LABELS,
    FREQUENCY_LABELS,
    FS3_LABELS,
    KIND_LABELS,
    LETTER_KIND_LABELS,
    RECOMMENDATION_STATUS_LABELS,
    RECURRENCE_LABELS,
    label,
)
from advisory.models import Attachment, ConsultationKind
from advisory.settings import Settings, settings_from
from app import clock
from app.accounts.models import Role, User
from app.blobs import current_store
from app.extensions import db, limiter
from app.flashing import flashed
from app.idempotency import AlreadySubmitted
from storage.disposition import content_disposition

bp = Blueprint(
    "advisory",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/advisory",
)

STAFF = (Role.OFFICER, Role.HEAD, Role.SUBJECT_MATTER)
OFFICERS = (Role.OFFICER, Role.HEAD)


def _now() -> datetime:
    return clock.now()


def _settings() -> Settings:
    """The advisory settings of this app (services get them, never the config)."""
    return settings_from(current_app.config)


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _uploads(field: Any) -> list[Upload]:
    return [
        Upload(f.filename, f.stream) for f in (field.data or []) if f and getattr(f, "filename", "")
    ]


def _deadline_of(due: Any, done: bool = False) -> Any:
    return deadlines.deadline(db.session(), due, _now(), _settings(), done=done)


def template_globals() -> dict[str, Any]:
    """Labels and helpers for the templates (globals, so imported macros see them)."""
    return {
        "adv_label": label,
        "adv_deadline": _deadline_of,
        "ADV_KIND": KIND_LABELS,
        "ADV_CSTATUS": CONSULTATION_STATUS_LABELS,
        "ADV_RSTATUS": RECOMMENDATION_STATUS_LABELS,
        "ADV_CHANNEL": CHANNEL_LABELS,
        "ADV_DEADLINE": DEADLINE_LABELS,
        "ADV_FS3": FS3_LABELS,
        "ADV_LETTER_KIND": LETTER_KIND_LABELS,
        "ADV_CHOICES": {
            "recurrence": RECURRENCE_LABELS,
            "design": DESIGN_LABELS,
            "frequency": FREQUENCY_LABELS,
        },
    }


# --- my requests ------------------------------------------------------------------------


@bp.get("/advisory")
@login_required
def home() -> Any:
    user = _user()
    return render_template(
        "advisory/home.html",
        consultations=consultations.my_consultations(db.session(), user.id),
        recommendations=recommendations.my_recommendations(db.session(), user.id),
    )


# --- consultations ---------------------------------------------------------------------


@bp.get("/advisory/suggest")
@limiter.limit("60 per minute")
def suggest() -> Any:
    """Publications and published answers for the words typed so far (JSON)."""
    q = (request.args.get("q") or "").strip()[:300]
    items = faq.suggest(db.session(), q, now=clock.now())
    response = jsonify(
        {
            "q": q,
            "items": [
                {"title": s.title, "url": s.url, "kind": s.kind, "snippet": s.snippet}
                for s in items
            ],
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# What a visitor's draft may carry across sign-in: the subject field's own limit, and
# enough of the details to keep the sign-in address well under servers' line limits.
_DRAFT_SUBJECT = 200
_DRAFT_BODY = 1000


@bp.route("/advisory/ask", methods=["GET", "POST"])
def ask() -> Any:
    """Search first, open to everyone (a walk-up visitor finds many answers without an
    account); sending a question needs one, and keeps what was typed across sign-in."""
    form = AskForm()
    if request.method == "GET":
        form.subject.data = (request.args.get("q") or "").strip()[:_DRAFT_SUBJECT] or None
        form.body.data = (request.args.get("body") or "").strip()[:_DRAFT_BODY] or None
    signed_in = current_user.is_authenticated
    if not signed_in and request.method == "POST":
        # "Sign in to send" submits the form, so what was typed rides in the sign-in
        # link's `next` (the session is cleared at sign-in). Works without JavaScript.
        subject = (request.form.get("subject") or "").strip()[:_DRAFT_SUBJECT]
        body = (request.form.get("body") or "").strip()[:_DRAFT_BODY]
        back = url_for("advisory.ask", q=subject or None, body=body or None)
        return redirect(url_for("accounts.login", next=back))
    if signed_in and form.validate_on_submit():
        try:
            with flashed(AdvisoryError, field=form.files) as outcome:
                c = consultations.create_consultation(
                    db.session(),
                    current_store(),
                    requester=_user(),
                    subject=form.subject.data,
                    body=form.body.data,
                    kind=ConsultationKind(form.kind.data),
                    topic=form.topic.data or "",
                    uploads=_uploads(form.files),
                    now=_now(),
                    settings=_settings(),
                    submission=form.submission_token,
                )
        except AlreadySubmitted as exc:
            return _already_sent(exc, "advisory.consultation", "consultation_id", "advisory.home")
        if not outcome.failed:
            flash(
                _("Your question has been sent. We answer by %(day)s.", day=_day(c.deadline)),
                "success",
            )
            return redirect(url_for("advisory.consultation", consultation_id=c.id))
    q = form.subject.data or ""
    found = faq.suggest(db.session(), q, now=clock.now()) if q else []
    return render_template(
        "advisory/ask.html", form=form, found=found, q=q, sign_in=not signed_in
    ), 422 if form.errors else 200


def _already_sent(exc: AlreadySubmitted, endpoint: str, arg: str, fallback: str) -> Any:
    """A form sent twice: to what its first post made."""
    flash(str(exc.message), "info")
    if exc.object_ref and exc.object_ref.isdigit():
        values: dict[str, Any] = {arg: int(exc.object_ref)}
        return redirect(url_for(endpoint, **values))
    return redirect(url_for(fallback))


def _day(day: Any) -> str:
    from app.i18n import format_day

    return format_day(day)


@bp.get("/advisory/consultations/<int:consultation_id>")
@login_required
def consultation(consultation_id: int) -> Any:
    user = _user()
    c = consultations.get_consultation(db.session(), consultation_id, user)
    if c.user_id != user.id:
        return redirect(url_for("advisory.staff_consultation", consultation_id=c.id))
    return render_template(
        "advisory/consultation.html",
        c=c,
        messages=consultations.visible_messages(c, user),
        form=MessageForm(),
        action=ActionForm(),
    )


@bp.post("/advisory/consultations/<int:consultation_id>/messages")
@login_required
def post_message(consultation_id: int) -> Any:
    form = MessageForm()
    user = _user()
    staff_page = request.form.get("from") == "staff"
    if form.validate_on_submit():
        with flashed(AdvisoryError, keep_not_found=True) as outcome:
            consultations.post_message(
                db.session(),
                current_store(),
                consultation_id,
                author=user,
                body=form.body.data or "",
                uploads=_uploads(form.files),
                internal=bool(form.internal.data),
                now=_now(),
                settings=_settings(),
            )
        if not outcome.failed:
            flash(_("Your message has been sent."), "success")
    else:
        flash(_("The message could not be sent: %(errors)s", errors=_errors(form)), "error")
    target = "advisory.staff_consultation" if staff_page else "advisory.consultation"
    return redirect(url_for(target, consultation_id=consultation_id))


def _errors(form: Any) -> str:
    return " ".join(" ".join(str(e) for e in errs) for errs in form.errors.values())


@bp.post("/advisory/consultations/<int:consultation_id>/close")
@login_required
def close_consultation(consultation_id: int) -> Any:
    if ActionForm().validate_on_submit():
        c = consultations.close(db.session(), consultation_id, actor=_user(), now=_now())
        flash(
            _("The request is now %(status)s.", status=CONSULTATION_STATUS_LABELS[c.status]),
            "success",
        )
    staff_page = request.form.get("from") == "staff"
    target = "advisory.staff_consultation" if staff_page else "advisory.consultation"
    return redirect(url_for(target, consultation_id=consultation_id))


@bp.get("/advisory/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id: int) -> Any:
    item = db.session.get(Attachment, attachment_id)
    user = _user()
    if item is None:
        raise AttachmentNotFound()
    c = item.message.consultation
    if not consultations.can_read(user, c) or (
        item.message.internal and c.user_id == user.id and not user.is_staff
    ):
        raise AttachmentNotFound()
    return _send_upload(item.blob_key, item.content_type, item.filename)


# --- FAQ ------------------------------------------------------------------------------


@bp.get("/advisory/faq")
def faq_list() -> Any:
    q = (request.args.get("q") or "").strip()[:300]
    entries = faq.search_faq(db.session(), q, limit=50) if q else faq.published(db.session())
    return render_template("advisory/faq.html", entries=entries, q=q)


@bp.get("/advisory/faq/<int:faq_id>")
def faq_entry(faq_id: int) -> Any:
    staff = current_user.is_authenticated and current_user.has_role(*OFFICERS)
    return render_template(
        "advisory/faq_entry.html", entry=faq.get_entry(db.session(), faq_id, staff=staff)
    )


def _send_upload(blob_key: str, content_type: str, filename: str) -> Response:
    """An uploaded file, as an attachment that cannot run in the site's origin."""
    response: Response = send_file(
        current_store().open(blob_key),
        mimetype=content_type,
        max_age=0,
        conditional=False,
    )
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

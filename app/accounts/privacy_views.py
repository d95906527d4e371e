"""Privacy notice pages and consent (UU 27/2022): the public notice and its versions,
a person's own consents, the page asking a service user to accept a new version, and
the administrators' page that publishes one.

Asking again: once a version is published, a signed-in service user whose latest
consent is for an older version (or who never gave one: accounts from before consent
was recorded) is sent to :func:`reconsent` by :func:`_consent_first` on every request
but the ones listed in ``_WITHOUT_CONSENT`` — the notice itself, signing out, the
language, and the pages under ``/account`` (where a person who does not agree can still
see, download or erase their data). Staff are not asked (see
:mod:`app.accounts.services.consent`). The check costs one query a request: the
version a session was last found to have accepted is kept in the session.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import audit, clock
from app.accounts.consent_models import channel_labels
from app.accounts.models import Role
from app.accounts.notice_text import to_html
from app.accounts.privacy_forms import AcceptNoticeForm, PublishNoticeForm, notice_number
from app.accounts.services import consent
from app.auth import roles_required
from app.config import Setting, declare, set_defaults
from app.extensions import db
from app.flashing import flashed
from app.i18n import current_locale

SETTINGS = declare(
    Setting(
        "PRIVACY_CONTACT",
        str,
        "PST BPS Provinsi Bengkulu, Jl. Adam Malik KM 8, Kota Bengkulu 38225 · pst1700@bps.go.id",
        "The data controller's contact shown on the privacy notice (address, email, phone)",
    ),
)

bp = Blueprint("privacy", __name__)

#: Session key: ``[user id, version]`` last found accepted, so that the check is one
#: query (the current version's number) while nothing changes.
ACCEPTED_KEY = "_privacy_ok"

#: Endpoints a person who has not accepted the current version may still open.
_WITHOUT_CONSENT = frozenset(
    {"accounts.logout", "web.language", "static", "health.healthz", "accounts.account"}
)


@bp.get("/privacy")
def notice() -> Any:
    version = consent.current_notice(db.session())
    return _notice_page(version, is_current=True)


@bp.get("/privacy/v<int:notice_number>")
def version(notice_number: int) -> Any:
    found = consent.notice(db.session(), notice_number)
    if found is None:
        abort(404)
    return _notice_page(found, is_current=found.number == consent.current_number(db.session()))


@bp.get("/privacy/versions")
def versions() -> Any:
    return render_template(
        "accounts/privacy_versions.html", versions=consent.versions(db.session())
    )


def _notice_page(version: Any, *, is_current: bool) -> Any:
    return render_template(
        "accounts/privacy_notice.html",
        version=version,
        body=to_html(version.body(current_locale())),
        is_current=is_current,
        contact=current_app.config["PRIVACY_CONTACT"],
    )


@bp.get("/account/privacy")
@login_required
def my_consents() -> Any:
    """A person's own consents, newest first, and how to withdraw."""
    return render_template(
        "accounts/privacy_consents.html",
        consents=consent.history(db.session(), current_user.id),
        current=consent.current_number(db.session()),
        labels=channel_labels(),
        asked=consent.asked(current_user),
    )


@bp.route("/account/privacy/accept", methods=["GET", "POST"])
@login_required
def reconsent() -> Any:
    """The notice's changes and the box to tick; answers "nothing to accept" otherwise."""
    from app.accounts.views import safe_next

    user = current_user._get_current_object()
    form = AcceptNoticeForm()
    target = safe_next(form.next.data or request.args.get("next"), url_for("web.index"))
    if not consent.must_ask(db.session(), user):
        if request.method == "POST":
            return redirect(target)
        return _accept_page(form, user, pending=False)
    if form.validate_on_submit():
        with flashed(consent.UnknownNotice, field=form.accept) as outcome:
            consent.accept(
                db.session(),
                user,
                notice_number(form.notice),
                locale=current_locale(),
                now=clock.now(),
            )
        if not outcome.failed:
            flash(_("Thank you: your consent has been recorded."), "success")
            return redirect(target)
    status = 422 if form.errors or form.accept.errors else 200
    return _accept_page(form, user, pending=True), status


def _accept_page(form: AcceptNoticeForm, user: Any, *, pending: bool) -> str:
    session_ = db.session()
    agreed = consent.agreed_number(session_, user.id)
    current = consent.current_notice(session_)
    if not form.next.data:
        form.next.data = request.args.get("next", "")
    return render_template(
        "accounts/privacy_accept.html",
        form=form,
        pending=pending,
        agreed=agreed,
        current=current,
        changed=consent.changes_since(session_, agreed) if pending else [],
        locale=current_locale(),
    )


@bp.route("/staff/privacy", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def admin() -> Any:
    """Publish a new version (prefilled with the current text); the list of versions."""
    current = consent.current_notice(db.session())
    form = PublishNoticeForm()
    if request.method == "GET":
        form.body_id.data = current.body_id
        form.body_en.data = current.body_en
    elif form.validate_on_submit():
        with flashed(consent.NoticeIncomplete, consent.NoticeRace) as outcome:
            published = consent.publish(
                db.session(),
                body_id=form.body_id.data or "",
                body_en=form.body_en.data or "",
                changes_id=form.changes_id.data or "",
                changes_en=form.changes_en.data or "",
                actor_id=current_user.id,
                now=clock.now(),
            )
        if not outcome.failed:
            flash(
                _(
                    "Version %(number)s of the privacy notice is published. Service users "
                    "are asked to accept it at their next visit to the website.",
                    number=published.number,
                ),
                "success",
            )
            return redirect(url_for("privacy.admin"))
    return render_template(
        "accounts/privacy_admin.html",
        form=form,
        versions=consent.versions(db.session()),
        current=current,
    ), (422 if form.errors else 200)


# --- asking again -------------------------------------------------------------------------


def _consent_first() -> Response | None:
    """A signed-in service user who has not accepted the current version opens nothing
    but the page asking them to (and the pages listed above)."""
    endpoint = request.endpoint
    if (
        endpoint is None
        or endpoint in _WITHOUT_CONSENT
        or endpoint.startswith("privacy.")
        or endpoint.endswith(".static")
        or request.path.startswith(("/account/", "/api/"))
        or not current_user.is_authenticated
        or not consent.asked(current_user)
    ):
        return None
    current = consent.current_number(db.session())
    if session.get(ACCEPTED_KEY) == [current_user.id, current]:
        return None
    if not consent.must_ask(db.session(), current_user):
        session[ACCEPTED_KEY] = [current_user.id, current]
        return None
    back = request.full_path if request.method == "GET" and request.query_string else request.path
    return redirect(url_for("privacy.reconsent", next=back if request.method == "GET" else None))


def _notice_for_forms() -> Any:
    """The current version for a consent checkbox (its number and a short look)."""
    return consent.current_notice(db.session())


def init_app(app: Flask) -> None:
    from app.navigation import account_link, staff_link

    set_defaults(app, SETTINGS)
    app.register_blueprint(bp)
    app.before_request(_consent_first)
    app.add_template_global(_notice_for_forms, "privacy_notice")
    app.add_template_filter(to_html, "notice_html")
    account_link(
        app,
        _l("Privacy and consent"),
        "privacy.my_consents",
        _l("The privacy notice, your consents and how to withdraw them"),
    )
    staff_link(app, _l("Office"), _l("Privacy notice"), "privacy.admin", Role.ADMIN)
    audit.label_actions(
        {
            "privacy.consent_recorded": _l("Consent to the privacy notice recorded"),
            "privacy.notice_published": _l("Privacy notice version published"),
        },
        {"version": _l("Notice version"), "via": _l("Given through")},
        {"via": {c.value: label for c, label in channel_labels().items()}},
    )

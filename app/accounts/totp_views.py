"""Two-factor pages: the second step of signing in, the enrolment and settings page
under the account, and an administrator's reset of a staff member's authenticator.

After the password, an account with an authenticator (or a staff account that must
enrol, ``TOTP_REQUIRED_FOR_STAFF``) is *not* signed in: the session holds only
``PENDING_KEY`` — the account's id and session version, what it must do next and
since when — which no other page reads, so a half-signed-in browser opens nothing but
the code page (or the enrolment page) until the second step is done.
"""

from __future__ import annotations

import time
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
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import sessions
from app.accounts import totp
from app.accounts.errors import AccountError, ReplayedCode, WrongCode, WrongPassword
from app.accounts.forms import ConfirmForm
from app.accounts.models import Role, User
from app.accounts.services import two_factor
from app.accounts.totp_forms import CodeForm, DisableForm, EnrolForm
from app.auth import roles_required
from app.clock import now
from app.extensions import db, limiter

bp = Blueprint("two_factor", __name__)

#: The half-signed-in state: ``{"user": "<id>:<version>", "purpose": "code"|"enrol",
#: "remember": bool, "next": str, "at": seconds}``. Not a sign-in key.
PENDING_KEY = "_2fa_pending"
#: How long the second step may wait after the password.
PENDING_SECONDS = 300
#: Set in a session signed in through the second step (or right after enrolling).
PASSED_KEY = "_2fa"


def _required(user: User) -> bool:
    return user.is_staff and bool(current_app.config["TOTP_REQUIRED_FOR_STAFF"])


def _fresh_session() -> None:
    """Nothing of the session before survives but the language (session fixation)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def second_step(user: User, *, remember: bool, next_url: str | None) -> Response | None:
    """Called by the sign-in page once the password is right: the redirect to the
    second step (a code, or enrolment), or None when the account needs neither."""
    enrolled = two_factor.is_enrolled(db.session(), user.id)
    if not enrolled and not _required(user):
        return None
    _fresh_session()
    session[PENDING_KEY] = {
        "user": user.get_id(),
        "purpose": "code" if enrolled else "enrol",
        "remember": remember,
        "next": next_url or "",
        "at": int(time.time()),
    }
    if enrolled:
        return redirect(url_for("two_factor.code"))
    flash(_("Staff accounts must use two-factor sign-in. Set up your authenticator app."), "info")
    return redirect(url_for("two_factor.settings"))


def _pending(purpose: str) -> User | None:
    """The account half signed in for ``purpose``, if still in time and unchanged."""
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict) or data.get("purpose") != purpose:
        return None
    started = data.get("at")
    if not isinstance(started, int) or time.time() - started > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    return sessions.load_user(str(data.get("user")))


def _finish(user: User) -> str:
    """Sign ``user`` in for good; the address to go to next."""
    from app.accounts.views import safe_next

    data = session.get(PENDING_KEY) or {}
    _fresh_session()
    sessions.sign_in(user, remember=bool(data.get("remember")))
    session[PASSED_KEY] = True
    home = url_for("admin.hub") if user.is_staff else url_for("web.index")
    return safe_next(str(data.get("next") or "") or None, home)


def _limit() -> str:
    return str(current_app.config["TOTP_RATE_LIMIT"])


def _account_key() -> str:
    # Counted per account too, so one account's codes cannot be tried from many machines.
    data = session.get(PENDING_KEY)
    if isinstance(data, dict):
        return "totp:" + str(data.get("user", "")).partition(":")[0]
    return "totp:" + (str(current_user.id) if current_user.is_authenticated else "-")


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_account_key)
def code() -> Any:
    user = _pending("code")
    if user is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        checked = two_factor.check_code(db.session(), user, form.code.data or "", now=now)
        if checked.ok:
            target = _finish(user)
            if checked.outcome == two_factor.Outcome.RECOVERY:
                flash(
                    _(
                        "You signed in with a recovery code; %(left)d are left.",
                        left=checked.recovery_left,
                    ),
                    "warning",
                )
            flash(_("Welcome, %(name)s.", name=user.full_name), "success")
            return redirect(target)
        refused = ReplayedCode() if checked.outcome == two_factor.Outcome.REPLAYED else WrongCode()
        form.code.errors = [str(refused.message)]
    status = 422 if form.errors else 200
    return render_template("accounts/two_factor_code.html", form=form), status


def _owner() -> User | None:
    """Whose authenticator the settings page is about: the signed-in person, or a
    staff member half signed in who must enrol first."""
    if current_user.is_authenticated:
        return current_user._get_current_object()  # type: ignore[no-any-return]
    return _pending("enrol")


@bp.route("/account/two-factor", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_account_key)
def settings() -> Any:
    user = _owner()
    if user is None:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    store = db.session()
    if two_factor.is_enrolled(store, user.id):
        return _settings_page(user, DisableForm())
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(store, user, form.code.data or "", now=now)
        except AccountError as exc:
            form.code.errors = [str(exc.message)]
        else:
            if current_user.is_authenticated:
                # Enrolling ended every session of the account; this one goes on.
                sessions.renew(user)
                session[PASSED_KEY] = True
                target = url_for("two_factor.settings")
            else:
                target = _finish(user)
            return render_template("accounts/two_factor_codes.html", codes=codes, target=target)
    secret = two_factor.start_enrolment(store, user)
    return render_template(
        "accounts/two_factor_enrol.html",
        form=form,
        secret=totp.grouped(secret),
        signed_in=current_user.is_authenticated,
    ), (422 if form.errors else 200)


def _settings_page(user: User, form: DisableForm) -> Any:
    return render_template(
        "accounts/two_factor.html",
        form=form,
        required=_required(user),
        left=two_factor.recovery_left(db.session(), user.id),
    ), (422 if form.errors else 200)


@bp.get("/account/two-factor/qr.svg")
def qr() -> Any:
    """The QR code of the secret being enrolled (never of a confirmed one)."""
    from reportlab.graphics import renderSVG

    from app.documents import qr_drawing

    user = _owner()
    found = two_factor.factor(db.session(), user.id) if user is not None else None
    if user is None or found is None or found.confirmed_at is not None:
        abort(404)
    issuer = str(current_app.config["OFFICE_SHORT_NAME"])
    uri = totp.provisioning_uri(found.secret, user.email or str(user.id), issuer)
    response = Response(renderSVG.drawToString(qr_drawing(uri, 220)), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/account/two-factor/disable")
@login_required
@limiter.limit(_limit)
@limiter.limit(_limit, key_func=_account_key)
def disable() -> Any:
    user: User = current_user._get_current_object()
    form = DisableForm()
    if not two_factor.is_enrolled(db.session(), user.id):
        return redirect(url_for("two_factor.settings"))
    if form.validate_on_submit():
        try:
            two_factor.disable(
                db.session(),
                user,
                form.password.data or "",
                form.code.data or "",
                required=_required(user),
                now=now,
            )
        except AccountError as exc:
            field = form.password if isinstance(exc, WrongPassword) else form.code
            field.errors = [str(exc.message)]
        else:
            session.pop(PASSED_KEY, None)
            flash(_("Two-factor sign-in is turned off."), "success")
            return redirect(url_for("two_factor.settings"))
    return _settings_page(user, form)


@bp.post("/staff/users/<int:user_id>/two-factor/reset")
@roles_required(Role.ADMIN)
def reset(user_id: int) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        person = two_factor.reset(db.session(), user_id, actor_id=current_user.id)
        if person.id == current_user.id:  # an admin's own: keep this session only
            sessions.renew(person)
        flash(_("Two-factor sign-in has been reset for this account."), "success")
    return redirect(url_for("admin.user", user_id=user_id))


def _two_factor_on(user_id: int) -> bool:
    """For the account page of the admin: whether the person has an authenticator."""
    return two_factor.is_enrolled(db.session(), user_id)


#: What a staff member who must still enrol may open (besides the static files).
_WHILE_ENROLLING = frozenset(
    {"two_factor.settings", "two_factor.qr", "accounts.logout", "web.language", "static"}
)


def _enrol_first() -> Response | None:
    """A staff session signed in without a second factor while one is required (the
    setting was turned on after it began) opens nothing but enrolment."""
    if (
        PASSED_KEY in session
        or not current_app.config["TOTP_REQUIRED_FOR_STAFF"]
        or request.endpoint in _WHILE_ENROLLING
        or request.endpoint is None
        or not current_user.is_authenticated
        or not current_user.is_staff
    ):
        return None
    return redirect(url_for("two_factor.settings"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(_enrol_first)
    app.add_template_global(_two_factor_on, "two_factor_on")

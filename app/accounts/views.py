"""Account pages: register, verify, sign in and out, reset, profile, API tokens.

Views parse the form, call a service and render; they never commit themselves.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response

from app import clock, sessions
from app.accounts import services
from app.accounts.errors import InvalidToken
from app.accounts.forms import (
    ChangePasswordForm,
    ConfirmForm,
    EmailForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetForm,
    TokenForm,
)
from app.accounts.oidc_errors import LocalPasswordRefused
from app.accounts.privacy_forms import notice_number
from app.accounts.services.consent import UnknownNotice
from app.accounts.tokens import LinkSigner
from app.extensions import db, limiter
from app.flashing import flashed
from app.i18n import current_locale
from app.mail import current_mailer
from app.urls import external_url

bp = Blueprint("accounts", __name__)


def signer() -> LinkSigner:
    return LinkSigner(current_app.config["SECRET_KEY"])


def links() -> services.Links:
    return services.Links(
        verify=lambda token: external_url("accounts.verify", token=token),
        reset=lambda token: external_url("accounts.reset", token=token),
        login=external_url("accounts.login"),
        forgot=external_url("accounts.forgot"),
    )


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: an open redirect would make our links phishing tools.

    Browsers drop tabs and line breaks from an address before reading it, so
    ``/<TAB>/evil.example`` is ``//evil.example`` to them: any control character is
    refused, as are backslashes (read as slashes) and anything with a scheme or host.
    A CR/LF would also break the ``Location`` header."""
    if not target or "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def _limit(key: str) -> Any:
    return lambda: current_app.config[key]


def _email_key() -> str:
    # A second limit keyed by the account tried, so one address cannot be hammered
    # from many machines.
    return "email:" + (request.form.get("email") or "").strip().lower()[:254]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_limit("REGISTER_RATE_LIMIT"), methods=["POST"])
@limiter.limit(_limit("REGISTER_RATE_LIMIT"), methods=["POST"], key_func=_email_key)
def register() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.profile"))
    form = RegisterForm()
    if form.validate_on_submit():
        # The same page whether the address is new or has an account (with or without
        # a password): the mail that follows differs, the answer here never does.
        with flashed(UnknownNotice, field=form.consent) as outcome:
            services.register(
                db.session(),
                email=form.email.data or "",
                password=form.password.data or "",
                profile=form.profile(),
                locale=current_locale(),
                mailer=current_mailer(),
                signer=signer(),
                links=links(),
                notice=notice_number(form.notice),
                now=clock.now,
            )
        if not outcome.failed:
            return render_template("accounts/registered.html", email=form.email.data)
    return render_template("accounts/register.html", form=form), 200 if not form.errors else 422


@bp.get("/verify/<token>")
def verify(token: str) -> Any:
    try:
        services.verify_email(
            db.session(),
            token,
            signer=signer(),
            max_age=current_app.config["EMAIL_TOKEN_MAX_AGE"],
        )
    except InvalidToken as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("accounts.resend"))
    flash(_("Your email address is verified. You can sign in now."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit(_limit("RESET_RATE_LIMIT"), methods=["POST"])
def resend() -> Any:
    form = EmailForm()
    if form.validate_on_submit():
        services.resend_verification(
            db.session(),
            form.email.data or "",
            mailer=current_mailer(),
            signer=signer(),
            links=links(),
        )
        flash(_("If an unverified account uses this address, a new link is on its way."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/resend.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_limit("LOGIN_RATE_LIMIT"), methods=["POST"])
@limiter.limit(_limit("LOGIN_RATE_LIMIT"), methods=["POST"], key_func=_email_key)
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("web.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                db.session(),
                form.email.data or "",
                form.password.data or "",
                staff_passwords=bool(current_app.config["LOCAL_STAFF_PASSWORDS"]),
            )
        except LocalPasswordRefused as exc:
            flash(str(exc.message), "error")
            return render_template("accounts/login.html", form=form), exc.status
        if user is None:
            # The same words whether the address is unknown or the password wrong.
            flash(_("The email address or password is incorrect."), "error")
        elif not user.email_verified:
            flash(
                _(
                    "Please verify your email address first: open the link we sent you, "
                    "or ask for a new one."
                ),
                "error",
            )
            return redirect(url_for("accounts.resend"))
        else:
            from app.accounts.totp_views import second_step

            # An authenticator code first, or enrolment (a staff member who must have one).
            pending = second_step(
                user, remember=bool(form.remember.data), next_url=request.args.get("next")
            )
            if pending is not None:
                return pending
            lang = session.get("lang")
            session.clear()  # no pre-login session data survives (fixation)
            if lang:
                session["lang"] = lang
            sessions.sign_in(user, remember=bool(form.remember.data))
            flash(_("Welcome, %(name)s.", name=user.full_name), "success")
            # Staff land on their hub of tools; visitors on the public home.
            home = url_for("admin.hub") if user.is_staff else url_for("web.index")
            return redirect(safe_next(request.args.get("next"), home))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout() -> Response:
    # Every session of the account ends, not only this browser's: a copy of this
    # session or remember-me cookie (a shared office PC, a stolen cookie) would
    # otherwise keep working, since the server cannot take a signed cookie back.
    from app.accounts.oidc_views import SIGNED_IN_KEY, provider_logout

    signed_in_through_sso = session.get(SIGNED_IN_KEY)
    services.sign_out(db.session(), current_user)
    logout_user()
    session.clear()
    flash(_("You have signed out on every device."), "info")
    # Signed in through SSO: the provider's session ends too (RP-initiated logout).
    return redirect(provider_logout(signed_in_through_sso) or url_for("web.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_limit("RESET_RATE_LIMIT"), methods=["POST"])
@limiter.limit(_limit("RESET_RATE_LIMIT"), methods=["POST"], key_func=_email_key)
def forgot() -> Any:
    form = EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(
            db.session(),
            form.email.data or "",
            mailer=current_mailer(),
            signer=signer(),
            links=links(),
        )
        flash(
            _("If an account uses this address, a link to reset the password is on its way."),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_limit("RESET_RATE_LIMIT"), methods=["POST"])
def reset(token: str) -> Any:
    max_age = current_app.config["RESET_TOKEN_MAX_AGE"]
    try:
        services.user_for_reset_token(db.session(), token, signer=signer(), max_age=max_age)
    except InvalidToken as exc:
        flash(str(exc.message), "error")
        return redirect(url_for("accounts.forgot"))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            services.reset_password(
                db.session(), token, form.password.data or "", signer=signer(), max_age=max_age
            )
        except InvalidToken as exc:
            flash(str(exc.message), "error")
            return redirect(url_for("accounts.forgot"))
        flash(_("Your password has been changed. Please sign in."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.get("/account")
@login_required
def account() -> Any:
    """The visitor's own pages: requests, services, orders (as features add them)."""
    from app.navigation import account_links

    return render_template("accounts/account.html", links=account_links())


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> Any:
    form = ProfileForm(obj=current_user, prefix="profile")
    if request.method == "GET":
        # Enum members need their plain values in select fields.
        for name in ("id_type", "institution_kind", "education", "gender"):
            value = getattr(current_user, name)
            getattr(form, name).data = value.value if value is not None else None
    password_form = ChangePasswordForm(prefix="password")
    if "profile-submit" in request.form and form.validate_on_submit():
        services.update_profile(db.session(), current_user, form.profile())
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("accounts.profile"))
    if "password-submit" in request.form and password_form.validate_on_submit():
        if services.change_password(
            db.session(),
            current_user,
            password_form.current.data or "",
            password_form.password.data or "",
        ):
            # Every other session of the account has ended; this one goes on.
            sessions.renew(current_user._get_current_object())
            flash(
                _("Your password has been changed. You have been signed out on other devices."),
                "success",
            )
            return redirect(url_for("accounts.profile"))
        password_form.current.errors = [_("The current password is incorrect.")]
    return render_template("accounts/profile.html", form=form, password_form=password_form)


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> Any:
    form = TokenForm()
    created: str | None = None
    if form.validate_on_submit():
        _token, created = services.create_api_token(
            db.session(), current_user, form.name.data or ""
        )
        form = TokenForm(formdata=None)
    return render_template(
        "accounts/tokens.html",
        form=form,
        created=created,
        tokens=current_user.tokens,
        revoke_form=ConfirmForm(),
    )


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        services.revoke_api_token(db.session(), current_user, token_id)
        flash(_("The token has been revoked."), "success")
    return redirect(url_for("accounts.tokens"))

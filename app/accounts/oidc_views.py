"""Sign-in pages of SSO (OpenID Connect): the redirect to the provider, the callback,
and the provider's sign-out after PST's own.

Between the redirect and the callback the session holds only :data:`PENDING_KEY` (the
``state``, ``nonce`` and PKCE verifier, taken out at the callback: each works once).
Every refusal — a tampered, replayed or expired answer, a person without a staff role,
a provider out of reach — is one :class:`~app.accounts.oidc_errors.SsoError`: audited
(``account.sso_refused`` with its reason code), shown as a page in words with its
status, counted by the sign-in rate limit like a wrong password. Never a 500.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlsplit

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
from werkzeug.wrappers import Response

from app import audit, security, sessions
from app.accounts import oidc, oidc_errors, oidc_identity, oidc_provider, oidc_settings
from app.accounts.services import sso
from app.clock import now
from app.config import set_defaults
from app.extensions import db, limiter
from app.urls import external_url

log = logging.getLogger(__name__)

bp = Blueprint("sso", __name__)

#: ``{"state", "nonce", "verifier", "next", "at"}`` between the redirect and the callback.
PENDING_KEY = "_sso_pending"
#: Set in a session signed in through SSO: ``{"hint": <ID token or "">}`` for sign-out.
SIGNED_IN_KEY = "_sso"
#: How long the person may take at the provider's sign-in page.
PENDING_SECONDS = 600
#: Longest ``code`` or ``state`` taken from the callback's address.
MAX_PARAM = 2048
#: A larger ID token is not kept for sign-out (the session is a cookie of ~4 kB).
MAX_HINT = 1800
_EXTENSION = "pst.sso"

audit.label_actions(
    {
        "account.sso_refused": _l("Sign-in through SSO refused"),
        "account.sso_linked": _l("Account linked to SSO"),
        "account.sso_created": _l("Account created through SSO"),
    },
    {"method": _l("Method")},
    {
        "why": {
            "sso": _l("Roles at SSO"),
            "state": _l("The answer belongs to no sign-in started here"),
            "signature": _l("Bad signature"),
            "nonce": _l("Wrong nonce"),
            "expired": _l("Token expired"),
            "audience": _l("Token meant for another application"),
            "issuer": _l("Token from another issuer"),
            "code": _l("Code used, expired or not ours"),
            "no_role": _l("No PST staff role"),
            "no_verified_email": _l("No verified email address"),
            "unavailable": _l("SSO service unreachable"),
            "cancelled": _l("Cancelled at SSO"),
            "issued_in_future": _l("Token issued in the future"),
            "no_id_token": _l("No ID token"),
            "token": _l("Token unreadable or unsigned"),
            "userinfo_subject": _l("Userinfo about another person"),
            "discovery": _l("SSO service unreachable"),
            "jwks": _l("SSO keys unreadable"),
            "token_endpoint": _l("SSO token service failed"),
            "insecure_endpoint": _l("SSO address not secure"),
            "issuer_mismatch": _l("SSO discovery names another issuer"),
            "algorithms": _l("No signature algorithm accepted"),
            "pkce": _l("SSO without PKCE"),
            "inactive": _l("Account switched off"),
            "link_conflict": _l("Address linked to another SSO account"),
        }
    },
)


def current_settings() -> oidc_settings.Settings:
    return current_app.extensions[_EXTENSION]  # type: ignore[no-any-return]


def _limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _redirect_uri() -> str:
    return external_url("sso.callback")


def _fresh_session() -> None:
    lang = session.get("lang")
    session.clear()  # nothing of the session before survives (fixation)
    if lang:
        session["lang"] = lang


def _refuse(exc: oidc_errors.SsoError, *, user_id: int | None = None) -> Any:
    sso.record_refusal(db.session(), exc.reason, user_id=user_id)
    log.info("sso sign-in refused: %s", exc.reason)
    return render_template("accounts/sso_refused.html", message=exc.message), exc.status


@bp.get("/login/sso")
@limiter.limit(_limit)
def start() -> Any:
    settings = current_settings()
    if not settings.enabled:
        abort(404)
    try:
        provider = oidc_provider.discover(settings)
    except oidc_errors.SsoError as exc:
        return _refuse(exc)
    pending = oidc.new_pending()
    session[PENDING_KEY] = {
        **oidc.pending_to_session(pending),
        "next": request.args.get("next") or "",
        "at": int(time.time()),
    }
    return redirect(oidc.authorization_url(settings, provider, pending, _redirect_uri()))


@bp.get("/login/sso/callback")
@limiter.limit(_limit)
def callback() -> Any:
    settings = current_settings()
    if not settings.enabled:
        abort(404)
    data = session.pop(PENDING_KEY, None)  # one use, whatever happens next
    next_url = str(data.get("next") or "") if isinstance(data, dict) else ""
    identity: oidc_identity.Identity | None = None
    try:
        pending = oidc.check_state(
            oidc.pending_from_session(data), _param("state") if data else None
        )
        started = data.get("at") if isinstance(data, dict) else None
        if not isinstance(started, int) or time.time() - started > PENDING_SECONDS:
            raise oidc_errors.SsoRejected("expired")
        if request.args.get("error"):  # the person cancelled, or the provider refused
            raise oidc_errors.SsoCancelled()
        code = _param("code")
        if not code:
            raise oidc_errors.SsoRejected("code")
        provider = oidc_provider.discover(settings)
        answered_by = request.args.get("iss")  # RFC 9207, against mix-up attacks
        if answered_by is not None and answered_by != provider.issuer:
            raise oidc_errors.SsoRejected("issuer")
        identity = oidc.sign_in(
            settings, provider, pending, code=code, redirect_uri=_redirect_uri(), now=now()
        )
        user = sso.sign_in_with_sso(db.session(), identity, now=now)
    except oidc_errors.SsoNoRole as exc:
        withdrawn = None
        if identity is not None:
            withdrawn = sso.withdraw_staff_role(db.session(), identity.issuer, identity.subject)
        return _refuse(exc, user_id=withdrawn.id if withdrawn else None)
    except oidc_errors.SsoError as exc:
        return _refuse(exc)
    return _signed_in(settings, identity, user, next_url)


def _param(name: str) -> str | None:
    value = request.args.get(name)
    if value is None or len(value) > MAX_PARAM:
        return None
    return value


def _signed_in(
    settings: oidc_settings.Settings, identity: oidc_identity.Identity, user: Any, next_url: str
) -> Any:
    from app.accounts.totp_views import PASSED_KEY, second_step
    from app.accounts.views import safe_next

    hint = identity.id_token if len(identity.id_token) <= MAX_HINT else ""
    if oidc_identity.skips_local_totp(settings, identity):
        _fresh_session()
        sessions.sign_in(user, remember=False)
        session[PASSED_KEY] = True  # the provider's sign-in stands for the second factor
    else:
        pending = second_step(user, remember=False, next_url=next_url or None)
        if pending is not None:
            return pending
        _fresh_session()
        sessions.sign_in(user, remember=False)
    session[SIGNED_IN_KEY] = {"hint": hint}
    flash(_("Welcome, %(name)s.", name=user.full_name), "success")
    home = url_for("admin.hub") if user.is_staff else url_for("web.index")
    return redirect(safe_next(next_url or None, home))


def provider_logout(saved: object) -> str | None:
    """Where to send a browser that signed out of PST after signing in through SSO:
    the provider's end-session endpoint (RP-initiated logout), or None."""
    settings = current_settings()
    if not isinstance(saved, dict) or not settings.enabled:
        return None
    try:
        provider = oidc_provider.discover(settings)
    except oidc_errors.SsoError:
        return None  # signed out of PST; the provider's session ends on its own
    hint = saved.get("hint")
    return oidc.logout_url(
        settings,
        provider,
        id_token=hint if isinstance(hint, str) and hint else None,
        return_to=external_url("web.index"),
    )


def _sso_label() -> str | None:
    settings = current_settings()
    return settings.button_label if settings.enabled else None


def _csp_with_provider(response: Response) -> Response:
    """Every page's sign-out form may end at the provider (RP-initiated logout), and a
    browser applies the page's ``form-action`` to where the form's answer redirects:
    the provider's origin is allowed there, and only there."""
    settings = current_settings()
    if settings.enabled and settings.issuer:
        parts = urlsplit(settings.issuer)
        origin = f"{parts.scheme}://{parts.netloc}"
        response.headers.setdefault(
            "Content-Security-Policy",
            security.CSP.replace("form-action 'self'", f"form-action 'self' {origin}"),
        )
    return response


def init_app(app: Flask) -> None:
    set_defaults(app, oidc_settings.SETTINGS)
    app.extensions[_EXTENSION] = oidc_settings.settings_from(
        app.config
    )  # a bad map stops the start
    app.register_blueprint(bp)
    app.add_template_global(_sso_label, "sso_label")
    # Runs before app.security's headers (after_request runs the last registered first).
    app.after_request(_csp_with_provider)

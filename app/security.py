"""HTTP hardening: security headers on every response, proxy trust, request size.

The CSP allows only this origin: templates load no third-party script, style or
font, and inline script is not used (so no 'unsafe-inline').
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from app import edge
from app.errors import NullCharacter
from app.extensions import csrf

CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _headers(response: Response) -> Response:
    h = response.headers
    h.setdefault("Content-Security-Policy", CSP)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype == "text/html":
        # Pages show personal data; shared office PCs must not keep them.
        h.setdefault("Cache-Control", "no-store")
    return response


def allow_large_body(app: Flask, endpoint: str, config_key: str) -> None:
    """Let one endpoint (an upload) take bodies up to ``config[config_key]`` bytes."""
    app.extensions.setdefault("pst.body_limits", {})[endpoint] = config_key


def allow_reading_post(app: Flask, endpoint: str) -> None:
    """Take POSTs to ``endpoint`` without a CSRF token: a protocol endpoint whose POST
    only reads (OAI-PMH allows POST for long arguments) and that machines without a
    session call; with nothing changed, a forged request gains nothing."""
    app.extensions.setdefault("pst.reading_posts", set()).add(endpoint)


def _body_limit() -> None:
    # Runs before anything reads the body (the CSRF check reads the form), so the
    # larger limit of an upload endpoint applies from the first byte.
    limits = current_app.extensions.get("pst.body_limits", {})
    key = limits.get(request.endpoint or "")
    if key:
        request.max_content_length = int(current_app.config[key]) + 1024 * 1024


def _refuse_null_characters() -> None:
    """Refuse a request whose query, form fields or JSON hold a NUL, before any view or
    service sees it (it changes nothing). Uploaded files are not text and are left to
    the checks of the feature that takes them."""
    if any("\x00" in k or "\x00" in v for k, v in request.args.items(multi=True)):
        raise NullCharacter()
    if request.method in _SAFE:
        return
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # A multipart part without a name has the key None: checked as text like the rest.
        if any(
            "\x00" in (k or "") or "\x00" in (v or "") for k, v in request.form.items(multi=True)
        ):
            raise NullCharacter()
    elif request.is_json:
        body = request.get_data(cache=True)
        if b"\x00" in body or b"\\u0000" in body:
            raise NullCharacter()


def _csrf_unless_api() -> None:
    # Bearer tokens, not cookies, authenticate the API: no ambient credential for a
    # cross-site request to ride on, so CSRF tokens add nothing there. Everything
    # else (every HTML form) is checked.
    if request.method in _SAFE or request.path.startswith("/api/"):
        return
    if request.routing_exception is not None:  # a 404 or 405 should say so, not "CSRF"
        return
    if request.endpoint in ANONYMOUS_WITHOUT_CSRF and not current_user.is_authenticated:
        return
    if request.endpoint in current_app.extensions.get("pst.reading_posts", ()):
        return
    csrf.protect()


#: Endpoints that change nothing but a cookie of an anonymous visitor (the language
#: switch): their forms sit on pages cached whole for every visitor, so they carry no
#: token; signed in, the same endpoint saves the profile and the token is checked.
ANONYMOUS_WITHOUT_CSRF = frozenset({"web.language"})


_SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def init_app(app: Flask) -> None:
    app.before_request(_body_limit)
    app.before_request(_refuse_null_characters)
    app.before_request(_csrf_unless_api)
    edge.init_app(app)  # the int converter first: blueprints are registered after this
    app.after_request(_headers)
    hops = int(app.config.get("TRUST_PROXY_HOPS") or 0)
    if hops:
        # Behind a reverse proxy: trust exactly that many X-Forwarded-* hops, so rate
        # limits and audit trails see the visitor's address, not the proxy's.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops
        )
    if app.config.get("COOKIE_SECURE"):
        # Tell browsers to stay on HTTPS once they have seen it.
        app.after_request(_hsts)


def _hsts(response: Response) -> Response:
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response

"""The root of every package's exception tree and its one mapping to HTTP.

Services raise subclasses of :class:`PSTError` (never ``abort()``); this module turns
them, and Werkzeug's HTTP errors, into a page in the visitor's language or an
``application/problem+json`` body under ``/api/``.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


class PSTError(Exception):
    """Base of every domain error. ``status`` is the HTTP status it maps to."""

    status = 400
    message: Any = _l("The request could not be processed.")

    def __init__(self, message: Any = None, **detail: Any) -> None:
        if message is not None:
            self.message = message
        self.detail = detail
        # Kept lazy: translating here would pick the visitor's language, which may load
        # the signed-in user from a session whose failed flush is not yet rolled back.
        super().__init__(self.message)


class NullCharacter(PSTError):
    """A null character (NUL, U+0000) in a form field, query or JSON value: no text a
    person types holds one, PostgreSQL cannot store it in text, and a database error
    would log the other values (NIK, phone) with it."""

    status = 400
    message = _l(
        "What was sent contains a null character, which cannot be saved. Remove it and send again."
    )


class NotFound(PSTError):
    status = 404
    message = _l("The page or record was not found.")


class Forbidden(PSTError):
    status = 403
    message = _l("You are not allowed to do this.")


class Conflict(PSTError):
    status = 409
    message = _l("This conflicts with the current state of the record.")


_TITLES = {
    400: _l("Bad request"),
    401: _l("Sign-in required"),
    403: _l("Forbidden"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Request too large"),
    415: _l("Unsupported media type"),
    422: _l("Invalid input"),
    429: _l("Too many requests"),
    500: _l("Server error"),
    503: _l("Service unavailable"),
}

_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Please sign in, or send a valid API token."),
    403: _l("You are not allowed to do this."),
    404: _l("The page or record was not found."),
    405: _l("This address does not accept that method."),
    413: _l("The upload or request body is larger than allowed."),
    415: _l("The request body has an unsupported type."),
    422: _l("Some fields are invalid."),
    429: _l("Too many attempts. Please wait a moment and try again."),
    500: _l("Something went wrong on our side. The problem has been logged."),
    503: _l("The service is temporarily unavailable."),
}


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, detail: Any = None, **extra: Any) -> Response:
    """An RFC 9457 problem document."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(_TITLES.get(status, _l("Error"))),
        "status": status,
        "detail": str(detail if detail is not None else _MESSAGES.get(status, "")),
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _handle_csrf(exc: CSRFError) -> Any:
    # An expired or missing form token is the visitor's everyday problem (a form left
    # open overnight), not a malformed request: say what to do.
    message = _l(
        "The form has expired or was sent from elsewhere. Please reload the page and try again."
    )
    if is_api_request():
        return problem(400, message)
    return _page(400, message)


def _page(status: int, detail: Any = None) -> tuple[str, int]:
    return (
        render_template(
            "errors/error.html",
            status=status,
            title=_TITLES.get(status, _l("Error")),
            message=detail if detail is not None else _MESSAGES.get(status, ""),
        ),
        status,
    )


def handle_http(exc: HTTPException) -> Any:
    status = exc.code or 500
    if is_api_request():
        extra: dict[str, Any] = {}
        # flask-smorest attaches webargs' field messages here on 422.
        data = getattr(exc, "data", None)
        if isinstance(data, dict) and "messages" in data:
            extra["errors"] = _str_keys(data["messages"])
        detail = _MESSAGES.get(status) if status >= 500 else _api_detail(exc)
        response = problem(status, detail, **extra)
    else:
        body, _status = _page(status)
        response = Response(body, status=status, mimetype="text/html")
    # Keep what the exception says about the protocol: WWW-Authenticate on 401,
    # Allow on 405, Retry-After on 429.
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _str_keys(messages: Any) -> Any:
    # A multipart part without a name is reported under the key None, which JSON
    # cannot sort among strings.
    if isinstance(messages, dict):
        return {("" if k is None else str(k)): _str_keys(v) for k, v in messages.items()}
    return messages


def _api_detail(exc: HTTPException) -> Any:
    # Werkzeug's default English descriptions are replaced by ours in the user's
    # language; a description set on purpose by our code is kept.
    default = type(exc).description
    if exc.description and exc.description != default:
        return exc.description
    return _MESSAGES.get(exc.code or 400)


def _handle_domain(exc: PSTError) -> Any:
    if is_api_request():
        # A service's error about one input names it (``field=``): report it where
        # flask-smorest reports a schema's field messages.
        field = exc.detail.get("field")
        errors = {"json": {field: [str(exc.message)]}} if isinstance(field, str) else None
        return problem(exc.status, exc.message, errors=errors)
    return _page(exc.status, exc.message)


def _unstorable(exc: Exception) -> bool:
    """A value the database or the driver cannot hold: a number out of range, a text
    longer than its column, a date past year 9999."""
    from sqlalchemy.exc import DataError, StatementError

    if isinstance(exc, OverflowError | DataError):
        return True
    return isinstance(exc, StatementError) and isinstance(exc.orig, OverflowError)


def _handle_unstorable(exc: Exception) -> Any:
    # A safety net behind the bounds of forms, schemas and app.edge: the visitor's value
    # is refused (422), not reported as our failure. The SQL and its values are not
    # logged (they may hold a NIK or a phone); the error's kind is enough to find the
    # field that lacks a bound.
    from app import uow
    from app.extensions import db

    uow.discard(db.session())
    orig = getattr(exc, "orig", None) or exc
    log.warning(
        "a value could not be stored on %s %s (%s)",
        request.method,
        request.path,
        type(orig).__name__,
    )
    message = _l("A value is too long or out of range. Check the fields and send again.")
    if is_api_request():
        return problem(422, message)
    return _page(422, message)


def _handle_unexpected(exc: Exception) -> Any:
    if _unstorable(exc):
        return _handle_unstorable(exc)
    log.exception("unhandled error on %s %s", request.method, request.path)
    if is_api_request():
        return problem(500)
    try:
        return _page(500)
    except Exception:  # the error page itself failed: fall back to plain text
        return _("Server error"), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(PSTError, _handle_domain)
    app.register_error_handler(InternalServerError, _handle_unexpected)
    app.register_error_handler(Exception, _handle_unexpected)

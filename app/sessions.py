"""Sessions that end: a per-account session version, idle expiry, remember-me rules.

Sessions are signed cookies, so the server cannot delete one; instead every session and
remember-me cookie carries the account's ``session_version`` (``User.get_id`` returns
``"<id>:<version>"``) and :func:`load_user` refuses any other version. Raising the
version (sign-out, password change or reset, role change, deactivation — see
:mod:`app.accounts.services`) therefore ends every session of the account, on every
device, including copies of a cookie someone kept.

A signed-in session also ends after ``SESSION_IDLE_MINUTES`` without a request (its
last-seen time is in the signed cookie, refreshed at most once a minute). A visitor who
ticked "keep me signed in" is then signed in again by the remember-me cookie, which lasts
``REMEMBER_COOKIE_DAYS`` from sign-in; staff accounts never get one, so an unattended
staff session always ends.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from flask import Flask, current_app, request, session
from flask_login import login_user
from flask_login.utils import decode_cookie
from sqlalchemy.orm import undefer

from app.accounts.models import User
from app.extensions import db, login_manager

#: Session key of the last request's time (whole seconds since the epoch).
SEEN_KEY = "_seen"
#: Keys of a signed-in session. Flask-Login's ``_id`` (the browser's fingerprint for
#: session protection) stays: without it the remember-me cookie would be cleared too.
LOGIN_KEYS = ("_user_id", "_fresh", SEEN_KEY)
# Re-signing the cookie on every request would send a Set-Cookie each time; a minute is
# far below any idle limit.
_TOUCH_SECONDS = 60
_MAX_ID = 2**31 - 1  # an INTEGER column: a larger id cannot exist (and PG would refuse it)


def _now() -> int:
    """Whole seconds since the epoch (tests move this clock)."""
    return int(time.time())


@cache
def _load_options() -> tuple[Any, ...]:
    # Made once: building the loader option cost a sixth of the user's load.
    return (undefer(User.session_version),)


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the account of a session or remember-me cookie, if the
    cookie's version is the account's current one and the account is active.

    An id without a version (a cookie from before versions existed) is refused."""
    ident, sep, version = user_id.partition(":")
    if not sep or not ident.isdigit() or not version.isdigit():
        return None
    number = int(ident)
    if number > _MAX_ID:
        return None
    user = db.session.get(User, number, options=_load_options())
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def may_remember(user: User) -> bool:
    """Only visitors get a remember-me cookie: a staff session must end when left alone."""
    return not user.is_staff


def sign_in(user: User, *, remember: bool) -> None:
    """Start a session for ``user`` in this browser (the caller cleared the old one)."""
    login_user(user, remember=remember and may_remember(user))
    session[SEEN_KEY] = _now()


def renew(user: User) -> None:
    """Keep this browser signed in after its own account's version was raised (its
    owner changed the password here): a new session, and a new remember-me cookie if it
    had one for this account; every other session stays ended."""
    name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    cookie = request.cookies.get(name)
    remembered = decode_cookie(cookie) if cookie else None
    had_cookie = bool(remembered) and str(remembered).partition(":")[0] == str(user.id)
    sign_in(user, remember=had_cookie)


def expire_idle() -> None:
    """End a signed-in session idle for longer than ``SESSION_IDLE_MINUTES``.

    Only the sign-in keys go (the language and CSRF token stay); a valid remember-me
    cookie then signs a visitor in again."""
    if "_user_id" not in session:
        return
    now = _now()
    limit = int(current_app.config["SESSION_IDLE_MINUTES"]) * 60
    seen = session.get(SEEN_KEY)
    if isinstance(seen, int) and limit > 0 and now - seen > limit:
        for key in LOGIN_KEYS:
            session.pop(key, None)
        return
    if not isinstance(seen, int) or now - seen >= _TOUCH_SECONDS:
        session[SEEN_KEY] = now


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    app.before_request(expire_idle)

"""Site-wide pages: the home page and the language switch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app import clock
from app.accounts import services
from app.accounts.forms import LanguageForm
from app.extensions import db
from app.i18n import LANG_COOKIE, LOCALES
from app.urls import fixed_url

bp = Blueprint("web", __name__)
bp.add_app_template_global(fixed_url)


@bp.get("/")
def index() -> Any:
    from catalog.cards import newest

    return render_template("index.html", newest=newest(db.session(), clock.now(), 4))


@bp.post("/language")
def language() -> Response:
    """Switch the language; the choice sticks in a cookie and, when signed in, the profile."""
    from app.accounts.views import safe_next

    # Anonymous, the switch only sets a cookie and its form carries no token (see
    # app.security.ANONYMOUS_WITHOUT_CSRF); signed in, the token is checked.
    form = LanguageForm() if current_user.is_authenticated else LanguageForm(meta={"csrf": False})
    lang = form.lang.data if form.validate_on_submit() else None
    target = safe_next(form.next.data, url_for("web.index"))
    response = redirect(target)
    if lang in LOCALES:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
        if current_user.is_authenticated:
            services.set_locale(db.session(), current_user, lang)
    return response

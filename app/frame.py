"""The frame every page repeats, rendered once and kept.

``base.html``'s header navigation and footer (``_frame.html``) hold two dozen translated
strings and links and are the same for every visitor of a kind: they are rendered once
per language, script root, office name and address and kind of visitor (anonymous,
signed in, staff) and kept in the app (a handful of variants). What differs between
visitors of a kind stays out of them: the signed-in visitor's name and the language
switch are in ``base.html``, and the sign-out form's CSRF token, the one per-visitor
value inside, is kept as a mark and filled in for each request. So a kept part never
shows one visitor anything of another's.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from jinja2.runtime import Context
from jinja2.utils import pass_context
from markupsafe import Markup, escape

TEMPLATE = "_frame.html"
#: Stands for the visitor's CSRF token in a kept part (no HTML or token contains it).
CSRF_MARK = "\x00pst-csrf\x00"
MAX_PARTS = 256  # variants kept per app (parts × languages × kinds: about a dozen)
_PARTS = "pst.frame_parts"


def _render(context: Context, name: str, **values: Any) -> str:
    module = context.environment.get_template(TEMPLATE).make_module({**context.get_all(), **values})
    return str(getattr(module, name)())


@pass_context
def frame_part(context: Context, name: str) -> Markup:
    """The macro ``name`` of ``_frame.html`` as this visitor's kind sees it."""
    if not has_request_context():  # a page rendered by a worker: rendered, not kept
        return Markup(_render(context, name))  # noqa: S704 - a template's own output
    user = context.get("current_user")
    signed_in = bool(user is not None and user.is_authenticated)
    config = current_app.config
    key = (
        name,
        str(get_locale()),
        request.script_root,
        signed_in,
        bool(signed_in and user.is_staff),
        config.get("OFFICE_NAME"),
        config.get("OFFICE_EMAIL"),
    )
    parts: dict[tuple[Any, ...], str] = current_app.extensions[_PARTS]
    html = parts.get(key)
    if html is None:
        html = _render(context, name, csrf_token=lambda: Markup(CSRF_MARK))  # noqa: S704
        if len(parts) >= MAX_PARTS:
            parts.clear()
        parts[key] = html
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, str(escape(generate_csrf())))
    return Markup(html)  # noqa: S704 - a template's own output, the token escaped


def init_app(app: Flask) -> None:
    app.extensions[_PARTS] = {}
    app.jinja_env.globals["frame_part"] = frame_part

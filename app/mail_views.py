"""The admins' page of outgoing mail: what waits, what went, what failed and why,
with "send again" for a failed message."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app import mail_queue
from app.accounts.forms import ConfirmForm
from app.accounts.models import Role
from app.auth import roles_required
from app.extensions import db
from app.pagination import offset, page_count, page_number

bp = Blueprint("mail_admin", __name__, url_prefix="/staff/mail")

PAGE_SIZE = 50


def _page() -> int:
    return page_number(request.args.get("page"))


@bp.get("")
@roles_required(Role.ADMIN)
def messages() -> Any:
    state = request.args.get("state") or ""
    state = state if state in mail_queue.STATES else ""
    page = _page()
    rows, total = mail_queue.recent(
        db.session(), state=state or None, limit=PAGE_SIZE, offset=offset(page, PAGE_SIZE)
    )
    return render_template(
        "admin/mail.html",
        messages=rows,
        state=state,
        counts=mail_queue.counts(db.session()),
        page=page,
        pages=page_count(total, PAGE_SIZE),
        form=ConfirmForm(),
    )


@bp.post("/<int:message_id>/send-again")
@roles_required(Role.ADMIN)
def send_again(message_id: int) -> Response:
    form = ConfirmForm()
    if form.validate_on_submit():
        mail_queue.send_again(db.session(), message_id, actor_id=current_user.id)
        flash(_("The message is queued to be sent again."), "success")
    return redirect(url_for("mail_admin.messages", state=request.args.get("state") or None))

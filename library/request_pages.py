"""What the pages of readers' requests share, for the library's desk and for scanning:
an officer declines a request with a reason the reader is told."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock, waiting
from app.extensions import db
from library.desk_forms import DeclineForm
from library.errors import IllegalTransition


def decline_request(
    decline: Callable[..., Any], request_id: int, detail: str, page: Callable[..., Any]
) -> Any:
    """An officer declines a reader's request (softcopy or scan) with a reason."""
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            decline(
                db.session(),
                request_id,
                reason=form.reason.data,
                actor_id=current_user.id,
                now=clock.now(),
            )
        except (IllegalTransition, waiting.JobRunning) as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("The request has been declined; the reader has been told by email."), "success")
        return redirect(url_for(detail, request_id=request_id))
    return page(request_id, decline_form=form, status=422)

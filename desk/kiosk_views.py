"""Pages around the kiosk gate: the receptionist's list of kiosk devices (enrol this
browser, revoke one) and the link that confirms an address typed at the kiosk.

Routes join the desk blueprint on import (like :mod:`desk.staff_views`).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.auth import roles_required
from app.extensions import db, limiter
from app.flashing import flashed
from desk import guestbook, kiosk_devices, mails
from desk.errors import DeskError, EmailLinkInvalid
from desk.forms import ActionForm, ConfirmEmailForm, KioskEnrolForm
from desk.http import RECEPTION, current_device, desk_settings, from_office_network, set_cookie
from desk.views import bp


def _devices_page(form: KioskEnrolForm, status: int = 200) -> Any:
    return render_template(
        "desk/kiosk_devices.html",
        form=form,
        revoke_form=ActionForm(formdata=None),
        devices=kiosk_devices.devices(db.session()),
        this_device=current_device(),
        office_network=from_office_network(),
    ), status


@bp.route("/staff/desk/kiosks", methods=["GET", "POST"])
@roles_required(*RECEPTION)
def kiosk_devices_page() -> Any:
    form = KioskEnrolForm()
    if not form.is_submitted():
        return _devices_page(form)
    if not form.validate():
        return _devices_page(form, 422)
    _device, cookie = kiosk_devices.enrol(
        db.session(),
        name=form.name.data,
        actor_id=current_user.id,
        now=clock.now(),
        secret_key=current_app.config["SECRET_KEY"],
    )
    flash(_("This browser is now an enrolled kiosk."), "success")
    response = redirect(url_for("desk.kiosk_home"))
    set_cookie(response, cookie)
    return response


@bp.post("/staff/desk/kiosks/<int:device_id>/revoke")
@roles_required(*RECEPTION)
def kiosk_device_revoke(device_id: int) -> Any:
    if ActionForm().validate_on_submit():
        device = kiosk_devices.revoke(
            db.session(), device_id, actor_id=current_user.id, now=clock.now()
        )
        flash(_("The kiosk device “%(name)s” was revoked.", name=device.name), "success")
    return redirect(url_for("desk.kiosk_devices_page"))


@bp.route("/desk/confirm-email/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["DESK_LOOKUP_RATE_LIMIT"], methods=["POST"])
def confirm_email(token: str) -> Any:
    """A GET only shows the question (mail scanners follow links); the POST confirms."""
    found = mails.read_confirm_token(token, secret_key=desk_settings().secret_key)
    if found is None:
        raise EmailLinkInvalid()
    user_id, address = found
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        with flashed(DeskError) as outcome:
            guestbook.confirm_email(db.session(), user_id, address, now=clock.now())
        if outcome.error is not None:
            return render_template(
                "desk/confirm_email.html", form=form, address=address, confirmed=False
            ), outcome.error.status
        return render_template(
            "desk/confirm_email.html", form=form, address=address, confirmed=True
        )
    return render_template("desk/confirm_email.html", form=form, address=address, confirmed=False)

"""The guest book's steps, shared by the kiosk (the visitor signs themselves in) and the
reception (the receptionist signs a visitor in): look the visitor up, register a new one
or take a returning one's services, ask for consent to the privacy notice where it is
needed, and issue the numbers. ``mode`` is ``kiosk`` or ``reception``; the routes and
their access checks are in :mod:`desk.views`.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.accounts.models import User
from app.accounts.privacy_forms import notice_number
from app.accounts.services import consent as privacy
from app.accounts.services.consent import UnknownNotice
from app.extensions import db
from app.flashing import flashed
from app.i18n import current_locale
from desk import guestbook, queue
from desk.errors import DeskError
from desk.forms import (
    LookupForm,
    NewVisitorForm,
    ReturningVisitForm,
    opened_at,
    sign,
    sign_moment,
    staff_wording,
    unsign,
)
from desk.http import current_device, desk_settings
from desk.models import Channel, Purpose

VISITOR_MAX_AGE = 30 * 60  # a looked-up visitor must finish within half an hour


def layout(mode: str) -> str:
    return "desk/screen.html" if mode == "kiosk" else "desk/page.html"


def endpoint(mode: str, step: str) -> str:
    return f"desk.{mode}_{step}"


def worded(mode: str, form: Any) -> Any:
    """The receptionist's forms ask about "the visitor", the kiosk's about "you"."""
    return staff_wording(form) if mode == "reception" else form


def lookup(mode: str) -> Any:
    form = worded(mode, LookupForm())
    if request.method == "GET":
        form.started.data = sign_moment(clock.now())
        return render_template(
            "desk/guestbook_lookup.html", form=form, mode=mode, layout=layout(mode)
        )
    if not form.validate_on_submit():
        return render_template(
            "desk/guestbook_lookup.html", form=form, mode=mode, layout=layout(mode)
        ), 422
    started = form.started.data or sign_moment(clock.now())
    # At the kiosk an address finds an account only once its owner confirmed it.
    visitor = guestbook.lookup(db.session(), form.key.data, confirmed_email=mode == "kiosk")
    if visitor is not None and mode == "kiosk":
        device = current_device()
        guestbook.note_kiosk_lookup(db.session(), visitor, device.id if device else None)
    if visitor is None:
        new_form = worded(mode, NewVisitorForm(formdata=None))
        new_form.started.data = started
        key = form.key.data
        if "@" in key:
            new_form.email.data = key.lower()
        elif key.replace(" ", "").replace("-", "").lstrip("+").isdigit() and len(key) < 16:
            new_form.phone.data = key
        else:
            new_form.id_number.data = key.upper().replace(" ", "")
        return render_template(
            "desk/guestbook_new.html",
            form=new_form,
            mode=mode,
            layout=layout(mode),
            not_found=True,
        )
    visit_form = worded(mode, ReturningVisitForm(formdata=None))
    visit_form.visitor.data = sign("visitor", visitor.id)
    visit_form.started.data = started
    return render_template(
        "desk/guestbook_visit.html", form=visit_form, **_visit_context(mode, visitor)
    )


def new_visitor(mode: str) -> Any:
    form = worded(mode, NewVisitorForm())
    if request.method == "GET":
        form.started.data = sign_moment(clock.now())
        return render_template("desk/guestbook_new.html", form=form, mode=mode, layout=layout(mode))
    if not form.validate_on_submit():
        return render_template(
            "desk/guestbook_new.html", form=form, mode=mode, layout=layout(mode)
        ), 422
    return _sign_in(
        mode,
        form,
        "desk/guestbook_new.html",
        profile=form.profile(),
        email=form.email.data or None,
        consent=guestbook.Consented(notice_number(form.notice)),
    )


def returning_visitor(mode: str) -> Any:
    form = worded(mode, ReturningVisitForm())
    user_id = unsign("visitor", form.visitor.data, VISITOR_MAX_AGE)
    if user_id is None:
        again = (
            _("Please look the visitor up again.")
            if mode == "reception"
            else _("Please look yourself up again.")
        )
        flash(again, "error")
        return redirect(url_for(endpoint(mode, "lookup")))
    visitor = db.session.get(User, user_id)
    ask = _asks_consent(visitor)
    valid = form.validate_on_submit()
    if not (valid and (not ask or form.require_consent())):
        return render_template(
            "desk/guestbook_visit.html", form=form, **_visit_context(mode, visitor)
        ), 422
    consent = guestbook.Consented(notice_number(form.notice)) if ask else None
    return _sign_in(mode, form, "desk/guestbook_visit.html", user_id=int(user_id), consent=consent)


def _asks_consent(visitor: User | None) -> bool:
    """A returning visitor who has not agreed to the current privacy notice (a new
    version since their last visit, or none yet) is asked on the guest book's form, as
    the website asks at the next request."""
    return visitor is not None and privacy.must_ask(db.session(), visitor)


def _visit_context(mode: str, visitor: User | None) -> dict[str, Any]:
    """What the returning visitor's page shows besides its form."""
    return {
        "mode": mode,
        "layout": layout(mode),
        "masked": guestbook.mask_name(visitor.full_name if visitor else ""),
        "visitor": visitor if mode == "reception" else None,
        "ask_consent": _asks_consent(visitor),
        # Asked again after a new version, or for the first time (a visitor from before
        # the notice): the page says which.
        "agreed_before": visitor is not None
        and privacy.agreed_number(db.session(), visitor.id) is not None,
    }


def _sign_in(mode: str, form: Any, template: str, **who: Any) -> Any:
    now = clock.now()
    staff = mode == "reception"
    with flashed(DeskError, UnknownNotice) as outcome:
        signed = guestbook.sign_in(
            db.session(),
            now=now,
            opened_at=opened_at(form.started.data),
            channel=Channel.RECEPTION if staff else Channel.KIOSK,
            services=form.services.data,
            purpose=Purpose(form.purpose.data),
            need=form.need.data or "",
            appointment_code=form.appointment_code.data or None,
            receptionist_id=current_user.id if staff else None,
            locale=current_locale(),
            staff=staff,
            settings=desk_settings(),
            **who,
        )
    if outcome.error is not None:
        context: dict[str, Any] = {"mode": mode, "layout": layout(mode)}
        if "user_id" in who:
            context = _visit_context(mode, db.session.get(User, who["user_id"]))
        return render_template(template, form=form, **context), outcome.error.status
    _flash_numbers(signed.numbers, staff=staff)
    if signed.email_to_confirm:
        flash(
            _(
                "We are sending a link to %(email)s: the address joins your account once "
                "you follow it.",
                email=signed.email_to_confirm,
            ),
            "info",
        )
    first = signed.ticket
    return redirect(url_for("desk.ticket", token=first.token, kiosk=1 if not staff else None))


def _flash_numbers(numbers: list[queue.Issued], *, staff: bool) -> None:
    """Say which numbers were given: each new one, and each the visitor already had
    (to the visitor at the kiosk, about the visitor at the reception)."""
    for issued in numbers:
        ticket = issued.ticket
        words = {
            "number": ticket.number,
            "service": queue.SERVICE_LABELS[ticket.service],
            "status": queue.STATUS_LABELS[ticket.status],
        }
        if not issued.reused:
            flash(_("Number %(number)s issued for %(service)s.", **words), "success")
        elif staff:
            message = _(
                "The visitor already has number %(number)s for %(service)s (%(status)s); "
                "it is shown again. No second number was taken.",
                **words,
            )
            flash(message, "info")
        else:
            message = _(
                "You already have number %(number)s for %(service)s (%(status)s); here it "
                "is again. No second number was taken.",
                **words,
            )
            flash(message, "info")
    if len(numbers) > 1:
        if staff:
            message = _(
                "The visitor has one number for each service chosen. Each queue calls them "
                "separately; while they are at one desk, their other numbers keep their place."
            )
        else:
            message = _(
                "You have one number for each service you chose. Each queue calls you "
                "separately; while you are at one desk, your other numbers keep their place."
            )
        flash(message, "info")

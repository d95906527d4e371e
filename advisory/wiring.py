"""Plugs the advisory services into an app: config defaults, pages, the reminder job
and the CLI (``pst advisory remind``). The API blueprint is :data:`advisory.api.blp`."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role
from app.config import set_defaults
from app.navigation import account_link, staff_link
from app.security import allow_large_body

DEFAULTS: dict[str, Any] = {
    # SOP-1-03: consultations and data requests are answered within N working days.
    "ADVISORY_CONSULTATION_DAYS": 3,
    # SOP-1-04: the recommendation letter within N days of the complete form,
    # counted as "calendar" or "working" days.
    "ADVISORY_RECOMMENDATION_DAYS": 30,
    "ADVISORY_RECOMMENDATION_DAY_KIND": "calendar",
    # Remind the people handling a request when this many working days are left.
    "ADVISORY_REMIND_WORKING_DAYS": 1,
    # Letter numbers: Python format with {seq}, {year}, {month}, {month_roman}; the
    # sequence restarts every year, per kind of letter.
    "ADVISORY_LETTER_PATTERN": "B-{seq:03d}/1700/PS.000/{year}",
    "ADVISORY_DATA_LETTER_PATTERN": "B-{seq:03d}/1700/PST.100/{year}",
    # The key of the letters' verification codes (default: derived from SECRET_KEY).
    # Set it once and keep it: changing it makes every issued letter fail to verify.
    "ADVISORY_LETTER_KEY": None,
    # The letterhead and signature.
    "ADVISORY_LETTER_OFFICE": "Provinsi Bengkulu",
    "ADVISORY_LETTER_PLACE": "Bengkulu",
    "ADVISORY_OFFICE_ADDRESS": "Jl. Adam Malik Km. 8, Kota Bengkulu · pst1700@bps.go.id",
    "ADVISORY_LETTER_SIGNER_ROLE": None,  # default: "Kepala Badan Pusat Statistik <office>"
    # Attachments of consultation messages.
    "ADVISORY_MAX_FILES": 5,
    "ADVISORY_MAX_FILE_BYTES": 10 * 1024 * 1024,
    # The largest request body of a page that takes attachments (all files together).
    "ADVISORY_MAX_UPLOAD_BYTES": 50 * 1024 * 1024,
    # The public verification page (anyone may try numbers and codes).
    "ADVISORY_VERIFY_RATE_LIMIT": "30 per minute;300 per hour",
    # Files checked against an issued letter's SHA-256 (hashed, never opened).
    "ADVISORY_VERIFY_MAX_BYTES": 10 * 1024 * 1024,
    # The duplicate-survey check lists activities scoring at least this (0–1).
    "ADVISORY_DUPLICATE_THRESHOLD": 0.4,
}


def init_app(app: Flask) -> None:
    # models: the metadata; reminders: its job; staff_views: its routes join the blueprint
    from advisory import cli, models, reminders, staff_views, views

    del models, reminders, staff_views
    set_defaults(app, DEFAULTS)
    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(views.template_globals())
    cli.register(app)
    for endpoint in (
        "advisory.ask",
        "advisory.post_message",
        "advisory.staff_answer",
        "advisory.staff_record",
    ):
        allow_large_body(app, endpoint, "ADVISORY_MAX_UPLOAD_BYTES")
    section = _l("Advisory")
    staff = (Role.OFFICER, Role.HEAD, Role.SUBJECT_MATTER)
    staff_link(
        app,
        section,
        _l("Consultations and recommendations"),
        "advisory.staff_home",
        *staff,
        description=_l("Your requests by deadline, verification and approval"),
    )
    staff_link(
        app,
        section,
        _l("Record a question (email or walk-in)"),
        "advisory.staff_record",
        Role.OFFICER,
    )
    staff_link(
        app, section, _l("Record a paper FS3 form"), "advisory.staff_on_behalf", Role.OFFICER
    )
    account_link(
        app,
        _l("My consultations and recommendations"),
        "advisory.home",
        _l("Questions, data requests and recommendation letters"),
    )

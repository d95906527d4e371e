"""Plugs the advisory services into an app: config defaults, pages, the reminder job
and the CLI (``pst advisory remind``). The API blueprint is :data:`advisory.api.blp`."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role
from app.config import Setting, declare, set_defaults
from app.navigation import account_link, staff_link
from app.security import allow_large_body

SETTINGS = declare(
    Setting(
        "ADVISORY_CONSULTATION_DAYS",
        int,
        3,
        "SOP-1-03: consultations and data requests are answered within N working days",
    ),
    Setting(
        "ADVISORY_RECOMMENDATION_DAYS",
        int,
        30,
        "SOP-1-04: the recommendation letter within N days of the complete form",
    ),
    Setting(
        "ADVISORY_RECOMMENDATION_DAY_KIND",
        str,
        "calendar",
        "How those days are counted: calendar or working",
    ),
    Setting(
        "ADVISORY_REMIND_WORKING_DAYS",
        int,
        1,
        "Remind the people handling a request when this many working days are left",
    ),
    Setting(
        "ADVISORY_LETTER_PATTERN",
        str,
        "B-{seq:03d}/1700/PS.000/{year}",
        "Letter numbers: Python format with {seq}, {year}, {month}, {month_roman}; "
        "the sequence restarts every year, per kind of letter",
    ),
    Setting(
        "ADVISORY_DATA_LETTER_PATTERN",
        str,
        "B-{seq:03d}/1700/PST.100/{year}",
        "Numbers of data letters (as above)",
    ),
    Setting(
        "ADVISORY_LETTER_KEY",
        str,
        None,
        "The key of the letters' verification codes (default: derived from SECRET_KEY); "
        "set it once and keep it: changing it makes every issued letter fail to verify",
        secret=True,
    ),
    Setting(
        "ADVISORY_LETTER_OFFICE",
        str,
        "Provinsi Bengkulu",
        "The letterhead's office",
    ),
    Setting(
        "ADVISORY_LETTER_PLACE",
        str,
        "Bengkulu",
        "The place written before a letter's date",
    ),
    Setting(
        "ADVISORY_OFFICE_ADDRESS",
        str,
        "Jl. Adam Malik Km. 8, Kota Bengkulu · pst1700@bps.go.id",
        "The letterhead's address",
    ),
    Setting(
        "ADVISORY_LETTER_SIGNER_ROLE",
        str,
        None,
        "The signer's title (default: Kepala Badan Pusat Statistik <office>)",
    ),
    Setting(
        "ADVISORY_MAX_FILES",
        int,
        5,
        "Attachments of one consultation message",
    ),
    Setting(
        "ADVISORY_MAX_FILE_BYTES",
        int,
        10 * 1024 * 1024,
        "Largest attachment of a consultation message",
    ),
    Setting(
        "ADVISORY_MAX_UPLOAD_BYTES",
        int,
        50 * 1024 * 1024,
        "The largest request body of a page that takes attachments (all files together)",
    ),
    Setting(
        "ADVISORY_VERIFY_RATE_LIMIT",
        str,
        "30 per minute;300 per hour",
        "The public verification page (anyone may try numbers and codes)",
    ),
    Setting(
        "ADVISORY_VERIFY_MAX_BYTES",
        int,
        10 * 1024 * 1024,
        "Files checked against an issued letter's SHA-256 (hashed, never opened)",
    ),
    Setting(
        "ADVISORY_DUPLICATE_THRESHOLD",
        float,
        0.4,
        "The duplicate-survey check lists activities scoring at least this (0-1)",
    ),
)


def init_app(app: Flask) -> None:
    from advisory.models import Consultation, Recommendation
    from advisory.personal_data import SECTION
    from app.accounts.retention import recorded_in, register_activity
    from app.accounts.rights import register_section

    # What this feature holds about a person: in their download, and erased on request.
    register_section(app, SECTION)
    # Activity that keeps a person's profile (see app.accounts.retention).
    register_activity(app, recorded_in(Consultation.user_id, Consultation.received_at))
    register_activity(app, recorded_in(Recommendation.user_id, Recommendation.created_at))
    # models: the metadata; cli: its commands and the reminder job; the page modules'
    # routes join the blueprint of views, so all are imported before it is registered.
    from advisory import (
        cli,
        letter_views,
        models,
        recommendation_views,
        staff_recommendation_views,
        staff_views,
        views,
    )

    del models, letter_views, recommendation_views, staff_views, staff_recommendation_views
    set_defaults(app, SETTINGS)
    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(views.template_globals())
    cli.register(app)
    _audit_labels()
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


def _audit_labels() -> None:
    """Name the advisory steps for the admins' audit log."""
    from advisory.labels import CHANNEL_LABELS, KIND_LABELS
    from app.audit import label_actions

    steps = {
        "consultation_created": _l("Consultation received"),
        "consultation_assigned": _l("Consultation assigned"),
        "consultation_escalated": _l("Consultation passed to a specialist"),
        "consultation_answered": _l("Consultation answered"),
        "consultation_message": _l("Consultation message sent"),
        "consultation_closed": _l("Consultation closed"),
        "consultation_cancelled": _l("Consultation cancelled"),
        "consultation_overdue": _l("Consultation overdue"),
        "recommendation_created": _l("Recommendation request created"),
        "recommendation_submitted": _l("Recommendation request submitted"),
        "recommendation_passed": _l("Recommendation request verified"),
        "recommendation_returned": _l("Recommendation request returned for revision"),
        "recommendation_previewed": _l("Recommendation letter previewed"),
        "recommendation_head_returned": _l("Recommendation returned by the head"),
        "recommendation_approved": _l("Recommendation approved"),
        "recommendation_withdrawn": _l("Recommendation request withdrawn"),
        "recommendation_file_attached": _l("Recommendation document attached"),
        "recommendation_overdue": _l("Recommendation request overdue"),
        "faq_published": _l("Question published in the FAQ"),
        "faq_withdrawn": _l("Question withdrawn from the FAQ"),
    }
    label_actions(
        {f"advisory.{step}": label for step, label in steps.items()},
        {"on_time": _l("On time"), "specialist": _l("Specialist")},
        {
            "kind": {k.value: v for k, v in KIND_LABELS.items()},
            "channel": {k.value: v for k, v in CHANNEL_LABELS.items()},
        },
    )

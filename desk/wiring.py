"""Plugs the front desk into an app: config defaults, pages, the ``service_given``
receiver that records online services (and the ``service_begun`` one that links a
service begun at the desk to the number being served), and the CLI."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role
from app.config import Setting, declare, set_defaults
from app.events import service_begun, service_given, ticket_lookup
from app.navigation import account_link, staff_link
from desk.numbering import DEFAULT_PREFIXES
from desk.settings import DEFAULT_CATEGORIES, DEFAULT_HOURS

SETTINGS = declare(
    Setting(
        "DESK_SERVICE_PREFIXES",
        dict,
        dict(DEFAULT_PREFIXES),
        'Queue-number prefix per service (the letter before the number: "A-001")',
    ),
    Setting(
        "DESK_HOURS",
        dict,
        {k: list(v) for k, v in DEFAULT_HOURS.items()},
        'Service hours per weekday (WIB) as ["HH:MM", "HH:MM"]; a day left out is closed',
    ),
    Setting(
        "DESK_HOLIDAY_CATEGORIES",
        list[str],
        list(DEFAULT_CATEGORIES),
        "Categories of the holidays package's Indonesian calendar that close the office",
    ),
    Setting(
        "DESK_STANDARD_MINUTES",
        dict,
        {"guestbook": 10, "waiting": 10, "rating": 10},
        "The SOP's time standards in minutes: guest book, waiting, rating",
    ),
    Setting(
        "DESK_APPOINTMENT_LEAD_MINUTES",
        int,
        60,
        "Appointments are booked at least this long ahead",
    ),
    Setting(
        "DESK_APPOINTMENT_WINDOW_MINUTES",
        int,
        60,
        "An appointment's code opens the kiosk this long before and after its time",
    ),
    Setting(
        "DESK_APPOINTMENTS_OUTSIDE_HOURS",
        bool,
        False,
        "Appointments within service hours only (false), or, as the SOP allows, outside "
        "them too (true: any time of a working day; a closed day booked a day ahead)",
    ),
    Setting(
        "DESK_KIOSK_NETWORKS",
        list[str],
        [],
        "Networks (CIDRs, after ProxyFix) whose browsers may use the kiosk pages without "
        "an enrolled device, e.g. 10.17.0.0/24; empty: enrolled devices only",
    ),
    Setting(
        "DESK_KIOSK_RATE_LIMIT",
        str,
        "30 per minute;600 per hour",
        "Anonymous kiosk forms (one office tablet shares one address)",
    ),
    Setting(
        "DESK_LOOKUP_RATE_LIMIT",
        str,
        "20 per minute;300 per hour",
        "Anonymous look-ups of a ticket or appointment",
    ),
    Setting(
        "DESK_BOARD_POLL_MS",
        int,
        2000,
        "How often the display board and the status page ask for news (milliseconds)",
    ),
    Setting("DESK_CALLS_ON_BOARD", int, 6, "Calls shown on the display board"),
    Setting(
        "RETENTION_RATING_COMMENT_DAYS",
        int,
        730,
        "IKM rating comments are erased this many days after the rating (the scores "
        "stay); 0 keeps them",
    ),
)


def init_app(app: Flask) -> None:
    from app.accounts.retention import recorded_in, register_activity
    from app.accounts.rights import register_section
    from desk.models import GuestVisit, ServiceRecord
    from desk.personal_data import SECTION

    # What this feature holds about a person: in their download, and erased on request.
    register_section(app, SECTION)
    # Activity that keeps a visitor's profile (see app.accounts.retention).
    register_activity(app, recorded_in(GuestVisit.user_id, GuestVisit.signed_at))
    register_activity(app, recorded_in(ServiceRecord.user_id, ServiceRecord.ended_at))
    from desk import (
        cli,
        kiosk_views,
        lookups,
        models,
        records,
        staff_views,
        ticket_views,
        views,
        visitor_views,
    )
    from desk.kiosk_devices import parse_networks

    # models: metadata; the view modules join the blueprint when imported.
    del models, staff_views, kiosk_views, ticket_views, visitor_views
    set_defaults(app, SETTINGS)
    # A typo in the office networks fails here, not on the kiosk's first visitor.
    parse_networks(app.config["DESK_KIOSK_NETWORKS"])
    app.register_blueprint(views.bp)
    # A module-level function: blinker keeps one weak reference, connecting twice
    # (several apps in one process) changes nothing.
    service_given.connect(records.on_service_given)
    ticket_lookup.connect(lookups.ticket_info)
    service_begun.connect(records.on_service_begun)
    cli.register(app)
    _links(app)
    _audit_labels()
    _retention_rule(app)


def _retention_rule(app: Flask) -> None:
    from app.retention import RetentionRule, register_rule
    from desk.retention import count_rating_comments, erase_rating_comments

    register_rule(
        app,
        RetentionRule(
            "desk.rating_comments",
            _l("Comments of IKM ratings erased (the scores stay)"),
            "RETENTION_RATING_COMMENT_DAYS",
            count_rating_comments,
            erase_rating_comments,
        ),
    )


def _audit_labels() -> None:
    from app.audit import label_actions
    from desk.numbering import CHANNEL_LABELS, OUTCOME_LABELS, SERVICE_LABELS

    label_actions(
        {
            "desk.kiosk_enrolled": _l("Kiosk device enrolled"),
            "desk.kiosk_revoked": _l("Kiosk device revoked"),
            "desk.kiosk_lookup": _l("Found at the kiosk"),
            "desk.kiosk_identity_mismatch": _l("Kiosk form with details of another visitor"),
            "desk.visitor_registered": _l("Visitor registered at the front desk"),
            "desk.visitor_profile_completed": _l("Profile completed at the reception"),
            "desk.visitor_email_offered": _l("Email address to confirm mailed"),
            "desk.visitor_email_confirmed": _l("Email address from the front desk confirmed"),
            "desk.record_corrected": _l("Service record corrected"),
            "desk.rating_merged": _l("Ratings merged"),
            "desk.calendar_day_added": _l("Day added to the service calendar"),
            "desk.calendar_day_deleted": _l("Day removed from the service calendar"),
        },
        {"name": _l("Name"), "device": _l("Kiosk device"), "channel": _l("Channel")},
        {
            "service": {k.value: v for k, v in SERVICE_LABELS.items()},
            "outcome": {k.value: v for k, v in OUTCOME_LABELS.items()},
            "channel": {k.value: v for k, v in CHANNEL_LABELS.items()},
        },
    )


def _links(app: Flask) -> None:
    section = _l("Front desk")
    reception = (Role.RECEPTIONIST, Role.OFFICER, Role.HEAD)
    officers = (Role.OFFICER, Role.HEAD)
    for label, endpoint, roles in (
        (_l("Reception and guest book"), "desk.reception_lookup", reception),
        (_l("Desk console"), "desk.console", officers),
        (_l("Service dashboard"), "desk.dashboard_page", officers),
        (_l("Service records"), "desk.record_list", officers),
        (_l("Service calendar"), "desk.calendar_page", (Role.RECEPTIONIST, Role.HEAD)),
        (_l("Kiosk (visitors' tablet)"), "desk.kiosk_home", reception),
        (_l("Kiosk devices"), "desk.kiosk_devices_page", reception),
        (_l("Queue display board"), "desk.board", reception),
    ):
        staff_link(app, section, label, endpoint, *roles)
    account_link(app, _l("My services"), "desk.my_services", _l("Services you received; rate them"))

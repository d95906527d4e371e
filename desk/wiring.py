"""Plugs the front desk into an app: config defaults, pages, the ``service_given``
receiver that records online services (and the ``service_begun`` one that links a
service begun at the desk to the number being served), and the CLI."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role
from app.config import set_defaults
from app.events import service_begun, service_given, ticket_lookup
from app.navigation import account_link, staff_link
from desk.calendar import DEFAULT_CATEGORIES, DEFAULT_HOURS
from desk.queue import DEFAULT_PREFIXES

DEFAULTS = {
    # Queue-number prefix per service (the letter before the number: "A-001").
    "DESK_SERVICE_PREFIXES": dict(DEFAULT_PREFIXES),
    # Service hours per weekday (WIB) as ["HH:MM", "HH:MM"]; a day left out is closed.
    "DESK_HOURS": {k: list(v) for k, v in DEFAULT_HOURS.items()},
    # Categories of the `holidays` package's Indonesian calendar that close the office.
    "DESK_HOLIDAY_CATEGORIES": list(DEFAULT_CATEGORIES),
    # The SOP's time standards in minutes: guest book, waiting, rating.
    "DESK_STANDARD_MINUTES": {"guestbook": 10, "waiting": 10, "rating": 10},
    # Appointments are booked at least this long ahead ...
    "DESK_APPOINTMENT_LEAD_MINUTES": 60,
    # ... and their code opens the kiosk this long before and after their time.
    "DESK_APPOINTMENT_WINDOW_MINUTES": 60,
    # Appointments within service hours only (False), or, as the SOP allows, outside
    # them too (True: any time of a working day; a closed day booked a day ahead).
    "DESK_APPOINTMENTS_OUTSIDE_HOURS": False,
    # Networks (CIDRs, after ProxyFix) whose browsers may use the kiosk pages without
    # an enrolled device, e.g. ["10.17.0.0/24"]; empty: enrolled devices only.
    "DESK_KIOSK_NETWORKS": [],
    # Anonymous kiosk forms (one office tablet shares one address).
    "DESK_KIOSK_RATE_LIMIT": "30 per minute;600 per hour",
    "DESK_LOOKUP_RATE_LIMIT": "20 per minute;300 per hour",
    # How often the display board and the status page ask for news (milliseconds).
    "DESK_BOARD_POLL_MS": 2000,
    "DESK_CALLS_ON_BOARD": 6,
    # A callable returning the current time (aware), for tests and demonstrations.
}


def init_app(app: Flask) -> None:
    from desk import cli, kiosk_views, lookups, models, records, staff_views, views
    from desk.kiosk_devices import parse_networks

    del models, staff_views, kiosk_views  # models: metadata; views join the blueprint
    set_defaults(app, DEFAULTS)
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


def _audit_labels() -> None:
    from app.audit import label_actions

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
        },
        {"name": _l("Name"), "device": _l("Kiosk device"), "channel": _l("Channel")},
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

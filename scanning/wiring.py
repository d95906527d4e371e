"""Plugs scanning into an app: config defaults, pages, API body limit, CLI, links.

The API blueprint is registered with the others by :mod:`app.api`.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role
from app.config import set_defaults
from app.navigation import account_link, staff_link
from app.security import allow_large_body
from app.tempfiles import register as register_sweeper


def init_app(app: Flask) -> None:
    from scanning import cli, views
    from scanning.batches import SETTINGS, scans_root
    from scanning.pages import prune_batches, sweep_leftovers

    set_defaults(app, SETTINGS)
    app.register_blueprint(views.bp)
    cli.register(app)
    _audit_labels()
    section = _l("Library")
    staff_link(
        app, section, _l("Readers' scan requests"), "library_scan.request_queue", Role.OFFICER
    )
    staff_link(
        app,
        section,
        _l("Scanning"),
        "library_scan.index",
        Role.OFFICER,
        description=_l("Scan printed pages into the catalogue or for a reader's request"),
    )
    account_link(
        app,
        _l("My scan requests"),
        "library_scan.my_requests",
        _l("Pages of printed publications you asked us to scan"),
    )

    def sweep(max_age_s: float, now: float) -> int:
        # Batches live in the shared blob store: every host's sweep may do this (it is
        # idempotent), and does it hourly whether or not anyone opens the scanning page.
        ttl = timedelta(hours=float(app.config["SCANNER_BATCH_TTL_H"]))
        pruned = prune_batches(scans_root(app), max_age=ttl)
        return pruned + sweep_leftovers(scans_root(app), max_age_s, now)

    register_sweeper(app, "scanning.pages", sweep)
    # A page image sent by the scanning bridge is larger than ordinary requests.
    allow_large_body(app, "scan_api.upload_scan_page", "SCANNER_MAX_PAGE_BYTES")


def _audit_labels() -> None:
    """Name the scanning steps for the admins' audit log."""
    from app.audit import label_actions

    label_actions(
        {
            "scan.finished": _l("Scan batch finished"),
            "scan.pdf": _l("Scanned PDF made"),
            "scan.reopened": _l("Scan batch reopened"),
            "scan.retried": _l("Scan batch run again"),
            "scan_request.created": _l("Scan requested"),
            "scan_request.privatised": _l("Scan request made private"),
        }
    )

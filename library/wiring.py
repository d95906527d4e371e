"""Plugs the library into an app: config defaults, pages, API, CLI, publication panel."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l

from app.accounts.models import Role
from app.config import set_defaults
from app.demo import demo_step
from app.navigation import account_link, staff_link
from app.pagecache import watch_tables
from app.security import allow_large_body
from app.tempfiles import register as register_sweeper
from catalog.models import Publication
from catalog.panels import register_panel

DEFAULTS = {
    # Stamped downloads one reader may take per day (WIB); 0 turns the limit off.
    "LIBRARY_DAILY_QUOTA": 20,
    # How long a started download counts against the quota while it is being sent; a
    # download that never finished (its worker died) stops counting after this.
    "LIBRARY_DOWNLOAD_IN_FLIGHT_MINUTES": 15,
    # Widths (pixels) the online reader renders pages at; the first is the default.
    "LIBRARY_PAGE_WIDTHS": (900, 600, 1300, 1800),
    # Rendered pages (without the reader's stamp) kept on disk, in bytes.
    "LIBRARY_PAGE_CACHE_BYTES": 512 * 1024 * 1024,
    # Softcopy files an officer attaches are ingested like any upload.
    "LIBRARY_MAX_UPLOAD_BYTES": 300 * 1024 * 1024,
}


def init_app(app: Flask) -> None:
    from library import cli, desk_views, models, scan_cli, scan_views, views  # models: metadata
    from library.scan_batches import sweep_leftovers
    from library.scanning import DEFAULTS as SCANNER_DEFAULTS
    from library.scanning import scans_root

    del models
    set_defaults(app, {**DEFAULTS, **SCANNER_DEFAULTS})
    app.register_blueprint(views.bp)
    app.register_blueprint(desk_views.bp)
    app.register_blueprint(scan_views.bp)
    cli.register(app)
    scan_cli.register(app)
    register_panel(app, _access_panel, order=10)
    watch_tables(("holdings",))  # the panel's availability is on cached publication pages
    demo_step(app, _demo)
    section = _l("Library")
    staff_link(
        app, section, _l("Reading-room requests"), "library_desk.reading_queue", Role.OFFICER
    )
    staff_link(app, section, _l("Softcopy requests"), "library_desk.softcopy_queue", Role.OFFICER)
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
    staff_link(app, section, _l("Download database"), "library.downloads", Role.OFFICER)
    account_link(
        app,
        _l("My library requests"),
        "library_desk.my_requests",
        _l("Copies to read in the reading room, softcopies and scanned pages you asked for"),
    )
    account_link(
        app,
        _l("My scan requests"),
        "library_scan.my_requests",
        _l("Pages of printed publications you asked us to scan"),
    )
    register_sweeper(
        app,
        "library.scan_batches",
        lambda max_age_s, now: sweep_leftovers(scans_root(app), max_age_s, now),
    )
    # A softcopy PDF an officer attaches is larger than ordinary forms.
    allow_large_body(app, "library_desk.softcopy_attach", "LIBRARY_MAX_UPLOAD_BYTES")
    # A page image sent by the scanning bridge is larger than ordinary requests.
    allow_large_body(app, "scan_api.upload_scan_page", "SCANNER_MAX_PAGE_BYTES")


def _demo() -> str:
    from app.extensions import db
    from library.demo import seed_library

    return seed_library(db.session())


def _access_panel(publication: Publication) -> str:
    from flask import current_app
    from flask_login import current_user

    from app.db import utcnow
    from app.extensions import db
    from library import holdings
    from library.access import reader_options

    user = current_user._get_current_object() if current_user.is_authenticated else None
    quota = int(current_app.config["LIBRARY_DAILY_QUOTA"])
    return render_template(
        "library/_access_panel.html",
        pub=publication,
        options=reader_options(db.session(), publication, user, quota, utcnow()),
        availability=holdings.availability(db.session(), publication.id),
        my_request=holdings.open_request_for(db.session(), publication.id, user.id)
        if user
        else None,
    )

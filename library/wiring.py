"""Plugs the library into an app: config defaults, pages, CLI, publication panels, the
counting of uses (:mod:`library.usage_views`), the periodic roll-up of usage counts, and
the periodic sweep of downloads that never finished (it reads the settings and the clock here,
at the edge, and hands them to :func:`library.downloads.abandon_stale`).

Scanning, which the library's pages link to, is wired by :mod:`scanning.wiring`.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import clock, jobs
from app.abandoned import register_rule as register_abandon_rule
from app.abandoned import upload_rule
from app.accounts.models import Role
from app.config import Setting, declare, set_defaults
from app.events import master_stored
from app.navigation import account_link, staff_link
from app.pagecache import watch_tables
from app.security import allow_large_body
from app.uow import unit_of_work
from catalog.models import Publication
from catalog.panels import register_panel
from library.masters import plan_stored_master
from library.settings import settings_from

SETTINGS = declare(
    Setting(
        "LIBRARY_DAILY_QUOTA",
        int,
        20,
        "Stamped downloads one reader may take per day (WIB); 0 turns the limit off",
    ),
    Setting(
        "LIBRARY_DOWNLOAD_IN_FLIGHT_MINUTES",
        int,
        15,
        "How long a started download counts against the quota while it is sent; one "
        "that never finished (its worker died) stops counting after this",
    ),
    Setting(
        "LIBRARY_PAGE_WIDTHS",
        list[int],
        (900, 600, 1300, 1800),
        "Widths (pixels) the online reader renders pages at; the first is the default",
    ),
    Setting(
        "LIBRARY_PAGE_CACHE_BYTES",
        int,
        512 * 1024 * 1024,
        "Rendered pages (without the reader's stamp) kept on disk, in bytes",
    ),
    Setting(
        "LIBRARY_MAX_UPLOAD_BYTES",
        int,
        300 * 1024 * 1024,
        "Largest softcopy PDF an officer attaches (ingested like any upload)",
    ),
    Setting(
        "RETENTION_DOWNLOAD_CLIENT_DAYS",
        int,
        180,
        "The network address and browser of a download log are erased after this many "
        "days (the log itself stays, to trace a leaked copy); 0 keeps them",
    ),
    Setting(
        "LIBRARY_SOFTCOPY_ABANDONED_DAYS",
        int,
        7,
        "A softcopy attached to a reader's request whose processing failed or was "
        "cancelled is deleted this many days after the job's end (audited; the officer "
        "attaches it again); 0 keeps it",
    ),
    Setting(
        "LIBRARY_USAGE_PUBLIC_COUNTS",
        bool,
        True,
        "Show how often a publication was viewed and downloaded on its page (the usage "
        "statistics are counted either way)",
    ),
)


def init_app(app: Flask) -> None:
    from app.accounts.retention import recorded_in, register_activity
    from app.accounts.rights import register_section
    from library.models import Download, ReadingRequest, SoftcopyRequest
    from library.personal_data import SECTION

    # What this feature holds about a person: in their download, and erased on request.
    register_section(app, SECTION)
    # Activity that keeps a reader's profile (see app.accounts.retention).
    register_activity(app, recorded_in(Download.user_id, Download.created_at))
    register_activity(app, recorded_in(ReadingRequest.user_id, ReadingRequest.created_at))
    register_activity(app, recorded_in(SoftcopyRequest.user_id, SoftcopyRequest.created_at))
    from library import cli, desk_views, models, usage_views, views  # models: metadata

    del models
    set_defaults(app, SETTINGS)
    app.register_blueprint(views.bp)
    app.register_blueprint(desk_views.bp)
    app.register_blueprint(usage_views.bp)
    app.after_request(usage_views.count_request)
    cli.register(app)
    _audit_labels()
    _retention_rule(app)
    from library.softcopy import SOFTCOPY_JOB

    register_abandon_rule(
        app,
        upload_rule(
            "library.softcopies",
            _l("Attached softcopies whose processing ended without a publication"),
            "LIBRARY_SOFTCOPY_ABANDONED_DAYS",
            (SOFTCOPY_JOB,),
        ),
    )
    register_panel(app, _access_panel, order=10)
    register_panel(app, usage_views.counts_panel, order=90)
    master_stored.connect(plan_stored_master)
    watch_tables(("holdings",))  # the panel's availability is on cached publication pages
    section = _l("Library")
    staff_link(
        app, section, _l("Reading-room requests"), "library_desk.reading_queue", Role.OFFICER
    )
    staff_link(app, section, _l("Softcopy requests"), "library_desk.softcopy_queue", Role.OFFICER)
    staff_link(app, section, _l("Download database"), "library.downloads", Role.OFFICER)
    staff_link(app, section, _l("Usage statistics"), "library_usage.report", Role.OFFICER)
    account_link(
        app,
        _l("My library requests"),
        "library_desk.my_requests",
        _l("Copies to read in the reading room, softcopies and scanned pages you asked for"),
    )
    # A softcopy PDF an officer attaches is larger than ordinary forms.
    allow_large_body(app, "library_desk.softcopy_attach", "LIBRARY_MAX_UPLOAD_BYTES")


def _access_panel(publication: Publication) -> str:
    from flask_login import current_user

    from app.extensions import db
    from library import holdings
    from library.access import reader_options

    user = current_user._get_current_object() if current_user.is_authenticated else None
    settings = settings_from(current_app.config)
    return render_template(
        "library/_access_panel.html",
        pub=publication,
        options=reader_options(db.session(), publication, user, settings, clock.now()),
        availability=holdings.availability(db.session(), publication.id),
        my_request=holdings.open_request_for(db.session(), publication.id, user.id)
        if user
        else None,
    )


@jobs.periodic("library.abandon_downloads", every_seconds=300)
def _abandon_periodically(session: Session) -> None:
    # The staff list says "never finished" without waiting for the reader's next click.
    # The sweeper calls this in an app context: the settings and the moment are its.
    from library.downloads import abandon_stale

    with unit_of_work(session):
        abandon_stale(session, clock.now(), settings_from(current_app.config))


def _retention_rule(app: Flask) -> None:
    from app.retention import RetentionRule, register_rule
    from library.retention import count_download_clients, erase_download_clients

    register_rule(
        app,
        RetentionRule(
            "library.download_client",
            _l("Network address and browser of download logs erased"),
            "RETENTION_DOWNLOAD_CLIENT_DAYS",
            count_download_clients,
            erase_download_clients,
        ),
    )


@jobs.periodic("library.usage_roll_up", every_seconds=3600)
def _roll_up_usage(session: Session) -> None:
    # Past days' visitor hashes and salts go as soon as their counts are in the months.
    from library.usage import roll_up

    with unit_of_work(session):
        roll_up(session, clock.now())


def _audit_labels() -> None:
    """Name the library's audited steps for the admins' audit log."""
    from app.audit import label_actions

    label_actions(
        {
            "holding.added": _l("Printed copy added"),
            "holding.updated": _l("Printed copy updated"),
            "reading.requested": _l("Reading-room copy requested"),
            "reading.ready": _l("Reading-room copy ready"),
            "reading.returned": _l("Reading-room copy returned"),
            "reading.cancelled": _l("Reading-room request cancelled"),
            "softcopy.requested": _l("Softcopy requested"),
            "softcopy.pdf": _l("Softcopy attached"),
            "softcopy.retried": _l("Softcopy made again"),
            "softcopy.job_left": _l("Softcopy job left"),
        },
        {"inventory_no": _l("Inventory number"), "barcode": _l("Barcode")},
    )

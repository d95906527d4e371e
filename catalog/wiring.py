"""Plugs the catalogue into an app: its config defaults, search index, pages, API, CLI."""

from __future__ import annotations

from datetime import time
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app import clock, jobs
from app.abandoned import register_rule as register_abandon_rule
from app.abandoned import upload_rule
from app.accounts.models import Role
from app.config import ConfigurationError, Setting, declare, set_defaults
from app.i18n import format_size
from app.navigation import staff_link
from app.pagecache import cache_endpoints, watch_tables
from app.security import allow_large_body, allow_reading_post
from app.uow import unit_of_work
from app.waiting import register_panel as register_job_panel
from catalog.models import Access
from catalog.panels import render_panels

SETTINGS = declare(
    Setting("CATALOG_MAX_BYTES", int, 300 * 1024 * 1024, "Largest PDF accepted for ingest"),
    Setting("CATALOG_MAX_PAGES", int, 3000, "Most pages of a PDF accepted for ingest"),
    Setting("CATALOG_TIMEOUT_S", float, 45.0, "Wall-clock limit of the PDF parser (s)"),
    Setting("CATALOG_MEMORY_BYTES", int, 1024**3, "Memory limit of the PDF parser"),
    Setting(
        "CATALOG_RELEASE_TIME",
        str,
        "11:00",
        "Time of day (HH:MM WIB) a publication is released on its release date, "
        "unless staff set another for it; before it the publication is under embargo",
    ),
    Setting("SEARCH_WRITER_TIMEOUT_S", float, 30.0, "Wait of an index job for the writer (s)"),
    Setting(
        "SEARCH_ENGINE",
        str,
        "auto",
        "Search engine: auto (PostgreSQL when the database is), whoosh or postgres",
    ),
    Setting(
        "SEARCH_STALE_SECONDS",
        float,
        900.0,
        "/healthz answers 503 when a host's Whoosh index is this far behind the catalogue (s)",
    ),
    Setting(
        "OAI_REPOSITORY_NAME",
        str,
        "Perpustakaan Digital BPS Provinsi Bengkulu",
        "The OAI-PMH repository's name (Identify)",
    ),
    Setting("OAI_ADMIN_EMAIL", str, None, "OAI-PMH administrator's address (unset: OFFICE_EMAIL)"),
    Setting(
        "OAI_REPOSITORY_IDENTIFIER",
        str,
        None,
        "The <repo> of oai:<repo>:<id> identifiers (unset: the host of BASE_URL or the request)",
    ),
    Setting("OAI_PAGE_SIZE", int, 100, "Records or headers per OAI-PMH list response"),
    Setting("SITEMAP_PART_SIZE", int, 10000, "Publication URLs per sitemap part (at most 50000)"),
    Setting(
        "CATALOG_PUBLISHER",
        str,
        "Badan Pusat Statistik Provinsi Bengkulu",
        "The office as author and publisher in citations, page metadata and OAI-PMH",
    ),
    Setting("CATALOG_PUBLISHER_PLACE", str, "Bengkulu", "The place of publication in citations"),
    Setting(
        "CATALOG_UPLOAD_ABANDONED_DAYS",
        int,
        7,
        "An uploaded or corrected file whose job failed or was cancelled is deleted this "
        "many days after the job's end, unless a publication holds it (audited); 0 keeps "
        "it until an officer discards it",
    ),
)

ACCESS_LABELS = {
    Access.OPEN: _l("Free download"),
    Access.READ_ONLY: _l("Read online only"),
    Access.SALE: _l("For sale"),
}
ACCESS_HELP = {
    Access.OPEN: _l("Read online or download a copy with your name on it, free of charge."),
    Access.READ_ONLY: _l("This publication can be read online; it cannot be downloaded."),
    Access.SALE: _l("This publication is sold by the office; see the sales service."),
}
TYPE_LABELS = {"publication": _l("Publication"), "brs": _l("Official statistical news (BRS)")}


def init_app(app: Flask) -> None:
    from catalog import (  # views and jobs register on import
        cli,
        harvest_views,
        http,
        indexing,
        meta_views,
        release,
        uploads,
        views,
    )
    from catalog.cataloguing import INGEST_JOB
    from catalog.file_versions import CORRECT_JOB

    del uploads
    set_defaults(app, SETTINGS)
    try:
        release.parse_release_time(app.config["CATALOG_RELEASE_TIME"])
    except ValueError:
        raise ConfigurationError(
            "PST_CATALOG_RELEASE_TIME must be a time of day like 11:00 "
            f"(got {app.config['CATALOG_RELEASE_TIME']!r})."
        ) from None
    app.extensions["pst.search"] = indexing.make_engine(app)
    app.extensions["pst.search_health"] = indexing.search_health  # read by /healthz
    app.register_blueprint(views.bp)
    app.register_blueprint(harvest_views.bp)
    allow_reading_post(app, "catalog_harvest.oai_pmh")
    app.register_blueprint(meta_views.bp)
    # Anonymous catalogue pages are the same for everyone: cached whole until the
    # catalogue changes (app.pagecache); the search index's writes bump it too.
    cache_endpoints(app, ("web.index", "catalog.home", "catalog.search", "catalog.publication"))
    cache_endpoints(
        app,
        (
            "catalog_meta.releases_feed",
            "catalog_meta.subject_feed",
            "catalog_meta.series",
            "catalog_meta.cite",
        ),
    )
    watch_tables(
        ("publications", "subjects", "publication_subjects", "publication_pages", "series")
    )
    register_job_panel(app, INGEST_JOB, views.upload_panel)
    register_abandon_rule(
        app,
        upload_rule(
            "catalog.uploads",
            _l("Uploaded files whose processing ended without a publication"),
            "CATALOG_UPLOAD_ABANDONED_DAYS",
            (INGEST_JOB, CORRECT_JOB),
        ),
    )
    # Publications are larger than ordinary forms.
    allow_large_body(app, "catalog.upload", "CATALOG_MAX_BYTES")
    allow_large_body(app, "catalog_api.ingest_publication", "CATALOG_MAX_BYTES")
    allow_large_body(app, "catalog.correct", "CATALOG_MAX_BYTES")
    cli.register(app)
    _audit_labels()
    staff_link(app, _l("Library"), _l("Manage publications"), "catalog.staff_list", Role.OFFICER)

    @app.context_processor
    def catalog_context() -> dict[str, Any]:
        return {
            "access_label": lambda access: ACCESS_LABELS.get(Access(access), access),
            "access_help": lambda access: ACCESS_HELP.get(Access(access), ""),
            "facet_value": facet_value,
            "pub_subtitle": subtitle,
            "publication_panels": lambda publication: render_panels(app, publication),
            # Links to pages other features may add (the library's softcopy requests).
            "endpoint_exists": lambda name: name in app.view_functions,
            # The publication page's partials (_head_meta, _citation, _editions).
            "publication_meta": meta_views.publication_meta,
            "citation_text": meta_views.citation_text,
            "other_editions": meta_views.other_editions,
            "subject_for_feed": meta_views.subject_for_feed,
        }

    # Links a list page prints dozens of times (see catalog.http).
    app.jinja_env.globals.update(
        publication_url=http.publication_url,
        cover_url=http.cover_url,
        search_url=http.search_url,
        reads_online=http.reads_online,
        reader_url=http.reader_url,
    )
    http.init_cards(app)  # publication_card, with its cache of cards

    app.jinja_env.filters["filesize"] = format_size  # the reader's decimal mark
    app.jinja_env.filters["dict_without"] = lambda d, key: {k: v for k, v in d.items() if k != key}


#: Subtitles that only name the kind of publication in Indonesian (BPS prints "Berita
#: Resmi Statistik" under every release): shown as the kind's label, in the reader's
#: language.
KIND_SUBTITLES = {"berita resmi statistik": "brs"}


def subtitle(pub: Any) -> Any:
    """A publication's subtitle to show under its title: none when it repeats the English
    title (shown on its own line), the translated kind when it only names the kind."""
    text = (pub.subtitle or "").strip()
    if not text or text == (pub.title_en or "").strip():
        return None
    kind = KIND_SUBTITLES.get(text.lower())
    return TYPE_LABELS[kind] if kind else text


def facet_value(key: str, value: Any) -> Any:
    if key == "type":
        return TYPE_LABELS.get(str(value), value)
    if key == "language":
        return {"id": "Bahasa Indonesia", "en": "English"}.get(str(value), value)
    return value


def default_release_time() -> time:
    """The configured time of day of releases (the app's, else 11:00 WIB)."""
    from catalog.release import DEFAULT_RELEASE_TIME, parse_release_time

    if has_app_context():
        return parse_release_time(current_app.config.get("CATALOG_RELEASE_TIME", "11:00"))
    return DEFAULT_RELEASE_TIME


@event.listens_for(Session, "before_flush")
def _schedule_releases(session: Session, _context: Any, _instances: Any) -> None:
    """Keep every publication's release moment in step with its date and time, however
    they were set (upload, API, BPS import, scanning, the edit form, a test factory)."""
    from catalog.models import Publication
    from catalog.release import schedule

    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Publication):
            continue
        attrs = inspect(obj).attrs
        changed = attrs.release_date.history.has_changes() or (
            attrs.release_time.history.has_changes()
        )
        if obj in session.new or changed:
            schedule(obj, default_release_time(), clock.now())


@jobs.periodic("catalog.release_due", every_seconds=60)
def _release_periodically(session: Session) -> None:
    # Visibility reads the clock itself; this only does the follow-up of a release
    # (index, cached pages, audit, event) within a minute of its moment.
    from catalog.release import release_due

    with unit_of_work(session):
        release_due(session, clock.now())


def _audit_labels() -> None:
    """Name the catalogue's audited steps for the admins' audit log."""
    from app.audit import label_actions

    label_actions(
        {
            "publication.catalogued": _l("Publication catalogued"),
            "publication.ingested": _l("Publication file added"),
            "publication.digitised": _l("Publication digitised"),
            "publication.metadata_imported": _l("Publication details imported"),
            "publication.updated": _l("Publication updated"),
            "publication.withdrawn": _l("Publication withdrawn"),
            "publication.released": _l("Publication released (scheduled)"),
            "publication.corrected": _l("Publication file corrected"),
            "catalog.upload_discarded": _l("Upload discarded"),
            "catalog.upload_retried": _l("Upload run again"),
            "catalog.series_created": _l("Series created"),
        },
        {"kat_no": _l("Catalogue number"), "pages": _l("Pages")},
    )

"""Pages about publications for machines and citers: Atom feeds of new releases, the
citation exports, series pages, and the structured metadata of a publication page.

Every channel here shows only what :mod:`catalog.visibility` lets the public see (the
publication itself through :func:`catalog.services.get_publication`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.extensions import db
from app.i18n import current_locale
from app.urls import external_url
from catalog import citations, feeds, services
from catalog import series as series_service
from catalog.citations import Publisher
from catalog.metadata import PageMeta, page_meta
from catalog.models import Access, Publication, Subject
from catalog.visibility import may_preview

bp = Blueprint("catalog_meta", __name__, template_folder="templates")

#: The citation exports: format in the URL → (writer, media type, file extension).
EXPORTS = {
    "bib": (citations.bibtex, "application/x-bibtex", "bib"),
    "ris": (citations.ris, "application/x-research-info-systems", "ris"),
    "json": (citations.csl_json, "application/vnd.citationstyles.csl+json", "json"),
}
ATOM_TYPE = "application/atom+xml"


def _is_staff() -> bool:
    return bool(current_user.is_authenticated and current_user.is_staff)


def publisher() -> Publisher:
    return citations.publisher_from(current_app.config)


def cited(publication: Publication) -> citations.Cited:
    return citations.cited(publication, external_url("catalog.publication", pub_id=publication.id))


# --- on the publication page (called by its partials) -----------------------------


def publication_meta(publication: Publication) -> PageMeta:
    """The ``<head>`` metadata of a publication page (catalog/_head_meta.html)."""
    cover = external_url("catalog.cover", pub_id=publication.id) if publication.cover_key else None
    series_url = (
        external_url("catalog_meta.series", series_id=publication.series_id)
        if publication.series_id
        else None
    )
    return page_meta(
        cited(publication),
        publisher(),
        site_name=str(current_app.config["OFFICE_NAME"]),
        fallback_description=_("A publication of %(office)s.", office=publisher().name),
        cover_url=cover,
        series_url=series_url,
        free=publication.access == Access.OPEN and publication.has_file,
        pages=publication.page_count,
    )


def citation_text(publication: Publication) -> str:
    return citations.text(cited(publication), publisher())


def other_editions(publication: Publication) -> list[Publication]:
    return series_service.other_editions(db.session(), publication, clock.now())


def subject_for_feed(name: object) -> Subject | None:
    """The subject a page is filtered by, for its feed link (None: no such subject)."""
    return feeds.subject_named(db.session(), str(name)) if name else None


# --- citation exports -----------------------------------------------------------------


@bp.get("/publications/<int:pub_id>/cite.<fmt>")
def cite(pub_id: int, fmt: str) -> Any:
    if fmt not in EXPORTS:
        abort(404)
    publication = services.get_publication(
        db.session(), pub_id, now=clock.now(), staff=_is_staff(), preview=may_preview(current_user)
    )
    write, mimetype, extension = EXPORTS[fmt]
    facts = cited(publication)
    response = Response(write(facts, publisher()), mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{citations.citation_key(facts)}.{extension}"'
    )
    return response


# --- feeds ------------------------------------------------------------------------------


def _feed_response(feed: feeds.Feed) -> Response:
    response = Response(feeds.atom(feed), mimetype=ATOM_TYPE)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _entries(rows: list[Publication]) -> list[feeds.Entry]:
    return [
        feeds.Entry(
            id=external_url("catalog.publication", pub_id=p.id),
            title=p.title,
            updated=feeds.entry_updated(p),
            published=p.release_date,
            summary=feeds.summary(p),
            categories=tuple(s.name for s in p.subjects),
        )
        for p in rows
    ]


@bp.get("/feeds/releases.atom")
def releases_feed() -> Any:
    now = clock.now()
    return _feed_response(
        feeds.Feed(
            id=external_url("catalog_meta.releases_feed"),
            title=_("New releases · %(office)s", office=current_app.config["OFFICE_NAME"]),
            home=external_url("catalog.home"),
            author=publisher().name,
            updated=now,
            entries=_entries(feeds.releases(db.session(), now)),
            language=current_locale(),
        )
    )


@bp.get("/feeds/subjects/<int:subject_id>.atom")
def subject_feed(subject_id: int) -> Any:
    subject = feeds.get_subject(db.session(), subject_id)
    if subject is None:
        abort(404)
    now = clock.now()
    return _feed_response(
        feeds.Feed(
            id=external_url("catalog_meta.subject_feed", subject_id=subject_id),
            title=_(
                "New releases on %(subject)s · %(office)s",
                subject=subject.name,
                office=current_app.config["OFFICE_NAME"],
            ),
            home=external_url("catalog.search", subject=subject.name),
            author=publisher().name,
            updated=now,
            entries=_entries(feeds.releases(db.session(), now, subject_id=subject_id)),
            language=current_locale(),
        )
    )


# --- series -----------------------------------------------------------------------------


@bp.get("/series/<int:series_id>")
def series(series_id: int) -> Any:
    found = series_service.get_series(db.session(), series_id)
    editions = series_service.public_editions(db.session(), series_id, clock.now())
    if not editions and not _is_staff():
        abort(404)  # a series shows its public editions; with none it is not public yet
    return render_template("catalog/series.html", series=found, editions=editions)

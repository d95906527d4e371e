"""The catalogue's channels for machines: OAI-PMH at ``/oai``, sitemaps, robots.txt.

The edge of :mod:`catalog.oai` and :mod:`catalog.sitemaps`: read the request and the
configuration, call them with the app's clock, send XML (or text).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, request, url_for

from app import clock
from app.extensions import db
from catalog import oai, sitemaps
from catalog.oai_settings import OaiSettings

bp = Blueprint("catalog_harvest", __name__)

XML = "text/xml; charset=utf-8"

#: Public pages that are not publications, listed in the sitemap when the app has them
#: (named, not imported: they belong to other features). The catalogue's home changes
#: with the catalogue; the others have no known date.
STATIC_PAGES = (
    "web.index",
    "catalog.home",
    "store.catalogue",
    "advisory.faq_list",
)


def oai_settings() -> OaiSettings:
    config = current_app.config
    base_url = url_for("catalog_harvest.oai_pmh", _external=True)
    repository = (
        config.get("OAI_REPOSITORY_IDENTIFIER")
        or urlsplit(config.get("BASE_URL") or "").hostname
        or urlsplit(base_url).hostname
        or "localhost"
    )
    return OaiSettings(
        base_url=base_url,
        repository_name=str(config["OAI_REPOSITORY_NAME"]),
        admin_email=str(config.get("OAI_ADMIN_EMAIL") or config["OFFICE_EMAIL"]),
        repository_identifier=str(repository),
        creator=str(config["CATALOG_PUBLISHER"]),
        page_size=max(1, int(config["OAI_PAGE_SIZE"])),
        secret_key=str(config["SECRET_KEY"]),
    )


_MARKER = 987654321987


def _landing_urls() -> Callable[[int], str]:
    """Builds publication page addresses: ``url_for`` once, then the id filled in (a
    sitemap part has thousands; ``url_for`` for each was most of its time)."""
    built = url_for("catalog.publication", pub_id=_MARKER, _external=True)
    head, _, tail = built.partition(str(_MARKER))
    return lambda pub_id: f"{head}{int(pub_id)}{tail}"


@bp.route("/oai", methods=["GET", "POST"])
def oai_pmh() -> Any:
    # A POST carries the same arguments form-encoded (for long tokens); it reads only.
    source = request.form if request.method == "POST" else request.args
    args = source.to_dict(flat=False)
    body = oai.respond(
        db.session(), oai_settings(), args, now=clock.now(), landing_url=_landing_urls()
    )
    return Response(body, mimetype="text/xml", content_type=XML)


def _part_size() -> int:
    return sitemaps.part_size(int(current_app.config["SITEMAP_PART_SIZE"]))


@bp.get("/sitemap.xml")
def sitemap_index() -> Any:
    now = clock.now()
    parts = sitemaps.publication_parts(db.session(), now, _part_size()) or [None]
    entries = [
        sitemaps.Entry(url_for("catalog_harvest.sitemap_pages", _external=True)),
        *(
            sitemaps.Entry(
                url_for("catalog_harvest.sitemap_publications", part=n, _external=True), stamp
            )
            for n, stamp in enumerate(parts, start=1)
        ),
    ]
    return Response(sitemaps.sitemap_index(entries), content_type=XML)


@bp.get("/sitemaps/pages.xml")
def sitemap_pages() -> Any:
    newest = sitemaps.newest_change(db.session(), clock.now())
    entries = [
        sitemaps.Entry(
            url_for(endpoint, _external=True), newest if endpoint == "catalog.home" else None
        )
        for endpoint in STATIC_PAGES
        if endpoint in current_app.view_functions
    ]
    return Response(sitemaps.urlset(entries), content_type=XML)


@bp.get("/sitemaps/publications-<int:part>.xml")
def sitemap_publications(part: int) -> Any:
    rows = sitemaps.publication_part(db.session(), clock.now(), _part_size(), part)
    if rows is None:
        abort(404)
    landing_url = _landing_urls()
    entries = [sitemaps.Entry(landing_url(pub_id), stamp) for pub_id, stamp in rows]
    return Response(sitemaps.urlset(entries), content_type=XML)


@bp.get("/robots.txt")
def robots() -> Any:
    text = sitemaps.robots_txt(url_for("catalog_harvest.sitemap_index", _external=True))
    return Response(text, content_type="text/plain; charset=utf-8")

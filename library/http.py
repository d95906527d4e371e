"""HTTP pieces shared by the library's pages and API: the cache folder, the settings and
the moment handed to the download services, the streaming response of a stamped download,
and the one call that starts a publication's download from a request (the reader's page,
the API and the store's purchased copies)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, current_app, request, stream_with_context

from app import clock
from app.accounts.models import User
from app.blobs import current_store
from app.extensions import db
from catalog.models import Publication
from library.downloads import (
    Prepared,
    open_stamp,
    record_outcome,
    start_download,
    stream_download,
)
from library.settings import Settings, settings_from
from storage.disposition import content_disposition


def cache_dir() -> Path:
    """Masters fetched from S3 and rendered pages live here (safe to delete)."""
    return Path(current_app.instance_path) / "cache"


def library_settings() -> Settings:
    """The library's settings of this app (read here, at the edge, for the services)."""
    return settings_from(current_app.config)


def send_download(
    user: User, publication: Publication, *, channel: str, office: str | None = None
) -> Response:
    """Check, record and stream one download of ``publication`` for ``user`` (raises a
    ``LibraryError`` when refused): the settings and the client's address come from
    the app and the request; ``office`` replaces the office name on the stamp."""
    prepared = start_download(
        db.session(),
        current_store(),
        user=user,
        publication=publication,
        office=office if office is not None else current_app.config["OFFICE_NAME"],
        settings=library_settings(),
        cache_dir=cache_dir(),
        now=clock.now(),
        channel=channel,
        ip=request.remote_addr,
        user_agent=request.user_agent.string,
    )
    return download_response(prepared)


def download_response(prepared: Prepared) -> Response:
    """The streaming response of a prepared download: the first bytes leave at once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def finish(download_id: int, outcome: dict[str, Any]) -> None:
        # Runs at the end of the stream, or when the client has gone: a fresh context.
        with app.app_context():
            record_outcome(db.session(), download_id, outcome, clock.now())

    stamping = open_stamp(db.session(), prepared, clock.now())
    body = stream_with_context(stream_download(prepared, stamping, finish))
    response = Response(body, mimetype="application/pdf")
    response.content_length = stamping.length
    response.headers["Content-Disposition"] = content_disposition(prepared.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Download-Code"] = prepared.code
    return response

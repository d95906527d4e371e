"""HTTP pieces shared by the library's pages and API: the cache folder, the settings and
the moment handed to the download services, the streaming response of a stamped download,
and the one call that starts a publication's download from a request (the reader's page,
the API and the store's purchased copies) — which also counts it in the usage statistics
once its last byte has been handed over."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request, stream_with_context

from app import clock
from app.accounts.models import User
from app.blobs import current_store
from app.extensions import db
from app.uow import unit_of_work
from catalog.models import Publication
from library import usage
from library.downloads import (
    Prepared,
    open_stamp,
    record_outcome,
    start_download,
    stream_download,
)
from library.models import DownloadStatus, UsageAction
from library.settings import Settings, settings_from
from storage.disposition import content_disposition

log = logging.getLogger(__name__)


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
    the app and the request; ``office`` replaces the office name on the stamp. A
    completed download is a use of the publication (:mod:`library.usage`)."""
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
    on_complete = None
    if not user.is_staff:  # an officer's copy is no use by the public
        hit = usage.Hit(
            publication.id, UsageAction.DOWNLOAD, user_id=user.id,
            user_agent=request.user_agent.string,
        )  # fmt: skip
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        on_complete = lambda: count_now(app, hit, clock.now())  # noqa: E731
    return download_response(prepared, on_complete=on_complete)


def download_response(
    prepared: Prepared, on_complete: Callable[[], None] | None = None
) -> Response:
    """The streaming response of a prepared download: the first bytes leave at once.
    ``on_complete`` runs after the last byte went out (not when the reader left)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def finish(download_id: int, outcome: dict[str, Any]) -> None:
        # Runs at the end of the stream, or when the client has gone: a fresh context.
        with app.app_context():
            record_outcome(db.session(), download_id, outcome, clock.now())
            if on_complete is not None and outcome["status"] == DownloadStatus.COMPLETE:
                on_complete()

    stamping = open_stamp(db.session(), prepared, clock.now())
    body = stream_with_context(stream_download(prepared, stamping, finish))
    response = Response(body, mimetype="application/pdf")
    response.content_length = stamping.length
    response.headers["Content-Disposition"] = content_disposition(prepared.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Download-Code"] = prepared.code
    return response


def count_now(app: Flask, hit: usage.Hit, now: datetime) -> None:
    """Write one use in its own short transaction; never raises (it is only a count)."""
    try:
        with app.app_context(), unit_of_work(db.session()) as session:
            usage.record(session, hit, now)
    except Exception:  # a count lost is better than an error after the page went out
        log.warning("a use of publication %s was not counted", hit.publication_id, exc_info=True)

"""HTTP pieces shared by the library's pages and API: the cache folder and the streaming
response of a stamped download."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Response, current_app, stream_with_context

from app.extensions import db
from library.downloads import Prepared, open_stamp, record_outcome, stream_download
from storage.disposition import content_disposition


def cache_dir() -> Path:
    """Masters fetched from S3 and rendered pages live here (safe to delete)."""
    return Path(current_app.instance_path) / "cache"


def download_response(prepared: Prepared) -> Response:
    """The streaming response of a prepared download: the first bytes leave at once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def finish(download_id: int, outcome: dict[str, Any]) -> None:
        # Runs at the end of the stream, or when the client has gone: a fresh context.
        with app.app_context():
            record_outcome(db.session(), download_id, outcome)

    stamping = open_stamp(db.session(), prepared)
    body = stream_with_context(stream_download(prepared, stamping, finish))
    response = Response(body, mimetype="application/pdf")
    response.content_length = stamping.length
    response.headers["Content-Disposition"] = content_disposition(prepared.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Download-Code"] = prepared.code
    return response

"""``GET /healthz``: the state of the database, blob storage, search index and job queue.

200 when every part answers, 503 otherwise; the body says which part failed and why in
a short phrase (never a connection string or secret). For load balancers and people.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app import uow
from app.blobs import current_store
from app.extensions import db, limiter
from app.jobs import queue

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)


def _database() -> dict[str, Any]:
    db.session.execute(text("SELECT 1"))
    return {"backend": db.engine.dialect.name}


def _storage() -> dict[str, Any]:
    store = current_store()
    store.ping()
    return {"backend": store.describe().split(":", 1)[0]}


class StaleIndex(Exception):
    """This host's search index is further behind the catalogue than allowed."""


def _search_index() -> dict[str, Any]:
    """The search engine answers, and (Whoosh) this host's index is not stale. The
    catalogue provides the engine and its health (``pst.search_health``)."""
    index = current_app.extensions.get("pst.search")
    if index is None:
        return {"documents": 0}
    if index.name == "whoosh" and not index.exists():
        # A fresh instance: the first index job creates it. Fine if it can.
        _writable_ancestor(Path(current_app.config["SEARCH_INDEX_PATH"]))
    detail: dict[str, Any] = current_app.extensions["pst.search_health"]()
    if detail.pop("stale", False):
        raise StaleIndex(
            f"the {detail['engine']} index of this host is {detail['lag_seconds']:g} s behind "
            f"the catalogue (limit {current_app.config['SEARCH_STALE_SECONDS']:g} s)"
        )
    return detail


def _writable_ancestor(path: Path) -> None:
    while not path.exists() and path != path.parent:
        path = path.parent
    if not os.access(path, os.W_OK):
        raise OSError("the search index folder is not writable")


def _jobs() -> dict[str, Any]:
    return {"pending": queue().pending()}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _database,
    "storage": _storage,
    "search_index": _search_index,
    "jobs": _jobs,
}


def run_checks() -> tuple[bool, dict[str, Any]]:
    results: dict[str, Any] = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            detail = check()
            status = {"status": "ok", **detail}
        except Exception as exc:  # any failure of a part is reported, not raised
            healthy = False
            log.warning("health check %s failed: %s", name, type(exc).__name__)
            status = {"status": "error", "error": _reason(exc)}
            if name == "database":
                uow.discard(db.session())
        status["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = status
    return healthy, results


def _reason(exc: Exception) -> str:
    # The exception's class names the failure without leaking hosts or credentials
    # that drivers like to put in their messages.
    from storage import StorageError

    if isinstance(exc, StorageError | OSError | StaleIndex):
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    return type(exc).__name__


@bp.get("/healthz")
@limiter.exempt
def healthz() -> Any:
    healthy, checks = run_checks()
    response = jsonify({"status": "ok" if healthy else "error", "checks": checks})
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response

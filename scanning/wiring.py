"""Plugs scanning into an app: config defaults, pages, API body limit, CLI, links; and
the two jobs of a scan batch, which read the settings (:mod:`scanning.settings`), the
SANE configuration and the clock here, at the edge, and hand them to
:func:`scanning.batches.run_scan` and :func:`scanning.batches.ingest_batch`.

The API blueprint is registered with the others by :mod:`app.api`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import clock, jobs
from app.abandoned import Abandoned, AbandonRule
from app.abandoned import register_rule as register_abandon_rule
from app.accounts.models import Role
from app.config import set_defaults
from app.navigation import account_link, staff_link
from app.security import allow_large_body
from app.tempfiles import register as register_sweeper
from scanning.batches import (
    INGEST_JOB,
    SCAN_JOB,
    SETTINGS,
    abandoned_batches,
    ingest_batch,
    remove_abandoned_batch,
    run_scan,
    sane_config_dir,
    scans_root,
)
from scanning.errors import BatchBusy
from scanning.pages import INGESTING, load_batch, sweep_leftovers
from scanning.settings import settings_from


def init_app(app: Flask) -> None:
    from scanning import cli, views

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
        # Files a killed process left in the shared blob store that no batch holds: every
        # host's sweep may do this (it is idempotent).
        return sweep_leftovers(scans_root(app), max_age_s, now)

    register_sweeper(app, "scanning.pages", sweep)
    _abandon_rule(app)
    # A page image sent by the scanning bridge is larger than ordinary requests.
    allow_large_body(app, "scan_api.upload_scan_page", "SCANNER_MAX_PAGE_BYTES")


def _abandon_rule(app: Flask) -> None:
    """Batches untouched for ``SCANNER_BATCH_TTL_H`` go with the hourly sweep of abandoned
    work (audited), whether or not anyone opens the scanning page; never one whose scan
    or processing is queued or running."""

    def find(session: Session, cutoff: datetime, now: datetime) -> list[Abandoned]:
        return abandoned_batches(session, scans_root(app), cutoff)

    def remove(session: Session, item: Abandoned, cutoff: datetime, now: datetime) -> bool:
        return remove_abandoned_batch(session, scans_root(app), item.handle, cutoff)

    register_abandon_rule(
        app,
        AbandonRule(
            "scanning.batches",
            _l("Scan batches untouched, with their pages"),
            "SCANNER_BATCH_TTL_H",
            timedelta(hours=1),
            find,
            remove,
        ),
    )


@jobs.job(SCAN_JOB)
def scan_job(ctx: jobs.JobContext, batch_id: str, replace: str | None = None) -> dict[str, Any]:
    """Scan pages into a batch (see :func:`scanning.batches.run_scan`), reporting
    progress per page."""
    app = current_app
    added = run_scan(
        scans_root(),
        batch_id,
        config_dir=sane_config_dir(app.config, app.instance_path),
        settings=settings_from(app.config),
        replace=replace,
        progress=ctx.progress,
    )
    return {"batch_id": batch_id, "pages": len(added)}


@jobs.job(INGEST_JOB)
def scan_ingest_job(ctx: jobs.JobContext, batch_id: str) -> dict[str, Any]:
    """OCR and ingest a finished batch (see :func:`scanning.batches.ingest_batch`)."""
    record = ctx.session.get(jobs.Job, ctx.job_id)
    actor_id = record.created_by_id if record is not None else None
    manifest = load_batch(scans_root(), batch_id)
    if manifest["state"] != INGESTING or manifest.get("ingest_job") != ctx.job_id:
        # Retried or taken back to editing meanwhile: this job is not the batch's now.
        raise BatchBusy(_l("The batch was processed again or taken back to editing."))
    outcome = ingest_batch(
        ctx.session,
        scans_root(),
        batch_id,
        actor_id=actor_id,
        settings=settings_from(current_app.config),
        now=clock.now,
        progress=ctx.progress,
    )
    return {
        "publication_id": outcome.publication_id,
        "scan_request_id": outcome.scan_request_id,
        "pages": outcome.pages,
        "duplicate": outcome.duplicate,
        "batch_id": batch_id,
    }


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

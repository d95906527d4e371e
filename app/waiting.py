"""Records that wait on a background job, and the ways out when the job ended badly.

A feature record (a softcopy request, a catalogue upload, a scan batch) points at the
job doing its work. When that job failed or was cancelled — by its own code, or by the
sweeper after its worker died — the record must not wait for ever: its page shows the
job's state and message, and staff may *retry* (a fresh job with the same inputs,
:func:`requeue`) or take the feature's own way out. A job still queued is cancelled
first (:func:`withdraw`); one running is left to end (or to be failed by the sweeper).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import Session

from app import jobs
from app.blobs import BlobRecord, current_store
from app.errors import Conflict

#: States of a job that will not end by itself successfully: the record needs staff.
STUCK = (jobs.FAILED, jobs.CANCELLED)


class JobRunning(Conflict):
    """The record's job is running: staff wait until it ends (or the sweeper fails it)."""

    message = _l("The work is still running. Wait until it ends, then try again.")


class InputsGone(Conflict):
    """A retry needs the job's inputs (the uploaded file), which are gone."""

    message = _l("The uploaded file is no longer stored. Upload it again instead.")


def job_of(session: Session, job_id: str | None) -> jobs.Job | None:
    return session.get(jobs.Job, job_id) if job_id else None


def is_stuck(job: jobs.Job | None) -> bool:
    """Whether a record waiting on ``job`` waits in vain (a missing job too)."""
    return job is None or job.state in STUCK


def params_of(job: jobs.Job) -> dict[str, Any]:
    try:
        params = json.loads(job.params or "{}")
    except ValueError:
        return {}
    return params if isinstance(params, dict) else {}


def blob_stored(session: Session, key: str | None) -> bool:
    """Whether an upload is still there to be processed again."""
    if not key or session.get(BlobRecord, key) is None:
        return False
    try:
        return current_store().exists(key)
    except Exception:  # an unreachable store: a retry would fail the same way
        return False


def withdraw(session: Session, job: jobs.Job | None, *, message: str) -> bool:
    """Stop ``job`` before the record leaves it: cancel it while queued (in the caller's
    transaction); raise :class:`JobRunning` while it runs. True when it was cancelled."""
    if job is None or job.state in jobs.FINAL:
        return False
    if job.state == jobs.RUNNING:
        raise JobRunning()
    return jobs.cancel(session, job.id, message=message)


def requeue(session: Session, job: jobs.Job, *, actor_id: int | None, **changes: Any) -> jobs.Job:
    """A fresh job with ``job``'s name and inputs (``changes`` replacing some), queued
    in the caller's transaction. Only a stuck job is retried."""
    if job.state in jobs.ACTIVE:
        raise JobRunning()
    if job.state not in STUCK:
        raise Conflict(_l("This work is done already."))
    return jobs.enqueue(session, job.name, actor_id=actor_id, **{**params_of(job), **changes})


# --- the job page's panel of a feature's ways out --------------------------------------

_PANELS = "pst.job_panels"
#: ``render(job) -> HTML`` of a feature's actions on its own kind of job (the job page
#: lives in ``app``, which cannot import the features).
Panel = Callable[[jobs.Job], str]


def register_panel(app: Flask, job_name: str, render: Panel) -> None:
    app.extensions.setdefault(_PANELS, {})[job_name] = render


def panel_for(job: jobs.Job) -> Markup:
    """The HTML a feature registered for ``job``'s kind (its templates escape it)."""
    render = current_app.extensions.get(_PANELS, {}).get(job.name)
    return Markup(render(job)) if render is not None else Markup("")  # noqa: S704 - rendered by Jinja

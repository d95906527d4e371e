"""Background jobs: a Huey queue (SQLite embedded, Redis in production) plus job state.

Packages declare work with :func:`job` and start it with :func:`enqueue`, which adds a
:class:`Job` row to the caller's transaction and hands the id to Huey after commit.
A worker runs the function with a :class:`JobContext` through which it reports
progress (0–100). State (queued, running, done, failed, cancelled) lives in the
database, so staff see it whichever process ran the job.

The row is the source of truth, not the queue (an outbox): a job whose hand-over to
Huey failed stays queued with no ``submitted_at`` and :mod:`app.sweeper` submits it
again; a running job holds a lease that a heartbeat renews, so a job whose worker died
is found by its expired lease and run again or failed with a message; a job raising
one of its ``retry_on`` errors is run again later with exponential backoff. Workers
take a job with one conditional UPDATE, so a job handed over twice runs once.

The modules, each named for what it holds: :mod:`~app.jobs.models` (the row, its
states), :mod:`~app.jobs.registry` (jobs and periodic tasks the packages register),
:mod:`~app.jobs.policy` (leases, attempts, backoff), :mod:`~app.jobs.leases` (claim
and heartbeat), :mod:`~app.jobs.worker` (running one job), :mod:`~app.jobs.submission`
(enqueue, run here), :mod:`~app.jobs.actions` (cancel, retry, list),
:mod:`~app.jobs.huey_queue` (the hand-over to Huey) and :mod:`~app.jobs.labels` (jobs
as staff read them). Callers import them from here.
"""

from __future__ import annotations

from flask import Flask

from app.jobs.actions import cancel, recent_jobs, retry
from app.jobs.huey_queue import JobQueue, make_huey, queue
from app.jobs.labels import (
    JOB_LABELS,
    RESULT_LABELS,
    STEP_LABELS,
    job_label,
    result_rows,
    step_label,
)
from app.jobs.models import (
    ACTIVE,
    CANCELLED,
    CANCELLED_BY_STAFF,
    DONE,
    FAILED,
    FINAL,
    GAVE_UP,
    INTERNAL_ERROR,
    QUEUED,
    RETRYING,
    RUNNING,
    STATES,
    WORKER_LOST,
    WORKER_LOST_RETRY,
    Job,
)
from app.jobs.policy import TRANSIENT_ERRORS, lease_seconds
from app.jobs.registry import (
    JobFunction,
    JobSpec,
    Periodic,
    PeriodicFunction,
    job,
    periodic,
    periodic_tasks,
)
from app.jobs.submission import enqueue, run_queued_here
from app.jobs.worker import JobContext, execute

__all__ = [
    "ACTIVE",
    "CANCELLED",
    "CANCELLED_BY_STAFF",
    "DONE",
    "FAILED",
    "FINAL",
    "GAVE_UP",
    "INTERNAL_ERROR",
    "JOB_LABELS",
    "QUEUED",
    "RESULT_LABELS",
    "RETRYING",
    "RUNNING",
    "STATES",
    "STEP_LABELS",
    "TRANSIENT_ERRORS",
    "WORKER_LOST",
    "WORKER_LOST_RETRY",
    "Job",
    "JobContext",
    "JobFunction",
    "JobQueue",
    "JobSpec",
    "Periodic",
    "PeriodicFunction",
    "cancel",
    "enqueue",
    "execute",
    "init_app",
    "job",
    "job_label",
    "lease_seconds",
    "make_huey",
    "periodic",
    "periodic_tasks",
    "queue",
    "recent_jobs",
    "result_rows",
    "retry",
    "run_queued_here",
    "step_label",
]


def init_app(app: Flask) -> None:
    app.extensions["pst.jobs"] = JobQueue(app, execute)
    app.jinja_env.filters["job_step"] = step_label
    app.jinja_env.filters["job_label"] = job_label
    app.jinja_env.filters["job_result"] = result_rows

"""The job sweeper: recovers jobs the queue lost and calls the periodic hooks.

Every ``pst worker`` and the embedded worker of ``pst serve`` run a :class:`Sweeper`
thread that calls :func:`sweep` every ``JOBS_SWEEP_SECONDS`` (``pst jobs sweep`` runs
it once). A sweep

- takes running jobs whose lease has lapsed (their worker died or lost the database):
  queued again while they have attempts left, else failed with :data:`WORKER_LOST`;
- hands to the queue the queued jobs that are due and were never handed over (Redis
  was down at commit, or a retry waits for its time), and those handed over so long
  ago (``JOBS_STALE_SECONDS``) that the queue must have lost them;
- calls each :func:`app.jobs.periodic` hook that is due.

Several sweepers may run at once: every change is a conditional UPDATE, and a job
handed over twice still runs once (:func:`app.jobs.execute` claims it).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from app import uow
from app.db import utcnow
from app.jobs import (
    FAILED,
    QUEUED,
    RUNNING,
    WORKER_LOST,
    WORKER_LOST_RETRY,
    Job,
    lease_seconds,
    periodic_tasks,
    queue,
)
from app.uow import unit_of_work

log = logging.getLogger(__name__)

#: A job just committed is being handed over by its request: leave it that long.
SUBMIT_GRACE = timedelta(seconds=5)


@dataclass
class SweepReport:
    requeued: list[str] = field(default_factory=list)  # lease lapsed, attempts left
    failed: list[str] = field(default_factory=list)  # lease lapsed, no attempts left
    submitted: list[str] = field(default_factory=list)  # handed to the queue
    unsubmitted: list[str] = field(default_factory=list)  # the queue is still away


def sweep(session: Session, *, now: datetime | None = None) -> SweepReport:
    """One pass over the jobs table (see the module's docstring)."""
    now = now or utcnow()
    report = SweepReport()
    _expired_leases(session, now, report)
    _submit_due(session, now, report)
    return report


def _expired_leases(session: Session, now: datetime, report: SweepReport) -> None:
    # Rows from before leases existed have none: their start plus one lease counts.
    lapsed = or_(
        Job.lease_until < now,
        and_(
            Job.lease_until.is_(None),
            Job.started_at < now - timedelta(seconds=lease_seconds()),
        ),
    )
    with unit_of_work(session):
        rows = session.execute(
            select(Job.id, Job.attempts, Job.max_attempts).where(Job.state == RUNNING, lapsed)
        ).all()
        for job_id, attempts, allowed in rows:
            # Only the attempt seen here, and only if its lease is still lapsed: a worker
            # that renewed it meanwhile keeps its job.
            same = (Job.id == job_id, Job.state == RUNNING, Job.attempts == attempts, lapsed)
            if attempts < allowed:
                values = {
                    "state": QUEUED,
                    "message": WORKER_LOST_RETRY,
                    "lease_until": None,
                    "submitted_at": None,
                    "next_attempt_at": now,
                }
                target = report.requeued
            else:
                values = {
                    "state": FAILED,
                    "message": WORKER_LOST,
                    "lease_until": None,
                    "finished_at": now,
                }
                target = report.failed
            done = session.execute(update(Job).where(*same).values(**values))
            if getattr(done, "rowcount", 0):
                target.append(job_id)
                log.warning(
                    "job %s: its worker stopped (lease lapsed); %s", job_id, values["state"]
                )


def _submit_due(session: Session, now: datetime, report: SweepReport) -> None:
    stale = timedelta(seconds=float(current_app.config.get("JOBS_STALE_SECONDS") or 600))

    def due(by: datetime, fresh_by: datetime) -> ColumnElement[bool]:
        # A retry is due at its time; a new job once its request had time to hand it over.
        return or_(
            and_(Job.next_attempt_at.is_(None), Job.created_at <= fresh_by),
            Job.next_attempt_at <= by,
        )

    ids = list(
        session.scalars(
            select(Job.id)
            .where(
                Job.state == QUEUED,
                or_(
                    and_(Job.submitted_at.is_(None), due(now, now - SUBMIT_GRACE)),
                    and_(Job.submitted_at <= now - stale, due(now - stale, now - stale)),
                ),
            )
            .order_by(Job.created_at)
            .limit(500)
        )
    )
    uow.end_read(session)  # before handing over (immediate mode runs jobs here)
    jobs = queue()
    for job_id in ids:
        if jobs.offer(job_id):
            report.submitted.append(job_id)
        else:
            report.unsubmitted.append(job_id)
            break  # the queue is away: the next sweep tries again
    if report.submitted:
        log.info("sweeper handed %d job(s) to the queue", len(report.submitted))


class Sweeper(threading.Thread):
    """Sweeps every ``JOBS_SWEEP_SECONDS`` and calls the periodic hooks, in a thread."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="pst-job-sweeper", daemon=True)
        self._app = app
        self._stop_event = threading.Event()
        self._last_run: dict[str, float] = {}

    @property
    def interval(self) -> float:
        return max(0.2, float(self._app.config.get("JOBS_SWEEP_SECONDS") or 30))

    def run(self) -> None:
        while True:
            self.tick()
            if self._stop_event.wait(self.interval):
                return

    def tick(self) -> None:
        from app.extensions import db

        with self._app.app_context():
            try:
                with Session(db.engine) as session:
                    sweep(session)
            except Exception as exc:  # the database is away: next tick
                log.warning("job sweep failed (%s)", type(exc).__name__)
            for task in periodic_tasks():
                last = self._last_run.get(task.name)
                if last is not None and time.monotonic() - last < task.every_seconds:
                    continue
                self._last_run[task.name] = time.monotonic()
                try:
                    with Session(db.engine) as session:
                        task.fn(session)
                except Exception:
                    log.exception("periodic task %s failed", task.name)

    def stop(self) -> None:
        self._stop_event.set()
        if self.is_alive():
            self.join(timeout=30)

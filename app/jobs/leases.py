"""A worker's hold on a job: it takes a queued job with one conditional UPDATE (so a job
handed over twice runs once) and renews the lease while the job runs; a job whose lease
lapsed is taken for lost by :mod:`app.sweeper`."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.db import utcnow
from app.jobs.models import QUEUED, RUNNING, Job
from app.jobs.policy import lease_seconds
from app.uow import unit_of_work

log = logging.getLogger(__name__)


def claim(session: Session, job_id: str) -> int | None:
    """Take a queued, due job for this worker: the attempt number, or None if another
    worker has it, it is not due yet, or it is not queued any more."""
    now = utcnow()
    # Taking the lease commits on its own, before the (slow) work starts.
    with unit_of_work(session):
        taken = session.execute(
            update(Job)
            .where(
                Job.id == job_id,
                Job.state == QUEUED,
                (Job.next_attempt_at.is_(None))
                | (Job.next_attempt_at <= now + timedelta(seconds=1)),
            )
            .values(
                state=RUNNING,
                started_at=now,
                finished_at=None,
                attempts=Job.attempts + 1,
                next_attempt_at=None,
                lease_until=now + timedelta(seconds=lease_seconds()),
            )
            .execution_options(synchronize_session=False)
        )
    if not getattr(taken, "rowcount", 0):
        return None
    attempt = session.scalar(select(Job.attempts).where(Job.id == job_id))
    return int(attempt or 1)


class Heartbeat(threading.Thread):
    """Renews a running job's lease on a connection of its own while the function runs
    (a long step that reports no progress must not look like a dead worker)."""

    def __init__(self, engine: Engine, job_id: str, attempt: int, lease: float) -> None:
        super().__init__(name=f"job-heartbeat-{job_id[:8]}", daemon=True)
        self._engine, self._job_id, self._attempt, self._lease = engine, job_id, attempt, lease
        self._stop_event = threading.Event()

    def run(self) -> None:
        interval = max(0.2, self._lease / 3)
        while not self._stop_event.wait(interval):
            try:
                with self._engine.begin() as conn:
                    conn.execute(
                        update(Job)
                        .where(
                            Job.id == self._job_id,
                            Job.state == RUNNING,
                            Job.attempts == self._attempt,
                        )
                        .values(lease_until=utcnow() + timedelta(seconds=self._lease))
                    )
            except Exception as exc:  # the database is away: the lease may lapse
                log.warning("job %s: lease not renewed (%s)", self._job_id, type(exc).__name__)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)

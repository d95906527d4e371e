"""Running one job: claim it, call its function with a :class:`JobContext` under a
heartbeat, and record how the attempt ended — done, failed, or queued again with
backoff when it raised one of its transient errors."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import uow
from app.db import utcnow
from app.errors import PSTError
from app.jobs import policy, registry
from app.jobs.huey_queue import queue
from app.jobs.leases import Heartbeat, claim
from app.jobs.models import DONE, FAILED, GAVE_UP, INTERNAL_ERROR, QUEUED, RETRYING, RUNNING, Job
from app.uow import unit_of_work

log = logging.getLogger(__name__)


@dataclass
class JobContext:
    """Handed to a running job: its id and a way to report progress."""

    job_id: str
    session: Session
    attempt: int = 1
    lease: float = field(default=0.0)

    def progress(self, percent: int, message: str | None = None) -> None:
        percent = max(0, min(100, int(percent)))
        values: dict[str, Any] = {"progress": percent}
        if message is not None:
            values["message"] = message
        if self.lease:
            values["lease_until"] = utcnow() + timedelta(seconds=self.lease)
        # Its own unit of work, so that staff watching the job see it move (inside a
        # service's scope it joins that scope instead).
        with unit_of_work(self.session):
            self.session.execute(
                update(Job).where(Job.id == self.job_id, Job.state == RUNNING).values(**values)
            )


def execute(session: Session, job_id: str) -> None:
    """Run one job to completion, recording its state. Used by the Huey task."""
    attempt = claim(session, job_id)
    if attempt is None:
        # Already run elsewhere (by the CLI on embedded defaults, or by another worker
        # of a job submitted twice), cancelled, or not due yet.
        log.debug("job %s not taken: not queued or not due", job_id)
        return
    record = session.get(Job, job_id)
    assert record is not None  # just claimed
    name, params = record.name, json.loads(record.params)
    fn = registry.function(name)
    lease = policy.lease_seconds()
    heartbeat = Heartbeat(session.get_bind(), job_id, attempt, lease)  # type: ignore[arg-type]
    heartbeat.start()
    try:
        if fn is None:
            raise RuntimeError(f"no code registered for job {name!r}")
        result = fn(JobContext(job_id, session, attempt, lease), **params)
    except PSTError as exc:
        heartbeat.stop()
        uow.discard(session)  # what the failed attempt wrote goes; its failure is recorded
        _finish(session, job_id, attempt, FAILED, message=str(exc.message))
    except Exception as exc:
        heartbeat.stop()
        uow.discard(session)
        if isinstance(exc, policy.retryable(name)):
            log.warning("job %s (%s) attempt %s: %s", job_id, name, attempt, type(exc).__name__)
            _retry_or_fail(session, job_id, name, attempt)
        else:
            log.exception("job %s (%s) failed", job_id, name)
            _finish(session, job_id, attempt, FAILED, message=INTERNAL_ERROR)
    else:
        heartbeat.stop()
        _finish(session, job_id, attempt, DONE, result=result)


def _retry_or_fail(session: Session, job_id: str, name: str, attempt: int) -> None:
    allowed = session.scalar(select(Job.max_attempts).where(Job.id == job_id)) or 1
    if attempt >= allowed:
        _finish(session, job_id, attempt, FAILED, message=GAVE_UP)
        return
    delay = policy.backoff(name, attempt)
    with unit_of_work(session):
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == RUNNING, Job.attempts == attempt)
            .values(
                state=QUEUED,
                message=RETRYING,
                lease_until=None,
                submitted_at=None,
                next_attempt_at=utcnow() + timedelta(seconds=delay),
            )
        )
    queue().offer(job_id, delay=delay)


def _finish(
    session: Session,
    job_id: str,
    attempt: int,
    state: str,
    *,
    message: str | None = None,
    result: Any = None,
) -> None:
    """Record how this attempt ended, unless the job was cancelled, or given to another
    worker after this one's lease lapsed, meanwhile (theirs is the record that counts)."""
    values: dict[str, Any] = {"state": state, "finished_at": utcnow(), "lease_until": None}
    if state == DONE:
        values["progress"] = 100
        values["result"] = json.dumps(result, default=str) if result is not None else None
        values["message"] = None
    if message is not None:
        values["message"] = message
    # Recording the result is a unit of work of its own; after a success it also
    # commits what the job function left uncommitted, as one transaction.
    with unit_of_work(session):
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.state == RUNNING, Job.attempts == attempt)
            .values(**values)
        )

"""What is done to a job already made: cancel it, queue a failed one again, list the
latest (the admin's job pages, and features withdrawing work they asked for)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.jobs import policy, registry
from app.jobs.models import ACTIVE, CANCELLED, FAILED, QUEUED, Job
from app.jobs.submission import submit_after_commit


def cancel(session: Session, job_id: str, *, message: str | None = None) -> bool:
    """Mark a job that has not finished as cancelled, in the caller's transaction.

    A worker that later takes it from the queue finds it not queued and skips it; a
    running one finishes its step, and its result is not recorded over the cancel.
    Returns whether the job was cancelled (False when it had already finished).
    """
    done = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state.in_(ACTIVE))
        .values(state=CANCELLED, finished_at=utcnow(), message=message, lease_until=None)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(done, "rowcount", 0))


def retry(session: Session, job_id: str) -> bool:
    """Queue a failed or cancelled job again with a fresh set of attempts, in the caller's
    transaction (submitted after commit). Returns whether it was queued."""
    name = session.scalar(select(Job.name).where(Job.id == job_id))
    if name is None or registry.function(name) is None:
        return False
    done = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state.in_((FAILED, CANCELLED)))
        .values(
            state=QUEUED,
            progress=0,
            message=None,
            result=None,
            started_at=None,
            finished_at=None,
            attempts=0,
            max_attempts=policy.max_attempts(name),
            submitted_at=None,
            next_attempt_at=None,
            lease_until=None,
        )
        .execution_options(synchronize_session="fetch")
    )
    if not getattr(done, "rowcount", 0):
        return False
    submit_after_commit(session, job_id)
    return True


def recent_jobs(session: Session, *, limit: int = 50, offset: int = 0) -> list[Job]:
    return list(
        session.scalars(select(Job).order_by(Job.created_at.desc()).limit(limit).offset(offset))
    )

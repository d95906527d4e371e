"""Starting jobs: a queued row in the caller's transaction, handed to the queue after
commit (an outbox: a hand-over that fails leaves the row unsubmitted and the sweeper
submits it), or run here by a process that has no worker beside it."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import utcnow
from app.jobs import policy, registry
from app.jobs.huey_queue import queue
from app.jobs.models import QUEUED, Job
from app.jobs.worker import execute
from app.uow import after_commit


def enqueue(session: Session, name: str, *, actor_id: int | None = None, **params: Any) -> Job:
    """Create a queued job in ``session``; it is submitted once the caller commits.

    The submission never raises into the caller: if the queue is unreachable (Redis
    down) the row stays queued without ``submitted_at`` and the sweeper submits it.
    """
    if registry.function(name) is None:
        raise KeyError(f"unknown job {name!r}")
    record = Job(
        id=uuid.uuid4().hex,
        name=name,
        state=QUEUED,
        progress=0,
        params=json.dumps(params, sort_keys=True),
        created_by_id=actor_id,
        created_at=utcnow(),
        attempts=0,
        max_attempts=policy.max_attempts(name),
    )
    session.add(record)
    submit_after_commit(session, record.id)
    return record


def submit_after_commit(session: Session, job_id: str) -> None:
    """Hand ``job_id`` to the queue once ``session`` commits (never raising there)."""
    jobs = queue()  # found now, in the caller's app context
    after_commit(session, lambda: jobs.offer(job_id))


def run_queued_here(session: Session, names: list[str] | None = None) -> int:
    """Run queued jobs in this process (the CLI on embedded defaults, where no worker may
    be running). A worker that later takes the same job from the queue finds it done."""
    query = select(Job.id).where(Job.state == QUEUED).order_by(Job.created_at)
    if names:
        query = query.where(Job.name.in_(names))
    ids = list(session.scalars(query))
    for job_id in ids:
        execute(session, job_id)
    return len(ids)

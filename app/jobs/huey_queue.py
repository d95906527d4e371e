"""The hand-over to Huey (Redis in production, SQLite embedded): the app's queue, made
on first use, which submits job ids and records the submission on the job row.

huey is imported only when a queue is first used: it pulls in redis and psycopg, and a
``pst`` command or a web process that never hands over a job should not pay for them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.db import utcnow
from app.jobs.models import QUEUED, Job

if TYPE_CHECKING:
    from huey import Huey

log = logging.getLogger(__name__)

#: Runs one job to completion in a session: :func:`app.jobs.worker.execute`.
Runner = Callable[[Session, str], None]


def make_huey(app: Flask) -> Huey:
    """Redis when ``REDIS_URL`` is set (several processes share it), SQLite otherwise."""
    from huey import RedisHuey, SqliteHuey

    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    if app.config.get("REDIS_URL"):
        # Short timeouts: a Redis that is down must not hold a request (or the sweeper).
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=10
        )
        # The name keys the queue in Redis: two installations (or test runs) sharing a
        # Redis never take each other's jobs.
        name = str(app.config["JOBS_QUEUE_NAME"])
        return RedisHuey(name, connection_pool=pool, immediate=immediate)
    path = Path(app.instance_path) / "jobs.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("pst", filename=str(path), immediate=immediate)


class JobQueue:
    """The app's Huey instance, made on first use (SqliteHuey opens its file at once,
    and the factory must not touch the disk). ``runner`` is what its task calls."""

    def __init__(self, app: Flask, runner: Runner) -> None:
        self._app = app
        self._runner = runner
        self._huey: Huey | None = None
        self._run_job: Any = None

    @property
    def huey(self) -> Huey:
        if self._huey is None:
            from app.extensions import db

            huey = make_huey(self._app)
            app, runner = self._app, self._runner

            @huey.task(name="pst.run_job")
            def run_job(job_id: str) -> None:
                # A session of its own: the job may run inside another session's
                # after-commit hook (immediate mode), where that one cannot emit SQL.
                with app.app_context(), Session(db.engine) as session:
                    runner(session, job_id)

            self._huey, self._run_job = huey, run_job
        return self._huey

    def submit(self, job_id: str, *, delay: float | None = None) -> None:
        """Hand ``job_id`` to the queue (raises if the queue is unreachable)."""
        self.huey  # noqa: B018 - builds the task on first use
        if delay:
            self._run_job.schedule(args=(job_id,), delay=delay)
        else:
            self._run_job(job_id)

    def offer(self, job_id: str, *, delay: float | None = None) -> bool:
        """Submit ``job_id`` and record it; on failure log a warning and leave the row
        unsubmitted for the sweeper. Never raises. Returns whether it was handed over."""
        if delay and self._app.config.get("JOBS_IMMEDIATE"):
            return False  # immediate mode has no scheduler: the sweeper runs it when due
        # Recorded before the hand-over: a worker may take the job (and a retry clear
        # the mark) before this process would get to write it afterwards.
        stamp = utcnow()
        if not self._mark(job_id, stamp, QUEUED):
            return False
        try:
            self.submit(job_id, delay=delay)
        except Exception as exc:
            log.warning(
                "job %s not handed to the queue (%s); the sweeper will submit it",
                job_id,
                type(exc).__name__,
            )
            self._mark(job_id, None, stamp)
            return False
        return True

    def _mark(self, job_id: str, value: datetime | None, only_if: datetime | str) -> bool:
        """Set ``submitted_at`` of a queued job (``only_if`` QUEUED), or clear our own
        mark (``only_if`` the stamp we set). False when the database is away."""
        from app.extensions import db

        query = update(Job).where(Job.id == job_id, Job.state == QUEUED)
        if isinstance(only_if, datetime):
            query = query.where(Job.submitted_at == only_if)
        try:
            with self._app.app_context(), db.engine.begin() as conn:
                conn.execute(query.values(submitted_at=value))
        except Exception as exc:
            log.warning("job %s: submission not recorded (%s)", job_id, type(exc).__name__)
            return False
        return True

    def pending(self) -> int:
        """Raise if the queue's storage is unreachable; return how many tasks wait."""
        return int(self.huey.pending_count())


def queue() -> JobQueue:
    q: JobQueue = current_app.extensions["pst.jobs"]
    return q

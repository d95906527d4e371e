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
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app import uow
from app.db import Base, UTCDateTime, utcnow
from app.errors import PSTError
from app.uow import after_commit, unit_of_work

if TYPE_CHECKING:
    from huey import Huey

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
CANCELLED = "cancelled"
STATES = (QUEUED, RUNNING, DONE, FAILED, CANCELLED)
#: States a job can still leave by itself.
ACTIVE = (QUEUED, RUNNING)
#: States in which nothing more will happen to a job unless staff act.
FINAL = (DONE, FAILED, CANCELLED)

#: Messages the job machinery records (in English; pages show them translated).
INTERNAL_ERROR = "internal error; see the server log"
WORKER_LOST = "the worker stopped while running this job"
WORKER_LOST_RETRY = "the worker stopped while running this job; it will run again"
RETRYING = "a temporary error; the job will run again"
GAVE_UP = "a temporary error persisted after the last attempt"
CANCELLED_BY_STAFF = "cancelled by an administrator"

#: Errors every job retries: the database went away under it (a restart, a failover,
#: a terminated connection). The next attempt gets a fresh connection from the pool.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    state: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    params: Mapped[str] = mapped_column(Text, default="{}")
    result: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Runs begun so far (a worker's claim counts one), and how many are allowed.
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    max_attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    #: When the job was last handed to the queue; NULL while that still has to happen.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: A queued job runs no earlier than this (retry backoff); NULL: at once.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: A running job's worker renews this; once it passes, the worker is taken for dead.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def result_data(self) -> Any:
        return json.loads(self.result) if self.result else None


JobFunction = Callable[..., Any]
_REGISTRY: dict[str, JobFunction] = {}


@dataclass(frozen=True)
class JobSpec:
    """How a registered job is retried: which errors are transient, how often, how late."""

    retry_on: tuple[type[BaseException], ...] = ()
    max_attempts: int | None = None  # None: the JOBS_MAX_ATTEMPTS setting
    backoff_seconds: float | None = None  # None: the JOBS_RETRY_SECONDS setting


_SPECS: dict[str, JobSpec] = {}


def job(
    name: str,
    *,
    retry_on: tuple[type[BaseException], ...] = (),
    max_attempts: int | None = None,
    backoff_seconds: float | None = None,
) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn(ctx, **params)`` as the job called ``name``.

    A run that raises one of ``retry_on`` (or a lost database connection) is run
    again after ``backoff_seconds`` × 2^(attempt − 1), up to ``max_attempts`` runs in
    all; a run whose worker died counts as an attempt too. Jobs should therefore be
    safe to run again (check what an earlier run already did).
    """

    def decorator(fn: JobFunction) -> JobFunction:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise RuntimeError(f"job {name!r} registered twice")
        _REGISTRY[name] = fn
        _SPECS[name] = JobSpec(tuple(retry_on), max_attempts, backoff_seconds)
        return fn

    return decorator


PeriodicFunction = Callable[[Session], None]


@dataclass(frozen=True)
class Periodic:
    name: str
    every_seconds: int
    fn: PeriodicFunction


_PERIODIC: dict[str, Periodic] = {}


def periodic(name: str, every_seconds: int) -> Callable[[PeriodicFunction], PeriodicFunction]:
    """Register ``fn(session) -> None`` to be called by the sweeper every ``every_seconds``.

    Every process that sweeps (each ``pst worker``, ``pst serve``'s embedded worker)
    calls it on its own clock, so ``fn`` must be safe to run in several processes at
    once (take rows with conditional UPDATEs, or enqueue a job). It runs with a session
    of its own, in an app context; it commits what it wants kept, and an exception is
    logged and rolled back (the next tick calls it again).
    """

    def decorator(fn: PeriodicFunction) -> PeriodicFunction:
        known = _PERIODIC.get(name)
        if known is not None and known.fn is not fn:
            raise RuntimeError(f"periodic task {name!r} registered twice")
        _PERIODIC[name] = Periodic(name, max(1, int(every_seconds)), fn)
        return fn

    return decorator


def periodic_tasks() -> list[Periodic]:
    return list(_PERIODIC.values())


def _setting(key: str, default: float) -> float:
    try:
        return float(current_app.config.get(key) or default)
    except RuntimeError:  # outside an app context (a bare script): the default
        return default


def lease_seconds() -> float:
    return _setting("JOBS_LEASE_SECONDS", 60)


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


def enqueue(session: Session, name: str, *, actor_id: int | None = None, **params: Any) -> Job:
    """Create a queued job in ``session``; it is submitted once the caller commits.

    The submission never raises into the caller: if the queue is unreachable (Redis
    down) the row stays queued without ``submitted_at`` and the sweeper submits it.
    """
    if name not in _REGISTRY:
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
        max_attempts=_max_attempts(name),
    )
    session.add(record)
    jobs = queue()
    job_id = record.id
    after_commit(session, lambda: jobs.offer(job_id))
    return record


def _max_attempts(name: str) -> int:
    spec = _SPECS.get(name, JobSpec())
    if spec.max_attempts is not None:
        return max(1, spec.max_attempts)
    return max(1, int(_setting("JOBS_MAX_ATTEMPTS", 3)))


def _backoff(name: str, attempt: int) -> float:
    spec = _SPECS.get(name, JobSpec())
    base = spec.backoff_seconds
    if base is None:
        base = _setting("JOBS_RETRY_SECONDS", 30)
    return float(min(base * 2 ** max(0, attempt - 1), 3600.0))


def _claim(session: Session, job_id: str) -> int | None:
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


class _Heartbeat(threading.Thread):
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


def execute(session: Session, job_id: str) -> None:
    """Run one job to completion, recording its state. Used by the Huey task."""
    attempt = _claim(session, job_id)
    if attempt is None:
        # Already run elsewhere (by the CLI on embedded defaults, or by another worker
        # of a job submitted twice), cancelled, or not due yet.
        log.debug("job %s not taken: not queued or not due", job_id)
        return
    record = session.get(Job, job_id)
    assert record is not None  # just claimed
    name, params = record.name, json.loads(record.params)
    fn = _REGISTRY.get(name)
    lease = lease_seconds()
    heartbeat = _Heartbeat(session.get_bind(), job_id, attempt, lease)  # type: ignore[arg-type]
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
        if isinstance(exc, _retryable(name)):
            log.warning("job %s (%s) attempt %s: %s", job_id, name, attempt, type(exc).__name__)
            _retry_or_fail(session, job_id, name, attempt)
        else:
            log.exception("job %s (%s) failed", job_id, name)
            _finish(session, job_id, attempt, FAILED, message=INTERNAL_ERROR)
    else:
        heartbeat.stop()
        _finish(session, job_id, attempt, DONE, result=result)


def _retryable(name: str) -> tuple[type[BaseException], ...]:
    return (*TRANSIENT_ERRORS, *_SPECS.get(name, JobSpec()).retry_on)


def _retry_or_fail(session: Session, job_id: str, name: str, attempt: int) -> None:
    allowed = session.scalar(select(Job.max_attempts).where(Job.id == job_id)) or 1
    if attempt >= allowed:
        _finish(session, job_id, attempt, FAILED, message=GAVE_UP)
        return
    delay = _backoff(name, attempt)
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
    if name is None or name not in _REGISTRY:
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
            max_attempts=_max_attempts(name),
            submitted_at=None,
            next_attempt_at=None,
            lease_until=None,
        )
        .execution_options(synchronize_session="fetch")
    )
    if not getattr(done, "rowcount", 0):
        return False
    jobs = queue()
    after_commit(session, lambda: jobs.offer(job_id))
    return True


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


def recent_jobs(session: Session, *, limit: int = 50, offset: int = 0) -> list[Job]:
    return list(
        session.scalars(select(Job).order_by(Job.created_at.desc()).limit(limit).offset(offset))
    )


def make_huey(app: Flask) -> Huey:
    """Redis when ``REDIS_URL`` is set (several processes share it), SQLite otherwise."""
    # Imported here: huey pulls in redis and psycopg, and a `pst` command or a web
    # process that never hands over a job should not pay for them at start.
    from huey import RedisHuey, SqliteHuey

    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    if app.config.get("REDIS_URL"):
        # Short timeouts: a Redis that is down must not hold a request (or the sweeper).
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=10
        )
        return RedisHuey("pst", connection_pool=pool, immediate=immediate)
    path = Path(app.instance_path) / "jobs.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("pst", filename=str(path), immediate=immediate)


class JobQueue:
    """The app's Huey instance, made on first use (SqliteHuey opens its file at once,
    and the factory must not touch the disk)."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._huey: Huey | None = None
        self._run_job: Any = None

    @property
    def huey(self) -> Huey:
        if self._huey is None:
            from app.extensions import db

            huey = make_huey(self._app)
            app = self._app

            @huey.task(name="pst.run_job")
            def run_job(job_id: str) -> None:
                # A session of its own: the job may run inside another session's
                # after-commit hook (immediate mode), where that one cannot emit SQL.
                with app.app_context(), Session(db.engine) as session:
                    execute(session, job_id)

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


#: The step names jobs report with their progress (kept in English in the database),
#: as staff read them.
STEP_LABELS = {
    "starting": _l("starting"),
    "checking": _l("checking the file"),
    "sanitising": _l("cleaning the PDF"),
    "storing": _l("storing the files"),
    "recognising text": _l("recognising text"),
    "fulfilling": _l("delivering to the reader"),
    "done": _l("done"),
    INTERNAL_ERROR: _l("internal error; see the server log"),
    WORKER_LOST: _l("the worker stopped while running this job"),
    WORKER_LOST_RETRY: _l("the worker stopped while running this job; it will run again"),
    RETRYING: _l("a temporary error; the job will run again"),
    GAVE_UP: _l("a temporary error persisted after the last attempt"),
    CANCELLED_BY_STAFF: _l("cancelled by an administrator"),
}
#: Names of the jobs the features register (app cannot import them: plain strings).
JOB_LABELS = {
    "storage.check": _l("Storage check"),
    "catalog.index": _l("Search index update"),
    "catalog.reindex": _l("Search index rebuild"),
    "catalog.ingest": _l("Publication upload"),
    "library.softcopy_ingest": _l("Softcopy for a request"),
    "library.scan": _l("Scanning"),
    "library.scan_ingest": _l("Processing scanned pages"),
    "library.plan_masters": _l("Stamping plans of stored masters"),
    "advisory.remind": _l("Advisory reminders"),
}
#: What a finished job's result holds, as a person reads it.
RESULT_LABELS = {
    "checked": _l("Files checked"),
    "missing": _l("Missing files"),
    "corrupt": _l("Damaged files"),
    "indexed": _l("Publications indexed"),
    "removed": _l("Removed from the index"),
    "documents": _l("Publications indexed"),
    "pages": _l("Pages"),
    "publication_id": _l("Publication"),
    "request_id": _l("Request"),
    "duplicate": _l("Already in the catalogue"),
    "batch_id": _l("Scan batch"),
    "sha256": _l("SHA-256"),
    "title": _l("Title"),
}
_PAGE_OF = re.compile(r"^page (\d+) of (\d+)$")
_PAGE = re.compile(r"^page (\d+)$")


def job_label(name: str) -> str:
    return str(JOB_LABELS.get(name, name))


def result_rows(result: Any) -> list[tuple[str, str]]:
    """A job's result as (label, value) rows instead of raw JSON: lists are joined (or
    "none"), booleans are yes/no."""
    if not isinstance(result, dict):
        return [(_("Result"), str(result))]
    rows = []
    for key, value in result.items():
        if isinstance(value, bool):
            shown = _("yes") if value else _("no")
        elif isinstance(value, list | tuple):
            shown = ", ".join(map(str, value)) if value else _("none")
        elif value is None:
            shown = "–"
        else:
            shown = str(value)
        rows.append((str(RESULT_LABELS.get(key, key.replace("_", " "))), shown))
    return rows


def step_label(message: str | None) -> str:
    """A job's progress message in the reader's language (unknown ones unchanged)."""
    if not message:
        return ""
    if message in STEP_LABELS:
        return str(STEP_LABELS[message])
    if match := _PAGE_OF.match(message):
        return _("page %(n)s of %(total)s", n=match[1], total=match[2])
    if match := _PAGE.match(message):
        return _("page %(n)s", n=match[1])
    return message


def init_app(app: Flask) -> None:
    app.extensions["pst.jobs"] = JobQueue(app)
    app.jinja_env.filters["job_step"] = step_label
    app.jinja_env.filters["job_label"] = job_label
    app.jinja_env.filters["job_result"] = result_rows

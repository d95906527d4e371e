"""Background jobs: a Huey queue (SQLite embedded, Redis in production) plus job state.

Packages declare work with :func:`job` and start it with :func:`enqueue`, which adds a
:class:`Job` row to the caller's transaction and hands the id to Huey after commit.
A worker runs the function with a :class:`JobContext` through which it reports
progress (0–100). State (queued, running, done, failed) lives in the database, so
staff see it whichever process ran the job.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy import ForeignKey, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, UTCDateTime, utcnow
from app.errors import PSTError
from app.uow import after_commit

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
CANCELLED = "cancelled"
STATES = (QUEUED, RUNNING, DONE, FAILED, CANCELLED)
#: States a job can still leave by itself.
ACTIVE = (QUEUED, RUNNING)
#: States in which nothing more will happen to a job unless staff act.
FINAL = (DONE, FAILED, CANCELLED)


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

    @property
    def result_data(self) -> Any:
        return json.loads(self.result) if self.result else None


JobFunction = Callable[..., Any]
_REGISTRY: dict[str, JobFunction] = {}


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register ``fn(ctx, **params)`` as the job called ``name``."""

    def decorator(fn: JobFunction) -> JobFunction:
        if name in _REGISTRY and _REGISTRY[name] is not fn:
            raise RuntimeError(f"job {name!r} registered twice")
        _REGISTRY[name] = fn
        return fn

    return decorator


@dataclass
class JobContext:
    """Handed to a running job: its id and a way to report progress."""

    job_id: str
    session: Session

    def progress(self, percent: int, message: str | None = None) -> None:
        percent = max(0, min(100, int(percent)))
        values: dict[str, Any] = {"progress": percent}
        if message is not None:
            values["message"] = message
        self.session.execute(update(Job).where(Job.id == self.job_id).values(**values))
        self.session.commit()


def enqueue(session: Session, name: str, *, actor_id: int | None = None, **params: Any) -> Job:
    """Create a queued job in ``session``; it is submitted once the caller commits."""
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
    )
    session.add(record)
    jobs = queue()
    after_commit(session, lambda: jobs.submit(record.id))
    return record


def execute(session: Session, job_id: str) -> None:
    """Run one job to completion, recording its state. Used by the Huey task."""
    record = session.get(Job, job_id)
    if record is None:
        log.warning("job %s is gone", job_id)
        return
    if record.state != QUEUED:
        # Already run elsewhere: by the CLI on embedded defaults, or by another worker.
        log.debug("job %s is %s already", job_id, record.state)
        return
    fn = _REGISTRY.get(record.name)
    record.state, record.started_at = RUNNING, utcnow()
    session.commit()
    try:
        if fn is None:
            raise RuntimeError(f"no code registered for job {record.name!r}")
        result = fn(JobContext(job_id, session), **json.loads(record.params))
    except PSTError as exc:
        session.rollback()
        _finish(session, job_id, FAILED, message=str(exc.message))
    except Exception:
        session.rollback()
        log.exception("job %s (%s) failed", job_id, record.name)
        _finish(session, job_id, FAILED, message="internal error; see the server log")
    else:
        _finish(session, job_id, DONE, result=result)


def _finish(
    session: Session, job_id: str, state: str, *, message: str | None = None, result: Any = None
) -> None:
    values: dict[str, Any] = {"state": state, "finished_at": utcnow()}
    if state == DONE:
        values["progress"] = 100
        values["result"] = json.dumps(result, default=str) if result is not None else None
    if message is not None:
        values["message"] = message
    session.execute(update(Job).where(Job.id == job_id).values(**values))
    session.commit()


def cancel(session: Session, job_id: str, *, message: str | None = None) -> bool:
    """Mark a job that has not finished as cancelled, in the caller's transaction.

    A worker that later takes it from the queue finds it not queued and skips it; a
    running one finishes its step, and its result is not recorded over the cancel.
    Returns whether the job was cancelled (False when it had already finished).
    """
    done = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state.in_(ACTIVE))
        .values(state=CANCELLED, finished_at=utcnow(), message=message)
        .execution_options(synchronize_session="fetch")
    )
    return bool(getattr(done, "rowcount", 0))


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
    immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    if app.config.get("REDIS_URL"):
        return RedisHuey("pst", url=app.config["REDIS_URL"], immediate=immediate)
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

    def submit(self, job_id: str) -> None:
        self.huey  # noqa: B018 - builds the task on first use
        self._run_job(job_id)

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

"""The job record and its states: the source of truth about a job (not the queue), so
staff see it whichever process ran it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow

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

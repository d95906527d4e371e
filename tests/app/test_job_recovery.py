"""Durable jobs: leases and the sweeper, the outbox, retries with backoff, who sees a
job, and the admins' retry and cancel (issue 15)."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from factories import user
from flask_babel import force_locale
from helpers import submit
from sqlalchemy import select

from app import jobs
from app.accounts import services
from app.accounts.models import Role
from app.audit import AuditEvent
from app.db import utcnow
from app.jobs import CANCELLED, DONE, FAILED, QUEUED, RUNNING, Job, registry, worker
from app.sweeper import Sweeper, sweep

PASSWORD = "kata-sandi-yang-kuat-1"

CALLS: dict[str, int] = {}


class Flaky(Exception):
    """A transient error of a test job."""


@jobs.job("test.flaky", retry_on=(Flaky,), max_attempts=3, backoff_seconds=0.2)
def _flaky(ctx: jobs.JobContext, fail_times: int) -> dict[str, int]:
    CALLS[ctx.job_id] = CALLS.get(ctx.job_id, 0) + 1
    if ctx.attempt <= fail_times:
        raise Flaky("the remote service did not answer")
    return {"attempt": ctx.attempt}


@jobs.job("test.quick")
def _quick(ctx: jobs.JobContext) -> dict[str, bool]:
    return {"ok": True}


SEEN: list = []


@jobs.job("test.slow_step")
def _slow(ctx: jobs.JobContext) -> None:
    first = ctx.session.scalar(select(Job.lease_until).where(Job.id == ctx.job_id))
    ctx.session.commit()
    time.sleep(1.0)  # no progress reported: only the heartbeat renews the lease
    later = ctx.session.scalar(select(Job.lease_until).where(Job.id == ctx.job_id))
    ctx.session.commit()
    SEEN.extend([first, later])


@jobs.job("test.broken", max_attempts=5)
def _broken(ctx: jobs.JobContext) -> None:
    raise ValueError("a bug")


def _dead_run(session, *, attempts: int, max_attempts: int) -> str:
    """A job a worker took and then died with: running, its lease long gone."""
    record = Job(
        id=uuid.uuid4().hex,
        name="test.quick",
        state=RUNNING,
        progress=10,
        message="starting",
        params="{}",
        attempts=attempts,
        max_attempts=max_attempts,
        started_at=utcnow() - timedelta(minutes=5),
        lease_until=utcnow() - timedelta(minutes=4),
        submitted_at=utcnow() - timedelta(minutes=5),
    )
    session.add(record)
    session.commit()
    return record.id


# --- a worker that died: the lease lapses -----------------------------------------------


def test_run_whose_worker_died_runs_again(session):
    """Was: the job stayed "running" at 10% forever."""
    job_id = _dead_run(session, attempts=1, max_attempts=3)
    report = sweep(session)
    assert report.requeued == [job_id] and report.submitted == [job_id]
    session.expire_all()
    record = session.get(Job, job_id)
    assert record.state == DONE and record.attempts == 2 and record.result_data == {"ok": True}


def test_run_whose_worker_died_fails_with_message_after_last_attempt(session, client):
    job_id = _dead_run(session, attempts=3, max_attempts=3)
    assert sweep(session).failed == [job_id]
    session.expire_all()
    record = session.get(Job, job_id)
    assert record.state == FAILED and record.message == jobs.WORKER_LOST
    assert record.finished_at is not None and record.lease_until is None
    # Staff read the message in their language.
    user(session, role=Role.ADMIN, email="admin@example.org", password=PASSWORD)
    submit(client, "/login", {"email": "admin@example.org", "password": PASSWORD})
    page = client.get(f"/staff/jobs/{job_id}").get_data(as_text=True)
    with force_locale("id"):
        assert str(jobs.step_label(jobs.WORKER_LOST)) in page
    assert jobs.WORKER_LOST not in page


def test_live_lease_is_left_alone(session):
    record = Job(
        id="b" * 32,
        name="test.quick",
        state=RUNNING,
        params="{}",
        attempts=1,
        max_attempts=1,
        started_at=utcnow() - timedelta(hours=2),  # long, but its worker renews the lease
        lease_until=utcnow() + timedelta(seconds=30),
    )
    session.add(record)
    session.commit()
    report = sweep(session)
    assert report.requeued == report.failed == []
    session.expire_all()
    assert session.get(Job, record.id).state == RUNNING


def test_heartbeat_renews_the_lease_while_the_function_runs(session, app):
    app.config["JOBS_LEASE_SECONDS"] = 0.6
    SEEN.clear()
    job = jobs.enqueue(session, "test.slow_step")
    session.commit()
    session.expire_all()
    assert session.get(Job, job.id).state == DONE
    assert SEEN[1] > SEEN[0]


def test_worker_whose_lease_lapsed_does_not_overwrite_the_next_attempt(session):
    """A worker that was taken for dead and comes back records nothing."""
    job = jobs.enqueue(session, "test.quick")
    session.commit()
    session.expire_all()
    record = session.get(Job, job.id)
    assert record.state == DONE and record.attempts == 1
    worker._finish(session, job.id, 0, FAILED, message="late")  # an older attempt's end
    session.expire_all()
    assert session.get(Job, job.id).state == DONE


# --- the outbox: a job whose hand-over failed ------------------------------------------


def test_job_enqueued_while_the_queue_is_away_runs_once_it_is_back(session, monkeypatch):
    """Was: the request answered, and the job never ran."""
    queue = jobs.queue()

    def refuse(job_id: str, *, delay: float | None = None) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(queue, "submit", refuse)
    job = jobs.enqueue(session, "test.quick")
    session.commit()  # no exception reaches the caller
    session.expire_all()
    record = session.get(Job, job.id)
    assert record.state == QUEUED and record.submitted_at is None
    later = utcnow() + timedelta(seconds=10)
    assert sweep(session, now=later).unsubmitted == [job.id]  # still away
    monkeypatch.undo()
    assert sweep(session, now=later).submitted == [job.id]
    session.expire_all()
    assert session.get(Job, job.id).state == DONE


def test_fresh_job_is_left_to_its_request(session, monkeypatch):
    monkeypatch.setattr(jobs.queue(), "submit", lambda job_id, delay=None: None)
    job = jobs.enqueue(session, "test.quick")
    session.commit()
    session.expire_all()
    assert session.get(Job, job.id).submitted_at is not None
    assert sweep(session).submitted == []


def test_job_the_queue_lost_is_submitted_again(session, monkeypatch):
    monkeypatch.setattr(jobs.queue(), "submit", lambda job_id, delay=None: None)  # lost
    job = jobs.enqueue(session, "test.quick")
    session.commit()
    monkeypatch.undo()
    assert sweep(session).submitted == []
    report = sweep(session, now=utcnow() + timedelta(seconds=601))
    assert report.submitted == [job.id]
    session.expire_all()
    assert session.get(Job, job.id).state == DONE


# --- retries with backoff --------------------------------------------------------------


def test_transient_error_is_retried_with_backoff(session):
    job = jobs.enqueue(session, "test.flaky", fail_times=2)
    session.commit()
    session.expire_all()
    record = session.get(Job, job.id)
    assert record.state == QUEUED and record.attempts == 1 and record.message == jobs.RETRYING
    first_wait = record.next_attempt_at - utcnow()
    assert timedelta(0) < first_wait <= timedelta(seconds=0.2)
    assert sweep(session).submitted == []  # not due yet
    time.sleep(0.25)
    assert sweep(session).submitted == [job.id]
    session.expire_all()
    record = session.get(Job, job.id)
    assert record.state == QUEUED and record.attempts == 2
    second_wait = record.next_attempt_at - utcnow()
    assert timedelta(seconds=0.2) < second_wait <= timedelta(seconds=0.4)  # doubled
    time.sleep(0.45)
    sweep(session)
    session.expire_all()
    record = session.get(Job, job.id)
    assert record.state == DONE and record.result_data == {"attempt": 3}
    assert CALLS[job.id] == 3


def test_transient_error_fails_with_message_after_the_last_attempt(session):
    job = jobs.enqueue(session, "test.flaky", fail_times=99)
    session.commit()
    for _ in range(2):
        time.sleep(0.45)
        sweep(session)
    session.expire_all()
    record = session.get(Job, job.id)
    assert record.state == FAILED and record.attempts == 3
    assert record.message == jobs.GAVE_UP


def test_other_errors_are_not_retried(session):
    job = jobs.enqueue(session, "test.broken")
    session.commit()
    session.expire_all()
    record = session.get(Job, job.id)
    assert record.state == FAILED and record.attempts == 1
    assert record.message == jobs.INTERNAL_ERROR


def test_job_handed_over_twice_runs_once(session, app):
    app.config["JOBS_IMMEDIATE"] = True
    job = jobs.enqueue(session, "test.flaky", fail_times=0)
    session.commit()
    jobs.queue().submit(job.id)  # a duplicate message: nothing happens
    assert CALLS[job.id] == 1


# --- periodic hooks and the command ---------------------------------------------------


def test_periodic_hook_runs_on_its_own_clock(app):
    calls = []

    @jobs.periodic("test.tick", every_seconds=3600)
    def _tick(session) -> None:
        calls.append(session)

    sweeper = Sweeper(app)
    sweeper.tick()
    sweeper.tick()
    assert len(calls) == 1
    registry._PERIODIC.pop("test.tick")


def test_jobs_sweep_command(app, session):
    job_id = _dead_run(session, attempts=1, max_attempts=1)
    result = app.test_cli_runner().invoke(args=["jobs", "sweep"])
    assert result.exit_code == 0, result.output
    assert "1 failed" in result.output
    session.expire_all()
    assert session.get(Job, job_id).state == FAILED


# --- who sees a job --------------------------------------------------------------------


def _bearer(session, person) -> dict[str, str]:
    _t, plain = services.create_api_token(session, person, "t")
    return {"Authorization": f"Bearer {plain}"}


def test_get_job_answers_only_its_starter_and_admins(client, session):
    """Was: any staff role read any job."""
    owner = user(session, role=Role.OFFICER)
    job = Job(id="c" * 32, name="storage.check", state=DONE, progress=100, created_by_id=owner.id)
    session.add(job)
    session.commit()
    people = [
        (owner, 200),
        (user(session), 404),
        (user(session, role=Role.OFFICER), 404),
        (user(session, role=Role.HEAD), 404),
        (user(session, role=Role.ADMIN), 200),
    ]
    for person, expected in people:
        response = client.get(f"/api/v1/jobs/{job.id}", headers=_bearer(session, person))
        assert response.status_code == expected, person.role


def test_jobs_list_is_for_admins(client, session):
    user(session, role=Role.OFFICER, email="officer@example.org", password=PASSWORD)
    submit(client, "/login", {"email": "officer@example.org", "password": PASSWORD})
    assert client.get("/staff/jobs").status_code == 403


# --- the admins' way out: retry and cancel ---------------------------------------------


@pytest.fixture
def admin(client, session):
    person = user(session, role=Role.ADMIN, email="admin@example.org", password=PASSWORD)
    submit(client, "/login", {"email": "admin@example.org", "password": PASSWORD})
    return person


def test_admin_retries_a_failed_job(client, session, admin):
    job_id = _dead_run(session, attempts=1, max_attempts=1)
    sweep(session)
    page = client.get("/staff/jobs").get_data(as_text=True)
    assert "1/1" in page and f"/staff/jobs/{job_id}/retry" in page
    response = submit(client, f"/staff/jobs/{job_id}/retry", {}, page="/staff/jobs")
    assert response.status_code == 302
    record = session.get(Job, job_id)
    assert record.state == DONE and record.attempts == 1
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "job.retried"))
    assert event.actor_id == admin.id and event.subject_id == job_id
    # A done job cannot be run again (and nothing is audited).
    submit(client, f"/staff/jobs/{job_id}/retry", {}, page="/staff/jobs")
    retried = select(AuditEvent).where(AuditEvent.action == "job.retried")
    assert len(session.scalars(retried).all()) == 1


def test_admin_cancels_a_queued_job(client, session, admin, monkeypatch):
    monkeypatch.setattr(jobs.queue(), "submit", lambda job_id, delay=None: None)
    job = jobs.enqueue(session, "test.quick")
    session.commit()
    page = client.get(f"/staff/jobs/{job.id}").get_data(as_text=True)
    assert f"/staff/jobs/{job.id}/cancel" in page and "data-confirm" in page
    submit(client, f"/staff/jobs/{job.id}/cancel", {}, page=f"/staff/jobs/{job.id}")
    record = session.get(Job, job.id)
    assert record.state == CANCELLED and record.message == jobs.CANCELLED_BY_STAFF
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "job.cancelled"))
    assert event.actor_id == admin.id
    # The queue's copy finds it cancelled and does nothing.
    monkeypatch.undo()
    jobs.queue().submit(job.id)
    session.expire_all()
    assert session.get(Job, job.id).state == CANCELLED


def test_officer_cannot_retry_or_cancel(client, session):
    user(session, role=Role.OFFICER, email="officer@example.org", password=PASSWORD)
    submit(client, "/login", {"email": "officer@example.org", "password": PASSWORD})
    job_id = _dead_run(session, attempts=1, max_attempts=1)
    sweep(session)
    page = f"/staff/jobs/{job_id}"
    assert submit(client, f"{page}/retry", {}, page=page).status_code == 403
    session.expire_all()
    assert session.get(Job, job_id).state == FAILED

"""Fault injection (issue 15): Redis stops and comes back, the database cuts the app's
connections, a `pst worker` is killed in the middle of a job. Nothing is lost: requests
answer without a 500, and every job ends done, or failed with a message."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import fault_jobs
import pytest
from factories import user
from helpers import base_config, csrf_token, submit
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app import jobs
from app.accounts.models import Role
from app.db import utcnow
from app.extensions import db as _db
from app.jobs import DONE, FAILED, QUEUED, RUNNING, Job
from app.sweeper import sweep

PASSWORD = "kata-sandi-yang-kuat-1"
TESTS = Path(__file__).resolve().parents[1]


@pytest.fixture
def redis_server():
    server = fault_jobs.RedisServer()
    server.start()
    yield server
    server.stop()


def _wait_for(job_id: str, states: set[str], timeout: float = 60) -> str | None:
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        _db.session.expire_all()
        state = _db.session.scalar(select(Job.state).where(Job.id == job_id))
        _db.session.commit()
        if state in states:
            break
        time.sleep(0.1)
    return state


# --- Redis stops and comes back ----------------------------------------------------------


def test_redis_outage_no_500_and_jobs_run_once_it_is_back(
    make_app, app, tmp_path, database_url, redis_server, caplog
):
    """Was: 7 of 8 logins and 8 of 8 kiosk requests answered 500, and jobs enqueued
    meanwhile never ran, even after Redis came back."""
    web = make_app(
        {
            **base_config(tmp_path / "web", database_url),
            "REDIS_URL": redis_server.url,
            "JOBS_IMMEDIATE": False,
            "RATELIMIT_ENABLED": True,
            # The test client's address is the office network: the kiosk's own rate limit
            # runs, rather than its device check refusing first.
            "DESK_KIOSK_NETWORKS": ["127.0.0.1/32"],
        }
    )
    with web.app_context():
        user(_db.session, role=Role.ADMIN, email="admin@example.org", password=PASSWORD)
        _db.session.remove()
    # Requests run outside the test's app context (as in production: one per request).
    client = web.test_client()
    login = {"email": "admin@example.org", "password": PASSWORD}
    assert submit(client, "/login", login).status_code == 302

    redis_server.stop()
    codes = []
    for n in range(8):
        other = web.test_client()
        token = csrf_token(other, "/login")
        codes.append(
            other.post(
                "/login",
                data={"csrf_token": token, "email": f"x{n}@example.org", "password": "salah"},
            ).status_code
        )
        kiosk = web.test_client()
        token = csrf_token(kiosk, "/desk/kiosk/guestbook")
        codes.append(
            kiosk.post(
                "/desk/kiosk/guestbook", data={"csrf_token": token, "key": f"08123{n}"}
            ).status_code
        )
    assert all(code < 500 for code in codes), codes
    assert 403 not in codes, codes  # the kiosk was reached
    assert "falling back to in-memory storage" in caplog.text

    # A job enqueued meanwhile: the request answers; the row waits for the sweeper.
    response = submit(client, "/staff/jobs/storage-check", {}, page="/staff/jobs")
    assert response.status_code == 302
    assert web.test_client().get("/healthz").status_code == 503  # says so, no 500
    with web.app_context():
        job = _db.session.scalar(select(Job).where(Job.name == "storage.check"))
        assert job.state == QUEUED and job.submitted_at is None
        later = utcnow() + timedelta(seconds=10)
        assert sweep(_db.session, now=later).unsubmitted == [job.id]

        redis_server.start()  # empty: whatever it held is gone
        assert sweep(_db.session, now=later).submitted == [job.id]
        consumer = jobs.queue().huey.create_consumer(
            workers=1, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.1
        )
        consumer.start()
        try:
            assert _wait_for(job.id, {DONE, FAILED}) == DONE
        finally:
            consumer.stop(graceful=True)
            _db.session.remove()
    # Logins keep working after Redis is back.
    assert submit(web.test_client(), "/login", login).status_code == 302


# --- the database cuts the app's connections ----------------------------------------------


def _terminate_connections() -> None:
    with _db.engine.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        conn.commit()


@pytest.fixture
def postgres(database_url):
    if not database_url.startswith("postgres"):
        pytest.skip("terminating connections needs PostgreSQL")


def test_request_after_connections_were_terminated_succeeds(postgres, client, session):
    user(session, email="ada@example.org", password=PASSWORD)
    assert (
        submit(client, "/login", {"email": "ada@example.org", "password": PASSWORD}).status_code
        == 302
    )
    assert client.get("/profile").status_code == 200
    _terminate_connections()
    assert client.get("/profile").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_job_whose_connection_was_cut_is_retried(postgres, make_app, app, tmp_path, database_url):
    worker_app = make_app({**base_config(tmp_path / "w", database_url), "JOBS_IMMEDIATE": False})
    fault_jobs.RELEASE.clear()
    fault_jobs.HOLDING.clear()
    with worker_app.app_context():
        job_id = jobs.enqueue(_db.session, "test.hold_connection").id
        _db.session.commit()
        _db.session.remove()  # the test holds no connection: the job's is the one cut

        def run() -> None:
            with worker_app.app_context(), Session(_db.engine) as own:
                jobs.execute(own, job_id)

        thread = threading.Thread(target=run)
        thread.start()
        assert fault_jobs.HOLDING.wait(10)
        _terminate_connections()
        fault_jobs.RELEASE.set()
        thread.join(30)
        assert not thread.is_alive()
        _db.session.remove()
        record = _db.session.get(Job, job_id)
        assert record.state == QUEUED and record.message == jobs.RETRYING, record.message
        time.sleep(0.15)
        with Session(_db.engine) as own:
            jobs.execute(own, job_id)
        _db.session.expire_all()
        record = _db.session.get(Job, job_id)
        assert record.state == DONE and record.result_data == {"attempt": 2}


# --- a worker killed in the middle of a job -----------------------------------------------


def _start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    code = f"import sys; sys.path.insert(0, {str(TESTS)!r}); import fault_jobs; " + (
        "from app.cli import main; main()"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.long
@pytest.mark.parametrize(("name", "ending"), [("test.block", DONE), ("test.block_once", FAILED)])
def test_worker_killed_mid_job(
    make_app, app, tmp_path, database_url, redis_server, name: str, ending: str
):
    """Was: the job stayed "running" at 10% forever. Now a new worker's sweeper finds
    the lapsed lease: the job runs again (done), or, with no attempt left, fails with a
    message."""
    settings: dict[str, Any] = {
        "JOBS_LEASE_SECONDS": 2,
        "JOBS_SWEEP_SECONDS": 1,
    }
    web = make_app(
        {
            **base_config(tmp_path / "web", database_url),
            "JOBS_IMMEDIATE": False,
            "REDIS_URL": redis_server.url,
            **settings,
        }
    )
    marker = tmp_path / "started"
    env = {
        **os.environ,
        "PST_INSTANCE_PATH": str(tmp_path / "worker"),
        "PST_DATABASE_URL": database_url,
        "PST_REDIS_URL": redis_server.url,
        "PST_SECRET_KEY": "k" * 40,
        "PST_JOBS_LEASE_SECONDS": "2",
        "PST_JOBS_SWEEP_SECONDS": "1",
        fault_jobs.MARKER_ENV: str(marker),
    }
    first = _start_worker(env)
    second = None
    try:
        with web.app_context():
            job = jobs.enqueue(_db.session, name)
            _db.session.commit()
            deadline = time.monotonic() + 60
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert marker.exists(), "the worker never started the job"
            assert _wait_for(job.id, {RUNNING}) == RUNNING
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            _db.session.expire_all()
            assert _db.session.get(Job, job.id).state == RUNNING  # nobody told the row
            second = _start_worker(env)
            # The new worker starts, sweeps, finds the lapsed lease and acts on it
            # (about 10 s here, most of it the new process starting).
            assert _wait_for(job.id, {DONE, FAILED}) == ending
            record = _db.session.get(Job, job.id)
            if ending == DONE:
                assert record.attempts == 2 and record.result_data == {"attempt": 2}
            else:
                assert record.message == jobs.WORKER_LOST and record.attempts == 1
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        logging.getLogger(__name__).debug("workers stopped")

"""Background jobs: state and progress recorded, run by a real Huey consumer."""

from __future__ import annotations

import threading
import time

import pytest
from helpers import base_config, redis_queue
from sqlalchemy import select

from app import jobs
from app.blobs import current_store, save_blob
from app.errors import PSTError
from app.extensions import db as _db
from app.jobs import DONE, FAILED, Job
from app.maintenance import start_storage_check


@jobs.job("test.count")
def _count(ctx: jobs.JobContext, upto: int) -> dict[str, int]:
    for i in range(1, upto + 1):
        ctx.progress(i * 100 // upto, f"{i}/{upto}")
    return {"counted": upto}


@jobs.job("test.refuse")
def _refuse(ctx: jobs.JobContext) -> None:
    raise PSTError("Berkas ini tidak dapat diproses.")


@jobs.job("test.crash")
def _crash(ctx: jobs.JobContext) -> None:
    raise RuntimeError("secret detail that must not reach users")


def _run(session, name, **params):
    job = jobs.enqueue(session, name, **params)
    session.commit()  # immediate mode: the job runs after commit
    session.expire_all()
    return session.get(Job, job.id)


def test_job_runs_after_commit_with_progress(session):
    job = _run(session, "test.count", upto=4)
    assert job.state == DONE and job.progress == 100
    assert job.result_data == {"counted": 4}
    assert job.started_at and job.finished_at >= job.started_at


def test_job_is_not_submitted_on_rollback(session):
    job = jobs.enqueue(session, "test.count", upto=1)
    job_id = job.id
    session.rollback()
    assert session.get(Job, job_id) is None


def test_domain_failure_message_is_kept(session):
    job = _run(session, "test.refuse")
    assert job.state == FAILED and job.message == "Berkas ini tidak dapat diproses."


def test_unexpected_failure_is_hidden(session, caplog):
    job = _run(session, "test.crash")
    assert job.state == FAILED
    assert "secret" not in job.message
    assert "secret detail" in caplog.text


def test_unknown_job_name_is_refused(session):
    with pytest.raises(KeyError):
        jobs.enqueue(session, "no.such.job")


def test_storage_check_job_reports_corruption(session, tmp_path):
    store = current_store()
    source = tmp_path / "a.bin"
    source.write_bytes(b"isi berkas")
    ref = save_blob(session, store, source)
    session.commit()
    good = _run(session, "storage.check")
    assert good.result_data == {"checked": 1, "missing": [], "corrupt": []}
    store.delete(ref.key)
    job = start_storage_check(session, actor_id=None)
    session.expire_all()
    assert session.get(Job, job.id).result_data["missing"] == [ref.key]


def _wait_for(job_id: str, timeout: float = 30) -> str | None:
    """Poll the job's state until it ends (done or failed) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        _db.session.expire_all()
        state = _db.session.scalar(select(Job.state).where(Job.id == job_id))
        if state in {DONE, FAILED}:
            break
        time.sleep(0.05)
    return state


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_real_consumer_runs_queued_jobs(make_app, app, tmp_path, database_url, backend):
    """Not immediate: a job waits in the queue until a consumer thread takes it.

    ``app`` (unused here) empties the tables afterwards.
    """

    cfg = {**base_config(tmp_path / "i", database_url), "JOBS_IMMEDIATE": False}
    if backend == "redis":
        cfg.update(redis_queue("redis://127.0.0.1:6379/14"))
    worker_app = make_app(cfg)
    with worker_app.app_context():
        huey = jobs.queue().huey
        job = jobs.enqueue(_db.session, "test.count", upto=3)
        _db.session.commit()
        assert jobs.queue().pending() == 1
        assert _db.session.get(Job, job.id).state == "queued"
        consumer = huey.create_consumer(
            workers=1, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.1
        )
        consumer.start()
        try:
            assert _wait_for(job.id) == DONE
        finally:
            consumer.stop(graceful=True)
            for thread in threading.enumerate():
                if thread.name.startswith("Worker") or "scheduler" in thread.name.lower():
                    thread.join(timeout=5)
            if backend == "redis":
                huey.flush()  # this queue's keys only
            _db.session.remove()
            _db.engine.dispose()


@pytest.mark.long
def test_pst_worker_process_runs_jobs_from_redis(make_app, app, tmp_path, database_url):
    """Production shape: the web app enqueues into Redis, a separate `pst worker` runs it."""
    import os
    import signal
    import subprocess
    import sys

    queue = redis_queue("redis://127.0.0.1:6379/13")
    cfg = {
        **base_config(tmp_path / "web", database_url),
        "JOBS_IMMEDIATE": False,
        **queue,
        "STORAGE_URL": str(tmp_path / "blobs"),
    }
    web = make_app(cfg)
    env = {
        **os.environ,
        "PST_INSTANCE_PATH": str(tmp_path / "worker"),
        "PST_DATABASE_URL": database_url,
        "PST_REDIS_URL": queue["REDIS_URL"],
        "PST_JOBS_QUEUE_NAME": queue["JOBS_QUEUE_NAME"],
        "PST_STORAGE_URL": str(tmp_path / "blobs"),
        "PST_SECRET_KEY": "k" * 40,
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", "from app.cli import main; main()", "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with web.app_context():
            job = start_storage_check(_db.session, actor_id=None)
            assert _wait_for(job.id) == DONE
    finally:
        worker.send_signal(signal.SIGINT)
        worker.wait(timeout=30)
        with web.app_context():
            jobs.queue().huey.flush()

"""Abandoned work in progress is swept from the shared blob store (issue 17).

An upload whose job ended without making it a publication's file (its worker was
killed and the jobs sweeper failed the job, or it gave up) and a scan batch left
"processing" after its job failed were kept for ever: no way out of the features runs
for them. Every jobs sweeper now runs the rules of :mod:`app.abandoned` hourly: each test
here runs one full tick of a sweeper (:meth:`app.sweeper.Sweeper.tick`: the jobs sweep
and every periodic task), as a ``pst worker`` does, on the local store and on S3 (moto
over real HTTP); on the code before the rules the leftovers stay.
"""

from __future__ import annotations

import io
import json
import tempfile
import uuid
from datetime import timedelta

import pytest
from factories import make_pdf
from helpers import FakeClock
from PIL import Image
from pubkit import officer, reader
from s3kit import moto_s3
from sqlalchemy import select, update

import scanning.batches
import scanning.pages
from app import jobs, waiting
from app.audit import AuditEvent
from app.blobs import BlobRecord, current_store
from app.db import utcnow
from app.extensions import db as _db
from app.jobs import Job
from app.sweeper import Sweeper
from catalog import uploads
from catalog.models import Publication
from library import softcopy
from library.models import SoftcopyStatus

__all__ = ["officer", "reader"]  # fixtures

REMOVED = "storage.abandoned_removed"
META = {"title": "Luas Panen Padi", "language": "id", "kind": "publication", "access": "open"}


@pytest.fixture(scope="module")
def s3_endpoint():
    with moto_s3("pst-sweep") as (endpoint, _client):
        yield endpoint


@pytest.fixture(params=["local", "s3"])
def config_overrides(request, monkeypatch):
    if request.param == "local":
        return {}
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    return {
        # A prefix per test: the bucket outlives the test's tables.
        "STORAGE_URL": f"s3://pst-sweep/{uuid.uuid4().hex}",
        "S3_ENDPOINT_URL": request.getfixturevalue("s3_endpoint"),
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "testing",
        "S3_SECRET_ACCESS_KEY": "testing",
    }


@pytest.fixture
def clock(app, tmp_path, monkeypatch):
    """The app's clock, from now on; the temporary-folder sweep kept to the test's folder."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    moment = FakeClock(utcnow())
    app.config["CLOCK"] = moment
    return moment


def _tick(app) -> None:
    """One pass of a jobs sweeper, as each ``pst worker`` makes hourly."""
    Sweeper(app).tick()
    _db.session.expire_all()


def _stored(key: str) -> bool:
    return _db.session.get(BlobRecord, key) is not None and current_store().exists(key)


def _upload(session, officer, pdf) -> tuple[str, str]:
    job = uploads.start_ingest(
        session,
        io.BytesIO(pdf.read_bytes()),
        filename="padi.pdf",
        meta=dict(META),
        actor_id=officer.id,
        max_bytes=50 << 20,
    )
    return job.id, waiting.params_of(job)["upload_key"]


def _set_state(session, job_id: str, state: str) -> None:
    """What a ``pst worker`` killed mid-job leaves, once the jobs sweeper failed it."""
    session.execute(update(Job).where(Job.id == job_id).values(state=state, message="stopped"))
    session.commit()
    session.expire_all()


def _removed(session) -> list[tuple[str, dict]]:
    """The sweep's audit entries: (rule, detail)."""
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == REMOVED))
    return [(event.subject_id, json.loads(event.detail)) for event in events]


def test_an_upload_whose_worker_died_is_swept_after_its_period(
    app, session, held, clock, officer, tmp_path
):
    job_id, key = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    _set_state(session, job_id, jobs.FAILED)
    clock.advance(days=6)
    _tick(app)
    assert _stored(key)  # within CATALOG_UPLOAD_ABANDONED_DAYS: the officer may retry
    assert uploads.upload_ways(session, session.get(Job, job_id), officer).retry

    clock.advance(days=2)
    _tick(app)
    assert not _stored(key) and not current_store().exists(key)
    assert session.get(Job, job_id).state == jobs.FAILED  # the job's history stays
    ((rule, detail),) = _removed(session)
    assert rule == "catalog.uploads"
    assert detail["removed_count"] == 1 and detail["removed_bytes"] > 0
    assert detail["period_hours"] == 7 * 24
    assert detail["removed_items"] == [f"upload {key} (job {job_id}, failed)"]
    # Its page offers no retry any more (the file is gone), and says so when asked.
    ways = uploads.upload_ways(session, session.get(Job, job_id), officer)
    assert not ways.retry and not ways.discard
    with pytest.raises(waiting.InputsGone):
        uploads.retry_upload(session, job_id, actor=officer)
    _tick(app)
    assert len(_removed(session)) == 1  # nothing left for a second sweep to audit


def test_queued_running_and_published_uploads_are_never_swept(
    app, session, held, clock, officer, tmp_path
):
    _queued, queued_key = _upload(session, officer, make_pdf(tmp_path / "q.pdf", ["Antri"]))
    running, running_key = _upload(session, officer, make_pdf(tmp_path / "r.pdf", ["Jalan"]))
    _set_state(session, running, jobs.RUNNING)
    done, done_key = _upload(session, officer, make_pdf(tmp_path / "d.pdf", ["Selesai"]))
    assert held(done).state == jobs.DONE
    assert session.scalar(select(Publication.original_key)) == done_key
    # A failed job whose file a retry (still queued) uses again.
    failed, failed_key = _upload(session, officer, make_pdf(tmp_path / "f.pdf", ["Gagal"]))
    _set_state(session, failed, jobs.FAILED)
    retried = uploads.retry_upload(session, failed, actor=officer)
    assert waiting.params_of(retried)["upload_key"] == failed_key
    session.expire_all()

    clock.advance(days=60)
    _tick(app)
    for key in (queued_key, running_key, done_key, failed_key):
        assert _stored(key), key
    assert _removed(session) == []


def test_a_retry_restarts_the_period(app, session, held, clock, officer, tmp_path):
    job_id, key = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    _set_state(session, job_id, jobs.FAILED)
    retried = uploads.retry_upload(session, job_id, actor=officer)
    # The retry ended five days after the first job (the jobs' times are the database's).
    session.execute(
        update(Job)
        .where(Job.id == retried.id)
        .values(state=jobs.FAILED, finished_at=utcnow() + timedelta(days=5))
    )
    session.commit()
    clock.advance(days=8)
    _tick(app)
    assert _stored(key)
    clock.advance(days=5)
    _tick(app)
    assert not _stored(key)


def test_a_softcopy_whose_worker_died_is_swept(
    app, session, held, clock, officer, reader, tmp_path
):
    request = softcopy.create_request(
        session, reader=reader, title="Statistik Kesra", purpose="Tesis", now=utcnow()
    )
    job = softcopy.start_attach(
        session,
        request.id,
        io.BytesIO(make_pdf(tmp_path / "s.pdf", ["Isi"]).read_bytes()),
        filename="scan.pdf",
        actor_id=officer.id,
        max_bytes=50 << 20,
    )
    key = waiting.params_of(job)["upload_key"]
    _set_state(session, job.id, jobs.FAILED)
    clock.advance(days=8)
    _tick(app)
    assert not _stored(key)
    ((rule, _detail),) = _removed(session)
    assert rule == "library.softcopies"
    # The request still waits for the officer: another file, or a decline.
    request = softcopy.get_request(session, request.id)
    assert request.status == SoftcopyStatus.PROCESSING
    ways = softcopy.ways_out(session, request)
    assert ways.stuck and not ways.retry and ways.attach and ways.decline


# --- scan batches -----------------------------------------------------------------------


def _batch(root, tmp_path, pages=2) -> str:
    batch_id = scanning.pages.create_batch(
        root, actor_id=None, target={"kind": "new", "title": "Pindaian"}, now=utcnow()
    )["id"]
    for n in range(pages):
        path = tmp_path / f"p{batch_id[:6]}{n}.pgm"
        Image.new("L", (60, 80), 200 + n).save(path)
        scanning.batches.add_page(root, batch_id, path, max_pages=1000)
    return batch_id


def _files(root, batch_id) -> int:
    return len(root.files_under(root.name(batch_id)))


def test_a_batch_left_processing_after_its_job_failed_is_swept(
    app, session, held, clock, officer, tmp_path
):
    """``SCANNER_BATCH_TTL_H`` used to spare every batch "being processed", also one
    whose job had failed: its pages stayed in the bucket for good."""
    root = scanning.batches.scans_root()
    stranded = _batch(root, tmp_path)
    job = scanning.batches.finish_batch(session, root, stranded, actor_id=officer.id)
    _set_state(session, job.id, jobs.FAILED)
    queued = _batch(root, tmp_path)
    scanning.batches.finish_batch(session, root, queued, actor_id=officer.id)  # held: queued
    edited = _batch(root, tmp_path)
    assert _files(root, stranded) == 5  # the manifest, two pages, two thumbnails

    clock.advance(days=13)
    with scanning.batches.edit_batch(root, edited):
        pass  # an officer still at it
    clock.advance(days=2)
    _tick(app)
    assert root.read_manifest(stranded) is None and _files(root, stranded) == 0
    assert scanning.batches.load_batch(root, queued)["state"] == scanning.batches.INGESTING
    assert _files(root, queued) == 5
    assert scanning.batches.load_batch(root, edited)["pages"]
    ((rule, detail),) = _removed(session)
    assert rule == "scanning.batches" and detail["removed_count"] == 1
    assert detail["removed_items"][0].startswith(f"scan batch {stranded} (ingesting, 2 pages")


def test_a_batch_being_scanned_is_never_swept(app, session, held, clock, tmp_path):
    root = scanning.batches.scans_root()
    batch_id = _batch(root, tmp_path, pages=1)
    scan = jobs.enqueue(session, scanning.batches.SCAN_JOB, batch_id=batch_id)
    with scanning.batches.edit_batch(root, batch_id) as manifest:
        manifest["scan_job"] = scan.id
    session.commit()
    _set_state(session, scan.id, jobs.RUNNING)
    clock.advance(days=30)
    _tick(app)
    assert scanning.batches.load_batch(root, batch_id)["pages"]
    _set_state(session, scan.id, jobs.FAILED)
    _tick(app)
    assert root.read_manifest(batch_id) is None


def test_pst_storage_sweep_dry_run(app, session, held, clock, officer, tmp_path):
    job_id, key = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    _set_state(session, job_id, jobs.CANCELLED)
    clock.advance(days=8)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["storage", "sweep", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "catalog.uploads: 7 days, before " in dry.output
    assert "1 would remove" in dry.output
    assert f"upload {key} (job {job_id}, cancelled)" in dry.output
    assert "scanning.batches: 14 days" in dry.output
    _db.session.expire_all()
    assert _stored(key) and _removed(session) == []
    done = runner.invoke(args=["storage", "sweep"])
    assert done.exit_code == 0, done.output
    assert "1 removed" in done.output
    _db.session.expire_all()
    assert not _stored(key) and len(_removed(session)) == 1
    app.config["CATALOG_UPLOAD_ABANDONED_DAYS"] = 0
    kept = runner.invoke(args=["storage", "sweep"])
    assert "catalog.uploads: kept for good" in kept.output


def test_two_hosts_sweeping_at_once_remove_and_audit_once(
    app, session, held, clock, officer, tmp_path
):
    """Both list the upload; the first removes it, the second finds it gone."""
    from sqlalchemy.orm import Session

    from app import abandoned
    from app.uow import unit_of_work

    job_id, key = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    _set_state(session, job_id, jobs.FAILED)
    clock.advance(days=8)
    (rule,) = [r for r in abandoned.rules() if r.name == "catalog.uploads"]
    cutoff = clock() - timedelta(days=7)
    with Session(_db.engine) as first, Session(_db.engine) as second:
        (seen_first,) = rule.find(first, cutoff, clock())
        (seen_second,) = rule.find(second, cutoff, clock())
        first.rollback()
        second.rollback()
        with unit_of_work(first):
            assert rule.remove(first, seen_first, cutoff, clock())
        with unit_of_work(second):
            assert not rule.remove(second, seen_second, cutoff, clock())
    _db.session.expire_all()
    assert not _stored(key)

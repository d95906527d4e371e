"""A scan batch is never stuck on its ingest job (issue 15): when the job failed or was
cancelled while the batch stayed "ingesting" (its worker was killed, the sweeper failed
the job), the officer processes it again or takes it back to editing; a queued job is
cancelled; the reader's request it answers is not left "processing"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import PASSWORD
from helpers import submit
from PIL import Image
from sqlalchemy import select, update

import scanning.batches
import scanning.pages
import scanning.requests
import scanning.wiring
from app import abandoned, jobs, waiting
from app.audit import AuditEvent
from app.db import utcnow
from app.extensions import db as _db
from app.jobs import Job
from app.uow import unit_of_work
from library.models import ScanStatus


@pytest.fixture
def root(app):
    return scanning.batches.scans_root()


def _batch(root, tmp_path, target=None, pages=2):
    batch_id = scanning.pages.create_batch(
        root, actor_id=None, target=target or {"kind": "new", "title": "Pindaian"}, now=utcnow()
    )["id"]
    for n in range(pages):
        path = tmp_path / f"p{n}.pgm"
        Image.new("L", (60, 80), 200 + n).save(path)
        scanning.batches.add_page(root, batch_id, path, max_pages=1000)
    return batch_id


def _killed(session, job_id):
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(state=jobs.FAILED, progress=30, message="the worker stopped")
    )
    session.commit()
    session.expire_all()


def _scan_request(session, reader, make_publication):
    book = make_publication(title="Bengkulu Dalam Angka", printed=True)
    return scanning.requests.create_request(
        session,
        reader=reader,
        publication_id=book.id,
        pages="1-2",
        purpose="Skripsi",
        max_pages=60,
        now=utcnow(),
    )


def test_killed_ingest_batch_goes_back_to_editing(
    session, root, held, tmp_path, officer, reader, make_publication
):
    request = _scan_request(session, reader, make_publication)
    batch_id = _batch(root, tmp_path, target={"kind": "scan_request", "request_id": request.id})
    job = scanning.batches.finish_batch(session, root, batch_id, actor_id=officer.id)
    _killed(session, job.id)
    manifest = scanning.batches.load_batch(root, batch_id)
    assert manifest["state"] == scanning.batches.INGESTING
    assert scanning.batches.batch_ways(session, manifest) == scanning.batches.BatchWays(
        retry=True, reopen=True
    )

    scanning.batches.reopen_batch(session, root, batch_id, actor_id=officer.id)
    manifest = scanning.batches.load_batch(root, batch_id)
    assert manifest["state"] == scanning.batches.OPEN and len(manifest["pages"]) == 2
    assert scanning.batches.batch_error_message(manifest) == "the worker stopped"
    scanning.pages.rotate_page(root, batch_id, manifest["pages"][0]["id"], 90)  # editable
    assert scanning.requests.get_request(session, request.id).status == ScanStatus.OPEN
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"scan.reopened", "scan_request.reopened"} <= actions
    # Open again: it may be declined, or finished once more.
    again = scanning.batches.finish_batch(session, root, batch_id, actor_id=officer.id)
    assert scanning.requests.get_request(session, request.id).job_id == again.id


def test_killed_ingest_batch_is_processed_again(
    session, root, held, tmp_path, officer, reader, make_publication, monkeypatch
):
    request = _scan_request(session, reader, make_publication)
    batch_id = _batch(root, tmp_path, target={"kind": "scan_request", "request_id": request.id})
    first = scanning.batches.finish_batch(session, root, batch_id, actor_id=officer.id)
    _killed(session, first.id)
    fresh = scanning.batches.retry_batch(session, root, batch_id, actor_id=officer.id)
    assert fresh.id != first.id
    assert scanning.batches.load_batch(root, batch_id)["ingest_job"] == fresh.id
    request = scanning.requests.get_request(session, request.id)
    assert request.status == ScanStatus.PROCESSING and request.job_id == fresh.id
    assert "scan.retried" in set(session.scalars(select(AuditEvent.action)))

    ran = []
    monkeypatch.setattr(
        scanning.wiring,  # the job's edge: it calls the service
        "ingest_batch",
        lambda *a, **k: (
            ran.append(a[2]) or scanning.batches.IngestOutcome(None, 2, False, ("",), 1)
        ),
    )
    # The old job, should a worker still take it, leaves the batch alone.
    session.execute(update(Job).where(Job.id == first.id).values(state=jobs.QUEUED))
    session.commit()
    assert held(first.id).state == jobs.FAILED and ran == []
    assert held(fresh.id).state == jobs.DONE and ran == [batch_id]


def test_finishing_a_stranded_batch_again_retries_it(session, root, held, tmp_path, officer):
    """The bridge (``pst scan``) finishes again when it lost track: a batch whose job
    died is processed again rather than answered with the dead job."""
    batch_id = _batch(root, tmp_path)
    first = scanning.batches.finish_batch(session, root, batch_id, actor_id=officer.id)
    _killed(session, first.id)
    again = scanning.batches.finish_batch(session, root, batch_id, actor_id=None)
    assert again.id != first.id and again.state == jobs.QUEUED
    assert scanning.batches.load_batch(root, batch_id)["ingest_job"] == again.id
    assert scanning.batches.finish_batch(session, root, batch_id, actor_id=None).id == again.id


def test_a_queued_ingest_is_cancelled_when_taken_back(session, root, held, tmp_path, officer):
    batch_id = _batch(root, tmp_path)
    job = scanning.batches.finish_batch(session, root, batch_id, actor_id=officer.id)
    manifest = scanning.batches.load_batch(root, batch_id)
    assert scanning.batches.batch_ways(session, manifest) == scanning.batches.BatchWays(
        retry=False, reopen=True
    )
    with pytest.raises(waiting.JobRunning):
        scanning.batches.retry_batch(session, root, batch_id, actor_id=officer.id)
    session.rollback()
    scanning.batches.reopen_batch(session, root, batch_id, actor_id=officer.id)
    assert session.get(Job, job.id).state == jobs.CANCELLED
    assert held(job.id).state == jobs.CANCELLED
    assert scanning.batches.load_batch(root, batch_id)["state"] == scanning.batches.OPEN


def test_a_running_ingest_is_waited_for(session, root, held, tmp_path, officer):
    batch_id = _batch(root, tmp_path)
    job = scanning.batches.finish_batch(session, root, batch_id, actor_id=officer.id)
    session.execute(update(Job).where(Job.id == job.id).values(state=jobs.RUNNING))
    session.commit()
    assert scanning.batches.batch_ways(session, scanning.batches.load_batch(root, batch_id)) == (
        scanning.batches.BatchWays(False, False)
    )
    with pytest.raises(waiting.JobRunning):
        scanning.batches.reopen_batch(session, root, batch_id, actor_id=officer.id)
    session.rollback()
    assert scanning.batches.load_batch(root, batch_id)["state"] == scanning.batches.INGESTING


def test_leftovers_of_killed_scans_are_swept(app, root, tmp_path):
    import io
    import os
    import time

    from app.tempfiles import sweep_orphans

    batch_id = _batch(root, tmp_path, pages=1)
    forgotten = scanning.pages.create_batch(root, actor_id=None, now=utcnow() - timedelta(days=30))[
        "id"
    ]  # untouched past SCANNER_BATCH_TTL_H, whether or not anyone opens the page
    store = root.store
    # A page an upload stored before it died (no manifest holds it), a batch whose
    # manifest went before its files (a discard killed half-way), and a fresh orphan.
    store.put_work(root.name(batch_id, "pages/deadbeef0000.png"), io.BytesIO(b"half"))
    gone = "f" * 32
    store.put_work(root.name(gone, "pages/0123456789ab.png"), io.BytesIO(b"old"))
    store.put_work(root.name(batch_id, "pages/feedface0000.png"), io.BytesIO(b"now"))
    tmp = tmp_path / "tmp"
    old_work = tmp / "pst-scan-run-abc"
    old_work.mkdir(parents=True)
    (old_work / "out1.pnm").write_bytes(b"P5")
    other = tmp / "someone-else"
    other.mkdir()
    day_ago = time.time() - 2 * 86400
    work = store.root / "work"  # the local store of the tests
    for path in (
        work / root.name(batch_id, "pages/deadbeef0000.png"),
        work / root.name(gone, "pages/0123456789ab.png"),
        old_work,
        other,
    ):
        os.utime(path, (day_ago, day_ago))
    # Everything of the batch itself is old too: still held by its manifest, it stays.
    for item in root.files_under(root.name(batch_id)):
        if "feedface" not in item.name:
            os.utime(work / item.name, (day_ago, day_ago))

    assert sweep_orphans(tmp=tmp) == 3
    # The forgotten batch goes with the (audited) sweep of abandoned work.
    assert scanning.batches.load_batch(root, forgotten)
    session = _db.session
    with unit_of_work(session):
        abandoned.run(session, app.config, utcnow(), abandoned.rules(), dry_run=False)
    with pytest.raises(scanning.batches.BatchNotFound):
        scanning.batches.load_batch(root, forgotten)
    assert not old_work.exists() and other.exists()
    left = {f.name for f in root.files_under("scans")}
    assert root.name(batch_id, "pages/deadbeef0000.png") not in left
    assert not [name for name in left if gone in name]
    assert root.name(batch_id, "pages/feedface0000.png") in left  # too young to be swept
    manifest = scanning.batches.load_batch(root, batch_id)
    assert len(manifest["pages"]) == 1  # the batch itself stays, its page with it
    assert root.exists(batch_id, manifest["pages"][0]["file"])


# --- the officer's page ------------------------------------------------------------------


def test_job_page_buttons(client, session, root, held, tmp_path, officer):
    batch_id = _batch(root, tmp_path)
    job = scanning.batches.finish_batch(session, root, batch_id, actor_id=officer.id)
    _killed(session, job.id)
    client.set_cookie("pst_lang", "en")
    assert (
        submit(client, "/login", {"email": officer.email, "password": PASSWORD}).status_code == 302
    )
    page = f"/staff/scanning/jobs/{job.id}"
    assert client.get(f"/staff/scanning/{batch_id}").headers["Location"].endswith(page)
    html = client.get(page).get_data(as_text=True)
    assert "the worker stopped" in html
    assert "Process the pages again" in html and "Back to editing the pages" in html
    assert client.post(f"/staff/scanning/{batch_id}/retry").status_code == 400  # no CSRF
    response = submit(client, f"/staff/scanning/{batch_id}/retry", {}, page=page)
    assert response.status_code == 302
    fresh = scanning.batches.load_batch(root, batch_id)["ingest_job"]
    assert response.headers["Location"].endswith(f"/staff/scanning/jobs/{fresh}")
    old_html = client.get(page).get_data(as_text=True)
    assert "Process the pages again" not in old_html  # the batch has left this job
    new_page = f"/staff/scanning/jobs/{fresh}"
    response = submit(client, f"/staff/scanning/{batch_id}/reopen", {}, page=new_page)
    assert response.headers["Location"].endswith(f"/staff/scanning/{batch_id}")
    assert session.get(Job, fresh).state == jobs.CANCELLED
    assert client.get(f"/staff/scanning/{batch_id}").status_code == 200


def test_sweep_temp_command(app):
    result = app.test_cli_runner().invoke(args=["sweep-temp", "--hours", "48"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("removed ")

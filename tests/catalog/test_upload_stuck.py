"""A catalogue upload whose job failed or was cancelled is not left stranded (issue 15):
its page shows the job's state and the uploader (or an admin) may process the file again
or discard it (the stored file goes, a job still queued is cancelled)."""

from __future__ import annotations

import io

import pytest
from factories import PASSWORD, make_pdf, user
from helpers import submit
from sqlalchemy import select, update

from app import jobs, waiting
from app.accounts.models import Role
from app.audit import AuditEvent
from app.blobs import BlobRecord, current_store
from app.jobs import Job
from catalog import uploads
from catalog.errors import NotYourUpload, UploadDone, UploadNotFound
from catalog.models import Publication

META = {"title": "Luas Panen Padi", "language": "id", "kind": "publication", "access": "open"}


def _upload(session, officer, pdf) -> str:
    job = uploads.start_ingest(
        session,
        io.BytesIO(pdf.read_bytes()),
        filename="padi.pdf",
        meta=dict(META),
        actor_id=officer.id,
        max_bytes=50 << 20,
    )
    return job.id


def _sweeper_failed(session, job_id):
    """``pst worker`` killed mid-ingest, then the sweeper failing the job."""
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(state=jobs.FAILED, progress=10, message="the worker stopped")
    )
    session.commit()
    session.expire_all()


def test_killed_upload_is_processed_again(session, held, tmp_path):
    officer = user(session, role=Role.OFFICER)
    job_id = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    _sweeper_failed(session, job_id)
    ways = uploads.upload_ways(session, session.get(Job, job_id), officer)
    assert ways.retry and ways.discard

    fresh = uploads.retry_upload(session, job_id, actor=officer)
    assert waiting.params_of(fresh) == waiting.params_of(session.get(Job, job_id))
    assert held(fresh.id).state == jobs.DONE
    assert session.scalar(select(Publication.title)) == "Luas Panen Padi"
    assert "catalog.upload_retried" in set(session.scalars(select(AuditEvent.action)))
    # Made into a publication: nothing more to retry or discard on the old job.
    ways = uploads.upload_ways(session, session.get(Job, job_id), officer)
    assert not (ways.retry or ways.discard)


def test_killed_upload_is_discarded(session, held, tmp_path):
    officer = user(session, role=Role.OFFICER)
    job_id = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    key = waiting.params_of(session.get(Job, job_id))["upload_key"]
    _sweeper_failed(session, job_id)
    uploads.discard_upload(session, job_id, actor=officer)
    assert session.get(BlobRecord, key) is None and not current_store().exists(key)
    assert session.get(Job, job_id).state == jobs.FAILED  # its history stays
    assert not uploads.upload_ways(session, session.get(Job, job_id), officer).retry
    with pytest.raises(waiting.InputsGone):
        uploads.retry_upload(session, job_id, actor=officer)


def test_discarding_a_queued_upload_cancels_its_job(session, held, tmp_path):
    officer = user(session, role=Role.OFFICER)
    job_id = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    uploads.discard_upload(session, job_id, actor=officer)
    assert session.get(Job, job_id).state == jobs.CANCELLED
    assert held(job_id).state == jobs.CANCELLED  # a worker taking it later does nothing
    assert session.scalar(select(Publication)) is None
    assert session.scalar(select(BlobRecord)) is None


def test_a_job_that_raises_keeps_the_file_for_a_retry(session, held, tmp_path, monkeypatch):
    officer = user(session, role=Role.OFFICER)
    job_id = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    real = uploads.ingest_stored
    monkeypatch.setattr(uploads, "ingest_stored", lambda *a, **k: 1 / 0)
    assert held(job_id).state == jobs.FAILED
    monkeypatch.setattr(uploads, "ingest_stored", real)
    fresh = uploads.retry_upload(session, job_id, actor=officer)
    assert held(fresh.id).state == jobs.DONE


def test_only_the_uploader_or_an_admin(session, held, tmp_path):
    officer = user(session, role=Role.OFFICER)
    other = user(session, role=Role.OFFICER)
    admin = user(session, role=Role.ADMIN)
    job_id = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    _sweeper_failed(session, job_id)
    assert not uploads.upload_ways(session, session.get(Job, job_id), other).retry
    with pytest.raises(NotYourUpload):
        uploads.retry_upload(session, job_id, actor=other)
    with pytest.raises(NotYourUpload):
        uploads.discard_upload(session, job_id, actor=other)
    assert uploads.upload_ways(session, session.get(Job, job_id), admin).discard
    with pytest.raises(UploadNotFound):
        uploads.discard_upload(session, "0" * 32, actor=admin)


def test_running_and_done_uploads_are_left_alone(session, held, tmp_path):
    officer = user(session, role=Role.OFFICER)
    job_id = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    session.execute(update(Job).where(Job.id == job_id).values(state=jobs.RUNNING))
    session.commit()
    with pytest.raises(waiting.JobRunning):
        uploads.discard_upload(session, job_id, actor=officer)
    session.rollback()
    with pytest.raises(waiting.JobRunning):
        uploads.retry_upload(session, job_id, actor=officer)
    session.rollback()
    session.execute(update(Job).where(Job.id == job_id).values(state=jobs.QUEUED))
    session.commit()
    assert held(job_id).state == jobs.DONE
    with pytest.raises(UploadDone):
        uploads.discard_upload(session, job_id, actor=officer)


# --- the job page's buttons --------------------------------------------------------------


def _login(client, person, lang="en"):
    if lang:
        client.set_cookie("pst_lang", lang)
    assert (
        submit(client, "/login", {"email": person.email, "password": PASSWORD}).status_code == 302
    )


def test_job_page_offers_retry_and_discard(client, session, held, tmp_path):
    officer = user(session, role=Role.OFFICER)
    job_id = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    _sweeper_failed(session, job_id)
    _login(client, officer)
    page = f"/staff/jobs/{job_id}"
    html = client.get(page).get_data(as_text=True)
    assert "failed" in html and "the worker stopped" in html
    assert "Process the file again" in html and "Discard the upload" in html
    assert "data-confirm=" in html

    discard = f"/staff/catalog/uploads/{job_id}/discard"
    assert client.post(discard).status_code == 400  # no CSRF token
    response = submit(client, f"/staff/catalog/uploads/{job_id}/retry", {}, page=page)
    assert response.status_code == 302
    fresh = response.headers["Location"].rsplit("/", 1)[1]
    assert session.get(Job, fresh).state == jobs.QUEUED
    html = client.get(f"/staff/jobs/{fresh}").get_data(as_text=True)
    assert "Discard the upload" in html and "Process the file again" not in html
    assert (
        submit(client, f"/staff/catalog/uploads/{fresh}/discard", {}, page=page).status_code == 302
    )
    assert session.get(Job, fresh).state == jobs.CANCELLED
    assert session.scalar(select(BlobRecord)) is None
    assert client.get(f"/staff/jobs/{fresh}").status_code == 200


def test_job_page_buttons_are_the_uploaders(client, session, held, tmp_path):
    officer = user(session, role=Role.OFFICER)
    job_id = _upload(session, officer, make_pdf(tmp_path / "a.pdf", ["Padi"]))
    _sweeper_failed(session, job_id)
    _login(client, user(session, role=Role.OFFICER), lang=None)
    page = f"/staff/jobs/{job_id}"
    html = client.get(page).get_data(as_text=True)
    assert "/discard" not in html and "gagal" in html  # Indonesian by default
    response = submit(client, f"/staff/catalog/uploads/{job_id}/discard", {}, page=page)
    assert response.status_code == 403
    assert session.scalar(select(BlobRecord)) is not None
    other = submit(client, "/staff/catalog/uploads/nope/retry", {}, page=page)
    assert other.status_code == 404

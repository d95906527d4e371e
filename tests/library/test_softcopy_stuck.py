"""A softcopy request is never stuck on its job (issue 15): when the job failed or was
cancelled without reopening the request — its worker was killed and the sweeper failed
the job — the officer sees it and may process the file again, attach another one or
decline; declining cancels a job still queued."""

from __future__ import annotations

import io

import pytest
from factories import make_pdf
from sqlalchemy import select, update

from app import jobs, waiting
from app.audit import AuditEvent
from app.blobs import BlobRecord, current_store
from app.db import utcnow
from app.jobs import Job
from library import softcopy
from library.models import SoftcopyStatus

MAX = 50 * 1024 * 1024


def _ask(session, reader):
    return softcopy.create_request(
        session, reader=reader, title="Statistik Kesra", purpose="Tesis", now=utcnow()
    )


def _attach(session, request_id, officer, data):
    job = softcopy.start_attach(
        session,
        request_id,
        io.BytesIO(data),
        filename="scan.pdf",
        actor_id=officer.id,
        max_bytes=MAX,
    )
    return job.id


def _killed_midway(session, job_id):
    """What ``pst worker`` killed during the ingest leaves, then what the sweeper does."""
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(state=jobs.RUNNING, progress=10, message="sanitising")
    )
    session.commit()
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(state=jobs.FAILED, message="the worker stopped; the job did not finish")
    )
    session.commit()
    session.expire_all()


def test_killed_ingest_request_can_be_declined(session, reader, officer, held, tmp_path, outbox):
    request = _ask(session, reader)
    pdf = make_pdf(tmp_path / "a.pdf", ["Isi"])
    job_id = _attach(session, request.id, officer, pdf.read_bytes())
    _killed_midway(session, job_id)
    request = softcopy.get_request(session, request.id)
    assert request.status == SoftcopyStatus.PROCESSING
    ways = softcopy.ways_out(session, request)
    assert ways.stuck and ways.retry and ways.decline and ways.attach

    softcopy.decline(session, request.id, reason="Berkas rusak.", actor_id=officer.id, now=utcnow())
    request = softcopy.get_request(session, request.id)
    assert request.status == SoftcopyStatus.DECLINED
    assert session.scalar(select(BlobRecord)) is None  # the stranded upload is gone
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"softcopy.job_left", "softcopy.declined"} <= actions


def test_killed_ingest_request_can_take_another_file(session, reader, officer, held, tmp_path):
    request = _ask(session, reader)
    first = _attach(session, request.id, officer, make_pdf(tmp_path / "a.pdf", ["A"]).read_bytes())
    _killed_midway(session, first)
    old_key = waiting.params_of(session.get(Job, first))["upload_key"]

    second = _attach(session, request.id, officer, make_pdf(tmp_path / "b.pdf", ["B"]).read_bytes())
    assert second != first
    assert session.get(BlobRecord, old_key) is None and not current_store().exists(old_key)
    assert held(second).state == jobs.DONE
    request = softcopy.get_request(session, request.id)
    assert request.status == SoftcopyStatus.FULFILLED and request.job_id == second


def test_killed_ingest_is_retried_with_the_same_file(session, reader, officer, held, tmp_path):
    request = _ask(session, reader)
    first = _attach(session, request.id, officer, make_pdf(tmp_path / "a.pdf", ["A"]).read_bytes())
    _killed_midway(session, first)

    fresh = softcopy.retry(session, request.id, actor_id=officer.id)
    assert fresh.id != first
    assert waiting.params_of(fresh) == waiting.params_of(session.get(Job, first))
    request = softcopy.get_request(session, request.id)
    assert request.job_id == fresh.id and request.status == SoftcopyStatus.PROCESSING
    # The old job, should a worker still take it, does not answer the request.
    session.execute(update(Job).where(Job.id == first).values(state=jobs.QUEUED))
    session.commit()
    stale = held(first)
    assert stale.state == jobs.FAILED
    assert held(fresh.id).state == jobs.DONE
    assert softcopy.get_request(session, request.id).status == SoftcopyStatus.FULFILLED
    assert "softcopy.retried" in set(session.scalars(select(AuditEvent.action)))


def test_retry_needs_the_file(session, reader, officer, held, tmp_path):
    request = _ask(session, reader)
    first = _attach(session, request.id, officer, make_pdf(tmp_path / "a.pdf", ["A"]).read_bytes())
    _killed_midway(session, first)
    key = waiting.params_of(session.get(Job, first))["upload_key"]
    current_store().delete(key)
    assert not softcopy.ways_out(session, softcopy.get_request(session, request.id)).retry
    with pytest.raises(waiting.InputsGone):
        softcopy.retry(session, request.id, actor_id=officer.id)


def test_decline_cancels_a_queued_job(session, reader, officer, held, tmp_path, outbox):
    request = _ask(session, reader)
    job_id = _attach(session, request.id, officer, make_pdf(tmp_path / "a.pdf", ["A"]).read_bytes())
    assert softcopy.ways_out(session, softcopy.get_request(session, request.id)).decline
    softcopy.decline(session, request.id, reason="Salah kirim.", actor_id=officer.id, now=utcnow())
    assert session.get(Job, job_id).state == jobs.CANCELLED
    # A worker that takes it later finds it cancelled and does nothing.
    assert held(job_id).state == jobs.CANCELLED
    assert softcopy.get_request(session, request.id).status == SoftcopyStatus.DECLINED


def test_a_running_job_is_waited_for(session, reader, officer, held, tmp_path):
    request = _ask(session, reader)
    job_id = _attach(session, request.id, officer, make_pdf(tmp_path / "a.pdf", ["A"]).read_bytes())
    session.execute(update(Job).where(Job.id == job_id).values(state=jobs.RUNNING))
    session.commit()
    ways = softcopy.ways_out(session, softcopy.get_request(session, request.id))
    assert not (ways.stuck or ways.retry or ways.decline or ways.attach)
    with pytest.raises(waiting.JobRunning):
        softcopy.decline(session, request.id, reason="x", actor_id=officer.id, now=utcnow())
    session.rollback()
    with pytest.raises(waiting.JobRunning):
        softcopy.retry(session, request.id, actor_id=officer.id)
    session.rollback()
    with pytest.raises(waiting.JobRunning):
        _attach(session, request.id, officer, make_pdf(tmp_path / "b.pdf", ["B"]).read_bytes())
    session.rollback()
    assert softcopy.get_request(session, request.id).status == SoftcopyStatus.PROCESSING


def test_a_job_that_raises_leaves_the_request_open(
    session, reader, officer, held, tmp_path, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("parser crashed")

    monkeypatch.setattr(softcopy, "ingest_stored", broken)
    request = _ask(session, reader)
    job_id = _attach(session, request.id, officer, make_pdf(tmp_path / "a.pdf", ["A"]).read_bytes())
    assert held(job_id).state == jobs.FAILED
    request = softcopy.get_request(session, request.id)
    assert request.status == SoftcopyStatus.OPEN
    ways = softcopy.ways_out(session, request)
    assert ways.attach and ways.decline and not ways.stuck


# --- the officer's page ------------------------------------------------------------------


@pytest.fixture
def login(app, client):  # client: sets the isolated client class
    from factories import PASSWORD
    from helpers import submit

    def sign_in(person, lang="en"):
        own = app.test_client()
        if lang:
            own.set_cookie("pst_lang", lang)
        assert (
            submit(own, "/login", {"email": person.email, "password": PASSWORD}).status_code == 302
        )
        return own

    return sign_in


def test_stuck_request_page_offers_the_ways_out(
    session, reader, officer, held, tmp_path, login, outbox
):
    from helpers import submit

    request = _ask(session, reader)
    first = _attach(session, request.id, officer, make_pdf(tmp_path / "a.pdf", ["A"]).read_bytes())
    _killed_midway(session, first)
    web = login(officer)
    detail = f"/staff/library/softcopy/{request.id}"
    html = web.get(detail).get_data(as_text=True)
    assert "failed" in html and "the worker stopped; the job did not finish" in html
    assert "Process the same PDF again" in html
    assert "Attach another PDF" in html and "Decline request" in html
    assert 'http-equiv="refresh"' not in html  # nothing to wait for

    retry = f"/staff/library/softcopy/{request.id}/retry"
    assert web.post(retry).status_code == 400  # no CSRF token
    reader_web = login(reader)
    assert submit(reader_web, retry, {}, page="/library/softcopy-requests/new").status_code == 403
    assert submit(web, retry, {}, page=detail).status_code == 302
    request = softcopy.get_request(session, request.id)
    assert request.job_id != first and session.get(Job, request.job_id).state == jobs.QUEUED
    html = web.get(detail).get_data(as_text=True)
    assert "Process the same PDF again" not in html and "Attach another PDF" not in html
    # Still queued: it may be declined, which cancels it.
    response = submit(web, f"{detail}/decline", {"reason": "Salah berkas."}, page=detail)
    assert response.status_code == 302
    assert session.get(Job, request.job_id).state == jobs.CANCELLED


def test_stuck_request_page_in_indonesian(session, reader, officer, held, tmp_path, login):
    request = _ask(session, reader)
    first = _attach(session, request.id, officer, make_pdf(tmp_path / "a.pdf", ["A"]).read_bytes())
    _killed_midway(session, first)
    html = (
        login(officer, lang=None)
        .get(f"/staff/library/softcopy/{request.id}")
        .get_data(as_text=True)
    )
    assert "Proses ulang PDF yang sama" in html and "gagal" in html

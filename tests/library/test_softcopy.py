"""Softcopy requests as services: create, queue, decline, attach → ingest job → fulfilled."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from factories import make_pdf, user
from sqlalchemy import select

from app.audit import AuditEvent
from app.blobs import BlobRecord, current_store
from app.db import utcnow
from app.jobs import Job
from catalog import cataloguing
from catalog.errors import IngestRejected
from catalog.ingest import Limits
from catalog.models import Access, Publication
from library import softcopy
from library.access import has_entitlement
from library.errors import AccessDenied, IllegalTransition
from library.models import Entitlement, SoftcopyStatus

MAX = 50 * 1024 * 1024


def _ask(session, reader, **fields):
    values = {
        "title": "Statistik Kesejahteraan Rakyat 2012",
        "purpose": "Skripsi",
        "now": utcnow(),
        **fields,
    }
    return softcopy.create_request(session, reader=reader, **values)


def _attach(session, request, officer, data, **kwargs):
    job = softcopy.start_attach(
        session,
        request.id,
        io.BytesIO(data),
        filename="scan.pdf",
        actor_id=officer.id,
        max_bytes=MAX,
        **kwargs,
    )
    session.expire_all()  # the job ran (immediately, in tests) in a session of its own
    return session.get(Job, job.id)


def _mails(outbox):
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.messages()]


def test_create_and_list_own_requests(session, reader):
    mine = _ask(session, reader, title="  Statistik   Kesra ", kat_no=" 4101002.17 ")
    assert (mine.title, mine.kat_no, mine.status) == (
        "Statistik Kesra",
        "4101002.17",
        SoftcopyStatus.OPEN,
    )
    other = user(session)
    _ask(session, other)
    rows, total = softcopy.reader_requests(session, reader.id)
    assert total == 1 and rows[0].id == mine.id
    assert softcopy.get_request(session, mine.id, actor=reader).id == mine.id
    with pytest.raises(AccessDenied):
        softcopy.get_request(session, mine.id, actor=other)


def test_attach_ingests_fulfils_entitles_and_mails(session, reader, officer, outbox, tmp_path):
    request = _ask(session, reader, kat_no="4101002.17")
    pdf = make_pdf(tmp_path / "scan.pdf", ["Kesejahteraan rakyat", "Tabel 1"])
    job = _attach(session, request, officer, pdf.read_bytes())
    assert job.state == "done", job.message
    request = softcopy.get_request(session, request.id)
    assert request.status == SoftcopyStatus.FULFILLED
    assert request.job_id == job.id and request.handled_by_id == officer.id
    assert request.notified and request.closed_at is not None
    publication = session.get(Publication, request.publication_id)
    assert publication.title == "Statistik Kesejahteraan Rakyat 2012"
    assert publication.kat_no == "4101002.17"
    assert publication.access == Access.READ_ONLY and publication.printed
    assert publication.created_by_id == officer.id
    (grant,) = session.scalars(select(Entitlement))
    assert (grant.user_id, grant.source, grant.source_ref) == (
        reader.id,
        "softcopy_request",
        str(request.id),
    )
    assert has_entitlement(session, reader.id, publication.id)
    (mail,) = _mails(outbox)
    assert mail["To"] == reader.email
    body = mail.get_body(("plain",)).get_content()
    assert f"http://localhost/publications/{publication.id}" in body
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"softcopy.requested", "softcopy.attached", "softcopy.fulfilled"} <= actions


def test_officer_sets_title_and_access(session, reader, officer, tmp_path):
    request = _ask(session, reader, kat_no="tidak tahu")
    pdf = make_pdf(tmp_path / "scan.pdf", ["Isi"])
    _attach(session, request, officer, pdf.read_bytes(), title="Judul Resmi", access="open")
    publication = session.get(Publication, softcopy.get_request(session, request.id).publication_id)
    assert publication.title == "Judul Resmi" and publication.access == Access.OPEN
    assert publication.kat_no is None  # not a catalogue number: left out


def test_file_already_in_the_catalogue_is_linked(session, reader, officer, outbox, tmp_path):
    pdf = make_pdf(tmp_path / "scan.pdf", ["Sudah ada"])
    existing = cataloguing.ingest(
        session,
        current_store(),
        pdf,
        meta={"title": "Sudah Ada"},
        actor_id=None,
        limits=Limits(timeout_s=60),
    )
    request = _ask(session, reader)
    job = _attach(session, request, officer, pdf.read_bytes())
    assert job.state == "done" and job.result_data["duplicate"] is True
    request = softcopy.get_request(session, request.id)
    assert request.status == SoftcopyStatus.FULFILLED
    assert request.publication_id == existing.id
    assert session.scalar(select(Publication.id).where(Publication.id != existing.id)) is None
    assert has_entitlement(session, reader.id, existing.id)
    assert current_store().exists(existing.original_key)  # the shared bytes are kept
    assert len(_mails(outbox)) == 1


def test_rejected_file_reopens_the_request(session, reader, officer, outbox):
    request = _ask(session, reader)
    job = _attach(session, request, officer, b"%PDF-1.7\nthis is not really a pdf\n")
    assert job.state == "failed" and job.message
    request = softcopy.get_request(session, request.id)
    assert request.status == SoftcopyStatus.OPEN
    assert request.job_id == job.id and request.publication_id is None
    assert session.scalar(select(Entitlement)) is None
    assert session.scalar(select(BlobRecord)) is None  # the refused upload is forgotten
    assert not _mails(outbox)
    assert "softcopy.refused_file" in set(session.scalars(select(AuditEvent.action)))


def test_not_a_pdf_is_refused_before_storing(session, reader, officer):
    request = _ask(session, reader)
    with pytest.raises(IngestRejected) as info:
        _attach(session, request, officer, b"<html>bukan pdf</html>")
    assert info.value.code == "not_pdf"
    assert softcopy.get_request(session, request.id).status == SoftcopyStatus.OPEN
    assert session.scalar(select(Job)) is None


def test_decline_mails_the_reason(session, reader, officer, outbox, tmp_path):
    request = _ask(session, reader)
    softcopy.decline(
        session, request.id, reason="Publikasi ini tidak pernah terbit.", actor_id=1, now=utcnow()
    )
    assert request.status == SoftcopyStatus.DECLINED
    assert request.answer == "Publikasi ini tidak pernah terbit."
    (mail,) = _mails(outbox)
    assert mail["To"] == reader.email
    assert "tidak pernah terbit" in mail.get_body(("plain",)).get_content()
    # Closed: neither declined again nor given a file.
    with pytest.raises(IllegalTransition):
        softcopy.decline(session, request.id, reason="lagi", actor_id=officer.id, now=utcnow())
    with pytest.raises(IllegalTransition):
        _attach(session, request, officer, make_pdf(tmp_path / "x.pdf", ["x"]).read_bytes())


def test_queue_open_first_oldest_first(session, reader, officer):
    t0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
    newer = _ask(session, reader, title="Baru", now=t0 + timedelta(days=2))
    older = _ask(session, reader, title="Lama", now=t0)
    closed = _ask(session, reader, title="Tutup", now=t0 - timedelta(days=5))
    softcopy.decline(session, closed.id, reason="tidak ada", actor_id=officer.id, now=utcnow())
    rows, total = softcopy.queue(session)
    assert total == 3
    assert [r.id for r in rows] == [older.id, newer.id, closed.id]
    rows, total = softcopy.queue(session, open_only=True)
    assert total == 2 and closed.id not in [r.id for r in rows]


def test_a_job_broken_midway_reopens_the_request(session, reader, officer, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(softcopy, "ingest_stored", broken)
    request = _ask(session, reader)
    job = _attach(session, request, officer, b"%PDF-1.7\n")
    assert job.state == "failed"
    assert softcopy.get_request(session, request.id).status == SoftcopyStatus.OPEN
    assert "disk full" in caplog.text

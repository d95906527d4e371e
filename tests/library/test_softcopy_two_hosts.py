"""A softcopy attached through one host is ingested and delivered by another (#17).

The attached PDF is a blob of the shared store from the moment it arrives, so the
worker that runs ``library.softcopy_ingest`` needs nothing from the first host's disk.
"""

from __future__ import annotations

import io
import tempfile

from factories import make_pdf, user
from hostkit import hosts, in_host, s3_server

from app import jobs
from app.accounts.models import Role
from app.blobs import current_store
from app.db import utcnow
from catalog.models import Publication
from library import softcopy
from library.models import SoftcopyStatus

__all__ = ["hosts", "s3_server"]


def test_a_softcopy_attached_on_one_host_is_delivered_from_another(hosts, tmp_path, monkeypatch):
    a, b = hosts.host("web-a"), hosts.host("worker-b")
    pdf = make_pdf(tmp_path / "kesra.pdf", ["Statistik kesejahteraan rakyat"])
    with in_host(a) as session:
        reader = user(session)
        officer = user(session, role=Role.OFFICER)
        request_id = softcopy.create_request(
            session, reader=reader, title="Statistik Kesra", purpose="Tesis", now=utcnow()
        ).id
        job_id = softcopy.start_attach(
            session,
            request_id,
            io.BytesIO(pdf.read_bytes()),
            filename="kesra.pdf",
            actor_id=officer.id,
            max_bytes=50 << 20,
        ).id
    own_tmp = tmp_path / "system-tmp"
    own_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(own_tmp))

    with in_host(b) as session:
        jobs.execute(session, job_id)
        session.expire_all()
        record = session.get(jobs.Job, job_id)
        assert record.state == jobs.DONE, record.message
        request = softcopy.get_request(session, request_id)
        assert request.status == SoftcopyStatus.FULFILLED
        publication = session.get(Publication, request.publication_id)
        assert current_store().exists(publication.original_key)
    assert not list(own_tmp.iterdir())

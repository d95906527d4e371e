"""A catalogue upload received by one host is ingested by a job on another (#17).

The upload is a blob of the shared store from the moment it arrives, so the worker
that runs its ``catalog.ingest`` job needs nothing from the receiving host's disk.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from factories import make_pdf, user
from hostkit import hosts, in_host, s3_server

from app import jobs
from app.accounts.models import Role
from app.blobs import current_store
from catalog import uploads
from catalog.models import Publication

__all__ = ["hosts", "s3_server"]


def test_an_upload_to_one_host_is_ingested_on_another(hosts, tmp_path, monkeypatch):
    a, b = hosts.host("web-a"), hosts.host("worker-b")
    pdf = make_pdf(tmp_path / "padi.pdf", ["Luas panen padi Bengkulu"], title="Luas Panen")
    with in_host(a) as session:
        officer = user(session, role=Role.OFFICER)
        session.commit()
        job_id = uploads.start_ingest(
            session,
            io.BytesIO(pdf.read_bytes()),
            filename="padi.pdf",
            meta={"title": "Luas Panen Padi", "language": "id", "access": "open"},
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
        publication = session.get(Publication, record.result_data["publication_id"])
        assert publication.title == "Luas Panen Padi" and publication.page_count == 1
        # The upload became the publication's original, in the shared store.
        assert current_store().exists(publication.original_key)
    assert not list(own_tmp.iterdir())  # the worker's working copy is gone
    assert not list(Path(a.instance_path).rglob("*.pdf"))

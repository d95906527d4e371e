"""Scan batches end to end on real SANE: pages from the ``pnm`` backend are cleaned,
OCRed and ingested; the catalogue search finds their words; a reader's scan request
is fulfilled with a download right and a mail."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from sqlalchemy import select
from test_scan_kit import (
    PARAGRAPHS,
    char_accuracy,
    pnm_settings,
    sane_dir,  # noqa: F401 - fixture
    scan_config,
    write_pages,
)

from app.events import service_given
from app.jobs import Job
from catalog.indexing import search_index
from catalog.models import Access, Publication, PublicationPage
from library import scan_batches, scan_requests, scanning
from library.access import has_entitlement
from library.models import Entitlement, ScanStatus


@pytest.fixture
def config_overrides(sane_dir: str) -> dict[str, object]:  # noqa: F811
    return scan_config(sane_dir)


def _scan_pages(session, root, batch_id, sources, actor_id):
    for source in sources:
        job = scanning.start_scan(session, root, batch_id, pnm_settings(source), actor_id=actor_id)
        session.expire_all()
        record = session.get(Job, job.id)
        assert record.state == "done", record.message


def _finish(session, root, batch_id, actor_id, **kwargs):
    job = scanning.finish_batch(session, root, batch_id, actor_id=actor_id, **kwargs)
    session.expire_all()
    return session.get(Job, job.id)


def test_scanned_pages_become_a_searchable_publication(app, session, officer, tmp_path):
    root = scanning.scans_root()
    sources = write_pages(tmp_path / "src", 3)
    batch = scan_batches.create_batch(root, actor_id=officer.id, target={"kind": "new"})
    _scan_pages(session, root, batch["id"], sources, officer.id)
    manifest = scanning.load_batch(root, batch["id"])
    assert len(manifest["pages"]) == 3
    assert manifest["settings"]["device"] == "pnm:0"

    with pytest.raises(scanning.BatchInvalid):  # a new publication needs a title
        scanning.finish_batch(session, root, batch["id"], actor_id=officer.id)
    record = _finish(
        session,
        root,
        batch["id"],
        officer.id,
        target={"title": "Statistik Daerah Bengkulu (pindaian)", "kat_no": "1102001.17"},
    )

    assert record.state == "done", record.message
    publication = session.get(Publication, record.result_data["publication_id"])
    assert publication.title == "Statistik Daerah Bengkulu (pindaian)"
    assert publication.kat_no == "1102001.17"
    assert publication.page_count == 3 and publication.printed
    assert publication.access == Access.OPEN
    assert publication.created_by_id == officer.id
    texts = session.scalars(
        select(PublicationPage.text)
        .where(PublicationPage.publication_id == publication.id)
        .order_by(PublicationPage.number)
    ).all()
    for lines, text in zip(PARAGRAPHS, texts, strict=True):
        accuracy = char_accuracy(" ".join(lines), text)
        assert accuracy >= 0.98, (accuracy, text)
    for word in ("Mukomuko", "pengangguran", "kepadatan"):
        hits = search_index().query(word).hits
        assert [h.pub_id for h in hits] == [publication.id], word
    # The pages are gone; a tombstone tells a late client the outcome.
    manifest = scanning.load_batch(root, batch["id"])
    assert manifest["state"] == "done" and manifest["publication_id"] == publication.id
    assert not (root / batch["id"] / "pages").exists()
    assert scan_batches.list_batches(root) == []
    # Finishing again answers with the same job.
    again = scanning.finish_batch(session, root, batch["id"], actor_id=officer.id)
    assert again.id == record.id


def test_a_scan_request_is_fulfilled_with_a_download_right(
    app, session, officer, reader, make_publication, outbox, tmp_path
):
    book = make_publication(title="Bengkulu Dalam Angka 2019", printed=True)
    request = scan_requests.create_request(
        session,
        reader=reader,
        publication_id=book.id,
        pages="12-13",
        purpose="Bahan skripsi",
        max_pages=60,
    )
    events = []

    def listen(sender, **kw):
        events.append(kw["event"])

    service_given.connect(listen)
    root = scanning.scans_root()
    batch = scan_batches.create_batch(
        root, actor_id=officer.id, target={"kind": "scan_request", "request_id": request.id}
    )
    _scan_pages(session, root, batch["id"], write_pages(tmp_path / "src", 2), officer.id)
    try:
        record = _finish(session, root, batch["id"], officer.id)
    finally:
        service_given.disconnect(listen)

    assert record.state == "done", record.message
    request = scan_requests.get_request(session, request.id)
    assert request.status == ScanStatus.FULFILLED
    assert request.job_id == record.id and request.handled_by_id == officer.id
    scan = session.get(Publication, request.result_id)
    assert scan.title.startswith("Bengkulu Dalam Angka 2019 (") and "12-13" in scan.title
    assert scan.access == Access.READ_ONLY and scan.page_count == 2
    assert has_entitlement(session, reader.id, scan.id)
    grant = session.scalar(select(Entitlement).where(Entitlement.publication_id == scan.id))
    assert (grant.source, grant.source_ref) == ("scan_request", str(request.id))
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.messages()]
    assert [m["To"] for m in mails] == [reader.email]
    assert f"/publications/{scan.id}" in mails[0].get_content()
    assert [e.source for e in events] == ["library.scan_request"]
    assert events[0].user_id == reader.id and events[0].officer_id == officer.id

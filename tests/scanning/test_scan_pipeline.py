"""Scan batches end to end on real SANE: pages from the ``pnm`` backend are cleaned,
OCRed and ingested; the catalogue search finds their words; a reader's scan request
is delivered to that reader only (stamped, never catalogued) with a mail."""

from __future__ import annotations

import re
import subprocess
from email import message_from_bytes, policy

import pytest
from factories import PASSWORD, user
from helpers import submit
from imagekit import PARAGRAPHS
from sqlalchemy import func, select
from test_scan_kit import (
    char_accuracy,
    pnm_settings,
    sane_dir,  # noqa: F401 - fixture
    scan_config,
    write_pages,
)

import scanning.batches
import scanning.pages
import scanning.requests
import watermark
from app.blobs import current_store
from app.db import utcnow
from app.events import service_given
from app.jobs import Job
from catalog.indexing import search_index
from catalog.models import Access, Publication, PublicationPage, Status
from library.downloads import scan_downloadable
from library.models import Download, DownloadStatus, Entitlement, ScanStatus


@pytest.fixture
def config_overrides(sane_dir: str) -> dict[str, object]:  # noqa: F811
    return scan_config(sane_dir)


def _scan_pages(session, root, batch_id, sources, actor_id):
    for source in sources:
        job = scanning.batches.start_scan(
            session, root, batch_id, pnm_settings(source), actor_id=actor_id
        )
        session.expire_all()
        record = session.get(Job, job.id)
        assert record.state == "done", record.message


def _finish(session, root, batch_id, actor_id, **kwargs):
    job = scanning.batches.finish_batch(session, root, batch_id, actor_id=actor_id, **kwargs)
    session.expire_all()
    return session.get(Job, job.id)


def test_scanned_pages_become_a_searchable_publication(app, session, officer, tmp_path):
    root = scanning.batches.scans_root()
    sources = write_pages(tmp_path / "src", 3)
    batch = scanning.pages.create_batch(
        root, actor_id=officer.id, target={"kind": "new"}, now=utcnow()
    )
    _scan_pages(session, root, batch["id"], sources, officer.id)
    manifest = scanning.batches.load_batch(root, batch["id"])
    assert len(manifest["pages"]) == 3
    assert manifest["settings"]["device"] == "pnm:0"

    with pytest.raises(scanning.batches.BatchInvalid):  # a new publication needs a title
        scanning.batches.finish_batch(session, root, batch["id"], actor_id=officer.id)
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
    manifest = scanning.batches.load_batch(root, batch["id"])
    assert manifest["state"] == "done" and manifest["publication_id"] == publication.id
    names = {f.name for f in root.files_under(root.name(batch["id"]))}
    assert names == {root.name(batch["id"], "batch.json")}  # no page left in the store
    assert scanning.pages.list_batches(root) == []
    # Finishing again answers with the same job.
    again = scanning.batches.finish_batch(session, root, batch["id"], actor_id=officer.id)
    assert again.id == record.id


def _login(app, person):
    own = app.test_client()
    own.set_cookie("pst_lang", "en")
    response = submit(own, "/login", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return own


def _listing(client):
    """The catalogue's home page without its per-response CSRF token."""
    return re.sub(r'value="[^"]*"', "", client.get("/catalog").get_data(as_text=True))


def _scan_download(client, request_id):
    return submit(
        client,
        f"/library/scan-requests/{request_id}/download",
        {},
        page="/library/requests",
    )


def test_a_scan_request_is_delivered_to_its_reader_only(
    app, client, session, officer, reader, make_publication, outbox, tmp_path
):
    book = make_publication(title="Bengkulu Dalam Angka 2019", printed=True)
    request = scanning.requests.create_request(
        session,
        reader=reader,
        publication_id=book.id,
        pages="12-13",
        purpose="Bahan skripsi",
        max_pages=60,
        now=utcnow(),
    )
    catalogued = session.scalar(select(func.count(Publication.id)))
    listed = _listing(client)
    events = []

    def listen(sender, **kw):
        events.append(kw["event"])

    service_given.connect(listen)
    root = scanning.batches.scans_root()
    batch = scanning.pages.create_batch(
        root,
        actor_id=officer.id,
        target={"kind": "scan_request", "request_id": request.id},
        now=utcnow(),
    )
    _scan_pages(session, root, batch["id"], write_pages(tmp_path / "src", 2), officer.id)
    try:
        record = _finish(session, root, batch["id"], officer.id)
    finally:
        service_given.disconnect(listen)

    assert record.state == "done", record.message
    assert record.result_data["publication_id"] is None
    assert record.result_data["scan_request_id"] == request.id
    request = scanning.requests.get_request(session, request.id)
    assert request.status == ScanStatus.FULFILLED
    assert request.job_id == record.id and request.handled_by_id == officer.id
    # Delivered as a private blob of the request, never as a catalogue item.
    assert request.result_id is None and request.scan_pages == 2
    assert request.scan_key and current_store().exists(request.scan_key)
    assert session.scalar(select(func.count(Publication.id))) == catalogued
    assert session.scalar(select(func.count(Entitlement.id))) == 0
    for word in ("Mukomuko", "pengangguran", "kepadatan"):
        assert search_index().query(word).hits == [], word
        found = client.get(f"/catalog/search?q={word}").get_data(as_text=True)
        assert "(pages 12-13)" not in found and "(halaman 12-13)" not in found
    assert _listing(client) == listed
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.messages()]
    assert [m["To"] for m in mails] == [reader.email]
    assert "/library/requests" in mails[0].get_content()
    assert [e.source for e in events] == ["library.scan_request"]
    assert events[0].user_id == reader.id and events[0].officer_id == officer.id

    # The reader sees it among their library requests and downloads it, stamped.
    mine = _login(app, reader)
    page = mine.get("/library/requests").get_data(as_text=True)
    assert "Bengkulu Dalam Angka 2019" in page and "Download the scan" in page
    response = _scan_download(mine, request.id)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    (tmp_path / "mine.pdf").write_bytes(body)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "mine.pdf"), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert reader.full_name in text and reader.email in text
    assert "Mukomuko" in text  # the scanned pages themselves
    code = response.headers["X-Download-Code"]
    assert code in watermark.find_codes(tmp_path / "mine.pdf")
    row = session.scalar(select(Download).where(Download.code == code))
    assert (row.user_id, row.scan_request_id, row.publication_id) == (
        reader.id,
        request.id,
        book.id,
    )
    assert row.status == DownloadStatus.COMPLETE

    # Nobody else: another reader is refused, a visitor must sign in first.
    other = _login(app, user(session))
    assert other.get("/library/requests").get_data(as_text=True).count("Download the scan") == 0
    assert _scan_download(other, request.id).status_code == 403
    anonymous = app.test_client()
    assert anonymous.post(f"/library/scan-requests/{request.id}/download").status_code in (
        302,
        400,
        401,
    )
    refused = anonymous.post(f"/library/scan-requests/{request.id}/download")
    assert b"%PDF" not in refused.get_data()
    # An officer may check it (stamped with the officer's own name).
    staff = _login(app, officer)
    checked = submit(
        staff,
        f"/library/scan-requests/{request.id}/download",
        {},
        page=f"/staff/library/scan-requests/{request.id}",
    )
    assert checked.status_code == 200 and checked.get_data().startswith(b"%PDF")
    assert session.scalar(select(func.count(Download.id))) == 2
    job_page = staff.get(f"/staff/scanning/jobs/{record.id}").get_data(as_text=True)
    assert "scanned pages" in job_page and "to the catalogue" not in job_page
    assert f'href="/staff/library/scan-requests/{request.id}"' in job_page
    state = staff.get(f"/staff/scanning/jobs/{record.id}/state").get_json()
    assert state["result_url"] == f"/staff/library/scan-requests/{request.id}"
    traced = staff.get("/staff/library/downloads").get_data(as_text=True)
    assert f"/staff/library/scan-requests/{request.id}" in traced and code in traced


def test_legacy_catalogued_scans_become_private(
    app, session, officer, reader, make_publication, outbox
):
    book = make_publication(title="Bengkulu Dalam Angka 2017", printed=True)
    old_scan = make_publication(
        title="Bengkulu Dalam Angka 2017 (halaman 3-4)", printed=False, access=Access.READ_ONLY
    )
    request = scanning.requests.create_request(
        session,
        reader=reader,
        publication_id=book.id,
        pages="3-4",
        purpose="x",
        max_pages=60,
        now=utcnow(),
    )
    request.status = ScanStatus.FULFILLED
    request.result_id = old_scan.id
    # A scan identical to a real catalogue item was answered with that item: it stays.
    real = make_publication(title="Bengkulu Dalam Angka 2016", printed=True)
    twin = scanning.requests.create_request(
        session,
        reader=reader,
        publication_id=book.id,
        pages="5",
        purpose="x",
        max_pages=60,
        now=utcnow(),
    )
    twin.status = ScanStatus.FULFILLED
    twin.result_id = real.id
    session.commit()

    assert scanning.requests.privatise_legacy(session, actor_id=None, now=utcnow()) == [
        request.id,
        twin.id,
    ]
    session.expire_all()
    request = scanning.requests.get_request(session, request.id)
    assert request.scan_key == old_scan.master_key and request.scan_pages == 2
    assert session.get(Publication, old_scan.id).status == Status.WITHDRAWN
    assert session.get(Publication, real.id).status == Status.ACTIVE
    assert scanning.requests.get_request(session, twin.id).scan_key == real.master_key
    assert scan_downloadable(session, request.id, actor=reader).id == request.id
    assert (
        scanning.requests.privatise_legacy(session, actor_id=None, now=utcnow()) == []
    )  # done once

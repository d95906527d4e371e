"""Catalogue services without HTTP: ingest, duplicates, edit, withdraw, import/export."""

from __future__ import annotations

import pytest
from factories import make_pdf, user
from sqlalchemy import select

from app.blobs import current_store
from app.db import utcnow
from app.jobs import Job
from catalog import bps_json, cataloguing, services
from catalog.errors import DuplicatePublication, IngestRejected, PublicationNotFound
from catalog.indexing import search_index
from catalog.ingest import Limits
from catalog.models import Access, Publication, PublicationPage, Status

LIMITS = Limits(timeout_s=60)

PAGES = [
    "Kata Pengantar publikasi ini",
    "Jumlah penduduk Provinsi Bengkulu menurut kabupaten",
    "Tingkat pengangguran terbuka Agustus",
    "Inflasi tahunan Kota Bengkulu",
]


def _ingest(session, path, meta=None):
    return cataloguing.ingest(
        session, current_store(), path, meta=meta, actor_id=None, limits=LIMITS
    )


def test_ingest_records_stores_and_indexes(session, tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", PAGES, title="Statistik Daerah")
    meta = {
        "title": "Statistik Daerah Provinsi Bengkulu 2025",
        "kat_no": "1101002.17",
        "subjects": ["Kependudukan", "Ketenagakerjaan"],
        "access": "read_only",
    }
    publication = _ingest(session, pdf, meta)
    assert publication.page_count == 4
    assert publication.access == Access.READ_ONLY
    assert [s.name for s in publication.subjects] == ["Kependudukan", "Ketenagakerjaan"]
    store = current_store()
    assert store.exists(publication.original_key) and store.exists(publication.master_key)
    texts = session.scalars(select(PublicationPage.text).order_by(PublicationPage.number)).all()
    assert "penduduk" in texts[1]
    # Indexed by a job after commit (immediate mode in tests).
    job = session.scalar(select(Job).where(Job.name == services.INDEX_JOB))
    assert job.state == "done"
    results = search_index().query("kependudukan")
    assert [h.pub_id for h in results.hits] == [publication.id]
    assert search_index().search_pages(publication.id, "pengangguran")[0].page == 3


def test_title_falls_back_to_the_pdf_then_the_file_name(session, tmp_path):
    with_title = _ingest(session, make_pdf(tmp_path / "x.pdf", ["satu"], title="Judul PDF"))
    assert with_title.title == "Judul PDF"
    no_title = _ingest(session, make_pdf(tmp_path / "laporan-2025.pdf", ["dua"]))
    assert no_title.title == "laporan-2025"


def test_duplicate_file_is_refused(session, tmp_path):
    pdf = make_pdf(tmp_path / "a.pdf", PAGES)
    first = _ingest(session, pdf)
    with pytest.raises(DuplicatePublication) as info:
        _ingest(session, pdf)
    assert info.value.existing_id == first.id
    assert session.scalar(select(Publication.id).where(Publication.id != first.id)) is None


def test_not_a_pdf_is_rejected_and_nothing_changes(session, tmp_path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"<html>bukan pdf</html>")
    with pytest.raises(IngestRejected) as info:
        _ingest(session, bad)
    assert info.value.code == "not_pdf"
    assert "\n" not in str(info.value.message)
    assert session.scalar(select(Publication)) is None


def test_edit_withdraw_restore(session, tmp_path):
    officer = user(session)
    publication = _ingest(session, make_pdf(tmp_path / "a.pdf", PAGES))
    services.update_publication(
        session,
        publication.id,
        {"title": "Inflasi Bengkulu", "subjects": ["Harga Konsumen"]},
        actor_id=officer.id,
    )
    assert search_index().query("inflasi").hits[0].pub_id == publication.id
    services.set_status(
        session, publication.id, Status.WITHDRAWN, actor_id=officer.id, reason="salah terbit"
    )
    assert search_index().query("inflasi").total == 0
    with pytest.raises(PublicationNotFound):
        services.get_publication(session, publication.id, now=utcnow())
    assert services.get_publication(
        session, publication.id, now=utcnow(), staff=True
    ).withdrawn_reason
    services.set_status(session, publication.id, Status.ACTIVE, actor_id=officer.id)
    assert search_index().query("inflasi").total == 1


def test_bps_json_round_trip(session, tmp_path):
    publication = _ingest(
        session,
        make_pdf(tmp_path / "a.pdf", PAGES),
        {"title": "Provinsi Bengkulu Dalam Angka 2025", "pub_no": "17000.2501"},
    )
    exported = bps_json.export_all(session, lambda kind, p: f"http://x/{kind}/{p.id}", utcnow())
    item = exported[0]
    for key in (
        "pub_id",
        "title",
        "kat_no",
        "pub_no",
        "issn",
        "abstract",
        "rl_date",
        "cover",
        "pdf",
        "size",
    ):
        assert key in item
    item.update(
        {"title": "Bengkulu Dalam Angka 2025", "rl_date": "2025-02-28", "abstract": "Ringkasan"}
    )
    report = bps_json.import_items(
        session, [item, {"title": "Tidak ada", "pub_no": "999.99"}], actor_id=None
    )
    assert report.updated == [publication.id]
    assert report.unmatched == ["Tidak ada"]
    session.refresh(publication)
    assert publication.title == "Bengkulu Dalam Angka 2025"
    assert publication.release_date.isoformat() == "2025-02-28"


def test_invalid_import_changes_nothing(session, tmp_path):
    publication = _ingest(session, make_pdf(tmp_path / "a.pdf", PAGES), {"title": "Asli"})
    report = bps_json.import_items(
        session, [{"pub_id": str(publication.id), "title": "Baru"}, {"title": ""}], actor_id=None
    )
    assert report.invalid and not report.updated
    session.refresh(publication)
    assert publication.title == "Asli"

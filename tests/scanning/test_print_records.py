"""Printed publications catalogued before they have a file, and their digitisation:
readers find the record and cannot read or download what does not exist; an officer
(or ``pst scan --publication``) scans the book into that same record."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from factories import PASSWORD, user
from helpers import submit
from test_scan_bridge import live_server, officer_token  # noqa: F401 - fixtures
from test_scan_kit import (
    sane_dir,  # noqa: F401 - fixture
    scan_config,
    write_pages,
)

import scanning.batches
import scanning.pages
from app.accounts.models import Role
from app.accounts.services import create_api_token
from app.audit import AuditEvent
from app.blobs import current_store
from app.db import utcnow
from app.jobs import run_queued_here
from catalog import cataloguing
from catalog.errors import AlreadyDigitised, CatalogError
from catalog.indexing import search_index
from catalog.models import Publication
from catalog.uploads import limits_from_config
from library import access
from library.errors import NoDigitalCopy
from library.holdings import add_holding, availability
from library.settings import Settings

RECORD = {
    "title": "Bengkulu Dalam Angka 1996",
    "kat_no": "1102001.17",
    "rl_date": date(1996, 12, 1),
    "subjects": ["Statistik Umum"],
    "abstract": "Data statistik Provinsi Bengkulu tahun 1995.",
}


@pytest.fixture
def config_overrides(sane_dir: str) -> dict[str, object]:  # noqa: F811
    return scan_config(sane_dir)


@pytest.fixture
def login(app, client):
    def sign_in(person):
        own = app.test_client()
        own.set_cookie("pst_lang", "en")
        response = submit(own, "/login", {"email": person.email, "password": PASSWORD})
        assert response.status_code == 302
        return own

    return sign_in


@pytest.fixture
def record(session, officer) -> Publication:
    made = cataloguing.create_record(session, RECORD, actor_id=officer.id)
    add_holding(session, made.id, inventory_no="PST-1996-1", actor_id=officer.id)
    run_queued_here(session)
    return made


def test_a_record_without_a_file_is_catalogued_and_found(session, record, officer):
    assert not record.has_file and record.printed and record.page_count == 0
    assert record.sha256 is None and record.master_key is None
    assert record.kat_no == "1102001.17" and [s.name for s in record.subjects] == ["Statistik Umum"]
    assert [h.pub_id for h in search_index().query("bengkulu angka 1996").hits] == [record.id]
    event = session.query(AuditEvent).filter_by(action="publication.catalogued").one()
    assert event.actor_id == officer.id and event.subject_id == str(record.id)
    # A second record without a file is fine: only real files must be unique.
    other = cataloguing.create_record(session, {"title": "Sensus Pertanian 1993"}, actor_id=None)
    assert other.id != record.id
    with pytest.raises(CatalogError):
        cataloguing.create_record(session, {"title": "   "}, actor_id=None)


def test_nothing_to_read_or_download_without_a_file(session, record, reader):
    with pytest.raises(NoDigitalCopy):
        access.check_read(session, reader, record)
    with pytest.raises(NoDigitalCopy):
        access.check_download(session, reader, record, utcnow())
    options = access.reader_options(session, record, reader, Settings(), record.created_at)
    assert not options.can_read and not options.can_download


def test_pages_of_a_print_only_record(app, session, record, reader, officer, login):
    client = login(reader)
    page = client.get(f"/publications/{record.id}").get_data(as_text=True)
    assert "in print only" in page and "Read online" not in page
    assert "Search inside this publication" not in page
    assert availability(session, record.id).total == 1
    read = client.get(f"/publications/{record.id}/read")
    assert read.status_code == 302
    assert client.get(f"/publications/{record.id}/pages/1").status_code == 404
    download = submit(
        client, f"/publications/{record.id}/download", {}, page=f"/publications/{record.id}"
    )
    assert download.status_code == 302 and download.headers["Location"].endswith(
        f"/publications/{record.id}"
    )
    listing = client.get("/catalog/search?q=angka").get_data(as_text=True)
    assert "print only" in listing
    api = client.get(f"/api/v1/publications/{record.id}").get_json()
    assert api["digital"] is False and api["sha256"] is None and api["pages"] == 0

    staff = login(officer)
    assert "Scan its digital copy" in staff.get(f"/publications/{record.id}").get_data(as_text=True)
    scan_home = staff.get(f"/staff/library/scan?publication={record.id}").get_data(as_text=True)
    assert "The digital copy of: Bengkulu Dalam Angka 1996" in scan_home
    made = submit(
        staff,
        "/staff/scanning/new",
        {"publication": str(record.id)},
        page=f"/staff/library/scan?publication={record.id}",
    )
    assert made.status_code == 302
    batch_id = made.headers["Location"].rstrip("/").rsplit("/", 1)[1]
    target = scanning.batches.load_batch(scanning.batches.scans_root(), batch_id)["target"]
    assert target == {"kind": "publication", "publication_id": record.id}


def test_officer_catalogues_a_printed_publication(session, login, officer, reader):
    assert login(reader).get("/staff/catalog/new-record").status_code == 403
    client = login(officer)
    form = client.get("/staff/catalog/new-record")
    assert form.status_code == 200
    assert re.search(r'<input[^>]*checked[^>]*name="printed"', form.get_data(as_text=True))
    refused = submit(
        client, "/staff/catalog/new-record", {"title": "", "kat_no": "x"}, page=form.request.path
    )
    assert refused.status_code == 422
    assert session.query(Publication).count() == 0
    made = submit(
        client,
        "/staff/catalog/new-record",
        {
            "title": "Statistik Industri Besar dan Sedang 1998",
            "kat_no": "6103002.17",
            "language": "id",
            "kind": "publication",
            "access": "open",
            "printed": "y",
        },
        page="/staff/catalog/new-record",
    )
    assert made.status_code == 302
    created = session.query(Publication).one()
    assert created.title == "Statistik Industri Besar dan Sedang 1998" and not created.has_file
    assert made.headers["Location"].endswith(f"/publications/{created.id}")


def test_pst_scan_publication_digitises_the_record(app, session, record, tmp_path):
    source = write_pages(tmp_path / "src", 1)[0]
    args = ["scan", "--device", "pnm:0", "--option", f"filename={source}"]
    args += ["--resolution", "200", "--publication", str(record.id)]

    result = app.test_cli_runner().invoke(args=args)

    assert result.exit_code == 0, result.output
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["publication_id"] == record.id and not outcome["duplicate"]
    session.expire_all()
    digitised = session.get(Publication, record.id)
    assert digitised.has_file and digitised.page_count == 1 and digitised.sha256
    assert digitised.title == RECORD["title"] and digitised.kat_no == "1102001.17"
    assert session.query(Publication).count() == 1
    assert availability(session, record.id).total == 1  # the printed copy is still there
    hits = search_index().query("kepadatan").hits
    assert [h.pub_id for h in hits] == [record.id]
    assert [p.page for p in search_index().search_pages(record.id, "kepadatan")] == [1]
    assert session.query(AuditEvent).filter_by(action="publication.digitised").count() == 1

    again = app.test_cli_runner().invoke(args=args)
    assert again.exit_code == 1 and "sudah memiliki salinan digital" in again.output
    assert scanning.pages.list_batches(scanning.batches.scans_root()) == []


def _blank_pdf(path, width):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=width, height=842)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_attaching_a_file_twice_is_refused(app, session, record, tmp_path):
    limits = limits_from_config(app.config)
    first = _blank_pdf(tmp_path / "a.pdf", 595)
    attached = cataloguing.ingest(
        session,
        current_store(),
        first,
        meta={"title": "ignored"},
        actor_id=None,
        limits=limits,
        into=record.id,
    )
    assert attached.id == record.id and attached.title == RECORD["title"]
    with pytest.raises(AlreadyDigitised):
        cataloguing.ingest(
            session,
            current_store(),
            _blank_pdf(tmp_path / "b.pdf", 600),
            meta=None,
            actor_id=None,
            limits=limits,
            into=record.id,
        )
    session.rollback()
    assert session.get(Publication, record.id).sha256 == attached.sha256


def test_the_api_refuses_a_batch_for_a_record_with_a_file(app, client, session, record, officer):
    _token, plain = create_api_token(session, user(session, role=Role.OFFICER), "scanner")
    session.commit()
    auth = {"Authorization": f"Bearer {plain}"}
    made = client.post("/api/v1/scan-batches", json={"publication_id": record.id}, headers=auth)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["target"] == {"kind": "publication", "publication_id": record.id}
    record.master_key = record.original_key = record.sha256 = "f" * 64
    session.commit()
    refused = client.post("/api/v1/scan-batches", json={"publication_id": record.id}, headers=auth)
    assert refused.status_code == 422
    assert "sudah memiliki salinan digital" in refused.get_json()["detail"]
    missing = client.post("/api/v1/scan-batches", json={"publication_id": 999999}, headers=auth)
    assert missing.status_code == 422


def test_import_catalogues_unmatched_items_as_printed_books(app, session, record, tmp_path):
    from catalog import bps_json

    items = [
        {"title": "Bengkulu Dalam Angka 1996", "pub_id": "legacy-1", "kat_no": "1102001.17"},
        {"title": "Statistik Harga Produsen Pertanian 1997", "rl_date": "1997-10-01"},
    ]
    listing = tmp_path / "printed.json"
    listing.write_text(json.dumps(items), encoding="utf-8")

    result = app.test_cli_runner().invoke(
        args=["catalog", "import", str(listing), "--create-records"]
    )

    assert result.exit_code == 0, result.output
    assert "1 updated, 1 print-only records created, 0 without" in result.output
    created = session.query(Publication).filter(Publication.id != record.id).one()
    assert created.title == "Statistik Harga Produsen Pertanian 1997" and not created.has_file
    assert created.release_date == date(1997, 10, 1)
    assert [h.pub_id for h in search_index().query("harga produsen").hits] == [created.id]
    exported = {
        e["title"]: e
        for e in bps_json.export_all(session, lambda kind, p: f"/x/{kind}/{p.id}", utcnow())
    }
    assert exported[created.title]["pdf"] is None and exported[created.title]["size"] == ""


def test_pst_scan_publication_through_the_server(
    app,
    session,
    record,
    officer_token,  # noqa: F811 - the fixture
    live_server,  # noqa: F811 - the fixture
    sane_dir,  # noqa: F811 - the fixture
    tmp_path,
):
    args = ["scan", "--device", "test:0", "--source", "adf", "--pages", "2"]
    args += ["--resolution", "75", "--server", live_server, "--token", officer_token]
    args += ["--publication", str(record.id), "--work-dir", str(tmp_path / "work")]
    args += ["--sane-config", sane_dir]

    result = app.test_cli_runner().invoke(args=args)

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["publication_id"] == record.id
    session.expire_all()
    digitised = session.get(Publication, record.id)
    assert digitised.has_file and digitised.page_count == 2
    assert digitised.title == RECORD["title"]

"""Stamped downloads as services: who may, the daily quota, the record, failures midway."""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from factories import make_pdf, user
from sqlalchemy import select

import watermark
from app.accounts.models import Role
from app.blobs import current_store
from app.db import utcnow
from catalog import cataloguing
from catalog import services as catalog
from catalog.ingest import Limits
from catalog.models import Access, Status
from library import downloads
from library.access import reader_options
from library.errors import AccessDenied, NotVerified, QuotaReached
from library.models import Download, DownloadStatus, Entitlement, MasterPlan
from library.settings import settings_from

PAGES = ["Halaman satu penduduk", "Halaman dua inflasi", "Halaman tiga kemiskinan"]


@pytest.fixture
def publication(session, tmp_path):
    pdf = make_pdf(tmp_path / "p.pdf", PAGES)
    return cataloguing.ingest(
        session,
        current_store(),
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": "Statistik Daerah Provinsi Bengkulu 2025"},
    )


def _settings(app, quota):
    """The app's library settings with another daily quota."""
    return replace(settings_from(app.config), daily_quota=quota)


def _start(session, app, reader, publication, quota=20, now=None, **kwargs):
    options = {
        "office": "BPS Provinsi Bengkulu",
        "settings": _settings(app, quota),
        "now": now or utcnow(),
        "cache_dir": Path(app.instance_path) / "cache",
        "ip": "192.0.2.7",
        "user_agent": "pytest",
    }
    options.update(kwargs)
    return downloads.start_download(
        session, current_store(), user=reader, publication=publication, **options
    )


def _drain(prepared, session):
    outcomes = []

    def finish(download_id, outcome):
        outcomes.append(outcome)
        downloads.record_outcome(session, download_id, outcome, utcnow())

    stamping = downloads.open_stamp(session, prepared, utcnow())
    data = b"".join(downloads.stream_download(prepared, stamping, finish))
    return data, outcomes


def _pdftotext(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return text.split("\f")[:-1]


def test_download_is_stamped_recorded_and_hashed(app, session, publication, tmp_path):
    reader = user(session, full_name="Siti Rahmawati", email="siti@example.org")
    prepared = _start(session, app, reader, publication)
    row = session.get(Download, prepared.download_id)
    assert row.status == DownloadStatus.STARTED  # recorded before the first byte
    data, outcomes = _drain(prepared, session)
    pages = _pdftotext(data, tmp_path)
    assert len(pages) == 3
    for page in pages:
        assert "Siti Rahmawati" in page
        assert "siti@example.org" in page
    session.expire_all()
    row = session.get(Download, prepared.download_id)
    assert row.status == DownloadStatus.COMPLETE
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert row.size == len(data)
    assert row.ip == "192.0.2.7"
    assert outcomes[0]["status"] == DownloadStatus.COMPLETE
    assert outcomes[0]["method"] == "fast"
    assert prepared.filename.endswith(f"-{prepared.code}.pdf")
    assert prepared.code in watermark.find_codes(tmp_path / "out.pdf")
    # The master's plan was made once and kept.
    assert session.get(MasterPlan, publication.master_key) is not None


def test_unverified_reader_is_refused_and_nothing_recorded(app, session, publication):
    reader = user(session, verified=False)
    with pytest.raises(NotVerified):
        _start(session, app, reader, publication)
    assert session.scalars(select(Download)).all() == []


def test_read_only_and_sale_need_a_right(app, session, publication):
    reader = user(session)
    for access in (Access.READ_ONLY, Access.SALE):
        publication.access = access
        session.commit()
        with pytest.raises(AccessDenied):
            _start(session, app, reader, publication)
    session.add(Entitlement(user_id=reader.id, publication_id=publication.id, source="officer"))
    session.commit()
    assert _start(session, app, reader, publication).code


def test_withdrawn_publication_cannot_be_downloaded(app, session, publication):
    reader = user(session)
    officer = user(session, role=Role.OFFICER)
    catalog.set_status(session, publication.id, Status.WITHDRAWN, actor_id=officer.id, reason="x")
    with pytest.raises(AccessDenied):
        _start(session, app, reader, publication)


def test_daily_quota_counts_wib_days_and_not_failures(app, session, publication):
    reader = user(session)
    # 23:30 WIB: the quota day ends at midnight WIB, not UTC.
    evening = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)
    first = _start(session, app, reader, publication, quota=2, now=evening)
    _start(session, app, reader, publication, quota=2, now=evening)
    with pytest.raises(QuotaReached) as caught:
        _start(session, app, reader, publication, quota=2, now=evening)
    assert "2" in str(caught.value.message)
    # A download that failed does not use up the quota.
    downloads.record_outcome(
        session, first.download_id, {"status": DownloadStatus.FAILED}, utcnow()
    )
    _start(session, app, reader, publication, quota=2, now=evening)
    # Next WIB day (00:10 WIB = 17:10 UTC): a fresh quota.
    _start(session, app, reader, publication, quota=2, now=evening + timedelta(minutes=40))


def test_a_download_right_is_not_held_back_by_the_quota(app, session, publication):
    reader = user(session)
    _start(session, app, reader, publication, quota=1)
    with pytest.raises(QuotaReached):
        _start(session, app, reader, publication, quota=1)
    used_up = reader_options(session, publication, reader, _settings(app, 1), utcnow())
    assert used_up.quota_used_up and used_up.downloads_back_at is not None
    session.add(Entitlement(user_id=reader.id, publication_id=publication.id, source="purchase"))
    session.commit()
    # Its page offers the download again, with no count of what is left today.
    options = reader_options(session, publication, reader, _settings(app, 1), utcnow())
    assert options.can_download and not options.quota_used_up
    assert options.downloads_left is None
    assert _start(session, app, reader, publication, quota=1).code


def test_a_failure_midway_ends_the_stream_and_is_recorded(app, session, publication, caplog):
    reader = user(session)
    prepared = _start(session, app, reader, publication)

    def broken():
        yield b"%PDF-1.7\n"
        raise OSError("disk read error")

    outcomes = []

    def finish(download_id, outcome):
        outcomes.append(outcome)
        downloads.record_outcome(session, download_id, outcome, utcnow())

    data = b"".join(downloads.stream_download(prepared, broken(), finish))
    assert data == b"%PDF-1.7\n"  # the response just ends; no traceback leaves
    assert outcomes[-1]["status"] == DownloadStatus.FAILED
    session.expire_all()
    row = session.get(Download, prepared.download_id)
    assert row.status == DownloadStatus.FAILED
    assert "disk read error" in row.error
    assert "failed after" in caplog.text


def test_client_leaving_marks_the_download_failed(app, session, publication):
    reader = user(session)
    prepared = _start(session, app, reader, publication)
    outcomes = []
    stamping = downloads.open_stamp(session, prepared, utcnow())
    stream = downloads.stream_download(
        prepared, stamping, lambda _id, outcome: outcomes.append(outcome)
    )
    next(stream)
    stream.close()
    assert outcomes == [{"status": DownloadStatus.FAILED, "error": "client left"}]


def test_a_download_cut_mid_stream_does_not_count_against_the_quota(app, session, publication):
    reader = user(session)
    prepared = _start(session, app, reader, publication, quota=1)
    stamping = downloads.open_stamp(session, prepared, utcnow())
    stream = downloads.stream_download(
        prepared, stamping, lambda i, o: downloads.record_outcome(session, i, o, utcnow())
    )
    next(stream)
    stream.close()  # the reader's connection closed after the first chunk
    again = _start(session, app, reader, publication, quota=1)
    data, outcomes = _drain(again, session)
    assert outcomes[-1]["status"] == DownloadStatus.COMPLETE and data.startswith(b"%PDF")
    with pytest.raises(QuotaReached):  # the completed one counts
        _start(session, app, reader, publication, quota=1)


def test_a_download_whose_worker_died_stops_counting_and_is_abandoned(app, session, publication):
    """Issue #15: "a download cut by a killed worker stays 'started' and counts against
    the daily quota". While it may still be on its way it counts (two parallel clicks
    cannot both take the last download); once the in-flight window has passed it is
    abandoned and counts no more."""
    reader = user(session)
    evening = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 22:00 WIB
    killed = _start(session, app, reader, publication, quota=1, now=evening)
    # Nothing ever records its outcome: the worker streaming it was killed.
    with pytest.raises(QuotaReached):
        _start(session, app, reader, publication, quota=1, now=evening + timedelta(minutes=5))
    window = app.config["LIBRARY_DOWNLOAD_IN_FLIGHT_MINUTES"]
    later = evening + timedelta(minutes=window + 1)
    options = reader_options(session, publication, reader, _settings(app, 1), later)
    assert options.downloads_left == 1 and not options.quota_used_up
    _start(session, app, reader, publication, quota=1, now=later)
    session.expire_all()
    row = session.get(Download, killed.download_id)
    assert row.status == DownloadStatus.ABANDONED


def test_download_name_is_safe():
    from catalog.models import Publication

    pub = Publication(id=7, title='Statistik "Ekonomi"/Daerah: Bengkulu — ÉDISI 2025')
    name = downloads.download_name(pub, "ABCDEFGHJK")
    assert name == "Statistik-Ekonomi-Daerah-Bengkulu-EDISI-2025-ABCDEFGHJK.pdf"
    assert downloads.download_name(Publication(id=3, title="—"), "X") == "publikasi-3-X.pdf"


def _downloaded(session, reader, publication, at):
    """A finished download (the stream itself is tested above)."""
    row = Download(
        code=watermark.new_code(), user_id=reader.id, publication_id=publication.id, created_at=at
    )
    session.add(row)
    session.commit()
    downloads.record_outcome(
        session, row.id, {"status": DownloadStatus.COMPLETE, "size": 1}, utcnow()
    )
    return row


def test_twenty_downloads_of_a_publication_are_one_service(client, session, publication):
    """One publication for one reader on one WIB day is one service: one record, one
    "Rate this service" row — not twenty."""
    from factories import PASSWORD
    from helpers import submit

    from desk import records
    from desk.models import ServiceRecord

    reader = user(session, email="dina@example.org")
    morning = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 08:00 WIB
    for n in range(20):
        _downloaded(session, reader, publication, morning + timedelta(minutes=n))
    (record,) = session.scalars(select(ServiceRecord)).all()
    assert record.started_at == morning
    assert record.ended_at >= morning + timedelta(minutes=19)
    assert records.unrated_count(session, reader.id) == 1
    submit(client, "/login", {"email": reader.email, "password": PASSWORD})
    page = client.get("/desk/my-services").get_data(as_text=True)
    assert page.count("/desk/rate/") == 1
    # The next WIB day (17:00 UTC is midnight WIB) is another visit to the library.
    _downloaded(session, reader, publication, datetime(2026, 11, 25, 17, 0, tzinfo=UTC))
    assert len(session.scalars(select(ServiceRecord)).all()) == 2


def test_abandon_downloads_command_marks_only_stale_unfinished_ones(app, session, publication):
    reader = user(session)
    old = datetime.now(UTC) - timedelta(hours=2)
    stale = _start(session, app, reader, publication, quota=0, now=old)
    done = _start(session, app, reader, publication, quota=0, now=old)
    downloads.record_outcome(
        session, done.download_id, {"status": DownloadStatus.COMPLETE}, utcnow()
    )
    fresh = _start(session, app, user(session), publication, quota=0)  # another reader's
    result = app.test_cli_runner().invoke(args=["library", "abandon-downloads"])
    assert result.exit_code == 0 and '"abandoned": 1' in result.output
    session.expire_all()
    statuses = {
        d: session.get(Download, d).status
        for d in (stale.download_id, done.download_id, fresh.download_id)
    }
    assert statuses == {
        stale.download_id: DownloadStatus.ABANDONED,
        done.download_id: DownloadStatus.COMPLETE,
        fresh.download_id: DownloadStatus.STARTED,
    }


def test_the_periodic_sweep_takes_the_window_and_the_moment_from_the_app(
    app, session, publication, monkeypatch
):
    """The sweep every worker runs (library.wiring) reads the configured in-flight window
    and the app's clock, not the real time: with the office clock days behind, a
    download started 20 minutes before it is still in flight under a 30-minute window."""
    from helpers import FakeClock

    from app import jobs

    (sweep,) = [t.fn for t in jobs.periodic_tasks() if t.name == "library.abandon_downloads"]
    clock = FakeClock(utcnow() - timedelta(days=3))
    monkeypatch.setitem(app.config, "CLOCK", clock)
    monkeypatch.setitem(app.config, "LIBRARY_DOWNLOAD_IN_FLIGHT_MINUTES", 30)
    started = _start(session, app, user(session), publication, now=clock() - timedelta(minutes=20))
    sweep(session)
    session.expire_all()
    assert session.get(Download, started.download_id).status == DownloadStatus.STARTED
    monkeypatch.setitem(app.config, "LIBRARY_DOWNLOAD_IN_FLIGHT_MINUTES", 15)
    sweep(session)
    session.expire_all()
    assert session.get(Download, started.download_id).status == DownloadStatus.ABANDONED

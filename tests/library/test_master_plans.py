"""Stamping plans are made at ingest and kept ready: the first download copies bytes.

Seen before: the plan was made on the first download or reader visit (0.8 s before the
first byte of each publication's first download), and every download parsed the plan's
JSON again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import make_pdf, user
from sqlalchemy import delete, select

import watermark
from app import jobs
from app.blobs import current_store
from app.db import utcnow
from catalog import cataloguing
from catalog.ingest import Limits
from library import downloads, masters
from library.models import MasterPlan
from library.settings import settings_from

PAGES = ["Halaman satu penduduk", "Halaman dua inflasi"]


def _ingest(session, tmp_path, name="p"):
    pdf = make_pdf(tmp_path / f"{name}.pdf", [f"{p} {name}" for p in PAGES])
    return cataloguing.ingest(
        session,
        current_store(),
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": f"Statistik Daerah {name}"},
    )


def _download(session, app, publication):
    reader = user(session)
    prepared = downloads.start_download(
        session,
        current_store(),
        user=reader,
        publication=publication,
        office="BPS Provinsi Bengkulu",
        settings=settings_from(app.config),
        cache_dir=Path(app.instance_path) / "cache",
        now=utcnow(),
    )
    stamping = downloads.open_stamp(session, prepared, utcnow())
    data = b"".join(
        downloads.stream_download(
            prepared, stamping, lambda i, o: downloads.record_outcome(session, i, o, utcnow())
        )
    )
    assert data.startswith(b"%PDF")
    return prepared


@pytest.fixture(autouse=True)
def _forget_ready_plans():
    masters._ready.clear()
    yield
    masters._ready.clear()


def test_ingest_makes_the_plan_in_its_own_transaction(session, tmp_path):
    publication = _ingest(session, tmp_path)
    row = session.get(MasterPlan, publication.master_key)
    assert row is not None and row.plan_json
    assert row.page_sizes_json != "[]"


def test_the_first_download_neither_analyses_nor_parses_again(app, session, tmp_path, monkeypatch):
    publication = _ingest(session, tmp_path)

    def no_analysis(*_a, **_k):
        raise AssertionError("the plan should have been made at ingest")

    monkeypatch.setattr(watermark, "analyse", no_analysis)
    parsed = []
    real = watermark.Plan.from_json
    monkeypatch.setattr(
        watermark.Plan, "from_json", classmethod(lambda cls, t: parsed.append(1) or real(t))
    )
    first = _download(session, app, publication)
    second = _download(session, app, publication)
    assert first.plan is not None and second.plan is first.plan
    assert parsed == [1]  # parsed once for this process, not per download


def test_the_job_plans_masters_stored_before(app, session, tmp_path):
    one, two = _ingest(session, tmp_path, "a"), _ingest(session, tmp_path, "b")
    session.execute(delete(MasterPlan))
    session.commit()
    assert set(masters.unplanned_masters(session)) == {one.master_key, two.master_key}
    job = jobs.enqueue(session, masters.PLAN_JOB)
    session.commit()
    jobs.run_queued_here(session, [masters.PLAN_JOB])
    session.expire_all()
    assert session.get(jobs.Job, job.id).state == jobs.DONE
    assert masters.unplanned_masters(session) == []
    assert session.scalar(
        select(MasterPlan.plan_json).where(MasterPlan.master_key == one.master_key)
    )

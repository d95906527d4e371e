"""A scan batch started on one host is scanned, seen and finished on another (#17).

Two hosts (two instance folders) share the database and an S3 blob store (moto's
server); each job is queued on host A and run by host B, as a worker elsewhere would.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from factories import user
from hostkit import hosts, in_host, s3_server
from test_scan_kit import pnm_settings, sane_dir, scan_config, write_pages

import scanning.batches
import scanning.pages
from app import jobs
from app.accounts.models import Role
from app.db import utcnow
from catalog.models import Publication

__all__ = ["hosts", "s3_server", "sane_dir"]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))  # to see what a job leaves
    return folder


def test_a_batch_started_on_one_host_is_finished_on_another(hosts, sane_dir, private_tmp):
    a = hosts.host("web-a", **scan_config(sane_dir))
    b = hosts.host("worker-b", **scan_config(sane_dir))
    source = write_pages(private_tmp.parent / "glass", 1)[0]

    with in_host(a) as session:
        officer = user(session, role=Role.OFFICER)
        session.commit()
        officer_id = officer.id
        root = scanning.batches.scans_root()
        batch_id = scanning.pages.create_batch(
            root,
            actor_id=officer_id,
            target={"kind": "new", "title": "Pindaian Dua Host"},
            now=utcnow(),
        )["id"]
        scan = scanning.batches.start_scan(
            session,
            root,
            batch_id,
            pnm_settings(source),
            actor_id=officer_id,
        ).id

    with in_host(b) as session:  # the worker scans into the batch
        jobs.execute(session, scan)
        session.expire_all()
        record = session.get(jobs.Job, scan)
        assert record.state == jobs.DONE, record.message

    with in_host(a) as session:  # the officer's page, on the first host, sees the page
        root = scanning.batches.scans_root()
        manifest = scanning.batches.load_batch(root, batch_id)
        assert len(manifest["pages"]) == 1
        body, _rotation = scanning.pages.thumbnail(root, batch_id, manifest["pages"][0]["id"])
        assert body[:2] == b"\xff\xd8"  # a JPEG
        ingest = scanning.batches.finish_batch(session, root, batch_id, actor_id=officer_id).id

    with in_host(b) as session:  # the worker finishes it
        jobs.execute(session, ingest)
        session.expire_all()
        record = session.get(jobs.Job, ingest)
        assert record.state == jobs.DONE, record.message
        publication = session.get(Publication, record.result_data["publication_id"])
        assert publication.title == "Pindaian Dua Host" and publication.page_count == 1
        root = scanning.batches.scans_root()
        # Only the tombstone is left in the shared store; no copy stayed on the worker.
        assert [f.name for f in root.files_under(root.name(batch_id))] == [
            root.name(batch_id, "batch.json")
        ]
        assert not list(private_tmp.iterdir())

    with in_host(a):
        tombstone = scanning.batches.load_batch(scanning.batches.scans_root(), batch_id)
        assert tombstone["state"] == "done"
        assert tombstone["publication_id"] == publication.id
    for host in (a, b):  # nothing of the batch on either host's disk
        assert not list(Path(host.instance_path).rglob(f"*{batch_id}*"))


def test_edits_from_two_hosts_at_once_are_never_lost(hosts, tmp_path):
    """Each manifest edit holds the batch's lock, which every host sharing the database
    shares: the officer's turns on one host and another's on the second all count."""
    import threading

    from PIL import Image

    a, b = hosts.host("web-a"), hosts.host("web-b")
    with in_host(a):
        root = scanning.batches.scans_root()
        batch_id = scanning.pages.create_batch(root, actor_id=None, now=utcnow())["id"]
        for n in range(2):
            path = tmp_path / f"p{n}.pgm"
            Image.new("L", (60, 80), 200 + n).save(path)
            scanning.batches.add_page(root, batch_id, path, max_pages=1000)
        first, second = (p["id"] for p in scanning.batches.load_batch(root, batch_id)["pages"])
    errors: list[BaseException] = []
    together = threading.Barrier(2)

    def turn(host, page_id: str) -> None:
        try:
            with in_host(host):
                together.wait(timeout=30)
                for _ in range(15):
                    scanning.pages.rotate_page(scanning.batches.scans_root(), batch_id, page_id, 90)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=turn, args=(a, first)),
        threading.Thread(target=turn, args=(b, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with in_host(b):
        pages = scanning.batches.load_batch(scanning.batches.scans_root(), batch_id)["pages"]
    assert [p["rotation"] for p in pages] == [270, 270]  # fifteen quarter turns each

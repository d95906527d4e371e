"""PST across three hosts: two web hosts and a worker (issue #17, item 6).

Three instance folders stand for three machines. They share what production shares
— PostgreSQL, Redis (the job queue; a database number of its own here) and the S3
test server (blobs and work in progress) — and nothing else: each has its own disk.
Jobs go through Redis and are taken and run by the worker host only, as a `pst
worker` there would (its Huey consumer's dequeue-and-execute, in process).

PostgreSQL only: SQLite is one host's database by nature.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from factories import user
from flask import Flask
from helpers import redis_queue, submit
from hostkit import Hosts, hosts, in_host, s3_server
from test_mail_queue import SMTPServer, _free_port

sys.path.insert(0, str(Path(__file__).parents[1] / "scanning"))  # the scanning tests' kit
from sanekit import sane_config
from test_scan_kit import pnm_settings, write_pages

from app import jobs
from app.accounts.models import Role
from app.db import utcnow
from app.mail_queue import MailMessage
from catalog.models import Publication

__all__ = ["hosts", "s3_server"]

pytestmark = pytest.mark.skipif(
    not os.environ.get("PST_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="several hosts share PostgreSQL (set PST_TEST_DATABASE_URL)",
)

#: The Redis the hosts share (each test gets a job queue of its own name in it).
REDIS_URL = "redis://127.0.0.1:6379/13"


@dataclass
class Cluster:
    web_a: Flask
    web_b: Flask
    worker: Flask
    smtp: SMTPServer

    def run_worker(self, limit: int = 20) -> int:
        """Run what the queue holds on the worker host, as its consumer would; return
        how many tasks ran (the worker's own tasks may queue more: they run too)."""
        ran = 0
        with in_host(self.worker):
            huey = jobs.queue().huey
            while ran < limit:
                task = huey.dequeue()
                if task is None:
                    break
                huey.execute(task)
                ran += 1
        return ran

    def queued(self) -> int:
        with in_host(self.worker):
            return int(jobs.queue().huey.pending_count())


@pytest.fixture
def cluster(hosts: Hosts, tmp_path: Path) -> Iterator[Cluster]:
    smtp = SMTPServer(_free_port())
    smtp.start()
    hosts.shared.update(
        {
            **redis_queue(REDIS_URL),  # a queue of this test's own in the shared Redis
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp.port,
            "MAIL_USE_TLS": False,
            "MAIL_TIMEOUT_S": 3,
        }
    )
    sane = tmp_path / "sane"
    sane.mkdir()
    scanning: dict[str, Any] = {
        "SCANNER_SANE_CONFIG_DIR": sane_config(sane, "test", "pnm"),
        "SCANNER_OCR_WORKERS": 2,
    }
    cluster = Cluster(
        web_a=hosts.host("web-a", **scanning),
        web_b=hosts.host("web-b", **scanning),
        worker=hosts.host("worker", **scanning),
        smtp=smtp,
    )
    try:
        yield cluster
    finally:
        smtp.stop()
        with in_host(cluster.worker):
            jobs.queue().huey.flush()


@pytest.mark.long
def test_a_scan_batch_started_on_web_a_is_finished_by_the_worker(cluster, tmp_path):
    import scanning.batches
    import scanning.pages

    source = write_pages(tmp_path / "glass", 1)[0]
    with in_host(cluster.web_a) as session:
        officer = user(session, role=Role.OFFICER)
        session.commit()
        officer_id = officer.id
        root = scanning.batches.scans_root()
        batch_id = scanning.pages.create_batch(
            root,
            actor_id=officer_id,
            target={"kind": "new", "title": "Pindaian Tiga Host"},
            now=utcnow(),
        )["id"]
        scan_id = scanning.batches.start_scan(
            session, root, batch_id, pnm_settings(source), actor_id=officer_id
        ).id
    assert cluster.queued() == 1  # handed to Redis by web A

    assert cluster.run_worker() == 1
    with in_host(cluster.web_b) as session:  # the other web host shows the scanned page
        assert session.get(jobs.Job, scan_id).state == jobs.DONE
        manifest = scanning.batches.load_batch(scanning.batches.scans_root(), batch_id)
        assert len(manifest["pages"]) == 1
        body, _turn = scanning.pages.thumbnail(
            scanning.batches.scans_root(), batch_id, manifest["pages"][0]["id"]
        )
        assert body[:2] == b"\xff\xd8"

    with in_host(cluster.web_a) as session:
        ingest_id = scanning.batches.finish_batch(
            session, scanning.batches.scans_root(), batch_id, actor_id=officer_id
        ).id
    assert cluster.run_worker() >= 1  # the ingest (and the index job it queues)

    with in_host(cluster.web_b) as session:
        record = session.get(jobs.Job, ingest_id)
        assert record.state == jobs.DONE, record.message
        publication = session.get(Publication, record.result_data["publication_id"])
        assert publication.title == "Pindaian Tiga Host" and publication.page_count == 1
        root = scanning.batches.scans_root()
        assert scanning.batches.load_batch(root, batch_id)["state"] == "done"
        assert [f.name for f in root.files_under(root.name(batch_id))] == [
            root.name(batch_id, "batch.json")
        ]
    for host in (cluster.web_a, cluster.web_b, cluster.worker):
        assert not list(Path(host.instance_path).rglob(f"*{batch_id}*"))


def test_mail_queued_on_web_b_goes_out_from_the_worker(cluster):
    with in_host(cluster.web_b) as session:
        user(session, email="ada@example.org")
        session.commit()
    client = cluster.web_b.test_client()
    response = submit(client, "/password/forgot", {"email": "ada@example.org"})
    assert response.status_code in (200, 302)
    assert cluster.smtp.received == []  # no request talks to the mail server

    assert cluster.run_worker() >= 1
    assert len(cluster.smtp.received) == 1
    _sender, recipients, content = cluster.smtp.received[0]
    assert recipients == ["ada@example.org"]
    assert "/password/reset/" in message_from_bytes(content, policy=policy.default).as_string()
    with in_host(cluster.web_a) as session:  # every host sees it sent
        sent = session.query(MailMessage).one()
        assert sent.sent_at is not None


def test_a_publication_ingested_through_web_a_is_found_on_web_b_at_once(cluster, tmp_path):
    """The PostgreSQL search engine is written in the ingest's own transaction: web B
    finds the publication at commit, before any worker has run, and its anonymous page
    cache (whose catalogue version lives in Redis) does not serve the older answer."""
    from factories import make_pdf

    from app.blobs import current_store
    from catalog import cataloguing
    from catalog.ingest import Limits

    reader = cluster.web_b.test_client()
    before = reader.get("/catalog/search?q=kopikeliling")
    assert before.status_code == 200 and "Kopi Keliling" not in before.get_data(as_text=True)

    pdf = make_pdf(tmp_path / "kopi.pdf", ["Kopikeliling di Bengkulu", "Halaman dua"])
    with in_host(cluster.web_a) as session:
        cataloguing.ingest(
            session,
            current_store(),
            pdf,
            meta={"title": "Kopi Keliling Bengkulu"},
            actor_id=None,
            limits=Limits(),
            filename="kopi.pdf",
        )
        session.commit()

    after = reader.get("/catalog/search?q=kopikeliling")
    assert after.status_code == 200
    assert "Kopi Keliling Bengkulu" in after.get_data(as_text=True)
    health = reader.get("/healthz").get_json()
    assert health["checks"]["search_index"]["engine"] == "postgres", health

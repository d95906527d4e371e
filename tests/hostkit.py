"""Several hosts of one PST installation in one test process (issue #17).

A *host* is an app with an instance folder of its own (its disk: temporary files,
the rendered-page cache, the search index, the embedded job queue) sharing with the
others what production shares: the database of the test run, one S3-compatible blob
store (moto's server over real HTTP, a bucket prefix per test) and, when asked, Redis
and an SMTP server. Work started on one host and finished by a job that another host
runs (``in_host(b)`` and call the job there) shows that nothing of it stayed on the
first host's disk.

Import the fixtures into a test module: ``from hostkit import hosts, s3_server``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from helpers import base_config
from s3kit import moto_s3

from app.extensions import db as _db

BUCKET = "pst-hosts"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """One moto S3 server for the session, with the bucket the hosts share."""
    with moto_s3(BUCKET) as (endpoint, _client):
        yield endpoint


class Hosts:
    """Builds hosts sharing the database, the blob store and ``shared`` settings."""

    def __init__(
        self,
        make_app: Callable[[dict[str, Any]], Flask],
        root: Path,
        database_url: str,
        s3_endpoint: str,
    ) -> None:
        self._make_app = make_app
        self.root = root
        self.database_url = database_url
        # A prefix per test: one test's blobs and work files never meet another's.
        self.storage_url = f"s3://{BUCKET}/t{uuid.uuid4().hex[:12]}"
        self.s3_endpoint = s3_endpoint
        self.shared: dict[str, Any] = {}

    def config(self, name: str, **overrides: Any) -> dict[str, Any]:
        return {
            **base_config(self.root / name / "instance", self.database_url),
            "STORAGE_URL": self.storage_url,
            "S3_ENDPOINT_URL": self.s3_endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing",
            # A job is queued where the work starts and run where a test says.
            "JOBS_IMMEDIATE": False,
            **self.shared,
            **overrides,
        }

    def host(self, name: str, **overrides: Any) -> Flask:
        return self._make_app(self.config(name, **overrides))


@contextmanager
def in_host(app: Flask) -> Iterator[Any]:
    """Run the block as ``app`` (its own app context and database session)."""
    with app.app_context():
        try:
            yield _db.session
        finally:
            _db.session.remove()


@pytest.fixture
def hosts(
    app: Flask,  # the default app empties the shared tables after the test
    make_app: Callable[[dict[str, Any]], Flask],
    tmp_path: Path,
    database_url: str,
    s3_server: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Hosts:
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return Hosts(make_app, tmp_path / "hosts", database_url, s3_server)

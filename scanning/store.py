"""Where scan batches live: in the blob store, so that any host can continue one.

A batch is the set of work files ``scans/<id>/…`` of the app's blob store
(:meth:`storage.BlobStore.put_work`: a folder of the local store, a key prefix of the
S3 bucket): ``batch.json`` (the manifest), ``pages/<page>.<ext>``, ``thumbs/<page>.jpg``
and a ``cancel`` marker. A batch started through one web host is scanned, edited and
ingested by whichever host or worker gets the request or the job; nothing of it stays
on a host's disk beyond the temporary copy a job works on (``pst-*`` in the system's
temporary folder, removed when the work ends and by the temporary-files sweep).

Every change to a manifest holds the batch's lock, shared by every process that shares
the database: a PostgreSQL advisory lock (on a connection of its own, so it never joins
the caller's transaction), or with SQLite, which only processes of one host share, an
``flock`` on a file beside the database.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app import clock
from app.clock import Clock
from app.extensions import db
from storage import BlobNotFound, BlobStore, WorkFile

PREFIX = "scans"
MANIFEST = "batch.json"
#: The advisory locks' first key: "PS" (another feature's locks never collide with ours).
_LOCK_CLASS = 0x5053


class BatchRoot:
    """The scan batches of one app: their work files, their locks and the clock that
    stamps each change of a manifest (the app's: :func:`app.clock.now`)."""

    def __init__(self, store: BlobStore, engine: Engine, lock_dir: Path, clock: Clock) -> None:
        self.store = store
        self.engine = engine
        self.lock_dir = lock_dir
        self.clock = clock
        self._postgres = engine.dialect.name == "postgresql"

    def __repr__(self) -> str:
        return f"<BatchRoot {self.store.describe()}/work/{PREFIX}>"

    @staticmethod
    def name(batch_id: str, relative: str = "") -> str:
        return f"{PREFIX}/{batch_id}/{relative}" if relative else f"{PREFIX}/{batch_id}"

    # --- the lock ------------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self, batch_id: str) -> Iterator[None]:
        """Hold the batch's lock (not reentrant: one holder at a time, threads included)."""
        if self._postgres:
            objid = int(batch_id[:8], 16) - 2**31  # a signed 32-bit key from the id
            keys = {"a": _LOCK_CLASS, "b": objid}
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            try:
                conn.execute(text("SELECT pg_advisory_lock(:a, :b)"), keys)
                try:
                    yield
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"), keys)
            finally:
                conn.close()
            return
        self.lock_dir.mkdir(parents=True, exist_ok=True)
        with (self.lock_dir / f"{batch_id}.lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # --- the manifest --------------------------------------------------------------------

    def read_manifest(self, batch_id: str) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(
                self.store.read_work(self.name(batch_id, MANIFEST)).decode("utf-8")
            )
        except (BlobNotFound, ValueError):
            return None
        return data

    def write_manifest(self, batch_id: str, manifest: dict[str, Any]) -> None:
        body = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        self.store.put_work(self.name(batch_id, MANIFEST), io.BytesIO(body))

    def batch_ids(self) -> list[str]:
        """Ids of the batches that have a folder (a manifest, or leftovers): one listing
        of the folders, not of every page."""
        return sorted(name.split("/")[1] for name in self.store.list_work_folders(PREFIX))

    def files_under(self, prefix: str) -> list[WorkFile]:
        return list(self.store.list_work(prefix))

    # --- files ---------------------------------------------------------------------------

    def put(self, batch_id: str, relative: str, source: Path) -> None:
        self.store.put_work(self.name(batch_id, relative), source)

    def read(self, batch_id: str, relative: str) -> bytes:
        return self.store.read_work(self.name(batch_id, relative))

    def exists(self, batch_id: str, relative: str) -> bool:
        return self.store.work_exists(self.name(batch_id, relative))

    def delete(self, batch_id: str, relative: str) -> None:
        self.store.delete_work(self.name(batch_id, relative))

    def delete_batch(self, batch_id: str) -> int:
        """Every file of the batch, its manifest last (a listing never sees pages
        without the manifest that holds them while they go)."""
        files = [f.name for f in self.files_under(self.name(batch_id))]
        manifest = self.name(batch_id, MANIFEST)
        for name in sorted(files, key=lambda n: n == manifest):
            self.store.delete_work(name)
        return len(files)

    def fetch(self, batch_id: str, relative: str, target: Path) -> Path:
        """Copy a file of the batch to ``target`` on this host."""
        with self.store.open_work(self.name(batch_id, relative)) as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)
        return target

    @contextlib.contextmanager
    def local_copy(self, batch_id: str, relative: str) -> Iterator[Path]:
        """A temporary copy of a file of the batch on this host, removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="pst-scan-page-") as work:
            yield self.fetch(batch_id, relative, Path(work) / os.path.basename(relative))


_KEY = "pst.scan_batches"
_lock = threading.Lock()


def _lock_dir(app: Flask, engine: Engine) -> Path:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if database and database != ":memory:" and not database.startswith("file:"):
        # Beside the SQLite file: every process sharing the database shares the locks.
        return Path(database).resolve().parent / "scan-locks"
    return Path(app.instance_path) / "scan-locks"


def batch_root(app: Flask | None = None) -> BatchRoot:
    """The app's batch root (made once per app, on first use)."""
    application = app or current_app
    root: BatchRoot | None = application.extensions.get(_KEY)
    if root is None:
        with _lock:
            root = application.extensions.get(_KEY)
            if root is None:
                from app.blobs import current_store

                with application.app_context():
                    engine = db.engine
                    root = BatchRoot(
                        current_store(), engine, _lock_dir(application, engine), clock.now
                    )
                application.extensions[_KEY] = root
    return root

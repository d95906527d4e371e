"""Jobs and processes for the fault-injection tests, importable by a `pst worker` child.

The worker subprocess imports this module before the CLI (``-c "import fault_jobs; ..."``),
so the jobs below exist in both processes. :class:`RedisServer` is a redis-server of the
test's own on a free port, which the test may stop and start again (never the shared one).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from app import jobs

#: Where the blocking job says it started (set by the test through the environment).
MARKER_ENV = "PST_TEST_JOB_MARKER"


def _block_first_attempt(ctx: jobs.JobContext) -> dict[str, Any]:
    """The first attempt reports progress, says so in the marker file and then blocks
    (until its worker is killed); a later attempt finishes at once."""
    if ctx.attempt == 1:
        ctx.progress(10, "starting")
        marker = os.environ.get(MARKER_ENV)
        if marker:
            Path(marker).write_text(ctx.job_id)
        time.sleep(600)
    return {"attempt": ctx.attempt}


jobs.job("test.block")(_block_first_attempt)
jobs.job("test.block_once", max_attempts=1)(
    lambda ctx: _block_first_attempt(ctx)  # a function of its own: registered once more
)

#: The job below waits for this before touching the database again.
RELEASE = threading.Event()
HOLDING = threading.Event()


@jobs.job("test.hold_connection", backoff_seconds=0.1)
def _hold_connection(ctx: jobs.JobContext) -> dict[str, Any]:
    """Holds a database connection in a transaction until released, then writes: a
    connection terminated meanwhile fails the write (the first attempt only)."""
    from sqlalchemy import text

    ctx.session.execute(text("SELECT 1"))
    if ctx.attempt == 1:
        HOLDING.set()
        RELEASE.wait(30)
    ctx.progress(50, "storing")
    return {"attempt": ctx.attempt}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    """A redis-server of the test's own, without persistence, on ``port``."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

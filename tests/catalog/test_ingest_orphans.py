"""The PDF parser's process never outlives the job that started it.

The parser runs in a session of its own, so killing ``pst worker`` outright (``kill -9``,
the OOM killer) used to leave it running. The worker here blocks on a named pipe as its
source: it would wait forever if nothing killed it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from catalog.ingest.protocol import EXIT_ORPHANED, WORKER_MODULE
from catalog.ingest.sandbox import PACKAGE_ROOT

PARENT = """
import sys
from pathlib import Path
from catalog.ingest.model import Limits
from catalog.ingest.sandbox import run_worker
run_worker(Path(sys.argv[1]), Path(sys.argv[2]), Limits(timeout_s=600), 600)
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command may hold spaces and parentheses: the fields follow the last ")".
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has ended


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_parser_dies_with_a_killed_parent(tmp_path: Path) -> None:
    source = tmp_path / "upload.pdf"
    os.mkfifo(source)  # opening it blocks until a writer comes: none will
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(source), str(work)], env=env)
    child = None
    try:
        assert _wait_for(lambda: bool(_children(parent.pid))), "the parser did not start"
        (child,) = _children(parent.pid)
        time.sleep(0.5)  # past its start-up: blocked on the pipe
        assert _alive(child)
        parent.kill()
        parent.wait()
        assert _wait_for(lambda: not _alive(child), timeout=10), "the parser outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if child is not None and _alive(child):
            os.kill(child, signal.SIGKILL)


def test_worker_gives_up_when_orphaned_before_it_started(tmp_path: Path) -> None:
    # Started by this process, but told another pid started it: as if its parent had
    # died before it could ask to die with it. Nobody waits for its result.
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", WORKER_MODULE, str(tmp_path / "x.pdf"), str(tmp_path), "{}", "1"],
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == EXIT_ORPHANED
    assert not (tmp_path / "result.json").exists()

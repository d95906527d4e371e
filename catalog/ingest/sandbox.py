"""Running the worker in a process of its own, with a wall-clock deadline.

The worker starts in a new session (so the whole process group can be killed),
with stdin from /dev/null, stdout discarded, stderr to an anonymous temporary file
whose tail is kept for logs, and a minimal environment: no secrets of the web
process, ``PATH`` pointing nowhere so no external program can be found, and
``OMP_THREAD_LIMIT=1`` so an image codec cannot fan out over all cores.

The worker cannot outlive this process: it asks Linux to kill it when its parent dies
(``worker.die_with_parent``), since a parent killed outright runs no ``finally``.

The child is reaped with ``os.wait4`` (rather than ``Popen.wait``) to get its own
resource usage — CPU time and peak memory — which ``getrusage(RUSAGE_CHILDREN)``
cannot give per child when several uploads run at once.
"""

from __future__ import annotations

import contextlib
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .model import Limits
from .protocol import WORKER_MODULE

__all__ = ["PACKAGE_ROOT", "WorkerRun", "run_worker", "worker_env"]

# The directory holding the ``catalog`` package, for the worker's PYTHONPATH.
PACKAGE_ROOT = Path(__file__).resolve().parents[2]

_STDERR_TAIL = 4000
_POLL_S = 0.05


@dataclass(frozen=True)
class WorkerRun:
    """How the worker ended."""

    returncode: int  # negative: killed by that signal
    timed_out: bool  # killed by us at the deadline
    seconds: float
    cpu_s: float
    peak_rss: int  # bytes
    stderr_tail: str


def worker_env() -> dict[str, str]:
    """The worker's whole environment."""
    return {
        # Not a directory: nothing resolves through it (pypdf would look up jbig2dec).
        "PATH": os.devnull,
        "PYTHONPATH": str(PACKAGE_ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUTF8": "1",
        "OMP_THREAD_LIMIT": "1",
    }


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)  # start_new_session: the group id is the pid


def _reap(pid: int, timeout: float) -> tuple[int, resource.struct_rusage, bool]:
    """Wait for ``pid`` up to ``timeout`` s, killing its group then; (status, rusage, killed)."""
    deadline = time.monotonic() + timeout
    try:
        pidfd: int | None = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None  # not Linux >= 5.3: poll instead
    try:
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                return status, usage, False
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill_group(pid)
                _, status, usage = os.wait4(pid, 0)
                return status, usage, True
            if pidfd is not None:
                select.select([pidfd], [], [], remaining)
            else:
                time.sleep(min(_POLL_S, remaining))
    finally:
        if pidfd is not None:
            os.close(pidfd)


def run_worker(src: Path, work_dir: Path, limits: Limits, timeout: float) -> WorkerRun:
    """Run the worker on ``src``, writing into ``work_dir``; never longer than ``timeout`` s."""
    command = [
        sys.executable,
        "-P",  # do not put the working directory (the upload's folder) on sys.path
        "-s",  # nor the user's site-packages
        "-m",
        WORKER_MODULE,
        str(src),
        str(work_dir),
        limits.to_json(),
        # The worker is killed when this process dies (see ``worker.die_with_parent``).
        str(os.getpid()),
    ]
    started = time.monotonic()
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=work_dir,
            env=worker_env(),
            start_new_session=True,
            close_fds=True,
        )
        try:
            status, usage, timed_out = _reap(process.pid, timeout)
        except BaseException:
            _kill_group(process.pid)
            process.wait()
            raise
        returncode = os.waitstatus_to_exitcode(status)
        # Reaped by hand above: tell Popen, so it neither waits again nor warns.
        process.returncode = returncode
        stderr.seek(0, os.SEEK_END)
        stderr.seek(max(0, stderr.tell() - _STDERR_TAIL))
        tail = stderr.read().decode("utf-8", "replace")
    return WorkerRun(
        returncode=returncode,
        timed_out=timed_out,
        seconds=time.monotonic() - started,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss=usage.ru_maxrss * 1024,  # Linux reports KiB
        stderr_tail=tail,
    )

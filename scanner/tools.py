"""Running the external programs (``scanimage``, ``tesseract``) as subprocesses.

Each program runs in its own session, hence its own process group, so that stopping
it also stops whatever it forked (SANE backends fork reader processes), and so that a
crashing driver only ever takes down a child process. Output is decoded as UTF-8 with
replacement, and ``LC_ALL=C`` keeps the programs' messages in English, which is what
the parsers here expect.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scanner.errors import ToolMissing

__all__ = [
    "ToolRun",
    "find_tool",
    "run_tool",
    "start_tool",
    "stderr_tail",
    "stop_tool",
    "tool_env",
]


@dataclass(frozen=True)
class ToolRun:
    """The outcome of one ``run_tool`` call."""

    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False
    cancelled: bool = False


def find_tool(name: str) -> str:
    """The absolute path of ``name`` on PATH, or ``ToolMissing``."""
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(detail=f"{name} not found on PATH")
    return path


def stderr_tail(stderr: str, lines: int = 5) -> str:
    """The last lines of a tool's stderr, for an error's ``detail``."""
    return "\n".join(stderr.strip().splitlines()[-lines:])


def tool_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a tool: ours, in the C locale, plus ``extra``."""
    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env.pop("LANGUAGE", None)
    if extra:
        env.update(extra)
    return env


def start_tool(
    args: Sequence[str], *, env: Mapping[str, str], stdout: int | None = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    """Start ``args`` in a new session (its own process group); stderr is piped."""
    return subprocess.Popen(  # noqa: S603 - argv list, no shell; the tools are found on PATH
        list(args),
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=dict(env),
        start_new_session=True,
    )


def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    # The group id is the child's pid because start_new_session made it a leader.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def stop_tool(
    proc: subprocess.Popen[bytes], *, first_signal: int = signal.SIGINT, grace_s: float = 5.0
) -> None:
    """Ask the process group to stop with ``first_signal``; SIGKILL it after ``grace_s``.

    SIGINT first because ``scanimage`` answers it by cancelling the scan on the device
    (``sane_cancel``), which leaves the scanner ready for the next job; SIGKILL is the
    fallback for a driver that no longer answers.
    """
    if proc.poll() is None:
        _signal_group(proc, first_signal)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace_s)
    # Killed even when the leader has exited: a forked reader may outlive it.
    _signal_group(proc, signal.SIGKILL)
    proc.wait()


def run_tool(
    args: Sequence[str],
    *,
    env: Mapping[str, str],
    timeout_s: float | None,
    cancel: threading.Event | None = None,
    poll_s: float = 0.1,
    stop_signal: int = signal.SIGKILL,
) -> ToolRun:
    """Run ``args`` to completion, capturing stdout and stderr.

    A timeout or a set ``cancel`` stops the whole process group (with ``stop_signal``,
    then SIGKILL) and is reported in the result rather than raised, so each caller maps
    it to its own typed error.
    """
    proc = start_tool(args, env=env, stdout=subprocess.PIPE)
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    timed_out = cancelled = False
    chunks: tuple[bytes, bytes] | None = None
    try:
        while chunks is None:
            wait = poll_s if cancel is not None else None
            if deadline is not None:
                left = deadline - time.monotonic()
                wait = left if wait is None else min(wait, left)
                if wait <= 0:
                    timed_out = True
                    break
            if cancel is not None and cancel.is_set():
                cancelled = True
                break
            try:
                chunks = proc.communicate(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
    finally:
        if chunks is None:
            stop_tool(proc, first_signal=stop_signal, grace_s=2.0)
            chunks = proc.communicate()
    out, err = chunks
    return ToolRun(
        returncode=proc.returncode,
        stdout=out.decode("utf-8", "replace"),
        stderr=err.decode("utf-8", "replace"),
        timed_out=timed_out,
        cancelled=cancelled,
    )

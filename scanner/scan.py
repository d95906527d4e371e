"""Scanning flatbed pages and feeder batches with ``scanimage --batch``.

``scanimage`` runs as a child in its own process group, so a crashing driver takes
down only that child. It writes each page to ``page-NNNN.EXT.part`` and renames it
when the page is complete, so a finished page is a file without ``.part``: the
directory is polled for those and each is reported as it appears.

Stopping: on ``cancel`` or a timeout the group gets SIGINT (``scanimage`` then calls
``sane_cancel`` so the device is left ready) and SIGKILL after a grace period.

Exit statuses are SANE status codes and map to typed errors; the page of an error is
one more than the pages already written. An empty feeder makes ``scanimage`` exit 0
without writing anything, so files are counted: a feeder scan that produced no page
raises ``NoDocuments`` (the choice made here, rather than returning an empty list,
so that callers cannot mistake "nothing scanned" for success).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import IO, Literal

from scanner.devices import device_options, open_failure, sane_env
from scanner.errors import (
    AccessDenied,
    CoverOpen,
    DeviceBusy,
    DeviceIOError,
    NoDocuments,
    PaperJam,
    ScanCancelled,
    ScanError,
    ScannerCrashed,
    ScanTimeout,
)
from scanner.options import DeviceOptions
from scanner.settings import ResolvedSettings, ScanSettings, resolve_settings
from scanner.tools import find_tool, start_tool, stderr_tail, stop_tool

__all__ = ["EXIT_STATUS_ERRORS", "PageCallback", "scan"]

PageCallback = Callable[[int, Path], None]
FileFormat = Literal["pnm", "tiff"]

# scanimage exits with the SANE_Status of the failure.
EXIT_STATUS_ERRORS: dict[int, type[ScanError]] = {
    2: ScanCancelled,  # SANE_STATUS_CANCELLED
    3: DeviceBusy,  # SANE_STATUS_DEVICE_BUSY
    6: PaperJam,  # SANE_STATUS_JAMMED
    7: NoDocuments,  # SANE_STATUS_NO_DOCS
    8: CoverOpen,  # SANE_STATUS_COVER_OPEN
    9: DeviceIOError,  # SANE_STATUS_IO_ERROR
    11: AccessDenied,  # SANE_STATUS_ACCESS_DENIED
}
_EXTENSIONS = {"pnm": "pnm", "tiff": "tif"}
_PAGE_FILE = re.compile(r"^page-(\d{4,})\.(pnm|tif)$")


def _page_files(directory: Path) -> list[Path]:
    """Completed page files in ``directory``, in page order."""
    found = []
    with os.scandir(directory) as entries:
        for entry in entries:
            match = _PAGE_FILE.match(entry.name)
            if match is not None:
                found.append((int(match.group(1)), Path(entry.path)))
    return [path for _, path in sorted(found)]


def _part_sizes(directory: Path) -> tuple[tuple[str, int], ...]:
    """Sizes of the pages being written, to tell a slow scan from a stalled one."""
    sizes = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if not entry.name.endswith(".part"):
                continue
            try:
                sizes.append((entry.name, entry.stat().st_size))
            except FileNotFoundError:  # scanimage removed it (a failed page) meanwhile
                continue
    return tuple(sorted(sizes))


def _drain(stream: IO[bytes], into: deque[str]) -> None:
    # Ends when the pipe closes; or when scan() closes it under a child that kept it.
    with contextlib.suppress(ValueError, OSError):
        for raw in stream:
            into.append(raw.decode("utf-8", "replace").rstrip("\n"))


class _Watcher:
    """Reports completed pages of one run, in order, each exactly once."""

    def __init__(self, directory: Path, on_page: PageCallback | None) -> None:
        self.directory = directory
        self.on_page = on_page
        self.pages: list[Path] = []
        self._seen: set[str] = set()
        self.last_progress = time.monotonic()
        self._parts: tuple[tuple[str, int], ...] = ()

    def poll(self) -> None:
        # By name, not by count: the caller may move a reported page out of the folder.
        for path in _page_files(self.directory):
            if path.name in self._seen:
                continue
            self._seen.add(path.name)
            self.pages.append(path)
            self.last_progress = time.monotonic()
            if self.on_page is not None:
                self.on_page(len(self.pages), path)
        parts = _part_sizes(self.directory)
        if parts != self._parts:
            self._parts = parts
            self.last_progress = time.monotonic()


def _command(resolved: ResolvedSettings, out_dir: Path, file_format: FileFormat) -> list[str]:
    # scanimage expands the pattern with sprintf: a "%" in the folder must be doubled.
    folder = str(out_dir.resolve()).replace("%", "%%")
    pattern = f"{folder}/page-%04d.{_EXTENSIONS[file_format]}"
    command = [
        find_tool("scanimage"),
        *resolved.arguments,
        f"--format={file_format}",
        f"--batch={pattern}",
        "--batch-start=1",
    ]
    count = resolved.settings.pages
    if count is None and not resolved.uses_feeder:
        count = 1  # on the flatbed --batch alone would rescan the glass forever
    if count is not None:
        command.append(f"--batch-count={count}")
    return command


def _result_error(
    returncode: int, stderr: str, resolved: ResolvedSettings, pages: list[Path]
) -> ScanError | None:
    """The error a finished run stands for, or None when its pages are the result."""
    detail = stderr_tail(stderr)
    page = len(pages) + 1
    if returncode == 0:
        if pages:
            return None
        if resolved.uses_feeder:
            return NoDocuments(detail=detail, status=0)
        return ScanError(detail=detail or "the scanner returned no image", status=0)
    if returncode < 0:
        return ScannerCrashed(
            page=page, pages=pages, detail=detail or f"killed by signal {-returncode}"
        )
    error = EXIT_STATUS_ERRORS.get(returncode)
    if error is NoDocuments and not pages:
        return NoDocuments(detail=detail, status=returncode)
    if error is not None:
        return error(page=page, pages=pages, detail=detail, status=returncode)
    if "open of device" in stderr:
        return open_failure(returncode, stderr)
    return ScanError(page=page, pages=pages, detail=detail, status=returncode)


def scan(
    settings: ScanSettings,
    out_dir: str | os.PathLike[str],
    *,
    on_page: PageCallback | None = None,
    cancel: threading.Event | None = None,
    timeout_s: float | None = 900.0,
    stall_timeout_s: float | None = 120.0,
    grace_s: float = 5.0,
    options: DeviceOptions | None = None,
    config_dir: str | os.PathLike[str] | None = None,
    file_format: FileFormat = "pnm",
    poll_s: float = 0.1,
) -> list[Path]:
    """Scan into ``out_dir`` (``page-0001.pnm``, ...) and return the page files in order.

    ``on_page(number, path)`` is called as each page file is complete, from this
    thread. ``cancel`` stops the scan (``ScanCancelled``); ``timeout_s`` bounds the
    whole run and ``stall_timeout_s`` the time without any new data (``ScanTimeout``).
    ``options`` skips the ``device_options`` query when the caller has them already.
    Failures raise a ``ScanError`` subclass whose ``pages`` are the pages completed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if _page_files(out):
        raise ValueError(f"{out} already holds scanned pages")
    if options is None:
        options = device_options(settings.device, config_dir=config_dir)
    resolved = resolve_settings(settings, options)
    proc = start_tool(_command(resolved, out, file_format), env=sane_env(config_dir))
    assert proc.stderr is not None  # start_tool pipes stderr
    stderr: deque[str] = deque(maxlen=200)
    reader = threading.Thread(target=_drain, args=(proc.stderr, stderr), daemon=True)
    reader.start()
    watcher = _Watcher(out, on_page)
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    stopped: Literal["cancel", "timeout"] | None = None
    try:
        while proc.poll() is None:
            watcher.poll()
            now = time.monotonic()
            if cancel is not None and cancel.is_set():
                stopped = "cancel"
            elif (deadline is not None and now > deadline) or (
                stall_timeout_s is not None and now - watcher.last_progress > stall_timeout_s
            ):
                stopped = "timeout"
            if stopped is not None:
                stop_tool(proc, first_signal=signal.SIGINT, grace_s=grace_s)
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=poll_s)
        watcher.poll()
    except BaseException:
        stop_tool(proc, first_signal=signal.SIGINT, grace_s=grace_s)
        raise
    finally:
        reader.join(timeout=grace_s)
        proc.stderr.close()
        for leftover in out.glob("page-*.part"):
            leftover.unlink(missing_ok=True)
    text = "\n".join(stderr)
    pages = list(watcher.pages)
    if stopped == "cancel":
        raise ScanCancelled(page=len(pages) + 1, pages=pages, detail=stderr_tail(text))
    if stopped == "timeout":
        raise ScanTimeout(page=len(pages) + 1, pages=pages, detail=stderr_tail(text))
    error = _result_error(proc.returncode, text, resolved, pages)
    if error is not None:
        raise error
    return pages

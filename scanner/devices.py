"""Discovering scanners and their options through ``scanimage``.

Device names pass through untouched, so network scanners reached through ``saned``
(``net:HOST:BACKEND:DEVICE``) work like local ones once the SANE configuration lists
their hosts (see ``scanner.saneconf``).
"""

from __future__ import annotations

import os
import re
import signal
from dataclasses import dataclass

from scanner.errors import (
    AccessDenied,
    DeviceBusy,
    DeviceIOError,
    DeviceNotFound,
    ScanError,
    ScannerCrashed,
    ScanTimeout,
)
from scanner.options import DeviceOptions, parse_options
from scanner.tools import find_tool, run_tool, stderr_tail, tool_env

__all__ = ["Device", "device_options", "list_devices", "open_failure", "sane_env"]

_SEPARATOR = "\t"
_FORMAT = _SEPARATOR.join(["%d", "%v", "%m", "%t"]) + "%n"

# sane_strstatus() texts (C locale) in "open of device X failed: ..." lines.
_OPEN_FAILURES: tuple[tuple[str, type[ScanError]], ...] = (
    ("Device busy", DeviceBusy),
    ("Access to resource has been denied", AccessDenied),
    ("Error during device I/O", DeviceIOError),
    ("Invalid argument", DeviceNotFound),
)


@dataclass(frozen=True)
class Device:
    """A scanner as SANE lists it; ``name`` is what ``ScanSettings.device`` takes."""

    name: str
    vendor: str
    model: str
    type: str

    @property
    def is_network(self) -> bool:
        """Whether the device is reached through ``saned`` (the ``net`` backend)."""
        return self.name.startswith("net:")


def sane_env(config_dir: str | os.PathLike[str] | None) -> dict[str, str]:
    """The environment for ``scanimage``, with ``SANE_CONFIG_DIR`` when given.

    The value is used verbatim: a trailing ``:`` makes SANE search its default
    directories after this one.
    """
    return tool_env(None if config_dir is None else {"SANE_CONFIG_DIR": os.fspath(config_dir)})


def open_failure(returncode: int, stderr: str) -> ScanError:
    """The typed error for a ``scanimage`` run that failed before scanning."""
    detail = stderr_tail(stderr)
    if returncode < 0:
        return ScannerCrashed(detail=detail or f"killed by signal {-returncode}", status=returncode)
    match = re.search(r"open of device (.*) failed: (.*)", stderr)
    if match is not None:
        for text, error in _OPEN_FAILURES:
            if text in match.group(2):
                return error(detail=detail, status=returncode)
        return DeviceNotFound(detail=detail, status=returncode)
    return ScanError(detail=detail, status=returncode)


def list_devices(
    *, config_dir: str | os.PathLike[str] | None = None, timeout_s: float = 60.0
) -> list[Device]:
    """The scanners SANE can see (``scanimage -f``), local and network ones.

    ``timeout_s`` bounds the discovery: backends probe USB and the network.
    """
    run = run_tool(
        [find_tool("scanimage"), f"--formatted-device-list={_FORMAT}"],
        env=sane_env(config_dir),
        timeout_s=timeout_s,
        stop_signal=signal.SIGINT,
    )
    if run.timed_out:
        raise ScanTimeout(detail="device discovery did not finish")
    if run.returncode != 0:
        raise open_failure(run.returncode, run.stderr)
    devices = []
    for line in run.stdout.splitlines():
        fields = line.split(_SEPARATOR)
        if len(fields) == 4 and fields[0]:
            devices.append(Device(*fields))
    return devices


def device_options(
    device: str,
    *,
    config_dir: str | os.PathLike[str] | None = None,
    timeout_s: float = 60.0,
) -> DeviceOptions:
    """All options of ``device`` with their allowed and current values (``scanimage -A``)."""
    if not device or device.startswith("-"):
        raise ValueError(f"invalid device name {device!r}")
    run = run_tool(
        [find_tool("scanimage"), f"--device-name={device}", "--all-options"],
        env=sane_env(config_dir),
        timeout_s=timeout_s,
        stop_signal=signal.SIGINT,
    )
    if run.timed_out:
        raise ScanTimeout(detail=f"listing the options of {device} did not finish")
    if run.returncode != 0:
        raise open_failure(run.returncode, run.stderr)
    return parse_options(device, run.stdout)

"""Scanning over SANE's network protocol, against a real ``saned`` on loopback.

SANE's ``net`` backend always dials port 6566 (``net.conf`` has no port syntax), so
the daemon listens on 6566 of a random address in 127.0.0.0/8 — all of which is
loopback on Linux — rather than on a free port. Its own configuration enables the
``test`` backend and admits loopback clients.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner import ScanSettings, device_options, list_devices, scan, write_sane_config

SANE_PORT = 6566


def _free_loopback_address() -> str:
    rng = random.Random()
    for _ in range(50):
        address = f"127.{rng.randint(1, 254)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        with socket.socket() as probe:
            try:
                probe.bind((address, SANE_PORT))
            except OSError:
                continue
        return address
    raise RuntimeError("no free loopback address for saned")


def _accepting(address: str) -> bool:
    with socket.socket() as client:
        client.settimeout(0.2)
        return client.connect_ex((address, SANE_PORT)) == 0


@pytest.fixture
def saned(sane_dir: str, tmp_path: Path) -> Iterator[str]:
    """A standalone saned serving the test backend; yields its address."""
    config = tmp_path / "saned-conf"
    shutil.copytree(sane_dir, config)
    (config / "saned.conf").write_text("127.0.0.0/8\n")
    log = (tmp_path / "saned.log").open("wb")
    address = _free_loopback_address()
    daemon = subprocess.Popen(
        ["saned", "-l", "-e", "-b", address, "-p", str(SANE_PORT)],
        env={"SANE_CONFIG_DIR": str(config), "PATH": "/usr/sbin:/usr/bin:/bin"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while not _accepting(address):
            assert daemon.poll() is None, (tmp_path / "saned.log").read_text()
            assert time.monotonic() < deadline, "saned did not start listening"
            time.sleep(0.05)
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        log.close()


def test_write_sane_config(tmp_path: Path) -> None:
    value = write_sane_config(
        tmp_path / "sane",
        net_hosts=["scan.bps.local", "10.17.0.5", "[fd00::5]"],
        backends=["epson2"],
    )

    assert value == f"{tmp_path / 'sane'}:"  # SANE's own directories come after ours
    assert (tmp_path / "sane" / "dll.conf").read_text() == "epson2\nnet\n"
    assert (tmp_path / "sane" / "net.conf").read_text() == (
        "connect_timeout = 10\nscan.bps.local\n10.17.0.5\nfd00::5\n"
    )
    with pytest.raises(ValueError, match="invalid saned host"):
        write_sane_config(tmp_path / "bad", net_hosts=["evil\nhost"])


def test_scan_through_saned(saned: str, tmp_path: Path) -> None:
    config = write_sane_config(
        tmp_path / "client", net_hosts=[saned], connect_timeout_s=5, system_fallback=False
    )

    devices = list_devices(config_dir=config)
    name = f"net:{saned}:test:0"
    assert name in [d.name for d in devices]
    assert all(d.is_network for d in devices)
    options = device_options(name, config_dir=config)
    assert options.sources == ("Flatbed", "Automatic Document Feeder")

    pages = scan(
        ScanSettings(name, source="adf", resolution=50, pages=3),
        tmp_path / "out",
        config_dir=config,
        options=options,
    )

    assert [p.name for p in pages] == ["page-0001.pnm", "page-0002.pnm", "page-0003.pnm"]

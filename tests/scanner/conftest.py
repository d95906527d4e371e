"""Fixtures for the scanner tests: a private SANE configuration and fake tools.

Real scans go through SANE's ``test`` backend. It is disabled in the system's
``/etc/sane.d/dll.conf``, so the tests write their own configuration directory and
pass it as ``config_dir`` (``SANE_CONFIG_DIR``): ``dll.conf`` enables only ``test``,
and ``test.conf`` sets the backend's defaults. Fake ``scanimage``/``tesseract``
scripts put first on PATH stand in for a driver or an OCR engine failing in ways the
real ones cannot be made to.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from scanner_testkit import FakeTool

TEST_CONF = """\
number_of_devices 2
mode Gray
depth 8
resolution 50
test-picture "Grid"
enable-test-options true
geometry_min 0.0
geometry_max 200.0
br_x 80.0
br_y 100.0
"""


@pytest.fixture(scope="session")
def sane_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SANE configuration directory enabling only the ``test`` backend."""
    folder = tmp_path_factory.mktemp("sane")
    (folder / "dll.conf").write_text("test\n")
    (folder / "test.conf").write_text(TEST_CONF)
    return str(folder)


@pytest.fixture
def fake_tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeTool:
    """Install an executable script under a name, first on PATH for this test."""
    folder = tmp_path / "fake-bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")

    def install(name: str, script: str) -> Path:
        path = folder / name
        path.write_text(script)
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return path

    return install

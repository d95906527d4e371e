"""Fixtures for the scanner tests: a private SANE configuration and fake tools.

Real scans go through SANE's ``test`` backend, in a configuration directory of the
tests' own (:mod:`sanekit`) passed as ``config_dir``. Fake ``scanimage``/``tesseract``
scripts put first on PATH stand in for a driver or an OCR engine failing in ways the
real ones cannot be made to.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sanekit import sane_config
from scanner_testkit import FakeTool


@pytest.fixture(scope="session")
def sane_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SANE configuration directory enabling only the ``test`` backend."""
    return sane_config(tmp_path_factory.mktemp("sane"), "test")


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

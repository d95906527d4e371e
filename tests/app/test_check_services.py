"""scripts/check-services: a service that reads the request context or the clock fails
the lint; edges and allowlisted modules pass; a stale allowlist entry fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check-services"

CLEAN_SERVICE = '''"""A service: everything comes in as arguments."""
from datetime import datetime


def due(now: datetime, days: int) -> datetime:
    return now
'''


def _tree(root: Path, files: dict[str, str], allowlist: str = "") -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "scripts").mkdir(exist_ok=True)
    (root / "scripts" / "services_allowlist.txt").write_text(allowlist, encoding="utf-8")
    return root


def _run(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True, check=False
    )


def test_a_clean_tree_passes(tmp_path):
    root = _tree(
        tmp_path,
        {
            "desk/queue.py": CLEAN_SERVICE,
            # Edges read the request and the clock: that is their job.
            "desk/views.py": "from flask import current_app, request\n",
            "desk/kiosk_views.py": "from datetime import datetime\nx = datetime.now()\n",
            "store/http.py": "from flask import g, session\n",
            "advisory/staff_forms.py": "from datetime import date\ny = date.today()\n",
            # A column default names the function without calling it.
            "library/models.py": "from app.db import utcnow\ndefault = utcnow\n",
        },
    )
    result = _run(root)
    assert result.returncode == 0, result.stdout
    assert "no service reads" in result.stdout


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("from flask import current_app\n", "imports flask.current_app"),
        ("from flask import flash, request\n", "imports flask.request"),
        ("def f():\n    from flask import g\n", "imports flask.g"),
        ("import flask\nx = flask.session\n", "uses flask.session"),
        ("from app.db import utcnow\nx = utcnow()\n", "calls utcnow("),
        ("from datetime import datetime\nx = datetime.now()\n", "calls datetime.now("),
        ("import datetime\nx = datetime.datetime.now(tz=None)\n", "calls datetime.now("),
        ("from datetime import date\nx = date.today()\n", "calls date.today("),
    ],
)
def test_a_service_reading_the_context_or_the_clock_fails(tmp_path, source, what):
    root = _tree(tmp_path, {"desk/queue.py": CLEAN_SERVICE, "desk/records.py": source})
    result = _run(root)
    assert result.returncode == 1
    assert "desk/records.py:" in result.stdout and what in result.stdout
    assert "desk/queue.py" not in result.stdout


def test_the_allowlist_needs_a_reason_and_only_shrinks(tmp_path):
    violating = "from flask import current_app\n"
    allowed = "catalog/urls.py builds links from the request\n"
    root = _tree(tmp_path, {"catalog/urls.py": violating}, allowlist=allowed)
    assert _run(root).returncode == 0

    (root / "scripts" / "services_allowlist.txt").write_text("catalog/urls.py\n")
    result = _run(root)
    assert result.returncode == 1 and "has no reason" in result.stdout

    (root / "catalog" / "urls.py").write_text(CLEAN_SERVICE)
    (root / "scripts" / "services_allowlist.txt").write_text(allowed)
    result = _run(root)
    assert result.returncode == 1 and "catalog/urls.py is clean" in result.stdout


def test_the_repository_passes():
    result = _run(SCRIPT.parents[1])
    assert result.returncode == 0, result.stdout

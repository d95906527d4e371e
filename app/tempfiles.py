"""Sweeping temporary folders a killed process left behind.

Every job works in folders that its ``with`` blocks remove on success, failure and
cancel (``pst-upload-*``, ``pst-ingest-*``, ``pst-scan-*``, a scan's run folder, a page
upload being received, … in the system's temporary folder). A process killed outright
runs no cleanup, so :func:`sweep_orphans` removes such folders once they are older than
any job may run (a day by default), together with what the features register through
:func:`register`: work in progress abandoned in the shared blob store (a scan batch's
files that no manifest holds, batches untouched past their time to live). Every jobs
sweeper (each ``pst worker``, ``pst serve``'s embedded one) runs it hourly: it cleans
its own host's temporary folder, and the shared store's leftovers (idempotent, so every
host may); ``pst sweep-temp`` runs it by hand.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app, has_app_context
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from app import jobs

log = logging.getLogger(__name__)

#: Every temporary folder PST makes starts with this.
PREFIX = "pst-"
MAX_AGE = timedelta(days=1)

#: ``fn(max_age_seconds, now) -> removed``: a feature's own leftovers (with an app context).
Sweeper = Callable[[float, float], int]
_KEY = "pst.temp_sweepers"


def register(app: Flask, name: str, sweeper: Sweeper) -> None:
    """Have :func:`sweep_orphans` call ``sweeper`` too (at start-up, per app)."""
    app.extensions.setdefault(_KEY, {})[name] = sweeper


def older_than(path: Path, max_age_s: float, now: float) -> bool:
    """Whether nothing at ``path`` itself changed for ``max_age_s`` (a folder's time
    changes as entries come and go in it)."""
    try:
        return now - path.lstat().st_mtime > max_age_s
    except OSError:
        return False


def remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        log.warning("could not remove %s: %s", path, exc)
        return False
    return True


def sweep_dir(folder: Path, max_age_s: float, now: float, *, prefix: str = "") -> int:
    """Remove the entries of ``folder`` (starting with ``prefix``) older than ``max_age_s``."""
    removed = 0
    try:
        entries = list(folder.iterdir())
    except OSError:
        return 0
    for entry in entries:
        if entry.name.startswith(prefix) and older_than(entry, max_age_s, now):
            removed += remove(entry)
    return removed


def sweep_orphans(
    *, max_age: timedelta = MAX_AGE, now: float | None = None, tmp: Path | None = None
) -> int:
    """Remove PST's temporary folders older than ``max_age`` (and the features' leftovers,
    within an app context); return how many went."""
    moment = time.time() if now is None else now
    seconds = max_age.total_seconds()
    removed = sweep_dir(tmp or Path(tempfile.gettempdir()), seconds, moment, prefix=PREFIX)
    sweepers: dict[str, Sweeper] = current_app.extensions.get(_KEY, {}) if has_app_context() else {}
    for name, sweeper in list(sweepers.items()):
        try:
            removed += sweeper(seconds, moment)
        except Exception:  # one feature's trouble must not stop the others' sweep
            log.exception("temporary files sweeper %s failed", name)
    if removed:
        log.info("removed %d leftover temporary folders or files", removed)
    return removed


@click.command("sweep-temp")
@click.option("--hours", type=click.FloatRange(min=1), default=24.0, show_default=True)
@with_appcontext
def sweep_temp_command(hours: float) -> None:
    """Remove temporary folders that killed processes left behind."""
    removed = sweep_orphans(max_age=timedelta(hours=hours))
    click.echo(f"removed {removed}")


@jobs.periodic("tempfiles.sweep", every_seconds=3600)
def _sweep_from_the_jobs_sweeper(session: Session) -> None:
    # Each host sweeps its own temporary folder: nothing here touches the database.
    sweep_orphans()

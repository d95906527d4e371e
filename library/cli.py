"""``pst watermark identify FILE``: which download a leaked file came from, as JSON;
``pst library abandon-downloads``: tidy downloads whose worker died. ``pst library
privatise-scans`` is scanning's (:mod:`scanning.cli`), added to the same group."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app.extensions import db
from app.uow import unit_of_work

watermark_group = AppGroup("watermark", help="Stamped downloads and leak tracing.")


@watermark_group.command("identify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def identify_command(file: Path) -> None:
    """Print which download(s) FILE came from: user, publication, time (exit 1: none)."""
    import watermark
    from app.i18n import to_wib
    from library.downloads import find_downloads

    try:
        codes = watermark.find_codes(file)
    except watermark.WatermarkError as exc:
        click.echo(json.dumps({"file": str(file), "error": str(exc)}), err=True)
        sys.exit(2)
    found = find_downloads(db.session(), codes)
    out = {
        "file": str(file),
        "codes": codes,
        "downloads": [
            {
                "code": d.code,
                "user": {"id": d.user.id, "name": d.user.full_name, "email": d.user.email},
                "publication": {"id": d.publication.id, "title": d.publication.title},
                "scan_request_id": d.scan_request_id,
                "time": d.created_at.isoformat(),
                "time_wib": to_wib(d.created_at).strftime("%Y-%m-%d %H:%M WIB"),
                "ip": d.ip,
                "channel": d.channel,
                "sha256": d.sha256,
            }
            for d in found
        ],
    }
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    if not found:
        sys.exit(1)


library_group = AppGroup("library", help="Library maintenance.")


@library_group.command("abandon-downloads")
@with_appcontext
def abandon_downloads_command() -> None:
    """Mark downloads that started longer ago than the in-flight window and never
    finished (a worker was killed) as abandoned; prints how many. They already no
    longer count against the quota; this tidies the staff list (safe to run by cron)."""
    from app import clock
    from library.downloads import abandon_stale
    from library.settings import settings_from

    with unit_of_work(db.session()) as session:
        count = abandon_stale(session, clock.now(), settings_from(current_app.config))
    click.echo(json.dumps({"abandoned": count}))


def register(app: Flask) -> None:
    app.cli.add_command(watermark_group)
    app.cli.add_command(library_group)

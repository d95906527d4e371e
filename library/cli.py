"""``pst watermark identify FILE``: which download a leaked file came from, as JSON;
``pst library privatise-scans``: make catalogued scans of readers' requests private."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from app.extensions import db

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


@library_group.command("privatise-scans")
@with_appcontext
def privatise_scans_command() -> None:
    """Scans made for readers' requests before they became private were catalogued:
    move each onto its request (downloadable by its reader only) and withdraw the
    catalogue item. Safe to run again; prints the request ids changed."""
    from library.scan_requests import privatise_legacy

    changed = privatise_legacy(db.session(), actor_id=None)
    click.echo(json.dumps({"scan_requests": changed}))


@library_group.command("abandon-downloads")
@with_appcontext
def abandon_downloads_command() -> None:
    """Mark downloads that started longer ago than the in-flight window and never
    finished (a worker was killed) as abandoned; prints how many. They already no
    longer count against the quota; this tidies the staff list (safe to run by cron)."""
    from app.db import utcnow
    from library.downloads import abandon_stale

    count = abandon_stale(db.session(), utcnow())
    db.session.commit()
    click.echo(json.dumps({"abandoned": count}))


def register(app: Flask) -> None:
    app.cli.add_command(watermark_group)
    app.cli.add_command(library_group)

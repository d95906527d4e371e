"""``pst privacy``: the keys of the stored ID numbers, and the retention periods.

``pst privacy retention [--dry-run]`` applies (or only reports) every retention rule
(:mod:`app.retention`): per rule its period, its cutoff in WIB and the rows due; the
daily periodic task does the same without the report.

``pst privacy rotate-key`` encrypts every stored ID number again with the current key.

Rotation: set ``PST_PERSONAL_DATA_KEY`` to the new key, list the previous one(s) in
``PST_PERSONAL_DATA_OLD_KEYS`` (the embedded default's previous key is the old
``SECRET_KEY``), run this command, then drop the old keys. Until it has run, numbers
written with an old key are still read and still found by their old hash.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app.accounts.personal_data import PersonalDataKeyError, current


@click.group("privacy")
def privacy() -> None:
    """Personal data: the keys of the ID numbers stored encrypted, and retention."""


@privacy.command("retention")
@click.option("--dry-run", is_flag=True, help="Report what would change; change nothing.")
@with_appcontext
def retention(dry_run: bool) -> None:
    """Erase or anonymise the personal data whose retention period has passed."""
    from app import clock
    from app import retention as rules
    from app.extensions import db
    from app.i18n import to_wib
    from app.uow import unit_of_work

    session = db.session()
    with unit_of_work(session):
        reports = rules.run(
            session, current_app.config, clock.now(), rules.rules(), dry_run=dry_run
        )
    verb = "would change" if dry_run else "changed"
    for report in reports:
        if report.cutoff is None:
            click.echo(f"{report.name}: kept for good ({report.label})")
            continue
        cutoff = to_wib(report.cutoff).strftime("%Y-%m-%d %H:%M WIB")
        done = report.due if dry_run else report.changed
        click.echo(
            f"{report.name}: {report.days} days, before {cutoff}: {done} {verb} ({report.label})"
        )


@privacy.command("rotate-key")
@with_appcontext
def rotate_key() -> None:
    """Encrypt and hash every stored ID number with PERSONAL_DATA_KEY."""
    from app.accounts.services.privacy import rotate_id_numbers
    from app.extensions import db

    try:
        count = rotate_id_numbers(db.session(), current())
    except PersonalDataKeyError as error:
        raise click.ClickException(str(error)) from None
    old = len(current_app.config.get("PERSONAL_DATA_OLD_KEYS") or [])
    click.echo(
        f"{count} ID numbers encrypted with the current key; "
        f"{old} old key(s) may now be removed from PST_PERSONAL_DATA_OLD_KEYS."
    )


def register(app: Flask) -> None:
    app.cli.add_command(privacy)

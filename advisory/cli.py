"""``pst advisory remind``: reminders and overdue reports (run from cron every working
morning, e.g. ``0 7 * * 1-5 pst advisory remind``); ``pst advisory verify``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.extensions import db

advisory_cli = AppGroup("advisory", help="Advisory services: consultations, recommendations.")


@advisory_cli.command("remind")
def remind_command() -> None:
    """Mail reminders for requests due soon and report those past their deadline."""
    from advisory import reminders
    from app import clock

    counts = reminders.remind(
        db.session(),
        clock.now(),
        window=int(current_app.config["ADVISORY_REMIND_WORKING_DAYS"]),
    )
    click.echo(f"reminded {counts['reminded']}, overdue {counts['overdue']}")


@advisory_cli.command("verify")
@click.argument("number")
@click.argument("code")
def verify_command(number: str, code: str) -> None:
    """Check a letter NUMBER against its verification CODE."""
    from advisory import letters

    result = letters.verify(db.session(), number, code)
    click.echo(result.status)
    if not result.genuine:
        raise SystemExit(1)


def register(app: Flask) -> None:
    app.cli.add_command(advisory_cli)

"""``pst advisory remind``: reminders and overdue reports (run from cron every working
morning, e.g. ``0 7 * * 1-5 pst advisory remind``), the same as the ``advisory.remind``
job (for a scheduler); ``pst advisory verify``.

Like the pages, these read the settings and the clock and hand them to the services."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from advisory import letters, reminders
from advisory.settings import settings_from
from app import clock, jobs
from app.extensions import db

advisory_cli = AppGroup("advisory", help="Advisory services: consultations, recommendations.")


@advisory_cli.command("remind")
def remind_command() -> None:
    """Mail reminders for requests due soon and report those past their deadline."""
    counts = reminders.remind(
        db.session(),
        clock.now(),
        window=settings_from(current_app.config).remind_working_days,
    )
    click.echo(f"reminded {counts['reminded']}, overdue {counts['overdue']}")


@jobs.job(reminders.JOB)
def remind_job(ctx: jobs.JobContext, **_: Any) -> dict[str, int]:
    window = settings_from(current_app.config).remind_working_days
    return reminders.remind(ctx.session, clock.now(), window=window)


@advisory_cli.command("verify")
@click.argument("number")
@click.argument("code")
def verify_command(number: str, code: str) -> None:
    """Check a letter NUMBER against its verification CODE."""
    result = letters.verify(db.session(), number, code, settings=settings_from(current_app.config))
    click.echo(result.status)
    if not result.genuine:
        raise SystemExit(1)


def register(app: Flask) -> None:
    app.cli.add_command(advisory_cli)

"""``pst desk calendar YEAR``: the closed days of a year, and ``pst desk deadline``."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.extensions import db
from app.i18n import WIB
from desk.settings import settings_from

desk_cli = AppGroup("desk", help="The front desk: service calendar.")


@desk_cli.command("calendar")
@click.argument("year", type=int)
def calendar_command(year: int) -> None:
    """List the days the office is closed in YEAR (besides weekends) and why."""
    from desk import calendar

    for info in calendar.closed_days(
        db.session(), date(year, 1, 1), date(year, 12, 31), settings_from(current_app.config)
    ):
        state = "open" if info.is_open else "closed"
        why = info.override.note if info.override else info.holiday
        click.echo(f"{info.day.isoformat()}  {state:6}  {why}")


@desk_cli.command("deadline")
@click.argument("received", type=click.DateTime(formats=["%Y-%m-%d %H:%M", "%Y-%m-%d"]))
@click.argument("days", type=int)
def deadline_command(received: datetime, days: int) -> None:
    """The deadline DAYS working days after a request RECEIVED at a WIB date and time."""
    from desk import calendar

    click.echo(
        calendar.add_working_days(
            db.session(),
            received.replace(tzinfo=WIB),
            days,
            settings_from(current_app.config),
        ).isoformat()
    )


def register(app: Flask) -> None:
    app.cli.add_command(desk_cli)

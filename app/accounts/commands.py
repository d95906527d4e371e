"""``pst privacy rotate-key``: encrypt every stored ID number again with the current key.

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
    """Personal data: the keys of the ID numbers stored encrypted."""


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

"""``pst store ...``: expire overdue orders, seed demo products, import a DDI variable
list, attach a data file to a microdata set or map, publish a new SPPD text."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from app import clock
from app.blobs import current_store
from app.extensions import db
from app.uow import unit_of_work


@click.group("store")
def store_group() -> None:
    """The sales service."""


@store_group.command("expire")
@with_appcontext
def expire_command() -> None:
    """Expire orders whose payment is overdue (run from cron; pages also do it)."""
    from store.orders import expire_due

    click.echo(f"{expire_due(db.session(), now=clock.now())} orders expired")


@store_group.command("import-ddi")
@click.argument("product_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_ddi_command(product_id: int, file: Path) -> None:
    """Replace the variable list of microdata PRODUCT_ID with FILE's (DDI-Codebook XML)."""
    from store.errors import StoreError
    from store.products import import_ddi

    try:
        count = import_ddi(db.session(), product_id, file.read_bytes(), actor_id=None)
    except StoreError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"{count} variables imported")
    _warn_gaps(product_id)


@store_group.command("add-file")
@click.argument("product_id", type=int)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def add_file_command(product_id: int, file: Path) -> None:
    """Attach FILE to microdata set or map PRODUCT_ID, refused unless it can be cut to the
    variables and regions of an order."""
    from store.errors import StoreError
    from store.products import attach_file, get_product

    try:
        with unit_of_work(db.session()) as session:
            product = get_product(session, product_id, now=clock.now(), staff=True)
            pf = attach_file(
                session, current_store(), product, file.name, file.read_bytes(), actor_id=None
            )
    except StoreError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"{pf.filename} attached to product {product_id}")
    _warn_gaps(product_id)


def _warn_gaps(product_id: int) -> None:
    """Say which offered regions and variables no data file holds yet, per format."""
    from store.cutting import CutError
    from store.products import coverage_gaps, get_product

    product = get_product(db.session(), product_id, now=clock.now(), staff=True)
    if not product.files:
        return
    try:
        gaps = coverage_gaps(current_store(), product)
    except CutError as exc:
        click.echo(f"warning: a data file of the product no longer reads: {exc}")
        return
    for fmt, regions, variables in gaps:
        missing = [f"regions {', '.join(regions)}"] if regions else []
        missing += [f"variables {', '.join(variables)}"] if variables else []
        click.echo(
            f"warning: no {fmt} file holds {'; '.join(missing)} yet: "
            "orders for them cannot be delivered"
        )


@store_group.command("publish-sppd")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", default="Surat Perjanjian Penggunaan Data (SPPD)", show_default=True)
@with_appcontext
def publish_sppd_command(file: Path, title: str) -> None:
    """Publish FILE (UTF-8 text) as the new version of the SPPD."""
    from store.requirements import publish_agreement

    text = publish_agreement(db.session(), title, file.read_text(encoding="utf-8"), actor_id=None)
    click.echo(f"SPPD version {text.version} published (sha256 {text.sha256})")


def register(app: Flask) -> None:
    app.cli.add_command(store_group)

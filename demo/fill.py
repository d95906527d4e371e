"""``pst demo`` and ``pst store demo``: fill an instance with the demo content.

The catalogue comes first (generated publications, ingested like an upload); the
library's copies and the store's products are made from what the catalogue then holds.
Each step is idempotent, so ``pst demo`` on a filled instance changes nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import click
from flask import current_app
from sqlalchemy import func, select

from app import jobs
from app.blobs import current_store
from app.extensions import db
from catalog.cataloguing import ingest
from catalog.models import Publication
from catalog.schemas import load_meta
from catalog.uploads import limits_from_config
from demo.holdings import seed_library
from demo.products import seed_products
from demo.publications import generate_demo


def fill(count: int) -> None:
    """Generate and ingest ``count`` publications into an empty catalogue, then seed
    the library and the store."""
    session = db.session()
    if session.scalar(select(func.count()).select_from(Publication)):
        click.echo("the catalogue already has publications; demo skipped")
    else:
        limits = limits_from_config(current_app.config)
        with tempfile.TemporaryDirectory(prefix="pst-demo-") as work:
            click.echo(f"generating {count} demo publications ...")
            items = generate_demo(Path(work), count=count)
            with click.progressbar(items, label="ingesting") as bar:
                for item in bar:
                    ingest(
                        session,
                        current_store(),
                        item.path,
                        meta=load_meta(item.meta),
                        actor_id=None,
                        limits=limits,
                        filename=item.path.name,
                    )
        _run_jobs_here()
        click.echo(f"{len(items)} publications added")
    click.echo(seed_library(session))
    click.echo(f"{seed_products(session, current_store())} store products added")


def fill_store() -> None:
    """Add the store's demo tariffs and products that are missing."""
    click.echo(f"{seed_products(db.session(), current_store())} products added")


def _run_jobs_here() -> None:
    # Embedded defaults have no separate worker: index now, so the demo is searchable
    # as soon as the command returns. With Redis, the production workers do it.
    if not current_app.config.get("REDIS_URL"):
        jobs.run_queued_here(db.session())

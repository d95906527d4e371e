"""``pst ingest``, ``pst search``, ``pst reindex`` and metadata import/export."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path
from typing import Any

import click
import marshmallow as ma
from flask import Flask, current_app
from flask.cli import with_appcontext

from app import clock, jobs
from app.blobs import current_store
from app.extensions import db
from catalog.errors import CatalogError
from catalog.schemas import load_meta


def _run_jobs_here() -> None:
    # Embedded defaults have no separate worker: index now, so the result is searchable
    # as soon as the command returns. With Redis, the production workers do it.
    if not current_app.config.get("REDIS_URL"):
        jobs.run_queued_here(db.session())


def _reject(message: str) -> None:
    click.echo(f"rejected: {' '.join(message.split())}", err=True)
    sys.exit(2)


@click.command("ingest")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--meta",
    "meta_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Metadata as a JSON object in the shape of BPS's web API (one FILE only).",
)
@with_appcontext
def ingest_command(files: tuple[Path, ...], meta_file: Path | None) -> None:
    """Add each FILE (a PDF) to the catalogue; print {"id", "pages", "sha256"} as JSON,
    one line per file.

    Several files in one command are ingested in one process (the start-up is paid
    once); a file that is refused is reported and the others go on (exit status 2).
    """
    from catalog.cataloguing import ingest
    from catalog.uploads import limits_from_config

    meta: dict[str, Any] = {}
    if meta_file is not None:
        if len(files) > 1:
            _reject("--meta describes one publication: give one FILE with it")
        try:
            meta = load_meta(json.loads(meta_file.read_text(encoding="utf-8")))
        except (ValueError, ma.ValidationError) as exc:
            _reject(f"metadata: {exc}")
    limits = limits_from_config(current_app.config)
    refused = 0
    for file in files:
        if not file.is_file():
            click.echo(f"rejected: {file}: no such file", err=True)
            refused += 1
            continue
        try:
            publication = ingest(
                db.session(),
                current_store(),
                file,
                meta=meta,
                actor_id=None,
                limits=limits,
                filename=file.name,
            )
        except CatalogError as exc:
            click.echo(f"rejected: {' '.join(str(exc.message).split())}", err=True)
            refused += 1
            continue
        click.echo(
            json.dumps(
                {
                    "id": publication.id,
                    "pages": publication.page_count,
                    "sha256": publication.sha256,
                }
            )
        )
    _run_jobs_here()
    if refused:
        sys.exit(2)


@click.command("search")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--limit", default=10, show_default=True)
@with_appcontext
def search_command(query: str, as_json: bool, limit: int) -> None:
    """Search the catalogue."""
    from catalog.indexing import search_index
    from catalog.search import QueryError

    try:
        results = search_index().query(query, per_page=limit)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(
            json.dumps(
                {
                    "total": results.total,
                    "hits": [
                        {
                            "id": h.pub_id,
                            "score": round(h.score, 3),
                            "pages": h.pages,
                            "title": h.title_html,
                            "snippet": h.snippet_html,
                        }
                        for h in results.hits
                    ],
                    "facets": {k: [[v, c] for v, c in vals] for k, vals in results.facets.items()},
                },
                ensure_ascii=False,
            )
        )
        return
    for hit in results.hits:
        pages = ", ".join(map(str, hit.pages))
        title = html.unescape(re.sub(r"<[^>]+>", "", hit.title_html))
        click.echo(f"{hit.pub_id:>6}  {title}" + (f"  (p. {pages})" if pages else ""))
    click.echo(f"{results.total} found")


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the database."""
    from catalog.indexing import rebuild, search_index

    count = rebuild(db.session(), search_index())
    click.echo(f"{count} publications indexed")


@click.group("catalog")
def catalog_group() -> None:
    """Catalogue metadata in the shape of BPS's web API."""


@catalog_group.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_command(file: Path) -> None:
    """Write the metadata of every publication the public may see to FILE (JSON)."""
    from app.urls import external_url
    from catalog.bps_json import export_all

    def url_for(kind: str, publication: Any) -> str | None:
        if kind == "cover":
            return (
                external_url("catalog.cover", pub_id=publication.id)
                if publication.cover_key
                else None
            )
        return external_url("catalog.publication", pub_id=publication.id)

    items = export_all(db.session(), url_for, clock.now())
    file.write_text(json.dumps(items, ensure_ascii=False, indent=2), encoding="utf-8")
    click.echo(f"{len(items)} publications exported")


@catalog_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--create-records",
    is_flag=True,
    help="Catalogue items that match no publication as printed books without a file.",
)
@with_appcontext
def import_command(file: Path, create_records: bool) -> None:
    """Apply metadata from FILE (a JSON list) to matching publications; with
    --create-records, items matching nothing become print-only catalogue records."""
    from catalog.bps_json import import_items

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise click.ClickException(f"not JSON: {exc}") from None
    if isinstance(data, dict):
        data = data.get("data", [data])
    report = import_items(
        db.session(),
        data if isinstance(data, list) else [],
        actor_id=None,
        create_records=create_records,
    )
    for index, errors in report.invalid:
        click.echo(f"invalid item {index}: {json.dumps(errors, ensure_ascii=False)}", err=True)
    if report.invalid:
        raise click.ClickException("nothing imported: fix the invalid items")
    _run_jobs_here()
    click.echo(
        f"{len(report.updated)} updated, {len(report.created)} print-only records created, "
        f"{len(report.unmatched)} without a matching publication"
    )
    for title in report.unmatched:
        click.echo(f"unmatched  {title}")


def register(app: Flask) -> None:
    for command in (ingest_command, search_command, reindex_command, catalog_group):
        app.cli.add_command(command)

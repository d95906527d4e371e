"""``pst backup DIR`` and ``pst restore DIR``: the operator's side of :mod:`app.backup`.

Both print their progress on standard error. Restore verifies the whole backup first and
refuses with one line (exit 1) when anything is wrong, having changed nothing; then it
replaces the database, puts the blobs and keys back, migrates a backup of an older
schema and rebuilds the search index.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app.backup import services, signature
from app.backup.errors import BackupError
from app.backup.manifest import NAME as MANIFEST_NAME


def _progress(line: str) -> None:
    click.echo(line, err=True)


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(folder: Path) -> None:
    """Back up the database, blobs, keys and settings into FOLDER (new or empty).

    FOLDER holds the instance's secrets: it is made readable by its owner only.
    MANIFEST.json is signed with BACKUP_SIGNING_KEY when it is set."""
    from app.blobs import current_store
    from app.clock import now
    from app.extensions import db

    try:
        manifest = services.backup(
            folder,
            engine=db.engine,
            store=current_store(),
            instance=Path(current_app.instance_path),
            settings=current_app.config,
            now=now(),
            signing_key=current_app.config.get(signature.SETTING) or None,
            progress=_progress,
        )
    except BackupError as exc:
        raise click.ClickException(exc.message) from None
    if (folder / signature.FILE).exists():
        key = current_app.config[signature.SETTING]
        click.echo(
            f"{MANIFEST_NAME} signed ({signature.ALGORITHM}, key id {signature.key_id(key)})"
        )
    else:
        click.echo(
            f"warning: {signature.SETTING} is not set: this backup is NOT signed, and "
            "restoring it will need --allow-unsigned",
            err=True,
        )
    click.echo(
        f"backed up {manifest.database} (migration {manifest.alembic_revision}), "
        f"{manifest.storage['blobs']} blobs {manifest.storage['saved']}, "
        f"{len(manifest.files)} files, {manifest.created_wib}: {folder}"
    )


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that is not empty (asks first).")
@click.option("--yes", is_flag=True, help="With --force: do not ask before replacing.")
@click.option(
    "--accept-missing-blobs",
    is_flag=True,
    help="Restore although the bucket lacks blobs the backup lists (they stay missing).",
)
@click.option(
    "--allow-unsigned",
    is_flag=True,
    help="Restore a backup that is not signed, or without BACKUP_SIGNING_KEY to check it.",
)
@with_appcontext
def restore_command(
    folder: Path, force: bool, yes: bool, accept_missing_blobs: bool, allow_unsigned: bool
) -> None:
    """Restore the backup in FOLDER into this instance (stop the app first).

    The manifest's signature and every file are verified first; a backup signed with
    another key or changed since, a damaged one, one made by a newer PST or of another
    database kind is refused and nothing is changed. An unsigned backup needs
    --allow-unsigned."""
    from flask_migrate import upgrade

    from app import jobs
    from app.backup import database
    from app.blobs import current_store
    from app.extensions import db
    from app.uow import unit_of_work

    engine = db.engine
    db.session.remove()
    store = current_store()
    try:
        plan = services.check(
            folder,
            engine=engine,
            store=store,
            force=force,
            accept_missing_blobs=accept_missing_blobs,
            signing_key=current_app.config.get(signature.SETTING) or None,
            allow_unsigned=allow_unsigned,
            progress=_progress,
        )
        _progress(_signature_line(plan.signature))
        if not plan.database_empty and not yes:
            where = engine.url.render_as_string(hide_password=True)
            click.confirm(
                f"Replace everything in {where} with the backup of {plan.manifest.created_wib}?",
                abort=True,
            )
        warnings = services.restore(
            folder,
            plan,
            engine=engine,
            store=store,
            instance=Path(current_app.instance_path),
            environ=os.environ,
            progress=_progress,
        )
    except BackupError as exc:
        raise click.ClickException(exc.message) from None
    if plan.manifest.alembic_revision != database.code_head():
        _progress(f"migrating from {plan.manifest.alembic_revision} ...")
        upgrade()
        engine.dispose()
    _progress("rebuilding the search index ...")
    session = db.session()
    with unit_of_work(session):
        job_id = jobs.enqueue(session, services.REINDEX_JOB).id
    # Done here: no worker may be running yet (a worker that takes it later finds it done).
    jobs.run_queued_here(session, [services.REINDEX_JOB])
    job = session.get(jobs.Job, job_id, populate_existing=True)
    if job is None or job.state != jobs.DONE:
        warnings.append("the search index was not rebuilt: run pst reindex")
    for line in warnings:
        click.echo(f"warning: {line}", err=True)
    unsigned = "" if plan.signature.state == signature.SIGNED else ", its signature NOT checked"
    click.echo(
        f"restored the backup of {plan.manifest.created_wib} "
        f"(PST {plan.manifest.pst_version}) from {folder}{unsigned}"
    )


def _signature_line(verdict: signature.Verdict) -> str:
    if verdict.state == signature.SIGNED:
        return f"signature: good ({signature.ALGORITHM}, key id {verdict.key_id})"
    if verdict.state == signature.NOT_CHECKED:
        return (
            f"warning: the backup is signed (key id {verdict.key_id}) but not checked: "
            f"{signature.SETTING} is not set (--allow-unsigned)"
        )
    return "warning: restoring an UNSIGNED backup (--allow-unsigned)"


COMMANDS = (backup_command, restore_command)


def register(app: Flask) -> None:
    """Add ``pst backup`` and ``pst restore`` to the app's commands."""
    for command in COMMANDS:
        app.cli.add_command(command)

"""Backing up an instance and restoring one, as services with explicit inputs.

:func:`backup` writes the database first and the blobs after, so every blob the saved
database names was in the store when the blobs were copied. :func:`check` verifies a
backup against the instance it is to restore into and changes nothing; only then does
:func:`restore` replace the database, put the blobs and the instance's keys back. The
search index is not saved: the caller rebuilds it (the ``catalog.reindex`` job).
"""

from __future__ import annotations

import importlib.metadata
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from app.backup import blobs, database, keys, signature
from app.backup.errors import BackupError
from app.backup.manifest import (
    Manifest,
    Progress,
    files_under,
    hash_file,
    make_folder,
    quiet,
    stamp,
)
from app.backup.manifest import read as read_manifest
from app.backup.manifest import verify as verify_files
from app.backup.manifest import write as write_manifest
from app.i18n import to_wib
from storage import BlobStore, LocalStore

#: The job that rebuilds the search index (the catalogue's; named, not imported).
REINDEX_JOB = "catalog.reindex"
SEARCH_INDEX_NOTE = "not saved: restore rebuilds it from the database (pst reindex)"


def pst_version() -> str:
    try:
        return importlib.metadata.version("pst")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def backup(
    folder: Path,
    *,
    engine: Engine,
    store: BlobStore,
    instance: Path,
    settings: Mapping[str, Any],
    now: datetime,
    signing_key: str | None = None,
    progress: Progress = quiet,
) -> Manifest:
    """Write a complete backup into the new (or empty) ``folder``, its manifest signed
    with ``signing_key`` when one is given (:mod:`app.backup.signature`).

    ``settings`` are the values in effect, secrets included: the folder is private."""
    signature.check_key(signing_key)
    keys.check_signing_key_outside(instance, signing_key)
    make_folder(folder)
    try:
        kind = database.kind(engine)
        revision = database.revision(engine)
        progress(f"database: {kind} at migration {revision}")
        database.dump(engine, folder / database.file_name(kind), progress)
        saved = blobs.save(store, folder, progress)
        keys.save(folder, instance, settings)
        files = dict(saved.files)
        for name in files_under(folder):
            if name not in files:
                files[name] = hash_file(folder / name)
        utc, wib = stamp(now, to_wib(now))
        manifest = Manifest(
            pst_version=pst_version(),
            alembic_revision=revision,
            database=kind,
            created_utc=utc,
            created_wib=wib,
            storage={
                "kind": "local" if isinstance(store, LocalStore) else "s3",
                "where": store.describe(),
                "saved": saved.how,
                "blobs": saved.count,
                "bytes": saved.size,
                "corrupt_not_saved": saved.corrupt,
            },
            search_index=SEARCH_INDEX_NOTE,
            files=files,
        )
        write_manifest(folder, manifest)
        if signing_key:
            signature.sign(folder, signing_key)
    except BaseException:
        # A half-written backup must not pass for one: leave the folder empty.
        for child in folder.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()
        raise
    progress(f"backup complete: {len(files)} files in {folder}")
    return manifest


@dataclass
class Plan:
    """A verified backup and what restoring it will do."""

    manifest: Manifest
    database_empty: bool
    signature: signature.Verdict
    blobs: blobs.Comparison | None = None
    notes: list[str] = field(default_factory=list)


def check(
    folder: Path,
    *,
    engine: Engine,
    store: BlobStore,
    force: bool = False,
    accept_missing_blobs: bool = False,
    signing_key: str | None = None,
    allow_unsigned: bool = False,
    progress: Progress = quiet,
) -> Plan:
    """Verify ``folder`` completely against this instance; refuse, changing nothing,
    a bad signature (an unsigned backup, or any without ``signing_key``, unless
    ``allow_unsigned``), a damaged backup, one of a newer schema or another database
    kind, a non-empty database without ``force``, and blobs missing from the bucket of a
    listed backup."""
    manifest = read_manifest(folder)
    # Before the files: a manifest changed with them would make them pass.
    verdict = signature.check(folder, signing_key, allow_unsigned=allow_unsigned)
    verify_files(folder, manifest, progress)
    blobs.check_copies(manifest)
    here = database.kind(engine)
    if manifest.database != here:
        raise BackupError(
            f"the backup holds a {manifest.database} database and this instance uses "
            f"{here}: converting between them is not supported. Nothing was restored."
        )
    database.check_revision(manifest.alembic_revision)
    database.check_dump(manifest.database, folder / database.file_name(manifest.database))
    empty = database.is_empty(engine)
    if not empty and not force:
        raise BackupError(
            "the database of this instance is not empty: restore into an empty database, "
            "or pass --force to replace everything in it. Nothing was restored."
        )
    plan = Plan(manifest, empty, verdict)
    if manifest.storage.get("saved") == blobs.LISTED:
        comparison = blobs.compare(store, blobs.expected(folder, manifest))
        plan.blobs = comparison
        if not comparison.ok and not accept_missing_blobs:
            raise BackupError(
                f"{store.describe()} lacks {len(comparison.missing)} blobs of the backup and "
                f"holds {len(comparison.different)} with another size (first: "
                f"{', '.join((comparison.missing + comparison.different)[:3])}): restore them "
                "from the bucket's versions, or pass --accept-missing-blobs. "
                "Nothing was restored."
            )
    return plan


def restore(
    folder: Path,
    plan: Plan,
    *,
    engine: Engine,
    store: BlobStore,
    instance: Path,
    environ: Mapping[str, str],
    progress: Progress = quiet,
) -> list[str]:
    """Restore a backup :func:`check` passed; returns warnings for the operator.

    The caller disposes of the engine's pooled connections around this, migrates a
    backup of an older schema and rebuilds the search index."""
    manifest = plan.manifest
    progress("restoring the database ...")
    database.restore(
        engine,
        folder / database.file_name(manifest.database),
        clear=not plan.database_empty,
        progress=progress,
    )
    engine.dispose()
    if manifest.storage.get("saved") == blobs.COPIED:
        blobs.put_copies(store, folder, manifest, progress)
    elif plan.blobs is not None:
        progress(
            f"blobs: {store.describe()} holds the backup's "
            f"{manifest.storage.get('blobs')} blobs"
            + ("" if plan.blobs.ok else " except those reported missing or different")
        )
    return keys.restore(folder, manifest, instance, environ, progress)

"""Uploads from officers (page and API): stored at once, processed by a job with progress.

The request only streams the file into blob storage and queues ``catalog.ingest``;
sanitising a large PDF takes seconds and must never hold a web worker.

An upload whose job failed or was cancelled without refusing the file (its worker was
killed, the sweeper failed it) keeps its stored file: the officer who uploaded it (or
an admin) may process it again (:func:`retry_upload`) or discard it
(:func:`discard_upload`: the stored file goes, a job still queued is cancelled).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy.orm import Session

from app import audit, clock, jobs, waiting
from app.accounts.models import Role, User
from app.blobs import BlobRecord, current_store, save_blob
from app.uow import after_commit, transactional, unit_of_work
from catalog.cataloguing import INGEST_JOB, Progress, ingest
from catalog.errors import IngestRejected, NotYourUpload, UploadDone, UploadNotFound
from catalog.file_versions import CORRECT_JOB, correct_file, holder_of_file
from catalog.ingest import Limits
from catalog.models import Publication
from storage import BlobStore, BlobTooLarge

PDF_MAGIC = b"%PDF-"


def limits_from_config(config: Any) -> Limits:
    return Limits(
        max_bytes=int(config["CATALOG_MAX_BYTES"]),
        max_pages=int(config["CATALOG_MAX_PAGES"]),
        timeout_s=float(config["CATALOG_TIMEOUT_S"]),
        memory_bytes=int(config["CATALOG_MEMORY_BYTES"]),
    )


def looks_like_pdf(head: bytes) -> bool:
    return PDF_MAGIC in head[:1024]


@transactional
def start_ingest(
    session: Session,
    fileobj: BinaryIO,
    *,
    filename: str,
    meta: dict[str, Any],
    actor_id: int,
    max_bytes: int,
) -> jobs.Job:
    """Store an uploaded file and queue its ingest; refuse what is plainly not a PDF."""
    head = fileobj.read(1024)
    if not looks_like_pdf(head):
        raise IngestRejected("not_pdf")
    fileobj.seek(0)
    try:
        ref = save_blob(
            session, current_store(), fileobj, content_type="application/pdf", max_bytes=max_bytes
        )
    except BlobTooLarge:
        raise IngestRejected("too_large", {"limit": max_bytes}) from None
    meta = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in meta.items()}
    job = jobs.enqueue(
        session,
        INGEST_JOB,
        actor_id=actor_id,
        upload_key=ref.key,
        filename=os.path.basename(filename)[:200],
        meta=meta,
    )
    return job


def ingest_stored(
    session: Session,
    store: BlobStore,
    key: str,
    *,
    meta: dict[str, Any],
    actor_id: int | None,
    filename: str,
    progress: Progress,
) -> Publication:
    """Ingest an upload already in blob storage (jobs of the catalogue and the library)."""
    with tempfile.TemporaryDirectory(prefix="pst-upload-") as work:
        path = Path(work) / "upload.pdf"
        with store.open(key) as src, path.open("wb") as dst:
            for chunk in iter(lambda: src.read(1024 * 1024), b""):
                dst.write(chunk)
        return ingest(
            session,
            store,
            path,
            meta=meta,
            actor_id=actor_id,
            limits=limits_from_config(current_app.config),
            filename=filename,
            progress=progress,
        )


@transactional
def start_correction(
    session: Session,
    fileobj: BinaryIO,
    *,
    pub_id: int,
    reason: str,
    actor_id: int,
    max_bytes: int,
) -> jobs.Job:
    """Store a corrected file of ``pub_id`` and queue its processing (the same checks and
    sanitiser as an upload, in a job: a large PDF takes longer than a request)."""
    head = fileobj.read(1024)
    if not looks_like_pdf(head):
        raise IngestRejected("not_pdf")
    fileobj.seek(0)
    try:
        ref = save_blob(
            session, current_store(), fileobj, content_type="application/pdf", max_bytes=max_bytes
        )
    except BlobTooLarge:
        raise IngestRejected("too_large", {"limit": max_bytes}) from None
    return jobs.enqueue(
        session,
        CORRECT_JOB,
        actor_id=actor_id,
        upload_key=ref.key,
        pub_id=pub_id,
        reason=reason[:500],
    )


@jobs.job(CORRECT_JOB)
def correct_job(ctx: jobs.JobContext, upload_key: str, pub_id: int, reason: str) -> dict[str, Any]:
    session = ctx.session
    store = current_store()
    actor_id = session.get(jobs.Job, ctx.job_id).created_by_id  # type: ignore[union-attr]
    try:
        with tempfile.TemporaryDirectory(prefix="pst-upload-") as work:
            path = Path(work) / "upload.pdf"
            with store.open(upload_key) as src, path.open("wb") as dst:
                for chunk in iter(lambda: src.read(1024 * 1024), b""):
                    dst.write(chunk)
            version = correct_file(
                session,
                store,
                path,
                pub_id=pub_id,
                reason=reason,
                actor_id=actor_id,
                limits=limits_from_config(current_app.config),
                now=clock.now(),
                progress=lambda pct, msg: ctx.progress(pct, msg),
            )
    except IngestRejected:
        _forget_upload(session, upload_key)
        raise
    return {"publication_id": pub_id, "version": version.number, "pages": version.page_count}


@jobs.job(INGEST_JOB)
def ingest_job(
    ctx: jobs.JobContext, upload_key: str, filename: str, meta: dict[str, Any]
) -> dict[str, Any]:
    from catalog.schemas import BpsMetaSchema

    session = ctx.session
    store = current_store()
    actor_id = session.get(jobs.Job, ctx.job_id).created_by_id  # type: ignore[union-attr]
    # Without a title the PDF's own title (or the file name) is used.
    clean_meta = BpsMetaSchema().load(meta, partial=("title",))
    try:
        publication = ingest_stored(
            session,
            store,
            upload_key,
            meta=clean_meta,
            actor_id=actor_id,
            filename=filename,
            progress=lambda pct, msg: ctx.progress(pct, msg),
        )
    except IngestRejected:
        _forget_upload(session, upload_key)
        raise
    return {
        "publication_id": publication.id,
        "pages": publication.page_count,
        "sha256": publication.sha256,
    }


def _forget_upload(session: Session, key: str) -> None:
    """A refused upload leaves nothing behind (unless a publication shares the bytes).

    The refused ingest's own scope has rolled back: this is a transaction of its own."""
    with unit_of_work(session):
        used = _publication_of(session, key)
        if used is None:
            record = session.get(BlobRecord, key)
            if record is not None:
                session.delete(record)
    if used is None:
        current_store().delete(key)


# --- the ways out of a stuck upload ----------------------------------------------------


@dataclass(frozen=True)
class UploadWays:
    """What may be done with an upload's job, as its page offers it."""

    retry: bool  # the job failed or was cancelled and the file is still stored
    discard: bool  # the file is stored and the job is not running nor done


def upload_job(session: Session, job_id: str) -> jobs.Job:
    """The job of a catalogue upload (any other job is not found here)."""
    record = session.get(jobs.Job, job_id) if job_id else None
    if record is None or record.name != INGEST_JOB:
        raise UploadNotFound()
    return record


def upload_ways(session: Session, job: jobs.Job, actor: User) -> UploadWays:
    if job.name != INGEST_JOB or not _may_act(job, actor):
        return UploadWays(False, False)
    stored = _stored_unused(session, waiting.params_of(job).get("upload_key"))
    stuck = job.state in waiting.STUCK
    return UploadWays(
        retry=stuck and stored, discard=stored and (stuck or job.state == jobs.QUEUED)
    )


def _may_act(job: jobs.Job, actor: User) -> bool:
    return actor.has_role(Role.ADMIN) or (
        actor.has_role(Role.OFFICER) and job.created_by_id == actor.id
    )


def _stored_unused(session: Session, key: Any) -> bool:
    """The upload is still stored and no publication was made of it."""
    if not isinstance(key, str) or not waiting.blob_stored(session, key):
        return False
    return _publication_of(session, key) is None


def _publication_of(session: Session, key: str) -> int | None:
    return holder_of_file(session, key)


@transactional
def retry_upload(session: Session, job_id: str, *, actor: User) -> jobs.Job:
    """Process a stuck upload again: a fresh job with the same file and metadata."""
    job = upload_job(session, job_id)
    if not _may_act(job, actor):
        raise NotYourUpload()
    if job.state in waiting.STUCK and not _stored_unused(
        session, waiting.params_of(job).get("upload_key")
    ):
        raise waiting.InputsGone()
    fresh = waiting.requeue(session, job, actor_id=actor.id)
    audit.record(
        session,
        "catalog.upload_retried",
        actor_id=actor.id,
        subject_type="job",
        subject_id=job.id,
        detail={"job_id": fresh.id, "previous_state": job.state},
    )
    return fresh


@transactional
def discard_upload(session: Session, job_id: str, *, actor: User) -> None:
    """Throw away an upload whose job failed, was cancelled or has not started: the
    job (if queued) is cancelled and the stored file deleted."""
    job = upload_job(session, job_id)
    if not _may_act(job, actor):
        raise NotYourUpload()
    if job.state == jobs.DONE:
        raise UploadDone()
    cancelled = waiting.withdraw(session, job, message="upload discarded")
    key = waiting.params_of(job).get("upload_key")
    removed = False
    if isinstance(key, str) and _publication_of(session, key) is None:
        blob = session.get(BlobRecord, key)
        if blob is not None:
            session.delete(blob)
        store = current_store()
        after_commit(session, lambda: store.delete(key))
        removed = True
    audit.record(
        session,
        "catalog.upload_discarded",
        actor_id=actor.id,
        subject_type="job",
        subject_id=job.id,
        detail={"state": job.state, "cancelled": cancelled, "file_removed": removed},
    )

"""Operator tasks: the blob storage check, as a background job with progress."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app import jobs
from app.blobs import check_blobs, current_store
from app.uow import transactional

STORAGE_CHECK = "storage.check"


@jobs.job(STORAGE_CHECK)
def storage_check_job(ctx: jobs.JobContext) -> dict[str, Any]:
    from sqlalchemy import func, select

    from app.blobs import BlobRecord

    total = ctx.session.scalar(select(func.count()).select_from(BlobRecord)) or 0

    def progress(done: int) -> None:
        if total and (done % 50 == 0 or done == total):
            ctx.progress(done * 100 // total)

    report = check_blobs(ctx.session, current_store(), progress=progress)
    return {"checked": report.checked, "missing": report.missing, "corrupt": report.corrupt}


@transactional
def start_storage_check(session: Session, *, actor_id: int | None) -> jobs.Job:
    return jobs.enqueue(session, STORAGE_CHECK, actor_id=actor_id)

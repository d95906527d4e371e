"""Softcopy requests (services): a reader asks for a publication that is not online, an
officer attaches the PDF, the reader downloads it stamped.

States::

    open ──attach──▶ processing ──ingest done──▶ fulfilled
     ▲  │                 │
     │  └──decline──▶ declined ◀── decline (job queued, failed or cancelled)
     └── ingest refused ──┘

The states and their steps (audit, mails, the service given) are the readers' request
workflow of :mod:`library.request_flow`, which scan requests share; this module adds
what is softcopy's own: the attached file, its ingest job and the download right.

Attaching stores the upload at once (:func:`app.blobs.save_blob`) and queues the job
``library.softcopy_ingest``, which runs the catalogue's :func:`catalog.cataloguing.ingest`,
links the publication (or the one already holding the same file), grants the reader an
:class:`Entitlement` and mails them a link to the publication page.

A request is never stuck on its job: when the job failed or was cancelled without
reopening the request (its worker died and the sweeper failed it), the officer may
process the same file again (:func:`retry`, while it is stored), attach another file
or decline; declining a request whose job is still queued cancels the job.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit, clock, idempotency, jobs, waiting
from app.accounts.models import User
from app.blobs import BlobRecord, current_store, save_blob
from app.errors import PSTError
from app.mail import Mail, mail_to
from app.uow import after_commit, discard, transactional, unit_of_work
from app.urls import external_url
from catalog.errors import DuplicatePublication, IngestRejected
from catalog.file_versions import holder_of_file
from catalog.models import Access, Publication
from catalog.uploads import ingest_stored, looks_like_pdf
from catalog.visibility import is_public
from library import request_flow, request_lists
from library.access import grant
from library.errors import IllegalTransition, LibraryError, RecordNotFound
from library.models import SoftcopyRequest, SoftcopyStatus
from storage import BlobTooLarge

SOFTCOPY_JOB = "library.softcopy_ingest"
ENTITLEMENT_SOURCE = "softcopy_request"


def service_ref(request_id: int) -> str:
    """The request as a service (its record; downloads under its right join it)."""
    return f"library-softcopy:{request_id}"


#: A catalogue number as BPS writes it (the catalogue's own form checks the same).
KAT_NO = re.compile(r"^[0-9]{5,8}(\.[0-9]{1,4})?$")

STATUS_LABELS = request_flow.LABELS
OPEN_SOFTCOPY = (SoftcopyStatus.OPEN, SoftcopyStatus.PROCESSING)


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _refuse(request: SoftcopyRequest, wanted: SoftcopyStatus) -> IllegalTransition:
    return request_flow.refuse(request, wanted)


# --- reader side ----------------------------------------------------------------------


@transactional
def create_request(
    session: Session,
    *,
    reader: User,
    title: str,
    purpose: str,
    now: datetime,
    kat_no: str | None = None,
    submission: str | None = None,
) -> SoftcopyRequest:
    """A reader asks for the softcopy of a publication that is not online.
    ``submission``: the form's one-time token (a second post raises ``AlreadySubmitted``)."""
    title_text = " ".join((title or "").split())
    purpose_text = (purpose or "").strip()
    if not title_text or not purpose_text:
        raise LibraryError(_l("Give the title of the publication and what you need it for."))
    claimed = idempotency.claim(session, submission, kind="library.softcopy", user_id=reader.id)
    request = SoftcopyRequest(
        user_id=reader.id,
        title=title_text[:500],
        kat_no=(_clean(kat_no) or "")[:32] or None,
        purpose=purpose_text[:5000],
        status=SoftcopyStatus.OPEN,
        created_at=now,
    )
    session.add(request)
    session.flush()
    idempotency.settle(claimed, request.id)
    audit.record(
        session,
        "softcopy.requested",
        actor_id=reader.id,
        subject_type="softcopy_request",
        subject_id=request.id,
        at=now,
    )
    return request


def reader_requests(
    session: Session, user_id: int, *, page: int = 1, per_page: int = 20
) -> tuple[list[SoftcopyRequest], int]:
    """A reader's own softcopy requests, newest first; and how many in all."""
    return request_lists.reader_list(
        session, SoftcopyRequest, user_id, page=page, per_page=per_page
    )


def get_request(
    session: Session, request_id: int, *, actor: User | None = None, lock: bool = False
) -> SoftcopyRequest:
    """One request; with ``actor``, only their own unless they are an officer."""
    return request_lists.get_owned(session, SoftcopyRequest, request_id, actor=actor, lock=lock)


# --- officer side ---------------------------------------------------------------------


def queue(
    session: Session, *, page: int = 1, per_page: int = 20, open_only: bool = False
) -> tuple[list[SoftcopyRequest], int]:
    """The officers' queue: open and processing requests first, oldest first; then the
    closed ones, latest closed first."""
    return request_lists.officer_queue(
        session, SoftcopyRequest, OPEN_SOFTCOPY, page=page, per_page=per_page, open_only=open_only
    )


@transactional
def decline(
    session: Session,
    request_id: int,
    *,
    reason: str,
    actor_id: int,
    now: datetime,
) -> SoftcopyRequest:
    """Decline an open request (or one whose job is queued, failed or cancelled: the
    job is left); the reason is mailed to the reader and shown to them."""
    text = request_flow.reason_text(reason)
    request = get_request(session, request_id, lock=True)
    request_flow.decline(
        session,
        KIND,
        request,
        reason=text,
        actor_id=actor_id,
        now=now,
        leave_job=lambda r: _leave_job(session, r, actor_id, "declined"),
    )
    return request


@transactional
def start_attach(
    session: Session,
    request_id: int,
    fileobj: BinaryIO,
    *,
    filename: str,
    actor_id: int,
    max_bytes: int,
    access: Access | str = Access.READ_ONLY,
    title: str | None = None,
    kat_no: str | None = None,
) -> jobs.Job:
    """Store the PDF an officer attached to an open request and queue its ingest.

    ``title`` and ``kat_no`` default to what the reader wrote; ``access`` is the
    policy of the new publication (read online only by default: a one-off softcopy).
    Raises ``IngestRejected`` for what is plainly not a PDF or too large.
    """
    policy = Access(access)
    request = get_request(session, request_id, lock=True)
    if request.status == SoftcopyStatus.PROCESSING:
        # Another file in place of one whose processing failed or was cancelled.
        if not waiting.is_stuck(waiting.job_of(session, request.job_id)):
            raise waiting.JobRunning()
    elif request.status != SoftcopyStatus.OPEN:
        raise _refuse(request, SoftcopyStatus.PROCESSING)
    previous = waiting.job_of(session, request.job_id)
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
    number = _clean(kat_no) if kat_no is not None else request.kat_no
    meta: dict[str, Any] = {
        "title": " ".join((title or request.title).split())[:500],
        "access": policy.value,
        "printed": True,
    }
    if number and KAT_NO.match(number):
        meta["kat_no"] = number
    job = jobs.enqueue(
        session,
        SOFTCOPY_JOB,
        actor_id=actor_id,
        request_id=request.id,
        upload_key=ref.key,
        filename=os.path.basename(filename or "softcopy.pdf")[:200],
        meta=meta,
    )
    if request.status == SoftcopyStatus.PROCESSING and previous is not None:
        _forget_after_commit(session, waiting.params_of(previous).get("upload_key"), ref.key)
    request_flow.start(
        session,
        KIND,
        request,
        job_id=job.id,
        actor_id=actor_id,
        step="attached",
        detail={"job_id": job.id, "blob": ref.key, "access": policy.value},
    )
    return job


@jobs.job(SOFTCOPY_JOB)
def softcopy_ingest_job(
    ctx: jobs.JobContext, request_id: int, upload_key: str, filename: str, meta: dict[str, Any]
) -> dict[str, Any]:
    """Ingest the attached PDF and fulfil the request (see the module's docstring)."""
    session = ctx.session
    record = session.get(jobs.Job, ctx.job_id)
    actor_id = record.created_by_id if record is not None else None
    request = session.get(SoftcopyRequest, request_id)
    if request is None or request.status != SoftcopyStatus.PROCESSING:
        raise RecordNotFound()
    if request.job_id != ctx.job_id:
        # Replaced meanwhile (retried, another file attached): that job answers it.
        raise LibraryError(_l("The request waits on another job now."))
    try:
        publication_id, duplicate = _ingest_upload(ctx, upload_key, filename, meta, actor_id)
        ctx.progress(97, "fulfilling")
        # The job is an entry point: the moment is the app's clock, read as it fulfils.
        fulfil(session, request_id, publication_id, actor_id=actor_id, now=clock.now())
    except Exception as exc:
        # Refused, or broken midway: the request is open again for another file, and
        # the officer reads why on the job (its message) from the request's page.
        message = str(exc.message) if isinstance(exc, PSTError) else type(exc).__name__
        _reopen(session, request_id, upload_key, actor_id, message)
        raise
    return {"publication_id": publication_id, "request_id": request_id, "duplicate": duplicate}


def _ingest_upload(
    ctx: jobs.JobContext,
    upload_key: str,
    filename: str,
    meta: dict[str, Any],
    actor_id: int | None,
) -> tuple[int, bool]:
    """Ingest the stored upload: (publication id, whether it was in the catalogue)."""
    session = ctx.session
    try:
        publication = ingest_stored(
            session,
            current_store(),
            upload_key,
            meta=meta,
            actor_id=actor_id,
            filename=filename,
            progress=lambda pct, msg: ctx.progress(min(pct, 95), msg),
        )
    except DuplicatePublication as exc:
        # The file is in the catalogue already: that publication answers the request
        # (unless it was withdrawn or is not released yet: then the officer decides,
        # a reader never gets a publication before its moment). The ingest rolled back.
        existing = session.get(Publication, exc.existing_id) if exc.existing_id else None
        if existing is None or not is_public(existing, clock.now()):
            raise
        return existing.id, True
    return publication.id, False


def _reopen(
    session: Session, request_id: int, upload_key: str, actor_id: int | None, message: str
) -> None:
    """The file was refused: the request is open again, the upload forgotten (unless a
    publication holds the same bytes)."""
    # The job's failed work is thrown away; what follows is a transaction of its own.
    discard(session)
    with unit_of_work(session):
        forget = _reopen_request(session, request_id, upload_key, actor_id, message)
    if forget:
        current_store().delete(upload_key)


def _reopen_request(
    session: Session, request_id: int, upload_key: str, actor_id: int | None, message: str
) -> bool:
    """Open the request again and drop the upload's record; whether to delete its bytes."""
    request_flow.reopen(
        session, KIND, request_id, actor_id=actor_id, detail={"message": message[:300]}
    )
    used = holder_of_file(session, upload_key)
    forget = used is None
    if forget:
        blob = session.get(BlobRecord, upload_key)
        if blob is not None:
            session.delete(blob)
    return forget


@dataclass(frozen=True)
class WaysOut:
    """What the officer may do with a request whose job will not answer it."""

    stuck: bool  # processing, but its job failed, was cancelled or is gone
    retry: bool  # the attached file is still stored: process it again
    decline: bool
    attach: bool


def ways_out(session: Session, request: SoftcopyRequest) -> WaysOut:
    if request.status == SoftcopyStatus.OPEN:
        return WaysOut(stuck=False, retry=False, decline=True, attach=True)
    if request.status != SoftcopyStatus.PROCESSING:
        return WaysOut(stuck=False, retry=False, decline=False, attach=False)
    job = waiting.job_of(session, request.job_id)
    if job is None or waiting.is_stuck(job):
        key = waiting.params_of(job).get("upload_key") if job is not None else None
        stored = job is not None and waiting.blob_stored(session, key)
        return WaysOut(stuck=True, retry=stored, decline=True, attach=True)
    # Queued: declining cancels it. Running: wait for it (or for the sweeper to fail it).
    return WaysOut(stuck=False, retry=False, decline=job.state == jobs.QUEUED, attach=False)


@transactional
def retry(session: Session, request_id: int, *, actor_id: int) -> jobs.Job:
    """Process the attached file again after its job failed or was cancelled."""
    request = get_request(session, request_id, lock=True)
    if request.status != SoftcopyStatus.PROCESSING:
        raise _refuse(request, SoftcopyStatus.PROCESSING)
    job = waiting.job_of(session, request.job_id)
    if job is None or not waiting.blob_stored(session, waiting.params_of(job).get("upload_key")):
        raise waiting.InputsGone(_l("The attached file is no longer stored. Attach it again."))
    fresh = waiting.requeue(session, job, actor_id=actor_id)
    request.job_id = fresh.id
    request.handled_by_id = actor_id
    audit.record(
        session,
        "softcopy.retried",
        actor_id=actor_id,
        subject_type="softcopy_request",
        subject_id=request.id,
        detail={"job_id": fresh.id, "previous_job_id": job.id, "previous_state": job.state},
    )
    return fresh


def _leave_job(session: Session, request: SoftcopyRequest, actor_id: int, why: str) -> None:
    """The request stops waiting on its job: cancel it while queued (refuse while it
    runs) and forget its upload (unless a publication holds the same bytes)."""
    job = waiting.job_of(session, request.job_id)
    cancelled = waiting.withdraw(session, job, message=f"request {why}")
    if job is not None:
        _forget_after_commit(session, waiting.params_of(job).get("upload_key"))
        audit.record(
            session,
            "softcopy.job_left",
            actor_id=actor_id,
            subject_type="softcopy_request",
            subject_id=request.id,
            detail={"job_id": job.id, "state": job.state, "cancelled": cancelled, "why": why},
        )


def _forget_after_commit(session: Session, key: Any, keep: str | None = None) -> None:
    """Drop the upload ``key`` with the caller's transaction (its file after commit),
    unless a publication holds the same bytes or it is the new upload ``keep``."""
    if not isinstance(key, str) or key == keep:
        return
    used = holder_of_file(session, key)
    blob = session.get(BlobRecord, key)
    if used is not None or blob is None:
        return
    session.delete(blob)
    store = current_store()
    after_commit(session, lambda: store.delete(key))


@transactional
def fulfil(
    session: Session,
    request_id: int,
    publication_id: int,
    *,
    actor_id: int | None,
    now: datetime,
) -> SoftcopyRequest:
    """Link the publication, grant the reader a download right and mail them."""
    request = get_request(session, request_id, lock=True)
    request_flow.check_waiting(request, SoftcopyStatus.FULFILLED)
    request.publication_id = publication_id
    grant(
        session,
        user_id=request.user_id,
        publication_id=publication_id,
        source=ENTITLEMENT_SOURCE,
        source_ref=str(request.id),
        now=now,
        service_key=service_ref(request.id),
    )
    request_flow.fulfil(
        session,
        KIND,
        request,
        actor_id=actor_id,
        now=now,
        detail={"publication_id": publication_id},
        link=external_url("catalog.publication", pub_id=publication_id),
        products=[request.title],
        note="softcopy request",
    )
    return request


# --- mail -----------------------------------------------------------------------------


def ready_mail(user: User, request: SoftcopyRequest, link: str) -> Mail:
    return mail_to(
        user,
        _l("The publication you asked for is ready"),
        "library/mail/softcopy_ready.txt",
        request=request,
        link=link,
    )


def declined_mail(user: User, request: SoftcopyRequest) -> Mail:
    return mail_to(
        user,
        _l("Your request for a publication"),
        "library/mail/softcopy_declined.txt",
        request=request,
        link=external_url("library_desk.my_requests"),
    )


KIND = request_flow.Kind(
    model=SoftcopyRequest,
    status=SoftcopyStatus,
    audit="softcopy",
    subject_type="softcopy_request",
    source="library.softcopy",
    service_ref=service_ref,
    ready_mail=ready_mail,
    declined_mail=declined_mail,
    reopened="refused_file",
    notifies=True,
)

"""Recommendations of statistical activities (SOP-1-04, the FS3 form).

The requester fills the form (a draft, saved as often as they like) and submits it;
each submission is kept as a numbered :class:`~advisory.models.RecommendationVersion`.
An officer verifies it with a checklist and either returns it for revision (with a
note; the requester edits and resubmits, and reviewers compare versions side by side)
or passes it. The head previews the letter of a passed request (unnumbered, nothing
stored) and either returns it to the officer's verification with a note or approves
it: the numbered recommendation letter is issued (:mod:`advisory.letters`), mailed as
a PDF attachment, and the service is recorded by the front desk with a rating
invitation.

For a request made in person the officer records the paper form and attaches the
covering letter (*surat pengantar*) and the scanned form (:func:`attach_file`); the
requester and staff can download them, nobody else. Every step is audited and the
trail is the request's history (:func:`history`).

The 30-day deadline (:func:`advisory.deadlines.recommendation_due`) runs from the
submission — the form is "complete in the system" — and restarts when a returned form
is submitted again.

The duplicate-survey check lives in :mod:`advisory.similarity`. This module holds the
requester's steps and the documents; the form's fields are :mod:`advisory.fs3_form`, the
staff's verification and approval :mod:`advisory.recommendation_review`, what the letter
says :mod:`advisory.recommendation_letter`, the history, comparison and lists
:mod:`advisory.recommendation_history`, and what they share
:mod:`advisory.recommendation_support`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from advisory import attachments, deadlines
from advisory.errors import (
    AttachmentNotFound,
    IllegalTransition,
    IncompleteForm,
    NotAllowed,
    RecommendationNotFound,
)

# The form, the staff's steps and the read side live in modules of their own; their
# public names stay importable from here ("as" marks a re-export), as pages, the API
# and tests know them.
from advisory.fs3_form import FREQUENCIES as FREQUENCIES
from advisory.fs3_form import check_period as check_period
from advisory.fs3_form import clean_fields as clean_fields
from advisory.fs3_form import missing_fields as missing_fields
from advisory.fs3_form import missing_labels as missing_labels
from advisory.labels import FS3_LABELS
from advisory.models import (
    FS3_FIELDS,
    Channel,
    Recommendation,
    RecommendationFile,
    RecommendationFileKind,
    RecommendationStatus,
    RecommendationVersion,
)
from advisory.recommendation_history import DiffRow as DiffRow
from advisory.recommendation_history import HistoryItem as HistoryItem
from advisory.recommendation_history import StaffList as StaffList
from advisory.recommendation_history import compare as compare
from advisory.recommendation_history import history as history
from advisory.recommendation_history import my_recommendations as my_recommendations
from advisory.recommendation_history import staff_list as staff_list
from advisory.recommendation_letter import letter_content as letter_content
from advisory.recommendation_review import approve as approve
from advisory.recommendation_review import preview_letter as preview_letter
from advisory.recommendation_review import return_to_officer as return_to_officer
from advisory.recommendation_review import review as review
from advisory.recommendation_support import OFFICERS as OFFICERS
from advisory.recommendation_support import SOURCE as SOURCE
from advisory.recommendation_support import (
    audit_step,
    can_edit,
    is_officer,
    locked,
    mail_staff,
    mail_status,
    service_ref,
    status_label,
)
from advisory.recommendation_support import can_read as can_read
from advisory.recommendation_support import get_recommendation as get_recommendation
from advisory.recommendation_support import latest_version as latest_version
from advisory.settings import Settings
from app import idempotency
from app.accounts.models import Role, User
from app.events import ServiceStart, send_service_begun
from app.uow import transactional
from storage import BlobStore


@transactional
def create_draft(
    session: Session,
    *,
    requester: User,
    fields: Mapping[str, Any],
    now: datetime,
    actor: User | None = None,
    channel: Channel = Channel.ONLINE,
    submission: str | None = None,
) -> Recommendation:
    """Start a request (a paper form is recorded by an officer for the requester).
    ``submission``: the form's one-time token (a second post raises ``AlreadySubmitted``)."""
    actor = actor or requester
    if actor.id != requester.id and not is_officer(actor):
        raise NotAllowed()
    data = clean_fields(fields)
    r = Recommendation(
        user_id=requester.id,
        channel=channel if is_officer(actor) else Channel.ONLINE,
        status=RecommendationStatus.DRAFT,
        created_by_id=actor.id,
        created_at=now,
        updated_at=now,
        version=0,
    )
    for name in FS3_FIELDS:
        setattr(
            r,
            name,
            data.get(name, None if name in ("sample_size", "period_start", "period_end") else ""),
        )
    check_period(r)
    claimed = idempotency.claim(
        session, submission, kind="advisory.recommendation", user_id=actor.id
    )
    r.user = requester
    session.add(r)
    session.flush()
    idempotency.settle(claimed, r.id)
    audit_step(session, "created", r, actor, now)
    if r.channel == Channel.WALK_IN:
        # A paper form recorded at the desk: its letter joins the record of the number
        # being served (one service, one rating).
        send_service_begun(
            session,
            ServiceStart(ref=service_ref(r.id), user_id=requester.id, officer_id=actor.id, at=now),
        )
    return r


@transactional
def update_draft(
    session: Session, rec_id: int, *, actor: User, fields: Mapping[str, Any], now: datetime
) -> Recommendation:
    """Save changes to a draft or to a returned form."""
    r = locked(session, rec_id)
    if not can_edit(actor, r):
        raise RecommendationNotFound() if not can_read(actor, r) else NotAllowed()
    if r.status not in (RecommendationStatus.DRAFT, RecommendationStatus.RETURNED):
        raise IllegalTransition(status_label(r.status), _l("edited"))
    data = clean_fields(fields)
    for name, value in data.items():
        setattr(r, name, value)
    check_period(r)
    r.updated_at = now
    return r


@transactional
def submit(
    session: Session, rec_id: int, *, actor: User, now: datetime, settings: Settings
) -> Recommendation:
    """Submit the form for verification: a new version, and the 30-day clock starts."""
    r = locked(session, rec_id)
    if not can_edit(actor, r):
        raise RecommendationNotFound() if not can_read(actor, r) else NotAllowed()
    if r.status not in (RecommendationStatus.DRAFT, RecommendationStatus.RETURNED):
        raise IllegalTransition(status_label(r.status), _l("submitted"))
    missing = missing_fields(r)
    if missing:
        raise IncompleteForm([str(FS3_LABELS[name]) for name in missing])
    r.version += 1
    session.add(
        RecommendationVersion(
            recommendation_id=r.id,
            version=r.version,
            data=json.dumps(r.fs3(), ensure_ascii=False, sort_keys=True),
            submitted_at=now,
            submitted_by_id=actor.id,
        )
    )
    r.status = RecommendationStatus.SUBMITTED
    r.submitted_at = now
    r.due_on = deadlines.recommendation_due(session, now, settings)
    r.reminded_at = r.overdue_reported_at = None
    r.updated_at = now
    audit_step(session, "submitted", r, actor, now, version=r.version, due=r.due_on.isoformat())
    mail_status(session, r)
    mail_staff(
        session,
        (Role.OFFICER,),
        r,
        _l("A recommendation request was submitted (version %(n)s).", n=r.version),
    )
    return r


@transactional
def withdraw(session: Session, rec_id: int, *, actor: User, now: datetime) -> Recommendation:
    r = locked(session, rec_id)
    if r.user_id != actor.id and not is_officer(actor):
        raise NotAllowed()
    if r.status in (RecommendationStatus.APPROVED, RecommendationStatus.WITHDRAWN):
        raise IllegalTransition(status_label(r.status), _l("withdrawn"))
    r.status = RecommendationStatus.WITHDRAWN
    r.updated_at = now
    audit_step(session, "withdrawn", r, actor, now)
    mail_status(session, r)
    return r


# --- documents of a request made in person ---------------------------------------------


@transactional
def attach_file(
    session: Session,
    store: BlobStore,
    rec_id: int,
    *,
    actor: User,
    kind: RecommendationFileKind,
    upload: attachments.Upload,
    now: datetime,
    settings: Settings,
) -> RecommendationFile:
    """An officer attaches the covering letter or the scanned paper form (PDF/JPEG/PNG).

    Allowed until the letter is issued (or the request withdrawn): after that the file
    would not be part of what the head approved."""
    if not is_officer(actor):
        raise NotAllowed()
    r = locked(session, rec_id)
    if r.status in (RecommendationStatus.APPROVED, RecommendationStatus.WITHDRAWN):
        raise IllegalTransition(status_label(r.status), _l("given documents"))
    item = attachments.attach_to_recommendation(
        session,
        store,
        r,
        kind,
        upload,
        uploaded_by_id=actor.id,
        now=now,
        max_bytes=settings.max_file_bytes,
    )
    session.flush()
    r.updated_at = now
    audit_step(
        session, "file_attached", r, actor, now, file=item.id, kind=item.kind, size=item.size
    )
    return item


def get_file(session: Session, file_id: int, user: User) -> RecommendationFile:
    """A document of a request, for its requester and staff only (else: not found)."""
    item = session.get(RecommendationFile, file_id)
    if item is None or not can_read(user, item.recommendation):
        raise AttachmentNotFound()
    return item

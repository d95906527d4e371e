"""The staff's side of a recommendation request: the officer's verification with the
checklist (:func:`review`), the head's preview of the letter, return to the officer,
and approval, which issues the numbered letter and records the service."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from advisory import deadlines, letters
from advisory.errors import IllegalTransition, InvalidInput, NotAllowed, RecommendationNotFound
from advisory.labels import CHECKLIST
from advisory.models import Channel, Letter, Recommendation, RecommendationStatus
from advisory.recommendation_letter import letter_content
from advisory.recommendation_support import (
    SOURCE,
    audit_step,
    is_officer,
    latest_version,
    locked,
    mail_one,
    mail_staff,
    mail_status,
    service_ref,
    status_label,
)
from advisory.settings import Settings
from app.accounts.models import Role, User
from app.events import ServiceEvent, send_service_given
from app.uow import transactional
from storage import BlobStore


@transactional
def review(
    session: Session,
    rec_id: int,
    *,
    actor: User,
    outcome: str,
    checklist: Mapping[str, bool],
    note: str,
    now: datetime,
) -> Recommendation:
    """The officer's verification of the submitted version: ``"pass"`` (every checklist
    item must hold) or ``"return"`` for revision (a note says what to change)."""
    if not is_officer(actor):
        raise NotAllowed()
    if outcome not in ("pass", "return"):
        raise InvalidInput(_l("Choose pass or return."))
    r = locked(session, rec_id)
    if r.status != RecommendationStatus.SUBMITTED:
        raise IllegalTransition(status_label(r.status), _l("verified"))
    checks = {key: bool(checklist.get(key)) for key in CHECKLIST}
    note = (note or "").strip()[:5000]
    if outcome == "pass" and not all(checks.values()):
        raise InvalidInput(_l("Tick every item of the checklist to pass the form, or return it."))
    if outcome == "return" and len(note) < 3:
        raise InvalidInput(_l("Say what the requester must revise."))
    version = latest_version(r)
    assert version is not None  # a submitted request has a version
    version.outcome = "passed" if outcome == "pass" else "returned"
    version.checklist = json.dumps(checks, sort_keys=True)
    version.note = note
    version.reviewed_by_id, version.reviewed_at = actor.id, now
    r.reviewed_by_id = actor.id
    r.head_note = ""  # the head's return, if any, is answered by this verification
    if outcome == "pass":
        r.status, r.passed_at = RecommendationStatus.PASSED, now
    else:
        # Not complete after all: the clock stops until the form comes back.
        r.status, r.due_on = RecommendationStatus.RETURNED, None
    r.updated_at = now
    audit_step(
        session,
        "passed" if outcome == "pass" else "returned",
        r,
        actor,
        now,
        version=version.version,
    )
    mail_status(session, r, note=note)
    if outcome == "pass":
        mail_staff(
            session,
            (Role.HEAD,),
            r,
            _l("A verified recommendation request waits for your approval."),
        )
    return r


def head_only(actor: User) -> None:
    if not actor.has_role(Role.HEAD):
        raise NotAllowed(_l("Only the head of the office approves recommendations."))


@transactional
def preview_letter(
    session: Session, rec_id: int, *, actor: User, now: datetime, settings: Settings
) -> bytes:
    """The letter a passed request would get today, as a marked, unnumbered PDF.

    No number is taken (the counter is not touched) and nothing is stored; the look is
    audited."""
    head_only(actor)
    r = session.get(Recommendation, rec_id)
    if r is None:
        raise RecommendationNotFound()
    if r.status != RecommendationStatus.PASSED:
        raise IllegalTransition(status_label(r.status), _l("previewed"))
    pdf = letters.preview(letter_content(r, actor, deadlines.today(now), settings), settings)
    audit_step(session, "previewed", r, actor, now, version=r.version)
    return pdf


@transactional
def return_to_officer(
    session: Session, rec_id: int, *, actor: User, note: str, now: datetime
) -> Recommendation:
    """The head sends a passed request back to the officer's verification with a note.

    The request waits for verification again (the same version: the requester's form
    is complete, so the deadline keeps running); the officer who passed it is mailed,
    corrects (attaches a missing document, or returns the form to the requester) and
    passes it again."""
    head_only(actor)
    note = (note or "").strip()[:5000]
    if len(note) < 3:
        raise InvalidInput(_l("Say what the officer must check or correct."))
    r = locked(session, rec_id)
    if r.status != RecommendationStatus.PASSED:
        raise IllegalTransition(status_label(r.status), _l("returned to the officer"))
    version = latest_version(r)
    assert version is not None  # a passed request has a version
    version.outcome = None  # waiting for verification again
    r.status, r.passed_at = RecommendationStatus.SUBMITTED, None
    r.head_note, r.head_returned_at = note, now
    r.updated_at = now
    audit_step(session, "head_returned", r, actor, now, version=r.version, note=note)
    message = _l("The head returned this request to verification: %(note)s", note=note)
    officer = r.reviewed_by
    if officer is not None and officer.active and is_officer(officer):
        mail_one(session, officer, r, message)
    else:
        mail_staff(session, (Role.OFFICER,), r, message)
    return r


@transactional
def approve(
    session: Session,
    store: BlobStore,
    rec_id: int,
    *,
    actor: User,
    now: datetime,
    settings: Settings,
) -> Letter:
    """The head approves: the numbered letter is issued and mailed, the service recorded."""
    head_only(actor)
    r = locked(session, rec_id)
    if r.status != RecommendationStatus.PASSED:
        raise IllegalTransition(status_label(r.status), _l("approved"))
    letter = letters.issue(
        session,
        store,
        letter_content(r, actor, deadlines.today(now), settings),
        settings=settings,
        actor_id=actor.id,
        recommendation_id=r.id,
    )
    r.status = RecommendationStatus.APPROVED
    r.approved_by_id, r.approved_at = actor.id, now
    r.updated_at = now
    audit_step(
        session,
        "approved",
        r,
        actor,
        now,
        letter=letter.number,
        on_time=deadlines.met(r.due_on, now),
    )
    recorded = send_service_given(
        session,
        ServiceEvent(
            service="recommendation",
            user_id=r.user_id,
            started_at=r.submitted_at or r.created_at,
            ended_at=now,
            channel="walk_in" if r.channel == Channel.WALK_IN else "online",
            officer_id=r.reviewed_by_id or actor.id,
            outcome="served",
            products=[f"{letter.number} — {r.title}"],
            note="rekomendasi kegiatan statistik",
            source=SOURCE,
            source_ref=str(r.id),
            ref=service_ref(r.id),
            invite=True,
        ),
    )
    # One rating invitation per service: none when the letter joined a desk visit whose
    # visitor was invited already.
    mail_status(session, r, letter=letter, rate=recorded is not None and recorded.invite)
    return letter

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

The duplicate-survey check lives in :mod:`advisory.similarity`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from advisory import attachments, deadlines, letters, mails
from advisory.errors import (
    AttachmentNotFound,
    IllegalTransition,
    IncompleteForm,
    InvalidInput,
    NotAllowed,
    RecommendationNotFound,
)
from advisory.labels import CHECKLIST, FS3_LABELS, RECOMMENDATION_STATUS_LABELS
from advisory.models import (
    FS3_FIELDS,
    FS3_REQUIRED,
    Channel,
    Design,
    Letter,
    LetterKind,
    Recommendation,
    RecommendationFile,
    RecommendationFileKind,
    RecommendationStatus,
    RecommendationVersion,
    Recurrence,
)
from advisory.settings import Settings
from app import audit, idempotency
from app.accounts.models import Role, User
from app.events import ServiceEvent, ServiceStart, send_service_begun, send_service_given
from app.pdf import tanggal
from app.uow import transactional
from app.urls import external_url
from storage import BlobStore

OFFICERS = (Role.OFFICER, Role.HEAD)
SOURCE = "advisory.recommendation"
_TEXT_LIMITS = {
    "organiser": 200,
    "contact_name": 120,
    "contact_phone": 32,
    "contact_email": 254,
    "manager_name": 120,
    "manager_position": 120,
    "title": 300,
    "topic": 120,
    "frequency": 40,
}
FREQUENCIES = ("monthly", "quarterly", "semester", "yearly", "multi_year", "other")
RECURRENCE_ID = {"one_off": "Sekali (tidak berulang)", "recurring": "Berulang"}
FREQUENCY_ID = {
    "monthly": "bulanan",
    "quarterly": "triwulanan",
    "semester": "semesteran",
    "yearly": "tahunan",
    "multi_year": "beberapa tahun sekali",
    "other": "lainnya",
}
DESIGN_ID = {
    "cross_section": "Potong lintang (cross-section)",
    "longitudinal": "Longitudinal (panel)",
}


def _status_label(status: RecommendationStatus) -> Any:
    """The status's name as a lazy string (mails render it in the recipient's language)."""
    return RECOMMENDATION_STATUS_LABELS[status]


def _link(r: Recommendation) -> str:
    return external_url("advisory.recommendation", rec_id=r.id)


def _staff_link(r: Recommendation) -> str:
    return external_url("advisory.staff_recommendation", rec_id=r.id)


def is_officer(user: User) -> bool:
    return user.has_role(*OFFICERS)


def can_read(user: User, r: Recommendation) -> bool:
    return r.user_id == user.id or user.has_role(Role.OFFICER, Role.HEAD, Role.SUBJECT_MATTER)


def _can_edit(user: User, r: Recommendation) -> bool:
    return r.user_id == user.id or (r.created_by_id == user.id and is_officer(user))


def get_recommendation(session: Session, rec_id: int, user: User) -> Recommendation:
    r = session.get(Recommendation, rec_id)
    if r is None or not can_read(user, r):
        raise RecommendationNotFound()
    return r


def _locked(session: Session, rec_id: int) -> Recommendation:
    r = session.get(Recommendation, rec_id, with_for_update=True, populate_existing=True)
    if r is None:
        raise RecommendationNotFound()
    return r


def _audit(
    session: Session, action: str, r: Recommendation, actor: User, now: datetime, **detail: Any
) -> None:
    audit.record(
        session,
        f"advisory.recommendation_{action}",
        actor_id=actor.id,
        subject_type="advisory_recommendation",
        subject_id=r.id,
        detail=detail or None,
        at=now,
    )


def _mail_status(
    session: Session,
    r: Recommendation,
    *,
    note: str = "",
    letter: Letter | None = None,
    rate: bool = False,
) -> None:
    from advisory.consultations import rate_link

    mails.send(
        session,
        r.user,
        _l("%(ref)s: %(status)s", ref=r.reference, status=_status_label(r.status)),
        "recommendation_status",
        attachments=(letters.attachment(letter),) if letter else (),
        r=r,
        status_label=_status_label(r.status),
        note=note,
        letter=letter,
        download_link=external_url("advisory.letter_pdf", letter_id=letter.id) if letter else None,
        letter_file=letters.filename(letter) if letter else None,
        verify_link=letters.verify_url(letter) if letter else None,
        rate_link=rate_link() if rate else None,
        link=_link(r),
    )


def _mail_one(session: Session, person: User, r: Recommendation, message: Any) -> None:
    mails.send(
        session,
        person,
        _l("%(ref)s: %(subject)s", ref=r.reference, subject=r.title),
        "staff_notice",
        message=message,
        ref=r.reference,
        what=r.title,
        due=r.due_on,
        link=_staff_link(r),
    )


def _mail_staff(session: Session, roles: tuple[Role, ...], r: Recommendation, message: Any) -> None:
    for person in session.scalars(select(User).where(User.active)):
        if person.role in roles:
            _mail_one(session, person, r, message)


# --- the form -------------------------------------------------------------------------


def clean_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The FS3 fields of ``raw`` (a form's or the API's data), trimmed and typed; fields
    not in ``raw`` are left out, so a draft can be saved in parts."""
    data: dict[str, Any] = {}
    for name in FS3_FIELDS:
        if name not in raw:
            continue
        value = raw[name]
        if name in ("period_start", "period_end"):
            if isinstance(value, str):
                try:
                    value = date.fromisoformat(value) if value.strip() else None
                except ValueError:
                    raise InvalidInput(
                        _l("%(field)s is not a date.", field=FS3_LABELS[name])
                    ) from None
            data[name] = value if isinstance(value, date) else None
        elif name == "sample_size":
            if value in (None, ""):
                data[name] = None
            else:
                try:
                    number = int(value)
                except (TypeError, ValueError):
                    raise InvalidInput(_l("The sample size must be a whole number.")) from None
                if not 0 < number <= 1_000_000_000:
                    raise InvalidInput(_l("The sample size must be a whole number.")) from None
                data[name] = number
        else:
            text = str(value or "").strip()
            if name == "recurrence" and text and text not in {r.value for r in Recurrence}:
                raise InvalidInput(_l("Choose one-off or recurring."))
            if name == "design" and text and text not in {d.value for d in Design}:
                raise InvalidInput(_l("Choose longitudinal or cross-section."))
            if name == "frequency" and text and text not in FREQUENCIES:
                raise InvalidInput(_l("Choose a frequency from the list."))
            data[name] = text[: _TEXT_LIMITS.get(name, 5000)]
    return data


def missing_fields(r: Recommendation) -> list[str]:
    """Required fields still empty (a recurring activity also needs its frequency)."""
    missing = [name for name in FS3_REQUIRED if getattr(r, name) in (None, "")]
    if r.recurrence == Recurrence.RECURRING.value and not r.frequency:
        missing.append("frequency")
    return missing


def missing_labels(r: Recommendation) -> list[Any]:
    """The names of :func:`missing_fields`, for pages."""
    return [FS3_LABELS[name] for name in missing_fields(r)]


def _check_period(r: Recommendation) -> None:
    if r.period_start and r.period_end and r.period_end < r.period_start:
        raise InvalidInput(_l("The schedule ends before it starts."))


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
    _check_period(r)
    claimed = idempotency.claim(
        session, submission, kind="advisory.recommendation", user_id=actor.id
    )
    r.user = requester
    session.add(r)
    session.flush()
    idempotency.settle(claimed, r.id)
    _audit(session, "created", r, actor, now)
    if r.channel == Channel.WALK_IN:
        # A paper form recorded at the desk: its letter joins the record of the number
        # being served (one service, one rating).
        send_service_begun(
            session,
            ServiceStart(ref=service_ref(r.id), user_id=requester.id, officer_id=actor.id, at=now),
        )
    return r


def service_ref(rec_id: int) -> str:
    """A recommendation request as a service (its record at the front desk)."""
    return f"advisory-recommendation:{rec_id}"


@transactional
def update_draft(
    session: Session, rec_id: int, *, actor: User, fields: Mapping[str, Any], now: datetime
) -> Recommendation:
    """Save changes to a draft or to a returned form."""
    r = _locked(session, rec_id)
    if not _can_edit(actor, r):
        raise RecommendationNotFound() if not can_read(actor, r) else NotAllowed()
    if r.status not in (RecommendationStatus.DRAFT, RecommendationStatus.RETURNED):
        raise IllegalTransition(_status_label(r.status), _l("edited"))
    data = clean_fields(fields)
    for name, value in data.items():
        setattr(r, name, value)
    _check_period(r)
    r.updated_at = now
    return r


@transactional
def submit(
    session: Session, rec_id: int, *, actor: User, now: datetime, settings: Settings
) -> Recommendation:
    """Submit the form for verification: a new version, and the 30-day clock starts."""
    r = _locked(session, rec_id)
    if not _can_edit(actor, r):
        raise RecommendationNotFound() if not can_read(actor, r) else NotAllowed()
    if r.status not in (RecommendationStatus.DRAFT, RecommendationStatus.RETURNED):
        raise IllegalTransition(_status_label(r.status), _l("submitted"))
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
    _audit(session, "submitted", r, actor, now, version=r.version, due=r.due_on.isoformat())
    _mail_status(session, r)
    _mail_staff(
        session,
        (Role.OFFICER,),
        r,
        _l("A recommendation request was submitted (version %(n)s).", n=r.version),
    )
    return r


@transactional
def withdraw(session: Session, rec_id: int, *, actor: User, now: datetime) -> Recommendation:
    r = _locked(session, rec_id)
    if r.user_id != actor.id and not is_officer(actor):
        raise NotAllowed()
    if r.status in (RecommendationStatus.APPROVED, RecommendationStatus.WITHDRAWN):
        raise IllegalTransition(_status_label(r.status), _l("withdrawn"))
    r.status = RecommendationStatus.WITHDRAWN
    r.updated_at = now
    _audit(session, "withdrawn", r, actor, now)
    _mail_status(session, r)
    return r


# --- verification and approval --------------------------------------------------------


def latest_version(r: Recommendation) -> RecommendationVersion | None:
    return r.versions[-1] if r.versions else None


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
    r = _locked(session, rec_id)
    if r.status != RecommendationStatus.SUBMITTED:
        raise IllegalTransition(_status_label(r.status), _l("verified"))
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
    _audit(
        session,
        "passed" if outcome == "pass" else "returned",
        r,
        actor,
        now,
        version=version.version,
    )
    _mail_status(session, r, note=note)
    if outcome == "pass":
        _mail_staff(
            session,
            (Role.HEAD,),
            r,
            _l("A verified recommendation request waits for your approval."),
        )
    return r


def _letter_content(r: Recommendation, signer: User, issued_on: date) -> letters.LetterContent:
    office = str(current_app.config["ADVISORY_LETTER_OFFICE"])
    kind = RECURRENCE_ID.get(r.recurrence, r.recurrence)
    if r.recurrence == Recurrence.RECURRING.value and r.frequency:
        kind += f" ({FREQUENCY_ID.get(r.frequency, r.frequency)})"
    manager = r.manager_name + (f", {r.manager_position}" if r.manager_position else "")
    period = f"{tanggal(r.period_start)} s.d. {tanggal(r.period_end)}"
    return letters.LetterContent(
        kind=LetterKind.RECOMMENDATION,
        recipient=r.organiser,
        title=r.title,
        issued_on=issued_on,
        signer_name=signer.full_name,
        signer_role=str(
            current_app.config["ADVISORY_LETTER_SIGNER_ROLE"]
            or f"Kepala Badan Pusat Statistik {office}"
        ),
        reference=r.reference,
        address=r.organiser_address,
        rows=[
            ("Judul kegiatan", r.title),
            ("Penyelenggara", r.organiser),
            ("Penanggung jawab", manager),
            ("Narahubung", f"{r.contact_name} · {r.contact_phone} · {r.contact_email}"),
            ("Tujuan", r.objectives),
            ("Jenis kegiatan", kind),
            ("Rancangan", DESIGN_ID.get(r.design, r.design)),
            ("Metode pengumpulan data", r.collection_method),
            ("Metode penarikan sampel", r.sampling_method),
            ("Populasi", r.population),
            ("Jumlah sampel", f"{r.sample_size:,}".replace(",", ".") if r.sample_size else "-"),
            ("Variabel", r.variables),
            ("Wilayah", r.region),
            ("Jadwal pelaksanaan", period),
        ],
        details={
            "reference": r.reference,
            "organiser": r.organiser,
            "region": r.region,
            "period": [
                r.period_start.isoformat() if r.period_start else None,
                r.period_end.isoformat() if r.period_end else None,
            ],
            "signer": signer.full_name,
        },
    )


def _head_only(actor: User) -> None:
    if not actor.has_role(Role.HEAD):
        raise NotAllowed(_l("Only the head of the office approves recommendations."))


@transactional
def preview_letter(session: Session, rec_id: int, *, actor: User, now: datetime) -> bytes:
    """The letter a passed request would get today, as a marked, unnumbered PDF.

    No number is taken (the counter is not touched) and nothing is stored; the look is
    audited."""
    _head_only(actor)
    r = session.get(Recommendation, rec_id)
    if r is None:
        raise RecommendationNotFound()
    if r.status != RecommendationStatus.PASSED:
        raise IllegalTransition(_status_label(r.status), _l("previewed"))
    pdf = letters.preview(_letter_content(r, actor, deadlines.today(now)))
    _audit(session, "previewed", r, actor, now, version=r.version)
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
    _head_only(actor)
    note = (note or "").strip()[:5000]
    if len(note) < 3:
        raise InvalidInput(_l("Say what the officer must check or correct."))
    r = _locked(session, rec_id)
    if r.status != RecommendationStatus.PASSED:
        raise IllegalTransition(_status_label(r.status), _l("returned to the officer"))
    version = latest_version(r)
    assert version is not None  # a passed request has a version
    version.outcome = None  # waiting for verification again
    r.status, r.passed_at = RecommendationStatus.SUBMITTED, None
    r.head_note, r.head_returned_at = note, now
    r.updated_at = now
    _audit(session, "head_returned", r, actor, now, version=r.version, note=note)
    message = _l("The head returned this request to verification: %(note)s", note=note)
    officer = r.reviewed_by
    if officer is not None and officer.active and is_officer(officer):
        _mail_one(session, officer, r, message)
    else:
        _mail_staff(session, (Role.OFFICER,), r, message)
    return r


@transactional
def approve(
    session: Session, store: BlobStore, rec_id: int, *, actor: User, now: datetime
) -> Letter:
    """The head approves: the numbered letter is issued and mailed, the service recorded."""
    _head_only(actor)
    r = _locked(session, rec_id)
    if r.status != RecommendationStatus.PASSED:
        raise IllegalTransition(_status_label(r.status), _l("approved"))
    letter = letters.issue(
        session,
        store,
        _letter_content(r, actor, deadlines.today(now)),
        actor_id=actor.id,
        recommendation_id=r.id,
    )
    r.status = RecommendationStatus.APPROVED
    r.approved_by_id, r.approved_at = actor.id, now
    r.updated_at = now
    _audit(
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
    _mail_status(session, r, letter=letter, rate=recorded is not None and recorded.invite)
    return letter


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
    r = _locked(session, rec_id)
    if r.status in (RecommendationStatus.APPROVED, RecommendationStatus.WITHDRAWN):
        raise IllegalTransition(_status_label(r.status), _l("given documents"))
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
    _audit(session, "file_attached", r, actor, now, file=item.id, kind=item.kind, size=item.size)
    return item


def get_file(session: Session, file_id: int, user: User) -> RecommendationFile:
    """A document of a request, for its requester and staff only (else: not found)."""
    item = session.get(RecommendationFile, file_id)
    if item is None or not can_read(user, item.recommendation):
        raise AttachmentNotFound()
    return item


# --- history --------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    action: str  # created | submitted | passed | returned | previewed | head_returned | …
    actor: User | None
    detail: dict[str, Any]


def history(session: Session, r: Recommendation) -> list[HistoryItem]:
    """Every audited step of the request, oldest first (the staff page's history)."""
    from app.audit import AuditEvent

    events = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.subject_type == "advisory_recommendation",
            AuditEvent.subject_id == str(r.id),
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    prefix = "advisory.recommendation_"
    return [
        HistoryItem(
            at=e.at,
            action=e.action.removeprefix(prefix),
            actor=session.get(User, e.actor_id) if e.actor_id else None,
            detail=json.loads(e.detail) if e.detail else {},
        )
        for e in events
    ]


# --- comparing versions ---------------------------------------------------------------


@dataclass(frozen=True)
class DiffRow:
    field: str
    label: str
    old: Any
    new: Any

    @property
    def changed(self) -> bool:
        return bool(self.old != self.new)


def compare(r: Recommendation, a: int, b: int) -> list[DiffRow]:
    """Every FS3 field of versions ``a`` and ``b`` side by side (version 0: none).

    ``b`` may be ``r.version + 1`` for the current, unsubmitted draft."""
    by_number = {v.version: v.fields for v in r.versions}
    if r.status in (RecommendationStatus.DRAFT, RecommendationStatus.RETURNED):
        by_number[r.version + 1] = r.fs3()
    if a not in by_number or b not in by_number:
        raise RecommendationNotFound()
    old, new = by_number[a], by_number[b]
    return [
        DiffRow(name, str(FS3_LABELS[name]), old.get(name), new.get(name)) for name in FS3_FIELDS
    ]


# --- lists ----------------------------------------------------------------------------


def my_recommendations(session: Session, user_id: int) -> list[Recommendation]:
    return list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.user_id == user_id)
            .order_by(Recommendation.created_at.desc())
            .limit(200)
        )
    )


@dataclass
class StaffList:
    to_verify: list[Recommendation]
    to_approve: list[Recommendation]
    returned: list[Recommendation]
    approved: list[Recommendation]


def staff_list(session: Session) -> StaffList:
    def rows(status: RecommendationStatus, order: Any, limit: int = 200) -> list[Recommendation]:
        return list(
            session.scalars(
                select(Recommendation)
                .where(Recommendation.status == status)
                .order_by(order)
                .limit(limit)
            )
        )

    return StaffList(
        to_verify=rows(RecommendationStatus.SUBMITTED, Recommendation.due_on),
        to_approve=rows(RecommendationStatus.PASSED, Recommendation.due_on),
        returned=rows(RecommendationStatus.RETURNED, Recommendation.updated_at.desc(), 50),
        approved=rows(RecommendationStatus.APPROVED, Recommendation.approved_at.desc(), 20),
    )

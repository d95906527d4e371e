"""The data request letter (*surat permintaan data*, SOP-1-03): a consultation that needs
a table processed gets a numbered letter with the agreed completion date, which then
becomes its deadline."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from advisory import deadlines, letters
from advisory.consultation_support import (
    audit_step,
    clean,
    is_officer,
    locked,
    mail_status,
    status_label,
)
from advisory.errors import IllegalTransition, InvalidInput, NotAllowed
from advisory.models import (
    ConsultationKind,
    ConsultationStatus,
    Letter,
    LetterKind,
    Message,
)
from advisory.settings import Settings
from app.accounts.models import User
from app.i18n import format_day
from app.pdf import tanggal
from app.uow import transactional
from storage import BlobStore


@transactional
def issue_data_letter(
    session: Session,
    store: BlobStore,
    consultation_id: int,
    *,
    actor: User,
    data: str,
    purpose: str,
    agreed_on: date,
    terms: str,
    now: datetime,
    settings: Settings,
) -> Letter:
    """The data request letter (*surat permintaan data*): the table asked for, the terms
    and the agreed completion date, which becomes the request's deadline."""
    if not is_officer(actor):
        raise NotAllowed()
    c = locked(session, consultation_id)
    if not c.is_open:
        raise IllegalTransition(status_label(c.status), _l("given a letter"))
    data, purpose, terms = clean(data, 2000), clean(purpose, 500), clean(terms, 2000)
    if len(data) < 3:
        raise InvalidInput(_l("Describe the data that will be prepared."))
    if agreed_on < deadlines.today(now):
        raise InvalidInput(_l("The completion date cannot be in the past."))
    requester = c.user
    recipient = requester.full_name + (
        f" ({requester.institution})" if requester.institution else ""
    )
    content = letters.LetterContent(
        kind=LetterKind.DATA_REQUEST,
        recipient=recipient,
        title=data,
        issued_on=deadlines.today(now),
        signer_name=actor.full_name,
        signer_role="Petugas Pelayanan Statistik Terpadu",
        reference=c.reference,
        rows=[
            ("Nomor permintaan", c.reference),
            ("Nama pemohon", requester.full_name),
            ("Instansi", requester.institution or "-"),
            ("Email", requester.email or "-"),
            ("Data yang diminta", data),
            ("Keperluan", purpose or "-"),
            ("Tanggal diterima", tanggal(c.received_on)),
            ("Tanggal penyelesaian yang disepakati", tanggal(agreed_on)),
            ("Syarat dan ketentuan", terms or "-"),
        ],
        details={"reference": c.reference, "agreed_on": agreed_on.isoformat()},
    )
    letter = letters.issue(
        session, store, content, settings=settings, actor_id=actor.id, consultation_id=c.id
    )
    c.kind = ConsultationKind.DATA_REQUEST
    c.agreed_due_on = agreed_on
    if c.assigned_to_id is None:
        c.assigned_to_id, c.assigned_at = actor.id, now
        c.status = ConsultationStatus.ASSIGNED
    c.messages.append(
        Message(
            consultation_id=c.id,
            author_id=actor.id,
            body=f"Surat permintaan data {letter.number}: {data} — {tanggal(agreed_on)}",
            created_at=now,
        )
    )
    c.updated_at = now
    c.reminded_at = None  # a new deadline: remind again before it
    audit_step(
        session,
        "letter_issued",
        c,
        actor,
        now,
        number=letter.number,
        agreed_on=agreed_on.isoformat(),
    )
    mail_status(
        session,
        c,
        note=_l(
            "Data request letter %(number)s: the data will be ready by %(day)s.",
            number=letter.number,
            day=LazyString(format_day, agreed_on),  # written in the recipient's language
        ),
    )
    return letter

"""The advisory's share of a person's data (UU 27/2022): consultations and data
requests with their messages, recommendation requests (the FS3 form and each version
sent) and the letters issued for them. On erasure the requests and letters stay (the
office keeps its numbered letters and reports its service times); the person's name,
phone and address go from them, the contact fields included."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from advisory.models import Consultation, Letter, Recommendation
from app.accounts.models import User
from app.accounts.rights import Erasing, Section, row

_LETTER = ("number", "kind", "title", "recipient", "issued_on")


def _consultation(c: Consultation) -> dict[str, Any]:
    return {
        "reference": c.reference,
        **row(
            c,
            "kind",
            "channel",
            "status",
            "subject",
            "topic",
            "received_at",
            "due_on",
            "answered_at",
            "closed_at",
        ),
        # The thread as the person sees it: staff-only notes are the office's working
        # papers, not data the person gave.
        "messages": [
            {
                "from_me": m.author_id == c.user_id,
                **row(m, "body", "is_answer", "created_at"),
                "attachments": [a.filename for a in m.attachments],
            }
            for m in c.messages
            if not m.internal
        ],
        "letters": [row(letter, *_LETTER) for letter in c.letters],
    }


def _recommendation(r: Recommendation) -> dict[str, Any]:
    return {
        "reference": r.reference,
        **row(r, "status", "channel", "submitted_at", "approved_at"),
        "form": r.fs3(),
        "versions": [
            {
                "version": v.version,
                "submitted_at": v.submitted_at.isoformat(),
                "form": v.fields,
                "outcome": v.outcome,
            }
            for v in r.versions
        ],
        "letters": [row(letter, *_LETTER) for letter in r.letters],
    }


def _export(session: Session, user: User) -> dict[str, Any]:
    return {
        "consultations": [
            _consultation(c)
            for c in session.scalars(
                select(Consultation)
                .where(Consultation.user_id == user.id)
                .order_by(Consultation.id)
            )
        ],
        "recommendations": [
            _recommendation(r)
            for r in session.scalars(
                select(Recommendation)
                .where(Recommendation.user_id == user.id)
                .order_by(Recommendation.id)
            )
        ],
    }


_CONTACT = ("contact_name", "contact_phone", "contact_email", "organiser_address")


def _erase(session: Session, erasing: Erasing) -> None:
    uid = erasing.user.id
    letters: list[Letter] = []
    for c in session.scalars(select(Consultation).where(Consultation.user_id == uid)):
        c.subject = erasing.scrub(c.subject) or ""
        for message in c.messages:
            message.body = erasing.scrub(message.body) or ""
        letters.extend(c.letters)
    for r in session.scalars(select(Recommendation).where(Recommendation.user_id == uid)):
        for name in _CONTACT:
            setattr(r, name, erasing.scrub(getattr(r, name)) or "")
        r.manager_name = erasing.scrub(r.manager_name) or ""
        for version in r.versions:
            version.data = erasing.scrub(version.data) or "{}"
        letters.extend(r.letters)
    # A letter is kept (its number, date and title), with the person's name replaced.
    # Its verification code covered the name, so the office's check of that letter
    # no longer matches it: the holder's copy still carries the name it was issued to.
    for letter in letters:
        letter.recipient = erasing.scrub(letter.recipient) or ""
        letter.details = erasing.scrub(letter.details) or "{}"


def _labels() -> dict[str, Any]:
    from advisory.labels import FS3_LABELS

    return {
        **FS3_LABELS,
        "title": _l("Title"),
        "consultations": _l("Consultations and data requests"),
        "recommendations": _l("Recommendation requests"),
        "subject": _l("Subject"),
        "topic": _l("Topic"),
        "received_at": _l("Received"),
        "due_on": _l("Due"),
        "answered_at": _l("Answered"),
        "approved_at": _l("Approved"),
        "messages": _l("Messages"),
        "from_me": _l("Written by you"),
        "body": _l("Message"),
        "is_answer": _l("The answer"),
        "attachments": _l("Attachments"),
        "letters": _l("Letters"),
        "recipient": _l("To"),
        "issued_on": _l("Issued on"),
        "form": _l("Form"),
        "versions": _l("Versions sent"),
        "version": _l("Version"),
    }


def _values() -> dict[str, Any]:
    from advisory import labels

    return {
        "consultations.kind": labels.KIND_LABELS,
        "consultations.status": labels.CONSULTATION_STATUS_LABELS,
        "channel": labels.CHANNEL_LABELS,
        "recommendations.status": labels.RECOMMENDATION_STATUS_LABELS,
        "recurrence": labels.RECURRENCE_LABELS,
        "design": labels.DESIGN_LABELS,
        "frequency": labels.FREQUENCY_LABELS,
        "letters.kind": labels.LETTER_KIND_LABELS,
        "outcome": labels.HISTORY_LABELS,
    }


SECTION = Section(
    key="advisory",
    title=_l("Consultations, data requests and recommendations"),
    tables=(
        "advisory_consultations",
        "advisory_messages",
        "advisory_attachments",
        "advisory_recommendations",
        "advisory_recommendation_versions",
        "advisory_recommendation_files",
        "advisory_letters",
    ),
    exporter=_export,
    eraser=_erase,
    labels=_labels(),
    values=_values(),
)

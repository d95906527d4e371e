"""Reading recommendation requests: a request's audited history, two versions of its
form side by side, and the lists of the requester's and the staff's pages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisory.errors import RecommendationNotFound
from advisory.labels import FS3_LABELS
from advisory.models import FS3_FIELDS, Recommendation, RecommendationStatus
from app.accounts.models import User

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

"""Reminders before a deadline passes, and the report when it has.

:func:`remind` looks at every open consultation and recommendation request once:

* at most ``ADVISORY_REMIND_WORKING_DAYS`` working days before its deadline (and on the
  day itself) the people handling it get one reminder — the assigned officer and the
  specialist it was escalated to; nobody yet: every officer; a verified recommendation:
  the head;
* once the deadline has passed, they and the head get one overdue report, and an audit
  event ``advisory.*_overdue`` records it for the service statistics.

Each person gets one mail per run listing their items. Run it every working morning:
``pst advisory remind`` from cron (``0 7 * * 1-5``), or enqueue the ``advisory.remind``
job from a scheduler. Running it twice sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from advisory import deadlines, mails
from advisory.models import (
    OPEN_CONSULTATION,
    Consultation,
    Recommendation,
    RecommendationStatus,
)
from app import audit
from app.accounts.models import Role, User
from app.uow import transactional
from app.urls import external_url

JOB = "advisory.remind"


@dataclass
class _Item:
    ref: str
    subject: str
    due: date
    link: str


def _people(session: Session, *roles: Role) -> list[User]:
    return [u for u in session.scalars(select(User).where(User.active)) if u.role in roles]


@transactional
def remind(session: Session, now: datetime, *, window: int) -> dict[str, int]:
    """Send due reminders and overdue reports; commit. Returns counts of each.

    ``window``: remind when at most this many working days are left
    (``ADVISORY_REMIND_WORKING_DAYS``)."""
    soon: dict[int, list[_Item]] = defaultdict(list)
    late: dict[int, list[_Item]] = defaultdict(list)
    users: dict[int, User] = {}
    officers = _people(session, Role.OFFICER)
    heads = _people(session, Role.HEAD)
    counts = {"reminded": 0, "overdue": 0}

    def add(box: dict[int, list[_Item]], people: list[User], item: _Item) -> None:
        for person in {p.id: p for p in people}.values():
            users[person.id] = person
            box[person.id].append(item)

    for c in session.scalars(
        select(Consultation).where(Consultation.status.in_(OPEN_CONSULTATION)).with_for_update()
    ):
        handlers = [p for p in (c.assigned_to, c.escalated_to) if p is not None] or officers
        item = _Item(
            c.reference,
            c.subject,
            c.deadline,
            external_url("advisory.staff_consultation", consultation_id=c.id),
        )
        if deadlines.is_overdue(c.deadline, now):
            if c.overdue_reported_at is None:
                c.overdue_reported_at = now
                add(late, handlers + heads, item)
                _audit(
                    session,
                    "advisory.consultation_overdue",
                    "advisory_consultation",
                    c.id,
                    c.deadline,
                    now,
                )
                counts["overdue"] += 1
        elif (
            c.reminded_at is None
            and deadlines.working_days_left(session, now, c.deadline) <= window
        ):
            c.reminded_at = now
            add(soon, handlers, item)
            counts["reminded"] += 1

    for r in session.scalars(
        select(Recommendation)
        .where(
            Recommendation.status.in_(
                (RecommendationStatus.SUBMITTED, RecommendationStatus.PASSED)
            ),
            Recommendation.due_on.is_not(None),
        )
        .with_for_update()
    ):
        assert r.due_on is not None
        handlers = heads if r.status == RecommendationStatus.PASSED else officers
        item = _Item(
            r.reference,
            r.title,
            r.due_on,
            external_url("advisory.staff_recommendation", rec_id=r.id),
        )
        if deadlines.is_overdue(r.due_on, now):
            if r.overdue_reported_at is None:
                r.overdue_reported_at = now
                add(late, handlers + heads, item)
                _audit(
                    session,
                    "advisory.recommendation_overdue",
                    "advisory_recommendation",
                    r.id,
                    r.due_on,
                    now,
                )
                counts["overdue"] += 1
        elif (
            r.reminded_at is None and deadlines.working_days_left(session, now, r.due_on) <= window
        ):
            r.reminded_at = now
            add(soon, handlers, item)
            counts["reminded"] += 1

    for user_id, items in soon.items():
        mails.send(
            session,
            users[user_id],
            _l("Reminder: %(n)s requests are due soon", n=len(items)),
            "staff_digest",
            message=_l("These requests reach their deadline soon:"),
            items=sorted(items, key=lambda i: i.due),
        )
    for user_id, items in late.items():
        mails.send(
            session,
            users[user_id],
            _l("Overdue: %(n)s requests passed their deadline", n=len(items)),
            "staff_digest",
            message=_l("These requests passed their deadline without an answer:"),
            items=sorted(items, key=lambda i: i.due),
        )
    return counts


def _audit(
    session: Session, action: str, subject_type: str, subject_id: int, due: date, now: datetime
) -> None:
    audit.record(
        session,
        action,
        actor_id=None,
        subject_type=subject_type,
        subject_id=subject_id,
        detail={"due": due.isoformat()},
        at=now,
    )

"""Lists of consultations: the requester's own, and the staff's queue (mine, unassigned,
others', recently answered)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from advisory.consultation_support import OFFICERS
from advisory.models import OPEN_CONSULTATION, Consultation, ConsultationStatus
from app.accounts.models import Role, User


def my_consultations(session: Session, user_id: int) -> list[Consultation]:
    return list(
        session.scalars(
            select(Consultation)
            .where(Consultation.user_id == user_id)
            .order_by(Consultation.created_at.desc())
            .limit(200)
        )
    )


@dataclass
class StaffQueue:
    mine: list[Consultation]  # assigned to me or escalated to me, by deadline
    unassigned: list[Consultation]
    others: list[Consultation]  # open, someone else's
    answered: list[Consultation]  # recently answered (for FAQ publishing)


def staff_queue(session: Session, user: User) -> StaffQueue:
    open_rows = list(
        session.scalars(
            select(Consultation)
            .where(Consultation.status.in_(OPEN_CONSULTATION))
            .options(joinedload(Consultation.user), joinedload(Consultation.assigned_to))
            .order_by(Consultation.due_on, Consultation.id)
        ).unique()
    )
    open_rows.sort(key=lambda c: (c.deadline, c.id))
    mine = [c for c in open_rows if user.id in (c.assigned_to_id, c.escalated_to_id)]
    unassigned = [c for c in open_rows if c.assigned_to_id is None and c not in mine]
    others = [c for c in open_rows if c not in mine and c not in unassigned]
    answered = list(
        session.scalars(
            select(Consultation)
            .where(
                Consultation.status.in_((ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED))
            )
            .where(
                or_(
                    Consultation.assigned_to_id == user.id,
                    Consultation.answered_by_id == user.id,
                    Consultation.escalated_to_id == user.id,
                )
            )
            .order_by(Consultation.answered_at.desc())
            .limit(20)
        )
    )
    if not user.has_role(*OFFICERS):  # subject-matter staff see what was given to them
        return StaffQueue(mine, [], [], answered)
    return StaffQueue(mine, unassigned, others, answered)


def staff_members(session: Session, *roles: Role) -> list[User]:
    return [
        u
        for u in session.scalars(select(User).where(User.active).order_by(User.full_name))
        if u.role in roles
    ]

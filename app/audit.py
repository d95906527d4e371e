"""The audit trail: who did what to which record, when and from where.

Any package records events through :func:`record`; the event joins the caller's
transaction, so a change and its trail commit (or roll back) together.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(45))
    detail: Mapped[str | None] = mapped_column(Text)


def record(
    session: Session,
    action: str,
    *,
    actor_id: int | None,
    subject_type: str | None = None,
    subject_id: object = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add an audit event to ``session`` (committed by the caller's service)."""
    event = AuditEvent(
        at=at or utcnow(),
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=None if subject_id is None else str(subject_id),
        ip=request.remote_addr if has_request_context() else None,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None,
    )
    session.add(event)
    return event

"""Account events in the audit trail, written in the service's own transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app import audit
from app.accounts.models import User


def trail(
    session: Session,
    action: str,
    user: User,
    *,
    actor_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record an event about an account in the audit trail (same transaction)."""
    audit.record(
        session, action, actor_id=actor_id, subject_type="user", subject_id=user.id, detail=detail
    )

"""The desk's retention rule: the free-text comments of old IKM ratings.

A rating's nine scores are the office's quality statistics (the IKM) and stay for
good; the comment is free text a visitor may have written names, numbers or
complaints into, and is erased after ``RETENTION_RATING_COMMENT_DAYS``, so every IKM
figure is the same before and after. Registered with :mod:`app.retention` by
:mod:`desk.wiring`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from desk.models import Rating


def _due(cutoff: datetime) -> ColumnElement[bool]:
    return (Rating.submitted_at < cutoff) & (Rating.comment != "")


def count_rating_comments(session: Session, cutoff: datetime, now: datetime) -> int:
    """Ratings submitted before ``cutoff`` that still hold a comment."""
    del now
    return session.scalar(select(func.count()).select_from(Rating).where(_due(cutoff))) or 0


def erase_rating_comments(session: Session, cutoff: datetime, now: datetime) -> int:
    """Empty the comments of ratings submitted before ``cutoff`` (the scores stay)."""
    del now
    result = session.execute(
        update(Rating)
        .where(_due(cutoff))
        .values(comment="")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)

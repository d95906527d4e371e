"""The library's retention rule: the network address and browser of old download logs.

A download log is how a leaked copy is traced back to its reader (the code, the user,
the copy's hash), so the row stays; the address and browser it came from only help
for a while (abuse, a disputed download) and are erased after
``RETENTION_DOWNLOAD_CLIENT_DAYS``. Registered with :mod:`app.retention` by
:mod:`library.wiring`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from library.models import Download


def _due(cutoff: datetime) -> ColumnElement[bool]:
    return (Download.created_at < cutoff) & or_(
        Download.ip.is_not(None), Download.user_agent.is_not(None)
    )


def count_download_clients(session: Session, cutoff: datetime, now: datetime) -> int:
    """Download logs older than ``cutoff`` that still hold an address or a browser."""
    del now
    return session.scalar(select(func.count()).select_from(Download).where(_due(cutoff))) or 0


def erase_download_clients(session: Session, cutoff: datetime, now: datetime) -> int:
    """Erase the address and browser of download logs older than ``cutoff``."""
    del now
    result = session.execute(
        update(Download)
        .where(_due(cutoff))
        .values(ip=None, user_agent=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)

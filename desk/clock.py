"""The front desk's clock: ``DESK_CLOCK`` (a callable returning an aware datetime) when
configured — tests and demonstrations set one — else the real time."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, has_app_context

from app.db import utcnow


def now() -> datetime:
    if has_app_context():
        clock = current_app.config.get("DESK_CLOCK")
        if clock is not None:
            return clock()  # type: ignore[no-any-return]
    return utcnow()

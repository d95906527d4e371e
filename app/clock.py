"""The one clock every feature reads: ``CLOCK`` when configured, else the real time.

``CLOCK`` is a callable returning an aware datetime; tests and demonstrations set one
(``tests.helpers.FakeClock``) to stand the office at a given moment. Services take
``now`` as an explicit argument; views and jobs read it here and pass it on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import current_app, has_app_context

from app.db import utcnow

#: A source of the current moment (:func:`now`, :func:`app.db.utcnow`, a test's clock),
#: for a service that takes one instead of a moment.
Clock = Callable[[], datetime]


def now() -> datetime:
    """The current moment, timezone-aware (the configured clock's, when there is one)."""
    if has_app_context():
        clock = current_app.config.get("CLOCK")
        if clock is not None:
            return clock()  # type: ignore[no-any-return]
    return utcnow()

"""OAI-PMH dates: datestamps written to the second, in UTC (the repository's granularity),
and the ``from`` and ``until`` arguments read at either granularity (a day or a second)
as the bounds of a half-open interval."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from catalog.oai_errors import OaiError

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
_SECOND = timedelta(seconds=1)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def datestamp(moment: datetime) -> str:
    """A UTC datestamp to the second, the repository's granularity."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datestamp(value: str, *, end: bool) -> tuple[datetime, str]:
    """A ``from`` (``end=False``, inclusive) or ``until`` (``end=True``) argument as the
    bound of a half-open interval, and its granularity."""
    try:
        if _DAY.fullmatch(value):
            start = datetime.combine(date.fromisoformat(value), time(0), tzinfo=UTC)
            return (start + timedelta(days=1) if end else start), "day"
        if _SECONDS.fullmatch(value):
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return (moment + _SECOND if end else moment), "seconds"
    except (ValueError, OverflowError):  # 2025-02-30, or the end of 9999-12-31
        raise OaiError("badArgument", f"Not a date: {value}.") from None
    raise OaiError("badArgument", f"Not a date in a supported granularity: {value}.")

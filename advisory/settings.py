"""The advisory services' settings, read once at the edge and handed to services.

Views, the API, the CLI and jobs build a :class:`Settings` from the app's configuration
(:func:`settings_from`) and pass it in; the services themselves never read
``current_app.config`` (the values are declared with their defaults in
:mod:`advisory.wiring`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Settings:
    """What the advisory services need from the configuration (defaults: the SOPs')."""

    #: SOP-1-03: a consultation or data request is answered within N working days.
    consultation_days: int = 3
    #: SOP-1-04: the recommendation letter within N days of the complete form ...
    recommendation_days: int = 30
    #: ... counted as "calendar" or "working" days.
    recommendation_day_kind: str = "calendar"
    #: Remind the people handling a request when this many working days are left.
    remind_working_days: int = 1
    #: Attachments of one consultation message, and the size of each.
    max_files: int = 5
    max_file_bytes: int = 10 * 1024 * 1024
    #: The duplicate-survey check lists activities scoring at least this (0–1).
    duplicate_threshold: float = 0.4


def settings_from(config: Mapping[str, Any]) -> Settings:
    """The settings of an app's configuration (``ADVISORY_*``)."""
    return Settings(
        consultation_days=int(config["ADVISORY_CONSULTATION_DAYS"]),
        recommendation_days=int(config["ADVISORY_RECOMMENDATION_DAYS"]),
        recommendation_day_kind=str(config["ADVISORY_RECOMMENDATION_DAY_KIND"]).lower(),
        remind_working_days=int(config["ADVISORY_REMIND_WORKING_DAYS"]),
        max_files=int(config["ADVISORY_MAX_FILES"]),
        max_file_bytes=int(config["ADVISORY_MAX_FILE_BYTES"]),
        duplicate_threshold=float(config["ADVISORY_DUPLICATE_THRESHOLD"]),
    )

"""The front desk services' settings, read once at the edge and handed to services.

Views, the API, the CLI and the event receivers' callers build a :class:`Settings` from
the app's configuration (:func:`settings_from`) and pass it in; the services themselves
never read ``current_app.config`` (the values are declared with their defaults in
:mod:`desk.wiring`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desk.numbering import DEFAULT_PREFIXES

#: Office hours per weekday (WIB), as "HH:MM" pairs; a missing day is closed.
DEFAULT_HOURS: dict[str, list[str]] = {
    "mon": ["08:00", "15:30"],
    "tue": ["08:00", "15:30"],
    "wed": ["08:00", "15:30"],
    "thu": ["08:00", "15:30"],
    "fri": ["08:00", "16:00"],
}
DEFAULT_CATEGORIES = ("public", "government")


@dataclass(frozen=True)
class Settings:
    """What the desk services need from the configuration (defaults: the SOPs')."""

    #: Queue-number prefix per service value ("A" → "A-001").
    service_prefixes: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PREFIXES))
    #: Service hours per weekday name, ["HH:MM", "HH:MM"]; a day left out is closed.
    hours: Mapping[str, Sequence[str]] = field(default_factory=lambda: dict(DEFAULT_HOURS))
    #: The ``holidays`` package's categories that close the office.
    holiday_categories: tuple[str, ...] = DEFAULT_CATEGORIES
    #: An appointment's code opens the kiosk this long before and after its time.
    appointment_window_minutes: int = 60
    #: Signs the kiosk's email-confirmation links (the app's ``SECRET_KEY``).
    secret_key: str = field(default="", repr=False)


def settings_from(config: Mapping[str, Any]) -> Settings:
    """The settings of an app's configuration (``DESK_*``)."""
    return Settings(
        # An empty mapping means the defaults, as it always has.
        service_prefixes=dict(config["DESK_SERVICE_PREFIXES"] or DEFAULT_PREFIXES),
        hours=dict(config["DESK_HOURS"]),
        holiday_categories=tuple(config["DESK_HOLIDAY_CATEGORIES"]),
        appointment_window_minutes=int(config["DESK_APPOINTMENT_WINDOW_MINUTES"]),
        secret_key=str(config["SECRET_KEY"]),
    )


#: The defaults, for callers (tests, scripts) outside an app.
DEFAULT_SETTINGS = Settings()

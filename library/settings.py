"""The library services' settings, read once at the edge and handed to services.

Views, the API, the CLI and the periodic jobs (:mod:`library.wiring`) build a
:class:`Settings` from the app's configuration (:func:`settings_from`) and pass it in;
the services themselves never read ``current_app.config`` (the values are declared with
their defaults in :mod:`library.wiring`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class Settings:
    """What the download services need from the configuration."""

    #: Stamped downloads one reader may take per WIB day; 0 turns the limit off.
    daily_quota: int = 20
    #: A started download counts this long before it is taken as abandoned.
    in_flight_minutes: int = 15

    @property
    def in_flight(self) -> timedelta:
        """How long a started download counts against the quota (at least a minute)."""
        return timedelta(minutes=max(1, self.in_flight_minutes))


def settings_from(config: Mapping[str, Any]) -> Settings:
    """The settings of an app's configuration (``LIBRARY_*``)."""
    return Settings(
        daily_quota=int(config["LIBRARY_DAILY_QUOTA"]),
        in_flight_minutes=int(config["LIBRARY_DOWNLOAD_IN_FLIGHT_MINUTES"]),
    )

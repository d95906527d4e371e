"""What a queue number looks like: the prefix of each service ("A-001"), the open
states of a number, and the labels shown on pages (services, states, outcomes and
channels)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

from desk.models import (
    ACTIVE_STATUSES,
    AppointmentStatus,
    Outcome,
    RecordChannel,
    ServiceType,
    TicketStatus,
)

#: A visitor's number is still open (gives them no second one) in these states.
OPEN_STATUSES = (TicketStatus.WAITING, *ACTIVE_STATUSES)

DEFAULT_PREFIXES = {
    ServiceType.LIBRARY.value: "A",
    ServiceType.SALES.value: "B",
    ServiceType.CONSULTATION.value: "C",
    ServiceType.RECOMMENDATION.value: "D",
}

SERVICE_LABELS = {
    ServiceType.LIBRARY: _l("Library"),
    ServiceType.SALES: _l("Sales of statistical products"),
    ServiceType.CONSULTATION: _l("Statistical consultation"),
    ServiceType.RECOMMENDATION: _l("Recommendation of statistical activities"),
}
STATUS_LABELS = {
    TicketStatus.WAITING: _l("waiting"),
    TicketStatus.CALLED: _l("called"),
    TicketStatus.SERVING: _l("being served"),
    TicketStatus.DONE: _l("done"),
    TicketStatus.NO_SHOW: _l("skipped (no-show)"),
    TicketStatus.TRANSFERRED: _l("transferred"),
}
OUTCOME_LABELS = {
    Outcome.SERVED: _l("Served"),
    Outcome.PARTLY: _l("Partly served"),
    Outcome.NOT_AVAILABLE: _l("Data not available"),
    Outcome.REFERRED: _l("Referred"),
    Outcome.CANCELLED: _l("Cancelled"),
}
CHANNEL_LABELS = {RecordChannel.WALK_IN: _l("Walk-in"), RecordChannel.ONLINE: _l("Online")}
APPOINTMENT_STATUS_LABELS = {
    AppointmentStatus.BOOKED: _l("booked"),
    AppointmentStatus.USED: _l("used"),
    AppointmentStatus.CANCELLED: _l("cancelled"),
}


def format_number(service: ServiceType, seq: int, prefixes: Mapping[str, str]) -> str:
    """``A-001``: the service's prefix (``DESK_SERVICE_PREFIXES``) and the day's number."""
    return f"{prefixes.get(service.value, '?')}-{seq:03d}"

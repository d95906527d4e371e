"""The front desk's exceptions, mapped to HTTP by :mod:`app.errors`."""

from __future__ import annotations

from datetime import time
from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import Conflict, Forbidden, NotFound, PSTError


class DeskError(PSTError):
    """Root of the front desk's exception tree."""


class OutsideHours(DeskError, Conflict):
    """The kiosk gives walk-in numbers only during service hours (or for an appointment)."""

    message = _l(
        "The service is closed now. Outside service hours you can be served only with an "
        "appointment; please ask the receptionist or book one online."
    )


class AppointmentInvalid(DeskError):
    status = 422
    message = _l("This appointment code is not valid now.")


class AppointmentTooSoon(DeskError):
    status = 422

    def __init__(self, minutes: int) -> None:
        super().__init__(_l("Appointments must be booked at least %(n)s minutes ahead.", n=minutes))


class _Clock:
    """A time of day formatted in the user's language when the message is shown."""

    def __init__(self, moment: time) -> None:
        self.moment = moment

    def __str__(self) -> str:
        from babel.dates import format_time
        from flask_babel import get_locale

        return str(format_time(self.moment, "short", locale=get_locale() or "id"))


class AppointmentOutsideHours(DeskError):
    """An appointment time the office cannot serve (see ``book_appointment``)."""

    status = 422

    def __init__(self, hours: tuple[time, time] | None, *, day_ahead: bool = False) -> None:
        self.hours = hours  # that day's hours; None: closed
        self.day_ahead = day_ahead
        if day_ahead:
            message = _l(
                "The office is closed on that day: an appointment on a weekend or holiday "
                "must be booked at least one day ahead."
            )
        elif hours is None:
            message = _l(
                "The office is closed on that day (weekend or holiday). Choose a working day."
            )
        else:
            message = _l(
                "That time is outside service hours: on that day the office serves from "
                "%(opens)s to %(closes)s WIB.",
                opens=_Clock(hours[0]),
                closes=_Clock(hours[1]),
            )
        super().__init__(message)


class TicketNotFound(DeskError, NotFound):
    message = _l("No such queue number.")


class RecordNotFound(DeskError, NotFound):
    message = _l("No such service record.")


class VisitorNotFound(DeskError, NotFound):
    message = _l("No visitor was found with these details.")


class IllegalTransition(DeskError, Conflict):
    """A ticket asked to move to a state it cannot reach from where it is."""

    def __init__(self, number: str, current: Any, action: Any) -> None:
        super().__init__(
            _l(
                "Number %(number)s is %(current)s: it cannot be %(action)s.",
                number=number,
                current=current,
                action=action,
            )
        )


class DeskBusy(DeskError, Conflict):
    message = _l("Finish, skip or transfer the number you are serving first.")


class NotYourTicket(DeskError, Forbidden):
    message = _l("Another officer is serving this number.")


class AlreadyRated(DeskError, Conflict):
    message = _l("This service has already been rated. Thank you!")


class NotRatable(DeskError, Conflict):
    message = _l("This service cannot be rated yet.")


class CancelledService(DeskError, Conflict):
    message = _l("This service was cancelled: there is nothing to rate.")


class ConsentRequired(DeskError):
    """A receptionist signs in a visitor who has not agreed to the current privacy
    notice (a new visitor, or a returning one after a new version) without saying that
    the visitor now agrees."""

    status = 422
    message = _l(
        "The visitor has not agreed to the current privacy notice. Go through it with them "
        "and send consent: true once they agree."
    )


class InvalidScores(DeskError):
    status = 422
    message = _l("Score every element from 1 to 4.")


class CalendarDayExists(DeskError, Conflict):
    message = _l("This day already has an entry; delete it first.")


class KioskDeviceNotFound(DeskError, NotFound):
    message = _l("No such kiosk device.")


class IdentityMismatch(DeskError, Conflict):
    """A new-visitor form at the kiosk whose ID number or email belongs to an account
    whose other details differ: the kiosk neither changes that account nor signs a
    visit into it; the receptionist checks the visitor's identity card."""

    message = _l(
        "Some of these details belong to a registered visitor but the others do not "
        "match. Please find yourself with “Find me”, or ask the receptionist."
    )

    def __init__(self, user_ids: list[int] | None = None) -> None:
        super().__init__()
        self.user_ids = list(user_ids or [])


class EmailLinkInvalid(DeskError):
    status = 400
    message = _l("This confirmation link is not valid or has expired.")


class EmailTakenByOther(DeskError, Conflict):
    message = _l(
        "This address already belongs to another account, so it was not added. Sign in "
        "with it, or ask the receptionist."
    )

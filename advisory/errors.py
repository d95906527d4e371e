"""The advisory's exceptions, mapped to HTTP by :mod:`app.errors`."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import Conflict, Forbidden, NotFound, PSTError


class AdvisoryError(PSTError):
    """Root of the advisory's exception tree."""


class ConsultationNotFound(AdvisoryError, NotFound):
    message = _l("No such consultation.")


class RecommendationNotFound(AdvisoryError, NotFound):
    message = _l("No such recommendation request.")


class LetterNotFound(AdvisoryError, NotFound):
    message = _l("No such letter.")


class AttachmentNotFound(AdvisoryError, NotFound):
    message = _l("No such attachment.")


class FaqNotFound(AdvisoryError, NotFound):
    message = _l("No such question.")


class LetterNotIssued(AdvisoryError):
    """Drawing or storing a letter failed: its transaction is rolled back (the number
    too), the request is unchanged, and the same action may simply be tried again."""

    status = 422
    message = _l(
        "The letter could not be drawn or stored, so nothing was issued and the request is "
        "unchanged. Try again; if it fails again, tell the administrator."
    )


class NotAllowed(AdvisoryError, Forbidden):
    message = _l("You are not allowed to do this.")


class IllegalTransition(AdvisoryError, Conflict):
    """A request asked to move to a state it cannot reach from where it is."""

    def __init__(self, current: Any, action: Any) -> None:
        super().__init__(
            _l(
                "This request is %(current)s: it cannot be %(action)s.",
                current=current,
                action=action,
            )
        )
        self.current = current


class IncompleteForm(AdvisoryError):
    """A recommendation form submitted with required fields missing."""

    status = 422

    def __init__(self, fields: list[str]) -> None:
        super().__init__(
            _l("The form is not complete yet. Missing: %(fields)s.", fields=", ".join(fields))
        )
        self.fields = fields


class InvalidInput(AdvisoryError):
    status = 422


class AttachmentRejected(AdvisoryError):
    """An upload refused: too large, too many, or of a type we do not accept."""

    status = 422


class NotStaff(AdvisoryError, Forbidden):
    message = _l("This person is not a member of staff with the needed role.")

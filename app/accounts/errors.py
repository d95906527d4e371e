"""The accounts package's exceptions (mapped to HTTP by :mod:`app.errors`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.errors import Conflict, Forbidden, NotFound, PSTError


class AccountError(PSTError):
    """Root of the accounts exception tree."""


class EmailTaken(AccountError, Conflict):
    message = _l("An account with this email address already exists.")


class InvalidEmail(AccountError):
    """An address no account may have (the one rule of :func:`services.check_email`)."""

    status = 422
    message = _l(
        "Enter a valid email address. Addresses under reserved names such as .test, "
        ".local or .invalid cannot receive mail."
    )


class InvalidToken(AccountError):
    message = _l("This link is invalid or has expired. Please request a new one.")


class UnknownUser(AccountError, NotFound):
    message = _l("No such account.")


class LastAdmin(AccountError, Conflict):
    message = _l("The only active administrator cannot lose the administrator role.")


class UnknownToken(AccountError, NotFound):
    message = _l("No such token.")


class RevealRefused(AccountError, Forbidden):
    """Whole ID numbers are shown only to the roles that need them."""

    message = _l("Your role may not see whole ID numbers.")

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


class WrongCode(AccountError):
    status = 422
    message = _l(
        "This code is not right. Type the six digits your authenticator app shows now, "
        "or one of your recovery codes."
    )


class ReplayedCode(AccountError):
    status = 422
    message = _l(
        "This code has already been used. Wait for the next code in your authenticator app."
    )


class WrongPassword(AccountError):
    status = 422
    message = _l("The current password is incorrect.")


class TwoFactorRequired(AccountError, Conflict):
    message = _l("Two-factor sign-in is required for staff accounts and cannot be turned off.")


class NotEnrolled(AccountError, Conflict):
    message = _l("Two-factor sign-in is not turned on for this account.")


class AlreadyEnrolled(AccountError, Conflict):
    message = _l("Two-factor sign-in is already turned on for this account.")


class RevealRefused(AccountError, Forbidden):
    """Whole ID numbers are shown only to the roles that need them."""

    message = _l("Your role may not see whole ID numbers.")


class ErasureAlreadyRequested(AccountError, Conflict):
    message = _l("You have already asked for your data to be erased. An officer will handle it.")


class UnknownErasureRequest(AccountError, NotFound):
    """Not found, not pending, or another person's: the same answer for each."""

    message = _l("No such erasure request.")


class EmailUnchanged(AccountError):
    status = 422
    message = _l("This is already your email address.")

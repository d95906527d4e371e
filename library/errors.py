"""The library's exceptions, mapped to HTTP by :mod:`app.errors`."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import Conflict, Forbidden, NotFound, PSTError


class LibraryError(PSTError):
    """Root of the library's exception tree."""


class NotVerified(LibraryError, Forbidden):
    message = _l("Please confirm your email address first: downloads carry your name.")


class AccessDenied(LibraryError, Forbidden):
    """The publication's access policy does not allow this to this user."""

    message = _l("This publication cannot be downloaded.")


class NoDigitalCopy(LibraryError, NotFound):
    """A print-only catalogue record: nothing to read online or download yet."""

    message = _l(
        "This publication is in print only. Read it in the reading room, "
        "or ask us to scan the pages you need."
    )


class QuotaReached(LibraryError):
    status = 429

    def __init__(self, limit: int) -> None:
        super().__init__(
            _l(
                "You have reached today's limit of %(n)s downloads. "
                "You can download again tomorrow (from 00:00 WIB).",
                n=limit,
            )
        )
        self.limit = limit


class MasterUnavailable(LibraryError):
    """The stored master file of a publication cannot be read right now."""

    status = 503
    message = _l("The file of this publication cannot be read right now. Please try again later.")


class PageNotFound(LibraryError, NotFound):
    message = _l("This publication has no such page.")


class PageUnavailable(LibraryError):
    status = 503
    message = _l("This page cannot be shown right now.")


class RecordNotFound(LibraryError, NotFound):
    message = _l("The request or copy was not found.")


class IllegalTransition(LibraryError, Conflict):
    """A request or copy asked to move to a state it cannot reach from where it is."""

    def __init__(self, what: Any, current: str, wanted: str) -> None:
        super().__init__(
            _l(
                "This %(what)s is %(current)s; it cannot become %(wanted)s.",
                what=what,
                current=current,
                wanted=wanted,
            )
        )


class DuplicateHolding(LibraryError, Conflict):
    message = _l("Another copy already has this inventory number or barcode.")


class AlreadyRequested(LibraryError, Conflict):
    """The reader already has an open reading request for this publication."""

    message = _l("You have already asked for a copy of this publication.")

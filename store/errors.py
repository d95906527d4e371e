"""The store's exceptions, mapped to HTTP by :mod:`app.errors`."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import Conflict, Forbidden, NotFound, PSTError


class StoreError(PSTError):
    """Root of the store's exception tree."""


class ProductNotFound(StoreError, NotFound):
    message = _l("No such product.")


class OrderNotFound(StoreError, NotFound):
    """Also what a buyer gets for someone else's order: its existence is not disclosed."""

    message = _l("No such order.")


class ItemNotFound(StoreError, NotFound):
    message = _l("No such item in this order.")


class FileNotFound(StoreError, NotFound):
    message = _l("No such file.")


class NotAllowed(StoreError, Forbidden):
    message = _l("You are not allowed to do this.")


class IllegalTransition(StoreError, Conflict):
    """The order cannot go from its state to the one asked for."""

    def __init__(self, current: Any, wanted: Any) -> None:
        super().__init__(
            _l(
                "This order is %(current)s; it cannot become %(wanted)s.",
                current=current,
                wanted=wanted,
            )
        )
        self.current, self.wanted = current, wanted


class WrongState(StoreError, Conflict):
    """An action that needs the order in another state (payment before approval...)."""

    message = _l("This cannot be done at this stage of the order.")


class RequirementsMissing(StoreError, Conflict):
    message = _l("Complete the abstract of use and the data-use agreement first.")


class InvalidChoice(StoreError):
    status = 422
    message = _l("The choice is not valid for this product.")


class OutOfStock(StoreError, Conflict):
    message = _l("Not enough printed copies are left.")


class EmptyCart(StoreError, Conflict):
    message = _l("The cart is empty.")


class DownloadsExhausted(StoreError, Forbidden):
    message = _l("This package cannot be downloaded any more (limit reached or expired).")


class NotReady(StoreError, Conflict):
    message = _l("This item is not available for download yet.")


class PaymentUnavailable(StoreError):
    status = 503
    message = _l("The payment service is not available right now. Please try again later.")


class BadUpload(StoreError):
    status = 422
    message = _l("The file is not accepted: send a PDF, JPEG or PNG file.")


class BadSignature(StoreError):
    status = 400
    message = _l("The webhook signature is not valid.")


class UncuttableFile(StoreError):
    """A data file that could not be cut to an order's variables and regions: refused at
    product setup, never sold."""

    status = 422
    message = _l("This data file cannot be cut to the variables and regions of an order.")


class OwnOrder(StoreError, Forbidden):
    """A staff member tried an officer's step on an order they placed themselves."""

    message = _l("You placed this order yourself: another officer must handle it.")


class FreeInLibrary(StoreError, Conflict):
    """A paid digital product of a publication that the library gives away."""

    message = _l(
        "This publication is free to download in the library, so it is not sold as a "
        "digital product. Download it from the publication page."
    )

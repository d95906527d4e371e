"""Separation of duties: no staff member acts as the officer on an order they placed.

An officer may buy from the store like anyone else, but the steps that decide what they
get or pay — review (approve, reject, ask for a revision), the Rp0 decision, issuing the
payment details, checking and confirming the payment, the refund — must be taken by
someone else. Every such service calls :func:`ensure_not_own_order` under the order's
lock, before it changes anything, so the rule holds for the pages, the API and any
future caller alike. Keep the rule here, in this one function.

A walk-in order is the visitor's own, entered at the desk by an officer
(``Order.entered_by_id``). That officer takes the visitor's cash and issues the payment
details — the desk's ordinary work — but does not also judge what they entered: the
review and the Rp0 decision fall to another officer, as for any order.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from store.errors import OwnOrder
from store.models import Order


class Duty(enum.StrEnum):
    """The officer's steps on an order that its own buyer may not take."""

    REVIEW = "review"
    ZERO_RATE = "zero_rate"
    BILLING = "billing"
    CHECK_PROOF = "check_proof"
    CONFIRM = "confirm"
    REFUND = "refund"


MESSAGES = {
    Duty.REVIEW: _l("You placed this order yourself: another officer must review it."),
    Duty.ZERO_RATE: _l(
        "You placed this order yourself: another officer must decide on its Rp0 claim."
    ),
    Duty.BILLING: _l(
        "You placed this order yourself: another officer must issue its payment details."
    ),
    Duty.CHECK_PROOF: _l(
        "You placed this order yourself: another officer must check its proof of payment."
    ),
    Duty.CONFIRM: _l("You placed this order yourself: another officer must confirm its payment."),
    Duty.REFUND: _l("You placed this order yourself: another officer must refund it."),
}

ENTERED_MESSAGES = {
    Duty.REVIEW: _l("You entered this order at the desk: another officer must review it."),
    Duty.ZERO_RATE: _l(
        "You entered this order at the desk: another officer must decide on its Rp0 claim."
    ),
}


def ensure_not_own_order(order: Order, actor_id: int | None, action: Duty) -> None:
    """Refuse (:class:`OwnOrder`, 403) when ``actor_id`` is the order's buyer, or, for
    the review and the Rp0 decision, the officer who entered it at the desk.

    ``actor_id`` None is the system itself (a provider's webhook), which has no order
    of its own."""
    if actor_id is None:
        return
    if order.user_id == actor_id:
        raise OwnOrder(MESSAGES[action])
    if action in ENTERED_MESSAGES and order.entered_by_id == actor_id:
        raise OwnOrder(ENTERED_MESSAGES[action])

"""Mails to buyers when their order changes state, and when the details to pay by are
issued: in their language, after commit.

``orders.move`` is the one way an order changes state, so it is the one place that
calls :func:`status_changed`; what each state means for the buyer is said here. The
manual provider calls :func:`payment_details` when a SIMPONI billing code or transfer
details are issued (by an officer, or at once from ``STORE_BANK_DETAILS``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.mail import current_mailer, mail_to, send_after_commit
from app.urls import external_url
from store.models import Order, Payment
from store.models import OrderStatus as S

#: What a state means for the buyer; states not here are not mailed (the cart, and
#: the buyer's own step from the cart to the requirements).
NEWS = {
    S.UNDER_REVIEW: _l("We have received your documents and are checking them."),
    S.AWAITING_PAYMENT: _l("Your order is ready to be paid. The order page shows how."),
    S.PAID: _l("We have received your payment and are preparing your order."),
    S.FULFILLED: _l("Your order is ready: download it from the order page."),
    S.REJECTED: _l("We could not approve your order."),
    S.CANCELLED: _l("Your order has been cancelled."),
    S.REFUNDED: _l("Your payment has been refunded."),
    S.EXPIRED: _l("The time to pay has passed, so the order has expired."),
}
REVISION = _l("Please revise your abstract or agreement as the officer asks below.")


def status_changed(
    session: Session,
    order: Order,
    before: S,
    after: S,
    label: Any,
    note: str | None,
    *,
    bank_details: str = "",
) -> None:
    """Mail the buyer of ``order`` about its move from ``before`` to ``after``;
    ``bank_details`` are the configured transfer details (``Settings.bank_details``)."""
    news = NEWS.get(after)
    if after == S.REQUIREMENTS and before == S.UNDER_REVIEW:
        news = REVISION
    user = order.user
    if news is None or user is None or not user.email or not user.active:
        return
    mail = mail_to(
        user,
        _l("Order %(code)s: %(status)s", code=order.code, status=label),
        "store/mail/order_status.txt",
        order=order,
        status=label,
        news=news,
        note=note,
        due=order.payment_due_at if after == S.AWAITING_PAYMENT else None,
        # Configured transfer details are offered with the approval, without waiting
        # for an officer (the order page offers them too).
        bank_details=(
            bank_details.strip() if after == S.AWAITING_PAYMENT and order.total > 0 else ""
        ),
        link=external_url("store.order", code=order.code),
    )
    send_after_commit(session, current_mailer(), mail)


def payment_details(session: Session, order: Order, payment: Payment) -> None:
    """Mail the buyer the SIMPONI billing code or the transfer details just issued."""
    user = order.user
    if user is None or not user.email or not user.active:
        return
    mail = mail_to(
        user,
        _l("Order %(code)s: how to pay", code=order.code),
        "store/mail/payment_details.txt",
        order=order,
        payment=payment,
        link=external_url("store.order", code=order.code),
    )
    send_after_commit(session, current_mailer(), mail)

"""Payments behind a provider interface.

A provider starts a payment for an order awaiting payment and refunds one; confirmation
arrives from an officer (manual) or from the provider's webhook (Stripe). Both end in
:func:`store.fulfilment.mark_paid` under the order's lock. The embedded default is the
manual provider (SIMPONI billing code or bank transfer, proof, officer's confirmation);
Stripe Checkout is offered when ``STORE_STRIPE_SECRET_KEY`` is configured.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from store.models import Order, Payment


@dataclass(frozen=True)
class Started:
    """What the buyer does next: follow ``redirect_url``, or wait for instructions."""

    payment: Payment
    redirect_url: str | None = None


class Provider(Protocol):
    name: str

    def start(
        self,
        session: Session,
        order: Order,
        *,
        method: str | None,
        now: datetime,
        urls: dict[str, str],
    ) -> Started: ...

    def refund(self, payment: Payment) -> None: ...

"""Stripe's webhook: verified, processed once per event id, robust to order.

The signature is checked with Stripe's own code and a 300 s tolerance (a replay of an old
delivery fails it). The event's id is inserted into ``store_webhook_events`` in the same
transaction as its effect: a second delivery of the same id (even concurrent: the
primary key makes it wait for the first and then fail) changes nothing, and an event
whose processing failed is not recorded, so Stripe's retry processes it. Effects read
the current state from Stripe rather than the payload.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.uow import unit_of_work
from storage import BlobStore
from store.errors import BadSignature
from store.models import Order, Payment, WebhookEvent
from store.orders import Settings
from store.payments.stripe_provider import StripeGateway, refund_order, sync_session

if TYPE_CHECKING:
    import stripe

log = logging.getLogger(__name__)

TOLERANCE_S = 300
SESSION_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)
REFUND_EVENTS = frozenset({"charge.refunded", "charge.refund.updated", "refund.created"})


def verify(payload: bytes, signature: str | None, secret: str) -> stripe.Event:
    import stripe  # here: a third of a second, paid by the first delivery, not at start-up

    try:
        event: stripe.Event = stripe.Webhook.construct_event(
            payload, signature, secret, tolerance=TOLERANCE_S
        )
        return event
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise BadSignature() from exc


def handle(
    session: Session,
    gateway: StripeGateway,
    payload: bytes,
    signature: str | None,
    *,
    secret: str,
    now: datetime,
    settings: Settings,
    store: BlobStore | None = None,
) -> str:
    """Verify and process one delivery; returns what happened (for the log and tests)."""
    event = verify(payload, signature, secret)
    try:
        # The event row and its effect share one transaction: a second delivery of the
        # same id fails on the primary key (at once, or at commit when concurrent).
        with unit_of_work(session):
            row = WebhookEvent(id=event.id, provider="stripe", type=event.type, received_at=now)
            session.add(row)
            session.flush()
            obj: dict[str, Any] = event.to_dict()["data"]["object"]
            result = "ignored"
            if event.type in SESSION_EVENTS:
                result = _session_event(
                    session, gateway, obj.get("id"), now=now, settings=settings, store=store
                )
            elif event.type in REFUND_EVENTS:
                result = _refund_event(
                    session, gateway, obj, now=now, settings=settings, store=store
                )
            row.result = result[:200]
    except IntegrityError:
        return "duplicate"
    return result


def _session_event(
    session: Session,
    gateway: StripeGateway,
    session_id: str | None,
    *,
    now: datetime,
    settings: Settings,
    store: BlobStore | None,
) -> str:
    if not session_id:
        return "no session"
    return sync_session(session, gateway, session_id, now=now, settings=settings, store=store)


def _refund_event(
    session: Session,
    gateway: StripeGateway,
    obj: dict[str, Any],
    *,
    now: datetime,
    settings: Settings,
    store: BlobStore | None,
) -> str:
    charge_id = obj.get("charge") if obj.get("object") == "refund" else obj.get("id")
    if not charge_id:
        return "no charge"
    charge = gateway.retrieve_charge(charge_id)
    intent = charge.get("payment_intent")
    if not intent:
        return "no payment intent"
    payment = session.scalar(select(Payment).where(Payment.external_ref == intent))
    if payment is None:
        # The refund came before the completion: learn the session from Stripe, sync it.
        checkout = gateway.session_for_payment_intent(intent)
        if checkout is None:
            return "unknown payment"
        sync_session(session, gateway, checkout["id"], now=now, settings=settings, store=store)
        payment = session.scalar(select(Payment).where(Payment.external_ref == intent))
        if payment is None:
            return "unknown payment"
    if not (charge.get("refunded") or int(charge.get("amount_refunded") or 0) > 0):
        return "not refunded"
    order = session.get(Order, payment.order_id)
    assert order is not None
    done = refund_order(session, order, actor_id=None, now=now, note=f"stripe {charge_id}")
    return "refunded" if done else "already refunded"

"""Stripe Checkout: one Checkout Session per payment attempt of an order.

The gateway wraps ``stripe.StripeClient``; ``api_base`` points it elsewhere (the tests'
local stand-in that speaks Stripe's wire format). The state of a session is always read
from Stripe (:func:`sync_session`), never trusted from an event's payload, so events may
arrive late, twice or out of order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.uow import transactional, unit_of_work
from storage import BlobStore
from store.duties import Duty, ensure_not_own_order
from store.errors import PaymentUnavailable, WrongState
from store.fulfilment import mark_paid, revoke
from store.models import Order, OrderStatus, Payment, PaymentStatus
from store.orders import Settings, lock_order, log_event, move
from store.payments import Started


class StripeGateway:
    """The few Stripe calls the store makes."""

    def __init__(self, secret_key: str, *, api_base: str | None = None) -> None:
        # Imported here: stripe (with requests) costs a third of a second, and the app
        # is built by every ``pst`` command and worker that never takes a payment.
        import stripe

        options: dict[str, Any] = {"max_network_retries": 1}
        if api_base:
            options["base_addresses"] = {"api": api_base.rstrip("/")}
        self.client = stripe.StripeClient(secret_key, **options)

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Call Stripe; the answer as a plain dict (Stripe's objects are not dicts)."""
        import stripe

        try:
            result = fn(*args, **kwargs)
        except stripe.StripeError as exc:
            raise PaymentUnavailable() from exc
        plain: dict[str, Any] = result.to_dict() if hasattr(result, "to_dict") else dict(result)
        return plain

    def create_session(self, params: dict[str, Any], idempotency_key: str) -> Any:
        return self._call(
            self.client.v1.checkout.sessions.create,
            params=params,
            options={"idempotency_key": idempotency_key},
        )

    def retrieve_session(self, session_id: str) -> Any:
        return self._call(self.client.v1.checkout.sessions.retrieve, session_id)

    def session_for_payment_intent(self, payment_intent: str) -> Any | None:
        found = self._call(
            self.client.v1.checkout.sessions.list, params={"payment_intent": payment_intent}
        )
        data = found.get("data") or []
        return data[0] if data else None

    def retrieve_charge(self, charge_id: str) -> Any:
        return self._call(self.client.v1.charges.retrieve, charge_id)

    def refund(self, payment_intent: str, idempotency_key: str) -> Any:
        return self._call(
            self.client.v1.refunds.create,
            params={"payment_intent": payment_intent},
            options={"idempotency_key": idempotency_key},
        )


class StripeProvider:
    name = "stripe"

    def __init__(self, gateway: StripeGateway) -> None:
        self.gateway = gateway

    def start(
        self,
        session: Session,
        order: Order,
        *,
        method: str | None,
        now: datetime,
        urls: dict[str, str],
    ) -> Started:
        """A Checkout Session for the order's total (IDR has no minor unit in Stripe's
        sense of display, but Stripe counts IDR in cents: amount × 100)."""
        with unit_of_work(session):
            return self._start(session, order, now=now, urls=urls)

    def _start(
        self, session: Session, order: Order, *, now: datetime, urls: dict[str, str]
    ) -> Started:
        order = lock_order(session, order.id)
        if order.status != OrderStatus.AWAITING_PAYMENT:
            raise WrongState(_l("This order cannot be paid now."))
        attempt = sum(1 for p in order.payments if p.provider == "stripe") + 1
        expires = now + timedelta(hours=23)
        if order.payment_due_at is not None:
            expires = max(now + timedelta(minutes=31), min(expires, order.payment_due_at))
        params = {
            "mode": "payment",
            "client_reference_id": order.code,
            "customer_email": order.user.email,
            "metadata": {"order_code": order.code},
            "payment_intent_data": {"metadata": {"order_code": order.code}},
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "idr",
                        "unit_amount": order.total * 100,
                        "product_data": {"name": f"Pesanan {order.code}"},
                    },
                }
            ],
            "success_url": urls["success"] + "?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": urls["cancel"],
            "expires_at": int(expires.timestamp()),
        }
        checkout = self.gateway.create_session(params, f"{order.code}-{attempt}")
        payment = Payment(
            order_id=order.id,
            provider="stripe",
            method="card",
            amount=order.total,
            status=PaymentStatus.ISSUED,
            external_id=checkout["id"],
            checkout_url=checkout["url"],
            created_at=now,
        )
        session.add(payment)
        session.flush()
        log_event(
            session, order, "checkout_opened", actor_id=order.user_id, now=now, note=checkout["id"]
        )
        return Started(payment, checkout["url"])

    def refund(self, payment: Payment) -> None:
        if payment.external_ref:
            self.gateway.refund(payment.external_ref, f"refund-{payment.id}")


@transactional
def sync_session(
    session: Session,
    gateway: StripeGateway,
    session_id: str,
    *,
    now: datetime,
    settings: Settings,
    store: BlobStore | None = None,
) -> str:
    """Bring our payment in line with the Checkout Session's current state at Stripe."""
    checkout = gateway.retrieve_session(session_id)
    payment = session.scalar(select(Payment).where(Payment.external_id == checkout["id"]))
    if payment is None:
        return "unknown session"
    order = lock_order(session, payment.order_id)
    payment = session.get(Payment, payment.id)
    assert payment is not None
    intent = checkout.get("payment_intent")
    if isinstance(intent, dict):
        intent = intent.get("id")
    if checkout.get("status") == "complete" and checkout.get("payment_status") == "paid":
        payment.external_ref = intent or payment.external_ref
        if payment.status == PaymentStatus.CONFIRMED or order.status not in (
            OrderStatus.AWAITING_PAYMENT,
            OrderStatus.EXPIRED,
        ):
            return "already"
        mark_paid(session, order, payment, actor_id=None, now=now, settings=settings, store=store)
        return "paid"
    if checkout.get("status") == "expired" and payment.status == PaymentStatus.ISSUED:
        payment.status = PaymentStatus.FAILED
        log_event(session, order, "checkout_expired", actor_id=None, now=now, note=checkout["id"])
        return "expired"
    return "open"


@transactional
def refund_order(
    session: Session,
    order: Order,
    *,
    actor_id: int | None,
    now: datetime,
    note: str | None = None,
    provider: Any = None,
    ip: str | None = None,
) -> bool:
    """Refund a paid order: the provider returns the money (``provider.refund``; skipped
    when the refund came from the provider), the payment and order become refunded, and
    download rights and packages are revoked. False when it was refunded already."""
    order = lock_order(session, order.id)
    ensure_not_own_order(order, actor_id, Duty.REFUND)
    if order.status == OrderStatus.REFUNDED:
        return False  # refunded already (a repeated event or a second officer)
    if order.status not in (OrderStatus.PAID, OrderStatus.FULFILLED):
        raise WrongState(_l("Only paid orders can be refunded."))
    payment = next((p for p in order.payments if p.status == PaymentStatus.CONFIRMED), None)
    if payment is not None and provider is not None:
        provider.refund(payment)
    if payment is not None:
        payment.status = PaymentStatus.REFUNDED
        payment.refunded_at = now
    order.refunded_at = now
    move(
        session,
        order,
        OrderStatus.REFUNDED,
        actor_id=actor_id,
        now=now,
        action="refunded",
        note=note,
        ip=ip,
    )
    revoke(session, order, now=now)
    if actor_id is not None:
        audit.record(
            session,
            "store.order_refunded",
            actor_id=actor_id,
            subject_type="store_order",
            subject_id=order.code,
            detail={"note": note} if note else None,
        )
    return True

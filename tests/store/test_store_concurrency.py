"""Reliability on PostgreSQL: 20 concurrent confirmations, or 20 concurrent webhook
deliveries, for one payment give exactly one fulfilment."""

from __future__ import annotations

import json
import threading
import time

import pytest
import stripe
from storekit import BILLING_CODE, NTPN, SETTINGS, WEBHOOK_SECRET

from app.db import utcnow
from app.events import service_given
from library.models import Entitlement
from store.models import Order, OrderEvent, OrderStatus, WebhookEvent
from store.payments import manual
from store.payments.stripe_provider import StripeGateway, StripeProvider
from store.payments.webhooks import handle

pytestmark = pytest.mark.postgres
N = 20


@pytest.fixture(autouse=True)
def _postgres_only(database_url):
    if not database_url.startswith("postgres"):
        pytest.skip("needs PostgreSQL (PST_TEST_DATABASE_URL)")


def _run(app, work):
    """Run ``work(session)`` in N threads, each with its own session, released together."""
    from sqlalchemy.orm import Session

    from app.extensions import db

    barrier = threading.Barrier(N)
    results: list[object] = []
    errors: list[BaseException] = []

    def worker() -> None:
        with app.app_context(), Session(db.engine) as session:
            barrier.wait()
            try:
                results.append(work(session))
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def _count_services(app):
    seen: list[object] = []

    def receiver(sender, **kwargs):
        seen.append(kwargs["event"])

    service_given.connect(receiver)
    return seen, receiver


def test_twenty_confirmations_fulfil_once(app, session, officer, approved_order):
    order = approved_order
    payment = manual.ManualProvider().start(session, order, method="simponi", now=utcnow()).payment
    manual.issue_billing(
        session,
        order,
        payment.id,
        billing_code=BILLING_CODE,
        instructions="",
        actor_id=officer.id,
        now=utcnow(),
    )
    order_id, payment_id, officer_id = order.id, payment.id, officer.id
    seen, receiver = _count_services(app)
    try:

        def confirm(s):
            o = s.get(Order, order_id)
            return manual.confirm(
                s,
                o,
                payment_id,
                reference=NTPN,
                actor_id=officer_id,
                now=utcnow(),
                settings=SETTINGS,
            )

        results, errors = _run(app, confirm)
    finally:
        service_given.disconnect(receiver)
    assert not errors, errors
    assert sorted(results) == [False] * (N - 1) + [True]
    session.expire_all()
    assert session.get(Order, order_id).status == OrderStatus.FULFILLED
    assert session.query(OrderEvent).filter_by(order_id=order_id, to_status="paid").count() == 1
    assert (
        session.query(OrderEvent).filter_by(order_id=order_id, to_status="fulfilled").count() == 1
    )
    assert len(seen) == 1


@pytest.fixture
def config_overrides(stripe_config):
    return stripe_config


def _payload(event_id, session_id):
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "checkout.session.completed",
            "created": int(time.time()),
            "data": {"object": {"id": session_id}},
        }
    )


@pytest.mark.parametrize("same_event", [True, False], ids=["replays", "distinct-events"])
def test_twenty_webhooks_fulfil_once(
    app, session, buyer, approved_order, stripe_standin, same_event
):
    gateway = StripeGateway("sk_test", api_base=stripe_standin.base)
    StripeProvider(gateway).start(
        session,
        approved_order,
        method=None,
        now=utcnow(),
        urls={"success": "http://x/s", "cancel": "http://x/c"},
    )
    sid = next(iter(stripe_standin.sessions))
    stripe_standin.complete(sid)
    order_id = approved_order.id
    seen, receiver = _count_services(app)
    counter = iter(range(1000))
    lock = threading.Lock()

    def deliver(s):
        with lock:
            n = next(counter)
        payload = _payload("evt_same" if same_event else f"evt_{n}", sid)
        header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
        return handle(
            s,
            gateway,
            payload.encode(),
            header,
            secret=WEBHOOK_SECRET,
            now=utcnow(),
            settings=SETTINGS,
        )

    try:
        results, errors = _run(app, deliver)
    finally:
        service_given.disconnect(receiver)
    assert not errors, errors
    assert results.count("paid") == 1
    assert set(results) <= {"paid", "duplicate", "already"}
    session.expire_all()
    order = session.get(Order, order_id)
    assert order.status == OrderStatus.FULFILLED
    assert session.query(OrderEvent).filter_by(order_id=order_id, to_status="paid").count() == 1
    assert len(seen) == 1
    assert session.query(WebhookEvent).count() == (1 if same_event else N)
    assert session.query(Entitlement).count() == 0  # microdata: a package, not a right

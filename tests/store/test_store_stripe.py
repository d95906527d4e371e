"""Stripe Checkout against a local stand-in of Stripe's API, and the webhook with payloads
signed by the stripe library's own signing code: verified, once per event id, robust to
order, refunds revoke access; replayed or tampered deliveries change nothing."""

from __future__ import annotations

import json
import time

import pytest
import stripe
from storekit import WEBHOOK_SECRET

from app.accounts import services as accounts
from store.models import OrderStatus, PaymentStatus, WebhookEvent

S = OrderStatus
WEBHOOK = "/api/v1/store/stripe/webhook"


@pytest.fixture
def config_overrides(stripe_config):
    return stripe_config


def _token(session, person):
    return {"Authorization": f"Bearer {accounts.create_api_token(session, person, 't')[1]}"}


def start_checkout(client, session, buyer, order):
    response = client.post(
        f"/api/v1/store/orders/{order.code}/payments",
        json={"provider": "stripe"},
        headers=_token(session, buyer),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def event_payload(event_id: str, kind: str, obj: dict) -> str:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": kind,
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "data": {"object": obj},
        }
    )


def deliver(client, payload: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return client.post(
        WEBHOOK,
        data=payload,
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )


def completed(event_id, session_id):
    return event_payload(
        event_id,
        "checkout.session.completed",
        {"id": session_id, "object": "checkout.session", "status": "complete"},
    )


def test_checkout_session_is_created_at_stripe(
    client, session, buyer, approved_order, stripe_standin
):
    body = start_checkout(client, session, buyer, approved_order)
    assert body["provider"] == "stripe" and body["status"] == "issued"
    assert body["checkout_url"].startswith("https://checkout.stripe.test/pay/")
    created = next(iter(stripe_standin.sessions.values()))
    assert created["client_reference_id"] == approved_order.code
    assert created["amount_total"] == approved_order.total * 100 and created["currency"] == "idr"


def test_webhook_pays_once_and_replays_change_nothing(
    client, session, buyer, approved_order, stripe_standin
):
    start_checkout(client, session, buyer, approved_order)
    sid = next(iter(stripe_standin.sessions))
    # An event that says "complete" while Stripe says "open" pays nothing: state is read.
    response = deliver(client, completed("evt_early", sid))
    assert response.status_code == 200 and response.get_json()["result"] == "open"
    session.expire_all()
    assert approved_order.status == S.AWAITING_PAYMENT
    stripe_standin.complete(sid)
    payload = completed("evt_1", sid)
    response = deliver(client, payload)
    assert response.get_json()["result"] == "paid"
    session.expire_all()
    assert approved_order.status == S.FULFILLED
    events = len(approved_order.events)
    # The same delivery again, and a different event about the same session.
    assert deliver(client, payload).get_json()["result"] == "duplicate"
    assert deliver(client, completed("evt_2", sid)).get_json()["result"] == "already"
    session.expire_all()
    assert len(approved_order.events) == events
    assert session.query(WebhookEvent).count() == 3


def test_bad_signatures_change_nothing(client, session, buyer, approved_order, stripe_standin):
    start_checkout(client, session, buyer, approved_order)
    sid = next(iter(stripe_standin.sessions))
    stripe_standin.complete(sid)
    payload = completed("evt_x", sid)
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
    tampered = payload.replace("evt_x", "evt_y")
    for body, sig in (
        (tampered, header),  # the body was changed after signing
        (payload, "t=1,v1=deadbeef"),  # a made-up signature
        (payload, ""),
    ):
        response = client.post(WEBHOOK, data=body, headers={"Stripe-Signature": sig})
        assert response.status_code == 400
        assert response.mimetype == "application/problem+json"
    # Signed with another secret, or replayed after the 300 s tolerance.
    assert deliver(client, payload, secret="whsec_other").status_code == 400
    assert deliver(client, payload, timestamp=int(time.time()) - 301).status_code == 400
    session.expire_all()
    assert approved_order.status == S.AWAITING_PAYMENT
    assert session.query(WebhookEvent).count() == 0
    assert deliver(client, payload, timestamp=int(time.time()) - 200).status_code == 200


def test_refund_at_stripe_revokes_access(client, session, buyer, approved_order, stripe_standin):
    start_checkout(client, session, buyer, approved_order)
    sid = next(iter(stripe_standin.sessions))
    stripe_standin.complete(sid)
    assert deliver(client, completed("evt_paid", sid)).get_json()["result"] == "paid"
    charge = stripe_standin.refund_at_stripe(sid)
    payload = event_payload(
        "evt_refund", "charge.refunded", {"id": charge["id"], "object": "charge"}
    )
    assert deliver(client, payload).get_json()["result"] == "refunded"
    session.expire_all()
    assert approved_order.status == S.REFUNDED
    assert approved_order.payments[0].status == PaymentStatus.REFUNDED
    headers = _token(session, buyer)
    item = approved_order.items[0]
    response = client.get(
        f"/api/v1/store/orders/{approved_order.code}/items/{item.id}/download", headers=headers
    )
    assert response.status_code == 409


def test_refund_before_completion_out_of_order(
    client, session, buyer, approved_order, stripe_standin
):
    start_checkout(client, session, buyer, approved_order)
    sid = next(iter(stripe_standin.sessions))
    stripe_standin.complete(sid)
    charge = stripe_standin.refund_at_stripe(sid)
    # The refund event arrives first; the completion event afterwards.
    refund = event_payload("evt_r", "charge.refunded", {"id": charge["id"], "object": "charge"})
    assert deliver(client, refund).get_json()["result"] == "refunded"
    assert deliver(client, completed("evt_c", sid)).get_json()["result"] == "already"
    session.expire_all()
    assert approved_order.status == S.REFUNDED


def test_officer_refund_calls_stripe(
    client, session, buyer, officer, approved_order, stripe_standin
):
    from helpers import submit
    from storekit import login

    start_checkout(client, session, buyer, approved_order)
    sid = next(iter(stripe_standin.sessions))
    stripe_standin.complete(sid)
    deliver(client, completed("evt_ok", sid))
    login(client, officer)
    page = f"/staff/store/orders/{approved_order.code}"
    response = submit(client, f"{page}/refund", {"note": "Permintaan pembeli"}, page=page)
    assert response.status_code == 302
    assert stripe_standin.refunds and stripe_standin.refunds[0]["payment_intent"].startswith("pi_")
    session.expire_all()
    assert approved_order.status == S.REFUNDED


def test_expired_session_and_return_page(client, session, buyer, approved_order, stripe_standin):
    from storekit import login

    start_checkout(client, session, buyer, approved_order)
    sid = next(iter(stripe_standin.sessions))
    stripe_standin.expire(sid)
    payload = event_payload("evt_e", "checkout.session.expired", {"id": sid})
    assert deliver(client, payload).get_json()["result"] == "expired"
    session.expire_all()
    assert approved_order.payments[0].status == PaymentStatus.FAILED
    # A second attempt, paid; the buyer comes back before the webhook.
    start_checkout(client, session, buyer, approved_order)
    second = sorted(stripe_standin.sessions)[-1]
    stripe_standin.complete(second)
    login(client, buyer)
    response = client.get(f"/store/orders/{approved_order.code}/stripe/return?session_id={second}")
    assert response.status_code == 302
    session.expire_all()
    assert approved_order.status == S.FULFILLED


def test_webhook_is_off_without_configuration(client, app):
    app.config["STORE_STRIPE_WEBHOOK_SECRET"] = None
    assert client.post(WEBHOOK, data="{}").status_code == 404

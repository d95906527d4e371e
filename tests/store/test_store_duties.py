"""Separation of duties: a staff member who buys from the store cannot review, grant Rp0,
issue the billing of, check or confirm the payment of, or refund their own order — not
on the staff pages, not over the API, not by calling the services — and nothing changes
when they try. Another officer can."""

from __future__ import annotations

import io

import pytest
from helpers import submit
from storekit import (
    BILLING_CODE,
    NTPN,
    PDF_SCAN,
    SETTINGS,
    complete_requirements,
    gated_order,
    login,
    person,
)

from app.accounts import services as accounts
from app.accounts.models import Role
from app.audit import AuditEvent
from app.blobs import current_store
from app.db import utcnow
from store import orders
from store.duties import Duty, ensure_not_own_order
from store.errors import NotReady, OwnOrder
from store.fulfilment import take_package
from store.models import Order, OrderEvent, OrderStatus, PaymentStatus, ZeroRate
from store.payments import manual
from store.payments.stripe_provider import refund_order

S = OrderStatus
REFUSED = "Anda sendiri yang memesan ini"
#: What each refusal says (the page's own-order notice says something longer).
SAYS = {
    "review": "petugas lain yang harus memeriksanya.",
    "billing": "petugas lain yang harus menerbitkan rincian pembayarannya.",
    "confirm": "petugas lain yang harus mengonfirmasi pembayarannya.",
    "refuse": "petugas lain yang harus memeriksa bukti pembayarannya.",
    "refund": "petugas lain yang harus mengembalikan dananya.",
}


@pytest.fixture
def staff_buyer(session):
    """An officer who orders microdata for their own thesis."""
    return person(session, role=Role.OFFICER, full_name="Petugas Yang Memesan")


@pytest.fixture
def colleague(session):
    return person(session, role=Role.OFFICER, full_name="Petugas Lain")


@pytest.fixture
def own_order(session, staff_buyer, susenas):
    """The officer's own microdata order, claiming Rp0, under review."""
    order = orders.create_order(
        session,
        staff_buyer,
        [{"product_id": susenas.id, "variables": ["R102", "R301", "EXPEND"], "regions": ["1771"]}],
        settings=SETTINGS,
        zero_rate_basis="education",
        zero_rate_note="Tesis S2",
        now=utcnow(),
    )
    complete_requirements(session, order, staff_buyer)
    assert order.status == S.UNDER_REVIEW and order.zero_rate == ZeroRate.CLAIMED
    return order


def _snapshot(session, order):
    session.expire_all()
    fresh = session.get(Order, order.id)
    return (
        fresh.status,
        fresh.zero_rate,
        fresh.total,
        [(p.status, p.billing_code, p.reference) for p in fresh.payments],
        session.query(OrderEvent).filter_by(order_id=order.id).count(),
        session.query(AuditEvent).count(),
    )


def _auth(session, who):
    return {"Authorization": f"Bearer {accounts.create_api_token(session, who, 'api')[1]}"}


def _refused_on_page(client, session, order, path, data):
    staff = f"/staff/store/orders/{order.code}"
    before = _snapshot(session, order)
    response = submit(client, f"{staff}/{path}", data, page=staff)
    assert response.status_code == 302, path
    html = client.get(staff).get_data(as_text=True)
    assert SAYS[path.rsplit("/", 1)[-1]] in html, path
    assert _snapshot(session, order) == before, path


def _refused_over_api(client, session, order, path, body, headers):
    before = _snapshot(session, order)
    response = client.post(f"/api/v1/store/orders/{order.code}/{path}", json=body, headers=headers)
    assert response.status_code == 403, (path, response.get_json())
    assert response.get_json()["detail"].endswith(SAYS[path.rsplit("/", 1)[-1]])
    assert _snapshot(session, order) == before, path


def test_an_officer_cannot_approve_their_own_order_nor_grant_themselves_rp0(
    client, session, staff_buyer, colleague, own_order
):
    order = own_order
    login(client, staff_buyer)
    html = client.get(f"/staff/store/orders/{order.code}").get_data(as_text=True)
    assert 'id="own-order"' in html and 'id="review-form"' not in html
    for data in (
        {"decision": "approve", "grant_zero_rate": "yes"},
        {"decision": "approve", "grant_zero_rate": "no"},
        {"decision": "reject", "reason": "Tidak sesuai."},
        {"decision": "revise", "reason": "Lengkapi."},
    ):
        _refused_on_page(client, session, order, "review", data)
    headers = _auth(session, staff_buyer)
    for body in (
        {"decision": "approve", "grant_zero_rate": True},
        {"decision": "reject", "reason": "Tidak sesuai."},
        {"decision": "revise", "reason": "Lengkapi."},
    ):
        _refused_over_api(client, session, order, "review", body, headers)
    # Nothing to download: the order was never approved nor paid.
    with pytest.raises(NotReady):
        take_package(session, order, order.items[0].id, now=utcnow())
    session.rollback()
    # Another officer decides.
    orders.review(
        session,
        order,
        "approve",
        actor=colleague,
        settings=SETTINGS,
        grant_zero_rate=False,
        now=utcnow(),
    )
    assert order.status == S.AWAITING_PAYMENT and order.zero_rate == ZeroRate.REFUSED


@pytest.fixture
def own_order_awaiting_payment(session, colleague, own_order):
    orders.review(
        session,
        own_order,
        "approve",
        actor=colleague,
        settings=SETTINGS,
        grant_zero_rate=False,
        now=utcnow(),
    )
    manual.ManualProvider().start(session, own_order, method="simponi", now=utcnow())
    return own_order


def test_an_officer_cannot_issue_the_billing_of_their_own_order(
    client, session, staff_buyer, colleague, own_order_awaiting_payment
):
    order = own_order_awaiting_payment
    payment = order.payments[0]
    login(client, staff_buyer)
    _refused_on_page(
        client,
        session,
        order,
        f"payments/{payment.id}/billing",
        {f"p{payment.id}-billing_code": BILLING_CODE, f"p{payment.id}-instructions": "x"},
    )
    _refused_over_api(
        client,
        session,
        order,
        f"payments/{payment.id}/billing",
        {"billing_code": BILLING_CODE},
        _auth(session, staff_buyer),
    )
    manual.issue_billing(
        session,
        order,
        payment.id,
        billing_code=BILLING_CODE,
        instructions="",
        actor_id=colleague.id,
        now=utcnow(),
    )
    assert payment.status == PaymentStatus.ISSUED


def test_an_officer_cannot_check_or_confirm_the_payment_of_their_own_order(
    client, session, staff_buyer, colleague, own_order_awaiting_payment
):
    order = own_order_awaiting_payment
    payment = order.payments[0]
    manual.issue_billing(
        session,
        order,
        payment.id,
        billing_code=BILLING_CODE,
        instructions="",
        actor_id=colleague.id,
        now=utcnow(),
    )
    manual.upload_proof(
        session,
        current_store(),
        order,
        payment.id,
        io.BytesIO(PDF_SCAN),
        actor_id=staff_buyer.id,
        max_bytes=10**6,
        now=utcnow(),
    )
    login(client, staff_buyer)
    _refused_on_page(
        client, session, order, f"payments/{payment.id}/confirm", {f"c{payment.id}-reference": NTPN}
    )
    _refused_on_page(client, session, order, f"payments/{payment.id}/refuse", {"note": "Buram."})
    _refused_over_api(
        client,
        session,
        order,
        f"payments/{payment.id}/confirm",
        {"reference": NTPN},
        _auth(session, staff_buyer),
    )
    assert manual.confirm(
        session,
        order,
        payment.id,
        reference=NTPN,
        actor_id=colleague.id,
        now=utcnow(),
        settings=SETTINGS,
    )
    assert order.status == S.FULFILLED


def test_an_officer_cannot_refund_their_own_order(
    client, session, staff_buyer, colleague, own_order_awaiting_payment
):
    order = own_order_awaiting_payment
    payment = order.payments[0]
    manual.issue_billing(
        session,
        order,
        payment.id,
        billing_code=BILLING_CODE,
        instructions="",
        actor_id=colleague.id,
        now=utcnow(),
    )
    manual.confirm(
        session,
        order,
        payment.id,
        reference=NTPN,
        actor_id=colleague.id,
        now=utcnow(),
        settings=SETTINGS,
    )
    login(client, staff_buyer)
    _refused_on_page(client, session, order, "refund", {"note": "Salah pesan."})
    with pytest.raises(OwnOrder):
        refund_order(session, order, actor_id=staff_buyer.id, now=utcnow(), note="x")
    session.rollback()
    assert refund_order(session, order, actor_id=colleague.id, now=utcnow(), note="Salah pesan.")


@pytest.mark.parametrize("duty", list(Duty))
def test_one_rule_for_every_duty(session, buyer, officer, susenas, duty):
    order = gated_order(session, buyer, susenas)
    with pytest.raises(OwnOrder) as refused:
        ensure_not_own_order(order, buyer.id, duty)
    assert refused.value.status == 403 and str(refused.value.message).startswith(
        "Anda sendiri yang memesan ini"
    )
    ensure_not_own_order(order, officer.id, duty)  # someone else: fine
    ensure_not_own_order(order, None, duty)  # the system (a provider's webhook): fine

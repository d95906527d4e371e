"""Buyers get a mail, in their language, whenever their order changes state."""

from __future__ import annotations

import email

from storekit import SETTINGS, complete_requirements, gated_order, pay_manually

from app.db import utcnow
from store import orders


def _mails(outbox, to):
    found = [email.message_from_bytes(p.read_bytes()) for p in outbox.messages()]
    return [m for m in found if m["To"] == to]


def _text(message) -> str:
    part = message.get_body(("plain",)) if hasattr(message, "get_body") else message
    payload = (part or message).get_payload(decode=True)
    return payload.decode() if payload else message.as_string()


def test_each_state_change_mails_the_buyer(session, outbox, buyer, officer, susenas):
    order = gated_order(session, buyer, susenas)
    session.commit()
    assert _mails(outbox, buyer.email) == []  # the buyer's own step: no mail
    complete_requirements(session, order, buyer)
    review = _mails(outbox, buyer.email)
    assert [m["Subject"] for m in review] == [f"Pesanan {order.code}: sedang ditinjau"]

    orders.review(
        session,
        order,
        "revise",
        actor=officer,
        reason="Lengkapi variabel.",
        settings=SETTINGS,
        now=utcnow(),
    )
    revise = _mails(outbox, buyer.email)[-1]
    assert order.code in revise["Subject"] and "Lengkapi variabel." in _text(revise)
    assert f"/store/orders/{order.code}" in _text(revise)


def test_rejection_mail_in_the_buyers_language(session, outbox, buyer, officer, susenas):
    buyer.locale = "en"
    order = gated_order(session, buyer, susenas)
    complete_requirements(session, order, buyer)
    orders.review(
        session,
        order,
        "reject",
        actor=officer,
        reason="Not for this purpose.",
        settings=SETTINGS,
        now=utcnow(),
    )
    last = _mails(outbox, buyer.email)[-1]
    assert last["Subject"] == f"Order {order.code}: rejected"
    body = _text(last)
    assert "We could not approve your order." in body and "Not for this purpose." in body


def test_approval_says_until_when_to_pay(session, outbox, buyer, officer, susenas):
    order = gated_order(session, buyer, susenas)
    complete_requirements(session, order, buyer)
    orders.review(session, order, "approve", actor=officer, settings=SETTINGS, now=utcnow())
    last = _mails(outbox, buyer.email)[-1]
    assert order.status == orders.S.AWAITING_PAYMENT
    assert "WIB" in _text(last) and order.code in last["Subject"]


def test_payment_and_delivery_are_mailed(session, outbox, buyer, officer, approved_order):
    order = approved_order
    pay_manually(session, order, officer=officer)
    subjects = [m["Subject"] for m in _mails(outbox, buyer.email)]
    assert subjects[-2:] == [
        f"Pesanan {order.code}: {orders.status_label(orders.S.PAID)}",
        f"Pesanan {order.code}: {orders.status_label(orders.S.FULFILLED)}",
    ]
    assert "unduh dari halaman pesanan" in _text(_mails(outbox, buyer.email)[-1])

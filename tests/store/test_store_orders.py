"""The order state machine and the requirements gate, in the services: every gate is
tried by skipping it, and must refuse."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from storekit import (
    BANK_REF,
    BILLING_CODE,
    NTPN,
    PDF_SCAN,
    SETTINGS,
    abstract_data,
    complete_requirements,
    gated_order,
    pay_manually,
    product_of,
)

from app.blobs import current_store
from app.db import utcnow
from store import fulfilment, orders, requirements
from store.errors import (
    IllegalTransition,
    InvalidChoice,
    NotReady,
    OutOfStock,
    RequirementsMissing,
    WrongState,
)
from store.models import (
    OrderEvent,
    OrderStatus,
    PaymentStatus,
    ProductKind,
    ZeroRate,
)
from store.payments import manual

S = OrderStatus


def test_every_illegal_move_is_refused(session, buyer, susenas):
    order = gated_order(session, buyer, susenas)
    for target in S:
        if target in orders.MOVES[S.REQUIREMENTS] or target == S.REQUIREMENTS:
            continue
        with pytest.raises(IllegalTransition):
            orders.move(session, order, target, actor_id=buyer.id, now=utcnow())
    session.rollback()
    assert orders.get_order(session, order.code, user=buyer, now=utcnow()).status == S.REQUIREMENTS
    # The terminal states lead nowhere.
    for terminal in (S.REJECTED, S.CANCELLED, S.REFUNDED):
        assert orders.MOVES[terminal] == frozenset()


def test_microdata_checkout_asks_for_requirements_and_logs_it(session, buyer, susenas):
    order = gated_order(session, buyer, susenas)
    assert order.status == S.REQUIREMENTS
    assert order.total == susenas.tariff.amount  # one regency
    event = session.query(OrderEvent).filter_by(order_id=order.id, to_status="requirements").one()
    assert event.actor_id == buyer.id and event.from_status == "draft" and event.at is not None


def test_choice_is_checked(session, buyer, susenas):
    with pytest.raises(InvalidChoice):
        gated_order(session, buyer, susenas, variables=("NOPE",))
    with pytest.raises(InvalidChoice):
        gated_order(session, buyer, susenas, regions=("3171",))
    with pytest.raises(InvalidChoice):
        gated_order(session, buyer, susenas, variables=())


def test_per_region_price(session, buyer, susenas):
    order = gated_order(session, buyer, susenas, regions=("1771", "1701", "1702"))
    assert order.total == 3 * susenas.tariff.amount


def test_payment_is_impossible_before_approval(session, buyer, officer, susenas):
    order = gated_order(session, buyer, susenas)
    with pytest.raises(WrongState):
        manual.ManualProvider().start(session, order, method="simponi", now=utcnow())
    complete_requirements(session, order, buyer)
    assert order.status == S.UNDER_REVIEW
    with pytest.raises(WrongState):
        manual.ManualProvider().start(session, order, method="simponi", now=utcnow())
    # Even a payment row slipped in by hand cannot be confirmed before approval.
    from store.models import Payment

    payment = Payment(
        order_id=order.id,
        provider="manual",
        method="simponi",
        amount=1,
        status=PaymentStatus.PROOF_UPLOADED,
    )
    session.add(payment)
    session.commit()
    with pytest.raises(WrongState):
        manual.confirm(
            session,
            order,
            payment.id,
            reference=NTPN,
            actor_id=officer.id,
            now=utcnow(),
            settings=SETTINGS,
        )
    session.rollback()
    with pytest.raises(WrongState):
        fulfilment.fulfil(session, order, actor_id=officer.id, now=utcnow(), settings=SETTINGS)
    session.rollback()
    assert orders.get_order(session, order.code, user=buyer, now=utcnow()).status == S.UNDER_REVIEW


def test_review_is_impossible_before_the_requirements(session, buyer, officer, susenas):
    order = gated_order(session, buyer, susenas)
    with pytest.raises(WrongState):
        orders.review(session, order, "approve", actor=officer, settings=SETTINGS, now=utcnow())
    requirements.submit_abstract(session, order, abstract_data(), actor_id=buyer.id, now=utcnow())
    assert order.status == S.REQUIREMENTS  # no agreement, no scan yet
    assert requirements.missing(session, order) == ["agreement", "scan"]
    with pytest.raises(IllegalTransition):  # cannot push it to review by hand either
        orders.move(session, order, S.AWAITING_PAYMENT, actor_id=buyer.id, now=utcnow())


def test_scan_needs_acceptance_and_the_current_text(session, buyer, susenas):
    order = gated_order(session, buyer, susenas)
    with pytest.raises(WrongState):
        requirements.upload_scan(
            session,
            current_store(),
            order,
            io.BytesIO(PDF_SCAN),
            actor_id=buyer.id,
            max_bytes=10**6,
            now=utcnow(),
        )
    with pytest.raises(WrongState):
        requirements.accept_agreement(
            session, order, actor_id=buyer.id, text_sha256="0" * 64, now=utcnow()
        )
    text = requirements.current_agreement(session)
    acceptance = requirements.accept_agreement(
        session,
        order,
        actor_id=buyer.id,
        text_sha256=text.sha256,
        ip="10.1.2.3",
        user_agent="pytest",
        now=utcnow(),
    )
    assert acceptance.text_sha256 == text.sha256 and acceptance.ip == "10.1.2.3"
    assert acceptance.user_id == buyer.id and acceptance.accepted_at is not None
    # A new version of the SPPD: the old acceptance no longer counts.
    requirements.publish_agreement(session, "SPPD", text.body + "\n8. Tambahan.", actor_id=None)
    assert "agreement" in requirements.missing(session, order)


def test_not_an_image_or_pdf_is_refused(session, buyer, susenas):
    from store.errors import BadUpload

    order = gated_order(session, buyer, susenas)
    text = requirements.current_agreement(session)
    requirements.accept_agreement(
        session, order, actor_id=buyer.id, text_sha256=text.sha256, now=utcnow()
    )
    with pytest.raises(BadUpload):
        requirements.upload_scan(
            session,
            current_store(),
            order,
            io.BytesIO(b"MZ\x90 exe"),
            actor_id=buyer.id,
            max_bytes=10**6,
            now=utcnow(),
        )


def test_revision_loop(session, buyer, officer, susenas):
    order = complete_requirements(session, gated_order(session, buyer, susenas), buyer)
    assert order.status == S.UNDER_REVIEW
    with pytest.raises(InvalidChoice):
        orders.review(
            session, order, "revise", actor=officer, settings=SETTINGS, now=utcnow()
        )  # no reason
    orders.review(
        session,
        order,
        "revise",
        actor=officer,
        settings=SETTINGS,
        reason="Sebutkan variabel EXPEND dalam metode.",
        now=utcnow(),
    )
    assert order.status == S.REQUIREMENTS and order.review_note.startswith("Sebutkan")
    assert requirements.missing(session, order) == ["abstract"]
    requirements.submit_abstract(
        session,
        order,
        abstract_data(method="Gini dari EXPEND."),
        actor_id=buyer.id,
        now=utcnow(),
    )
    assert order.status == S.UNDER_REVIEW and order.abstract.revision == 2
    orders.review(session, order, "approve", actor=officer, settings=SETTINGS, now=utcnow())
    assert order.status == S.AWAITING_PAYMENT
    assert order.invoice_no.startswith("INV/1700/")
    with pytest.raises(WrongState):  # the abstract is closed after approval
        requirements.submit_abstract(
            session, order, abstract_data(), actor_id=buyer.id, now=utcnow()
        )


def test_reject_needs_a_reason_and_ends_the_order(session, buyer, officer, susenas):
    order = complete_requirements(session, gated_order(session, buyer, susenas), buyer)
    orders.review(
        session,
        order,
        "reject",
        actor=officer,
        settings=SETTINGS,
        reason="Abstraksi tidak sesuai dengan variabel.",
        now=utcnow(),
    )
    assert order.status == S.REJECTED
    with pytest.raises(WrongState):
        orders.review(session, order, "approve", actor=officer, settings=SETTINGS, now=utcnow())


def test_manual_payment_pays_and_fulfils_once(session, buyer, officer, approved_order):
    order = approved_order
    started = manual.ManualProvider().start(session, order, method="simponi", now=utcnow())
    with pytest.raises(WrongState):  # proof before the billing code
        manual.upload_proof(
            session,
            current_store(),
            order,
            started.payment.id,
            io.BytesIO(PDF_SCAN),
            actor_id=buyer.id,
            max_bytes=10**6,
            now=utcnow(),
        )
    with pytest.raises(InvalidChoice):
        manual.issue_billing(
            session,
            order,
            started.payment.id,
            billing_code="",
            instructions="",
            actor_id=officer.id,
            now=utcnow(),
        )
    manual.issue_billing(
        session,
        order,
        started.payment.id,
        billing_code="820241125000123",
        instructions="Bayar di bank persepsi.",
        actor_id=officer.id,
        now=utcnow(),
    )
    manual.upload_proof(
        session,
        current_store(),
        order,
        started.payment.id,
        io.BytesIO(PDF_SCAN),
        actor_id=buyer.id,
        max_bytes=10**6,
        now=utcnow(),
    )
    assert manual.confirm(
        session,
        order,
        started.payment.id,
        reference=NTPN,
        actor_id=officer.id,
        now=utcnow(),
        settings=SETTINGS,
    )
    assert not manual.confirm(
        session,
        order,
        started.payment.id,
        reference=NTPN,
        actor_id=officer.id,
        now=utcnow(),
        settings=SETTINGS,
    )
    order = orders.get_order(session, order.code, user=buyer, now=utcnow())
    assert order.status == S.FULFILLED and order.receipt_no.startswith("KWT/1700/")
    item = order.items[0]
    assert item.package_key and item.downloads_max == SETTINGS.package_downloads
    moves = [e.to_status for e in order.events if e.to_status]
    assert moves == [
        "draft",
        "requirements",
        "under_review",
        "awaiting_payment",
        "paid",
        "fulfilled",
    ]


def test_downloads_need_payment_and_are_limited(session, buyer, officer, approved_order):
    order = approved_order
    with pytest.raises(NotReady):
        fulfilment.take_package(session, order, order.items[0].id, now=utcnow())
    pay_manually(session, order, officer=officer, method="bank_transfer")
    from store.errors import DownloadsExhausted

    for _ in range(SETTINGS.package_downloads):
        fulfilment.take_package(session, order, order.items[0].id, now=utcnow())
    with pytest.raises(DownloadsExhausted):
        fulfilment.take_package(session, order, order.items[0].id, now=utcnow())


def test_package_expires(session, buyer, officer, approved_order):
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
    manual.confirm(
        session,
        order,
        payment.id,
        reference=NTPN,
        actor_id=officer.id,
        now=utcnow(),
        settings=SETTINGS,
    )
    from store.errors import DownloadsExhausted

    later = utcnow() + timedelta(days=SETTINGS.package_days + 1)
    with pytest.raises(DownloadsExhausted):
        fulfilment.take_package(session, order, order.items[0].id, now=later)


def test_unpaid_orders_expire_at_read_time(session, buyer, approved_order):
    code = approved_order.code
    later = utcnow() + timedelta(days=SETTINGS.payment_days, minutes=1)
    order = orders.get_order(session, code, user=buyer, now=later)
    assert order.status == S.EXPIRED
    with pytest.raises(WrongState):
        manual.ManualProvider().start(session, order, method="simponi", now=later)


def test_an_uploaded_proof_holds_off_expiry(session, buyer, officer, approved_order):
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
    manual.upload_proof(
        session,
        current_store(),
        order,
        payment.id,
        io.BytesIO(PDF_SCAN),
        actor_id=buyer.id,
        max_bytes=10**6,
        now=utcnow(),
    )
    later = utcnow() + timedelta(days=30)
    assert orders.expire_due(session, now=later) == 0
    assert orders.get_order(session, order.code, user=buyer, now=later).status == S.AWAITING_PAYMENT


def test_zero_rate_is_granted_by_an_officer(session, buyer, officer, products):
    printed = product_of(products, ProductKind.MAP)
    order = orders.create_order(
        session,
        buyer,
        [{"product_id": printed.id, "regions": ["1771"]}],
        settings=SETTINGS,
        zero_rate_basis="education",
        zero_rate_note="Skripsi S1",
        now=utcnow(),
    )
    complete_requirements(session, order, buyer)
    with pytest.raises(InvalidChoice):  # the claim must be decided
        orders.review(session, order, "approve", actor=officer, settings=SETTINGS, now=utcnow())
    orders.review(
        session,
        order,
        "approve",
        actor=officer,
        settings=SETTINGS,
        grant_zero_rate=True,
        now=utcnow(),
    )
    order = orders.get_order(session, order.code, user=buyer, now=utcnow())
    assert order.zero_rate == ZeroRate.GRANTED and order.total == 0
    assert order.status == S.FULFILLED  # nothing to pay: delivered at once
    assert order.payments[0].provider == "waiver"


def test_zero_rate_refused_means_paying(session, buyer, officer, products):
    maps = product_of(products, ProductKind.MAP)
    order = orders.create_order(
        session,
        buyer,
        [{"product_id": maps.id, "regions": ["1771"]}],
        settings=SETTINGS,
        zero_rate_basis="government",
        now=utcnow(),
    )
    complete_requirements(session, order, buyer)
    orders.review(
        session,
        order,
        "approve",
        actor=officer,
        settings=SETTINGS,
        grant_zero_rate=False,
        now=utcnow(),
    )
    assert order.status == S.AWAITING_PAYMENT and order.total == maps.tariff.amount


def test_printed_stock_is_reserved_and_released(session, buyer, officer, products):
    printed = product_of(products, ProductKind.PRINTED)
    stock = printed.stock
    with pytest.raises(InvalidChoice):  # no address
        orders.create_order(
            session,
            buyer,
            [{"product_id": printed.id, "quantity": 2}],
            settings=SETTINGS,
            now=utcnow(),
        )
    session.rollback()
    order = orders.create_order(
        session,
        buyer,
        [{"product_id": printed.id, "quantity": 2}],
        settings=SETTINGS,
        shipping_address="Jl. Pembangunan 1, Bengkulu",
        now=utcnow(),
    )
    session.refresh(printed)
    assert printed.stock == stock - 2 and order.status == S.AWAITING_PAYMENT
    assert order.total == 2 * printed.tariff.amount + printed.shipping_fee
    with pytest.raises(OutOfStock):
        orders.create_order(
            session,
            buyer,
            [{"product_id": printed.id, "quantity": 50}],
            settings=SETTINGS,
            shipping_address="x",
            now=utcnow(),
        )
    session.rollback()
    orders.cancel(session, order, actor=buyer, now=utcnow())
    session.refresh(printed)
    assert printed.stock == stock


def test_printed_items_are_fulfilled_when_shipped(session, buyer, officer, products):
    printed = product_of(products, ProductKind.PRINTED)
    order = orders.create_order(
        session,
        buyer,
        [{"product_id": printed.id}],
        settings=SETTINGS,
        shipping_address="Jl. Suprapto 2, Bengkulu",
        now=utcnow(),
    )
    payment = (
        manual.ManualProvider().start(session, order, method="bank_transfer", now=utcnow()).payment
    )
    manual.issue_billing(
        session,
        order,
        payment.id,
        billing_code=None,
        instructions="BNI",
        actor_id=officer.id,
        now=utcnow(),
    )
    with pytest.raises(WrongState):  # not paid yet
        fulfilment.ship_item(
            session, order, order.items[0].id, tracking="JNE 1", actor_id=officer.id, now=utcnow()
        )
    session.rollback()
    manual.confirm(
        session,
        order,
        payment.id,
        reference=BANK_REF,
        actor_id=officer.id,
        now=utcnow(),
        settings=SETTINGS,
    )
    assert order.status == S.PAID
    fulfilment.ship_item(
        session, order, order.items[0].id, tracking="JNE CGK123", actor_id=officer.id, now=utcnow()
    )
    assert order.status == S.FULFILLED and order.items[0].tracking_note == "JNE CGK123"


def test_cancel_and_its_limits(session, buyer, approved_order):
    orders.cancel(session, approved_order, actor=buyer, now=utcnow())
    assert approved_order.status == S.CANCELLED
    with pytest.raises(IllegalTransition):
        orders.cancel(session, approved_order, actor=buyer, now=utcnow())


def test_requirements_missing_error_exists():
    assert RequirementsMissing.status == 409

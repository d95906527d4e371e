"""Walk-in sales at the desk (services): every product kind, the paper requirements,
cash, SIMPONI and transfer, the documents, and the desk's one record per visit."""

from __future__ import annotations

import email
import io
from datetime import datetime

import pytest
from pypdf import PdfReader
from storekit import PDF_SCAN, SETTINGS, abstract_data, person, product_of

from app.accounts.models import Role
from app.audit import AuditEvent
from app.blobs import current_store
from app.db import utcnow
from library.models import Entitlement
from store import documents, orders, walkin
from store.errors import BadUpload, InvalidChoice, OutOfStock, WrongState
from store.models import Order, OrderStatus, PaymentStatus, Product, ProductKind
from store.payments import manual

S = OrderStatus


def _now() -> datetime:
    return utcnow()


@pytest.fixture
def visitor(session):
    return person(session, full_name="Dewi Anggraini")


@pytest.fixture
def reviewer(session):
    return person(session, role=Role.OFFICER, full_name="Petugas Peninjau")


def _sale(session, visitor, officer, **kwargs):
    return walkin.start_sale(session, visitor_id=visitor.id, officer=officer, now=_now(), **kwargs)


def _audits(session, order):
    rows = session.query(AuditEvent).filter_by(subject_type="store_order", subject_id=order.code)
    return [e.action for e in rows.order_by(AuditEvent.id)]


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_printed_sale_in_cash_takes_stock_and_hands_the_copies_over(
    session, outbox, visitor, officer, products
):
    printed = product_of(products, ProductKind.PRINTED)
    stock = printed.stock
    order = _sale(session, visitor, officer)
    assert (order.user_id, order.entered_by_id, order.channel) == (visitor.id, officer.id, "desk")
    # The sale being entered is not the visitor's own online cart.
    assert orders.cart(session, visitor) is None
    walkin.add_item(session, order, printed.id, quantity=2, actor=officer, now=_now())
    order = walkin.place(session, order, actor=officer, settings=SETTINGS, now=_now())
    assert order.status == S.AWAITING_PAYMENT
    assert order.shipping_fee == 0 and order.total == order.subtotal  # handed over, not shipped
    assert session.get(Product, printed.id).stock == stock - 2  # reserved at checkout
    payment = walkin.take_payment(
        session,
        order,
        method="cash",
        actor=officer,
        settings=SETTINGS,
        now=_now(),
        handover_note="Diserahkan di meja layanan",
    )
    session.expire_all()
    order = session.get(Order, order.id)
    assert payment.method == "cash" and payment.status == PaymentStatus.CONFIRMED
    assert payment.confirmed_by_id == officer.id and payment.amount == order.total
    assert order.receipt_no and payment.note == f"receipt {order.receipt_no}"
    assert order.status == S.FULFILLED
    assert order.items[0].tracking_note == "Diserahkan di meja layanan"
    assert session.get(Product, printed.id).stock == stock - 2
    trail = _audits(session, order)
    for action in (
        "store.walkin_started",
        "store.walkin_item_added",
        "store.walkin_placed",
        "store.cash_received",
        "store.item_shipped",
    ):
        assert action in trail
    mails = [email.message_from_bytes(p.read_bytes()) for p in outbox.messages()]
    subjects = [m["Subject"] for m in mails if m["To"] == visitor.email]
    assert f"Pesanan {order.code}: menunggu pembayaran" in subjects
    assert any("lunas" in s or "selesai" in s for s in subjects)
    receipt = _text(documents.receipt_pdf(order, office=SETTINGS.office_name))
    assert order.receipt_no in receipt and "tunai" in receipt


def test_more_copies_than_in_stock_are_refused(session, visitor, officer, products):
    printed = product_of(products, ProductKind.PRINTED)
    order = _sale(session, visitor, officer)
    with pytest.raises(OutOfStock):
        walkin.add_item(
            session, order, printed.id, quantity=printed.stock + 1, actor=officer, now=_now()
        )
    session.rollback()
    assert session.get(Order, order.id).items == []


def test_digital_sale_gives_the_download_right(session, visitor, officer, products):
    digital = product_of(products, ProductKind.DIGITAL)
    order = _sale(session, visitor, officer)
    walkin.add_item(session, order, digital.id, actor=officer, now=_now())
    with pytest.raises(InvalidChoice):
        walkin.add_item(session, order, digital.id, actor=officer, now=_now())
    session.rollback()
    order = walkin.place(session, order, actor=officer, settings=SETTINGS, now=_now())
    walkin.take_payment(session, order, method="cash", actor=officer, settings=SETTINGS, now=_now())
    session.expire_all()
    assert session.get(Order, order.id).status == S.FULFILLED
    right = session.query(Entitlement).filter_by(user_id=visitor.id).one()
    assert right.publication_id == digital.publication_id and right.source == "purchase"


def test_microdata_needs_the_abstract_and_the_signed_sppd_before_review(
    session, visitor, officer, reviewer, susenas
):
    order = _sale(session, visitor, officer)
    walkin.add_item(
        session,
        order,
        susenas.id,
        variables=["R102", "EXPEND"],
        regions=["1771"],
        actor=officer,
        now=_now(),
    )
    order = walkin.place(session, order, actor=officer, settings=SETTINGS, now=_now())
    assert order.status == S.REQUIREMENTS
    with pytest.raises(WrongState):  # no payment before the gate and the review
        walkin.take_payment(
            session, order, method="cash", actor=officer, settings=SETTINGS, now=_now()
        )
    session.rollback()
    with pytest.raises(WrongState):
        orders.review(session, order, "approve", actor=reviewer, settings=SETTINGS, now=utcnow())
    session.rollback()

    # A scan that is not a PDF, JPEG or PNG: refused, and nothing is kept.
    with pytest.raises(BadUpload):
        walkin.give_requirements(
            session,
            current_store(),
            order,
            abstract_data(),
            io.BytesIO(b"GIF89a not a scan"),
            actor=officer,
            max_bytes=10**6,
            now=_now(),
        )
    session.rollback()
    order = session.get(Order, order.id)
    assert order.abstract is None and order.acceptance is None and order.status == S.REQUIREMENTS
    # An abstract with a field left empty: refused, nothing kept.
    with pytest.raises(InvalidChoice):
        walkin.give_requirements(
            session,
            current_store(),
            order,
            abstract_data(purpose=""),
            io.BytesIO(PDF_SCAN),
            actor=officer,
            max_bytes=10**6,
            now=_now(),
        )
    session.rollback()
    order = session.get(Order, order.id)
    assert order.abstract is None and order.acceptance is None

    walkin.give_requirements(
        session,
        current_store(),
        order,
        abstract_data(),
        io.BytesIO(PDF_SCAN),
        actor=officer,
        max_bytes=10**6,
        now=_now(),
        ip="10.0.0.9",
    )
    session.expire_all()
    order = session.get(Order, order.id)
    assert order.status == S.UNDER_REVIEW
    assert order.acceptance.user_id == visitor.id  # the visitor signed, on paper
    assert order.acceptance.scan_key and "paper" in order.acceptance.user_agent
    assert order.abstract.purpose == abstract_data()["purpose"]
    assert "store.walkin_requirements" in _audits(session, order)

    orders.review(session, order, "approve", actor=reviewer, settings=SETTINGS, now=utcnow())
    # SIMPONI without its billing code: refused, nothing kept.
    with pytest.raises(InvalidChoice):
        walkin.take_payment(
            session, order, method="simponi", actor=officer, settings=SETTINGS, now=_now()
        )
    session.rollback()
    assert session.get(Order, order.id).payments == []
    payment = walkin.take_payment(
        session,
        order,
        method="simponi",
        billing_code="820261207000123",
        actor=officer,
        settings=SETTINGS,
        now=_now(),
    )
    assert payment.status == PaymentStatus.ISSUED and payment.billing_code == "820261207000123"
    assert manual.confirm(
        session,
        order,
        payment.id,
        reference="0123456789ABCDEF",  # the NTPN
        actor_id=reviewer.id,
        now=_now(),
        settings=SETTINGS,
    )
    session.expire_all()
    order = session.get(Order, order.id)
    assert order.status == S.FULFILLED and order.items[0].package_key
    sppd = _text(documents.sppd_pdf(order, order.acceptance.agreement, office=SETTINGS.office_name))
    assert visitor.full_name in sppd
    invoice = _text(documents.invoice_pdf(order, office=SETTINGS.office_name))
    assert order.invoice_no in invoice


def test_map_sale_paid_by_transfer(session, visitor, officer, reviewer, regency_map):
    order = _sale(session, visitor, officer)
    walkin.add_item(session, order, regency_map.id, regions=["1771"], actor=officer, now=_now())
    order = walkin.place(session, order, actor=officer, settings=SETTINGS, now=_now())
    assert order.status == S.REQUIREMENTS
    walkin.give_requirements(
        session,
        current_store(),
        order,
        abstract_data(variables="batas wilayah"),
        io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64),
        actor=officer,
        max_bytes=10**6,
        now=_now(),
    )
    orders.review(session, order, "approve", actor=reviewer, settings=SETTINGS, now=utcnow())
    payment = walkin.take_payment(
        session,
        order,
        method="bank_transfer",
        instructions="BRI 0000-01-000000-30-0 a.n. BPS Provinsi Bengkulu",
        actor=officer,
        settings=SETTINGS,
        now=_now(),
    )
    assert payment.status == PaymentStatus.ISSUED and payment.instructions.startswith("BRI")
    manual.confirm(
        session,
        order,
        payment.id,
        reference="BRI-20261207-0042",
        actor_id=reviewer.id,
        now=_now(),
        settings=SETTINGS,
    )
    session.expire_all()
    assert session.get(Order, order.id).status == S.FULFILLED


def test_an_unknown_method_or_an_online_order_is_refused(
    session, visitor, officer, buyer, products
):
    digital = product_of(products, ProductKind.DIGITAL)
    order = _sale(session, visitor, officer)
    walkin.add_item(session, order, digital.id, actor=officer, now=_now())
    order = walkin.place(session, order, actor=officer, settings=SETTINGS, now=_now())
    with pytest.raises(InvalidChoice):
        walkin.take_payment(
            session, order, method="card", actor=officer, settings=SETTINGS, now=_now()
        )
    online = orders.create_order(
        session, buyer, [{"product_id": digital.id}], settings=SETTINGS, now=utcnow()
    )
    from store.errors import OrderNotFound

    with pytest.raises(OrderNotFound):
        walkin.get_sale(session, online.code, officer=officer, now=_now())
    with pytest.raises(OrderNotFound):
        walkin.take_payment(
            session, online, method="cash", actor=officer, settings=SETTINGS, now=_now()
        )


def test_visitors_are_found_by_name_email_or_phone(session, visitor, officer):
    visitor.phone = "0812-3456-7890"
    session.commit()
    assert visitor in walkin.find_visitors(session, "dewi angg")
    assert visitor in walkin.find_visitors(session, visitor.email.upper())
    assert visitor in walkin.find_visitors(session, "+62 812 3456 7890")
    assert walkin.find_visitors(session, "x") == []
    assert visitor not in walkin.find_visitors(session, "Orang Tak Dikenal")


# --- the desk's number ---------------------------------------------------------------


def _served_ticket(session, visitor, officer):
    from desk import queue
    from desk.models import Channel, ServiceType

    now = _now()
    ticket = queue.issue_ticket(
        session,
        service=ServiceType.SALES,
        now=now,
        channel=Channel.RECEPTION,
        user_id=visitor.id,
        staff=True,
    )
    session.commit()
    called = queue.call_next(
        session, services=[ServiceType.SALES], officer_id=officer.id, desk="2", now=now
    )
    assert called is not None and called.id == ticket.id
    queue.start(session, ticket.id, officer_id=officer.id, now=now)
    return ticket


def _records(session):
    from desk.models import ServiceRecord

    return session.query(ServiceRecord).all()


@pytest.mark.parametrize("finish_first", [False, True])
def test_the_sale_joins_the_record_of_the_desk_number(
    session, visitor, officer, products, finish_first
):
    from desk import queue

    printed = product_of(products, ProductKind.PRINTED)
    ticket = _served_ticket(session, visitor, officer)
    order = _sale(session, visitor, officer, ticket_id=ticket.id)
    assert order.desk_ticket_id == ticket.id
    # A second "sell to this visitor" from the console opens the same sale.
    assert _sale(session, visitor, officer, ticket_id=ticket.id).id == order.id
    walkin.add_item(session, order, printed.id, actor=officer, now=_now())
    order = walkin.place(session, order, actor=officer, settings=SETTINGS, now=_now())
    if finish_first:
        queue.finish(session, ticket.id, officer_id=officer.id, now=_now())
    walkin.take_payment(
        session,
        order,
        method="cash",
        actor=officer,
        settings=SETTINGS,
        now=_now(),
        handover_note="Diserahkan",
    )
    if not finish_first:
        queue.finish(session, ticket.id, officer_id=officer.id, now=_now())
    session.expire_all()
    records = _records(session)
    assert len(records) == 1, [(r.source, r.ticket_id) for r in records]
    record = records[0]
    assert record.ticket_id == ticket.id and record.channel.value == "walk_in"
    assert (record.source, record.source_ref) == ("store.order", order.code)
    assert printed.title in record.products and record.officer_id == officer.id


def test_a_number_of_another_visitor_is_refused(session, visitor, officer, other_buyer):
    ticket = _served_ticket(session, visitor, officer)
    with pytest.raises(InvalidChoice):
        _sale(session, other_buyer, officer, ticket_id=ticket.id)
    with pytest.raises(InvalidChoice):
        _sale(session, visitor, officer, ticket_id=ticket.id + 999)
    session.rollback()
    assert session.query(Order).count() == 0


def test_a_rp0_claim_at_the_desk_needs_its_evidence_and_a_review(
    session, visitor, officer, reviewer, products
):
    digital = product_of(products, ProductKind.DIGITAL)
    order = _sale(session, visitor, officer)
    walkin.add_item(session, order, digital.id, actor=officer, now=_now())
    for evidence in (None, io.BytesIO(b"not a scan")):
        with pytest.raises(BadUpload):
            walkin.place(
                session,
                order,
                actor=officer,
                settings=SETTINGS,
                now=_now(),
                store=current_store(),
                zero_rate_basis="education",
                evidence=evidence,
                max_bytes=10**6,
            )
        session.rollback()
    order = session.get(Order, order.id)
    assert order.status == S.DRAFT and order.zero_rate.value == "none"
    order = walkin.place(
        session,
        order,
        actor=officer,
        settings=SETTINGS,
        now=_now(),
        store=current_store(),
        zero_rate_basis="education",
        zero_rate_note="Skripsi",
        evidence=io.BytesIO(PDF_SCAN),
        max_bytes=10**6,
    )
    assert order.status == S.UNDER_REVIEW and order.zero_rate_evidence_key
    orders.review(
        session,
        order,
        "approve",
        actor=reviewer,
        settings=SETTINGS,
        grant_zero_rate=True,
        now=utcnow(),
    )
    session.expire_all()
    order = session.get(Order, order.id)
    assert order.total == 0 and order.status == S.FULFILLED


def test_copies_paid_by_transfer_are_handed_over_later(session, visitor, officer, products):
    printed = product_of(products, ProductKind.PRINTED)
    order = _sale(session, visitor, officer)
    walkin.add_item(session, order, printed.id, actor=officer, now=_now())
    order = walkin.place(session, order, actor=officer, settings=SETTINGS, now=_now())
    with pytest.raises(WrongState):
        walkin.hand_over(session, order, actor=officer, now=_now(), note="Diserahkan")
    session.rollback()
    payment = walkin.take_payment(
        session,
        order,
        method="bank_transfer",
        instructions="BRI",
        actor=officer,
        settings=SETTINGS,
        now=_now(),
    )
    manual.confirm(
        session,
        order,
        payment.id,
        reference="BRI-20261207-0043",
        actor_id=officer.id,
        now=_now(),
        settings=SETTINGS,
    )
    assert session.get(Order, order.id).status == S.PAID
    walkin.hand_over(session, order, actor=officer, now=_now(), note="Diserahkan")
    session.expire_all()
    order = session.get(Order, order.id)
    assert order.status == S.FULFILLED and order.items[0].tracking_note == "Diserahkan"


def test_the_officer_who_entered_a_sale_does_not_review_it(
    session, visitor, officer, reviewer, regency_map
):
    """Separation of duties at the desk: the officer who typed the visitor's abstract in
    does not also approve it; another officer does."""
    from store.errors import OwnOrder

    order = _sale(session, visitor, officer)
    walkin.add_item(session, order, regency_map.id, regions=["1771"], actor=officer, now=_now())
    order = walkin.place(session, order, actor=officer, settings=SETTINGS, now=_now())
    walkin.give_requirements(
        session,
        current_store(),
        order,
        abstract_data(variables="batas wilayah"),
        io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64),
        actor=officer,
        max_bytes=10**6,
        now=_now(),
    )
    assert session.get(Order, order.id).status == S.UNDER_REVIEW
    with pytest.raises(OwnOrder):
        orders.review(session, order, "approve", actor=officer, settings=SETTINGS, now=utcnow())
    session.rollback()
    assert session.get(Order, order.id).status == S.UNDER_REVIEW
    orders.review(session, order, "approve", actor=reviewer, settings=SETTINGS, now=utcnow())
    assert session.get(Order, order.id).status == S.AWAITING_PAYMENT


def test_an_officer_cannot_sell_to_themselves_for_cash(session, officer, products):
    from store.errors import OwnOrder

    printed = product_of(products, ProductKind.PRINTED)
    order = _sale(session, officer, officer)
    walkin.add_item(session, order, printed.id, quantity=1, actor=officer, now=_now())
    order = walkin.place(session, order, actor=officer, settings=SETTINGS, now=_now())
    with pytest.raises(OwnOrder):
        walkin.take_payment(
            session, order, method="cash", actor=officer, settings=SETTINGS, now=_now()
        )
    session.rollback()
    order = session.get(Order, order.id)
    assert order.status == S.AWAITING_PAYMENT and order.payments == []


def test_a_visitor_without_email_buys_at_the_desk(session, outbox, officer, products):
    """The guest book registers visitors without an email address; selling to one works,
    and the mails an online buyer would get are simply not sent (nobody to write to)."""
    visitor = person(session, full_name="Pak Rahmat")
    visitor.email = None
    session.commit()
    printed = product_of(products, ProductKind.PRINTED)
    order = _sale(session, visitor, officer)
    walkin.add_item(session, order, printed.id, quantity=1, actor=officer, now=_now())
    order = walkin.place(session, order, actor=officer, settings=SETTINGS, now=_now())
    walkin.take_payment(session, order, method="cash", actor=officer, settings=SETTINGS, now=_now())
    session.expire_all()
    assert session.get(Order, order.id).status == S.FULFILLED
    assert outbox.messages() == []

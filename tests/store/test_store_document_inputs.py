"""The store's documents render everything its forms accept (issue 15, item 4): the
invoice, the receipt, the SPPD and the package README, with every field up to its
form's or column's limit and odd Unicode (property-based, see ``odd_text``).

The property tests draw the documents from unsaved rows (the documents only read
them); the finding's test goes the real way: requirements, approval, payment, delivery.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from odd_text import PROPERTY, Timer, head_of, longest, odd_text, read_pdf, squeeze
from storekit import PDF_SCAN, SETTINGS, abstract_data, gated_order, pay_manually, person

from app.accounts.models import IdType, Role, User
from app.blobs import current_store
from app.db import utcnow
from app.pdf import clean
from store import documents, fulfilment, orders, requirements
from store.models import (
    Abstract,
    Acceptance,
    AgreementText,
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentStatus,
    Product,
    ProductKind,
    ZeroRate,
)

#: Documents rendered from any input: the database only holds the data
#: (tests/database_runs.py).
pytestmark = pytest.mark.one_database("postgresql")

OFFICE = "BPS Provinsi Bengkulu"
PAID = datetime(2026, 11, 25, 3, 30)

#: Each field that reaches a store document, with its limit (forms, API schemas, columns).
LIMITS = {
    "full_name": 120,
    "institution": 200,
    "occupation": 120,
    "email": 254,
    "phone": 32,
    "id_number": 40,
    "shipping_address": 1000,
    "product_title": 300,
    "title": 300,
    "purpose": 5000,
    "method": 5000,
    "variables": 5000,
    "regions": 2000,
    "outputs": 5000,
    "bank_details": 4000,
    "reference": 40,
    "billing_code": 40,
}


def fields_at_limit(kind: str) -> dict[str, str]:
    return {name: longest(limit, kind, start=f"Awal{name[:4]}01") for name, limit in LIMITS.items()}


FIELDS = st.fixed_dictionaries({name: odd_text(limit) for name, limit in LIMITS.items()})


def unsaved_order(fields: dict[str, str], *, method: str = "simponi", total: int = 750_000):
    """An order as the documents see it, built from ``fields`` without a database."""
    user = User(
        full_name=fields["full_name"],
        institution=fields["institution"],
        occupation=fields["occupation"],
        email=fields["email"],
        phone=fields["phone"],
        id_type=IdType.KTP,
        id_number=fields["id_number"],
        role=Role.USER,
    )
    product = Product(kind=ProductKind.MICRODATA, title=fields["product_title"])
    item = OrderItem(
        product=product,
        quantity=1,
        amount=total,
        variables_json=json.dumps(["R102", "EXPEND"]),
        regions_json=json.dumps(["1771", "1701"]),
        file_format="csv",
    )
    order = Order(
        code="P-2611-ABCDEF",
        user=user,
        items=[item],
        total=total,
        shipping_fee=0,
        shipping_address=fields["shipping_address"],
        zero_rate=ZeroRate.NONE,
        invoice_no="INV/2026/11/0001",
        receipt_no="KWT/2026/11/0001",
        payment_due_at=PAID,
        paid_at=PAID,
        updated_at=PAID,
        created_at=PAID,
    )
    order.abstract = Abstract(
        title=fields["title"],
        purpose=fields["purpose"],
        method=fields["method"],
        variables=fields["variables"],
        regions=fields["regions"],
        outputs=fields["outputs"],
        completion_date=date(2027, 3, 1),
    )
    order.acceptance = Acceptance(accepted_at=PAID, ip="10.0.0.1", text_sha256="0" * 64)
    order.payments = [
        Payment(
            provider="manual",
            method=method,
            status=PaymentStatus.CONFIRMED,
            amount=total,
            billing_code=fields["billing_code"],
            reference=fields["reference"],
            confirmed_at=PAID,
        )
    ]
    return order


AGREEMENT = AgreementText(
    version=1,
    title="Perjanjian Penggunaan Data",
    body="Kerahasiaan. Data hanya untuk keperluan abstraksi.\n\nPenutup. Berlaku sejak ditanda.",
    sha256="0" * 64,
)


def check(pdf: bytes, fields: dict[str, str], names: tuple[str, ...]) -> int:
    pages, text = read_pdf(pdf)
    for name in names:
        assert squeeze(head_of(fields[name])) in text, name
    return pages


def _long(fields: dict[str, str]) -> bool:
    return sum(len(v) for v in fields.values()) > 10_000


# --- the finding: a long abstract no longer stops a paid order -----------------------


def test_a_paid_order_with_the_longest_abstract_is_delivered(session, buyer, officer, susenas):
    # Seen: ~3,500 characters of abstract made the SPPD fail (a LayoutError, a 500) when
    # payment confirmation built the package, so the paid order was never delivered.
    cashier = person(session, role=Role.OFFICER, full_name="Kasir PST")
    order = gated_order(session, buyer, susenas)
    longest_abstract = {
        name: longest(limit, "words", start=f"Awal{name}01")
        for name, limit in (
            ("title", 300),
            ("purpose", 5000),
            ("method", 5000),
            ("variables", 5000),
            ("regions", 2000),
            ("outputs", 5000),
        )
    }
    requirements.submit_abstract(
        session,
        order,
        abstract_data(**longest_abstract),
        actor_id=buyer.id,
        now=utcnow(),
    )
    text = requirements.current_agreement(session)
    requirements.accept_agreement(
        session,
        order,
        actor_id=buyer.id,
        text_sha256=text.sha256,
        ip="10.0.0.1",
        now=utcnow(),
    )
    requirements.upload_scan(
        session,
        current_store(),
        order,
        io.BytesIO(PDF_SCAN),
        actor_id=buyer.id,
        max_bytes=10**6,
        now=utcnow(),
    )
    orders.review(session, order, "approve", actor=officer, settings=SETTINGS, now=utcnow())
    pay_manually(session, order, officer=cashier)
    order = orders.get_order(session, order.code, user=buyer, now=utcnow())
    assert order.status == OrderStatus.FULFILLED
    key, _name = fulfilment.take_package(session, order, order.items[0].id, now=utcnow())
    with current_store().open(key) as fh:
        archive = zipfile.ZipFile(io.BytesIO(fh.read()))
    sppd = archive.read(next(n for n in archive.namelist() if "/SPPD-" in n))
    pages, extracted = read_pdf(sppd)
    assert pages >= 4  # the abstract flows onto further pages
    for name in ("title", "purpose", "method", "outputs"):  # what the SPPD prints
        value = longest_abstract[name]
        assert squeeze(value[:30]) in extracted
        assert squeeze(value[-25:]) in extracted  # whole: the end of each is printed


# --- every document, every field at its limit, odd Unicode ---------------------------


@PROPERTY
@given(fields=FIELDS)
@example(fields=fields_at_limit("words"))
@example(fields=fields_at_limit("word"))
@example(fields=fields_at_limit("lines"))
@example(fields=fields_at_limit("cjk"))
@example(fields=fields_at_limit("markup"))
def test_the_sppd_renders_any_abstract_and_profile(app, fields):
    order = unsaved_order(fields)
    with Timer(60):
        pdf = documents.sppd_pdf(order, AGREEMENT, office=OFFICE)
    pages = check(
        pdf,
        fields,
        ("full_name", "institution", "occupation", "title", "purpose", "method", "outputs"),
    )
    if _long(fields):
        assert pages > 1


@PROPERTY
@given(fields=FIELDS, method=st.sampled_from(["simponi", "bank_transfer", "card", "cash"]))
@example(fields=fields_at_limit("words"), method="simponi")
@example(fields=fields_at_limit("word"), method="bank_transfer")
@example(fields=fields_at_limit("lines"), method="simponi")
@example(fields=fields_at_limit("markup"), method="simponi")
def test_the_invoice_and_receipt_render_any_order(app, fields, method):
    order = unsaved_order(fields, method=method)
    with Timer(60):
        invoice = documents.invoice_pdf(order, office=OFFICE, bank_details=fields["bank_details"])
        receipt = documents.receipt_pdf(order, office=OFFICE)
    check(invoice, fields, ("full_name", "institution", "product_title", "bank_details"))
    check(receipt, fields, ("full_name", "institution", "product_title"))
    order.total = 0
    order.zero_rate = ZeroRate.GRANTED
    free = documents.receipt_pdf(order, office=OFFICE)
    check(free, fields, ("full_name",))


@PROPERTY
@given(fields=FIELDS)
@example(fields=fields_at_limit("words"))
@example(fields=fields_at_limit("word"))
@example(fields=fields_at_limit("markup"))
def test_the_package_readme_wraps_any_title_and_name(app, fields):
    order = unsaved_order(fields)
    text = fulfilment.readme(order, order.items[0], SETTINGS)
    text.encode("utf-8")  # no lone surrogate
    for line in text.split("\n"):
        assert len(line) <= 78, line
        assert clean(line) == line.rstrip() or not line.strip(), repr(line)
    squeezed = squeeze(text)
    for name in ("product_title", "full_name", "email"):
        assert squeeze(head_of(fields[name])) in squeezed, name
    # The whole title is there, only wrapped.
    assert squeeze(clean(fields["product_title"])) in squeezed


def test_values_from_outside_forms_do_not_break_documents(app):
    # The JSON API can carry a lone surrogate and control characters; a document
    # drops them instead of failing to encode.
    fields = fields_at_limit("words")
    fields["full_name"] = "Rina \ud800Marlina\x00\x1b"
    order = unsaved_order(fields)
    pages, text = read_pdf(documents.sppd_pdf(order, AGREEMENT, office=OFFICE))
    assert "RinaMarlina" in text and pages > 1
    fulfilment.readme(order, order.items[0], SETTINGS).encode("utf-8")

"""Manual payments as PNBP works: the buyer is mailed the details to pay by, a SIMPONI
billing code has 15 digits, a confirmation records the NTPN or the bank's reference,
the documents print them, and an order of Rp0 has nothing to pay on any document."""

from __future__ import annotations

import email
import io
import json
import subprocess

import pytest
from helpers import submit
from storekit import (
    BANK_REF,
    BILLING_CODE,
    NTPN,
    PDF_SCAN,
    SETTINGS,
    complete_requirements,
    gated_order,
    login,
    product_of,
)

from app.accounts import services as accounts
from app.audit import AuditEvent
from app.blobs import current_store
from app.db import utcnow
from store import documents, orders
from store.errors import InvalidChoice
from store.models import OrderEvent, OrderStatus, Payment, PaymentStatus, ProductKind
from store.payments import manual

S = OrderStatus
OFFICE = "BPS Provinsi Bengkulu"


def _mails(outbox, to):
    found = [email.message_from_bytes(p.read_bytes()) for p in outbox.messages()]
    return [m for m in found if m["To"] == to]


def _body(message) -> str:
    part = message.get_body(("plain",)) if hasattr(message, "get_body") else message
    payload = (part or message).get_payload(decode=True)
    return payload.decode() if payload else message.as_string()


def _pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _start(session, order, method="simponi"):
    return manual.ManualProvider().start(session, order, method=method, now=utcnow()).payment


def _issue(session, order, payment, officer, code=BILLING_CODE, instructions=""):
    return manual.issue_billing(
        session,
        order,
        payment.id,
        billing_code=code,
        instructions=instructions,
        actor_id=officer.id,
        now=utcnow(),
    )


def _auth(session, person):
    return {"Authorization": f"Bearer {accounts.create_api_token(session, person, 'api')[1]}"}


# --- the buyer is mailed the details ----------------------------------------------------


def test_the_billing_code_is_mailed_to_the_buyer(session, outbox, buyer, officer, approved_order):
    order = approved_order
    payment = _start(session, order)
    before = len(_mails(outbox, buyer.email))
    _issue(session, order, payment, officer, instructions="Bayar di bank persepsi.")
    mails = _mails(outbox, buyer.email)
    assert len(mails) == before + 1
    assert mails[-1]["Subject"] == f"Pesanan {order.code}: cara membayar"
    body = _body(mails[-1])
    assert BILLING_CODE in body and "Bayar di bank persepsi." in body
    assert "Rp750.000" in body and f"/store/orders/{order.code}" in body


def test_transfer_details_are_mailed_in_the_buyers_language(
    session, outbox, buyer, officer, susenas
):
    buyer.locale = "en"
    session.commit()
    order = complete_requirements(session, gated_order(session, buyer, susenas), buyer)
    orders.review(session, order, "approve", actor=officer, settings=SETTINGS, now=utcnow())
    payment = _start(session, order, "bank_transfer")
    _issue(session, order, payment, officer, code=None, instructions="Bank Mandiri 123-456")
    last = _mails(outbox, buyer.email)[-1]
    assert last["Subject"] == f"Order {order.code}: how to pay"
    body = _body(last)
    assert "by bank transfer" in body and "Bank Mandiri 123-456" in body


# --- configured bank details are offered at once ----------------------------------------


BANK = "Bank BRI 0123-01-000123-30-1 a.n. RPL 054 BPS Prov. Bengkulu"


@pytest.fixture
def config_overrides():
    return {"STORE_BANK_DETAILS": BANK}


def test_configured_bank_details_need_no_officer(
    client, session, outbox, buyer, officer, approved_order
):
    order = approved_order
    # The approval mail already says where to transfer.
    approval = [
        m for m in _mails(outbox, buyer.email) if m["Subject"].endswith("menunggu pembayaran")
    ]
    assert approval and BANK in _body(approval[-1])
    login(client, buyer)
    url = f"/store/orders/{order.code}"
    html = client.get(url).get_data(as_text=True)
    assert 'id="bank-details"' in html and BANK in html
    assert (
        submit(client, f"{url}/pay", {"way": "manual:bank_transfer"}, page=url).status_code == 302
    )
    payment = session.query(Payment).filter_by(order_id=order.id).one()
    assert payment.status == PaymentStatus.ISSUED and payment.instructions == BANK
    assert _mails(outbox, buyer.email)[-1]["Subject"] == f"Pesanan {order.code}: cara membayar"
    # The buyer pays and sends the proof without waiting for anyone.
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
    assert payment.status == PaymentStatus.PROOF_UPLOADED


# --- the billing code ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ["abc", "82024112500012", "8202411250001234", "", None])
def test_a_billing_code_has_15_digits_in_the_service(
    session, outbox, buyer, officer, approved_order, code
):
    order = approved_order
    payment = _start(session, order)
    sent = len(outbox.messages())
    with pytest.raises(InvalidChoice) as refused:
        _issue(session, order, payment, officer, code=code)
    assert refused.value.detail == {"field": "billing_code"}
    session.rollback()
    session.refresh(payment)
    assert payment.status == PaymentStatus.REQUESTED and payment.billing_code is None
    assert len(outbox.messages()) == sent
    # Spaces as officers paste them are fine.
    _issue(session, order, payment, officer, code="8202 4112 5000 123")
    assert payment.billing_code == BILLING_CODE


@pytest.mark.parametrize("code", ["abc", "82024112500012"])
def test_a_bad_billing_code_on_the_staff_page(
    client, session, buyer, officer, approved_order, code
):
    order = approved_order
    payment = _start(session, order)
    login(client, officer)
    staff = f"/staff/store/orders/{order.code}"
    response = submit(
        client,
        f"{staff}/payments/{payment.id}/billing",
        {f"p{payment.id}-billing_code": code, f"p{payment.id}-instructions": "x"},
        page=staff,
    )
    assert response.status_code == 302
    html = client.get(staff).get_data(as_text=True)
    assert "Kode billing SIMPONI: Kode billing SIMPONI terdiri atas tepat 15 digit." in html
    session.refresh(payment)
    assert payment.status == PaymentStatus.REQUESTED and payment.billing_code is None


@pytest.mark.parametrize("code", ["abc", "82024112500012"])
def test_a_bad_billing_code_over_the_api(client, session, buyer, officer, approved_order, code):
    order = approved_order
    payment = _start(session, order)
    response = client.post(
        f"/api/v1/store/orders/{order.code}/payments/{payment.id}/billing",
        json={"billing_code": code},
        headers=_auth(session, officer),
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["billing_code"] == [
        "Kode billing SIMPONI terdiri atas tepat 15 digit."
    ]
    session.refresh(payment)
    assert payment.status == PaymentStatus.REQUESTED and payment.billing_code is None


def test_the_invoice_prints_the_billing_code(session, tmp_path, buyer, officer, approved_order):
    order = approved_order
    _issue(session, order, _start(session, order), officer)
    text = _pdf_text(tmp_path, documents.invoice_pdf(order, office=OFFICE))
    assert "Kode billing SIMPONI" in text and BILLING_CODE in text


# --- the confirmation records what proves the payment ------------------------------------


def _issued(session, order, officer, method="simponi"):
    payment = _start(session, order, method)
    if method == "simponi":
        return _issue(session, order, payment, officer)
    return _issue(session, order, payment, officer, code=None, instructions="BRI")


@pytest.mark.parametrize(
    ("method", "reference"),
    [
        ("simponi", None),
        ("simponi", ""),
        ("simponi", "0A1B2C3D4E5F6G7"),  # 15 characters
        ("simponi", "0A1B2C3D4E5F6G7H8"),  # 17
        ("simponi", "0A1B2C3D4E5F6G7!"),
        ("bank_transfer", None),
        ("bank_transfer", "x"),
        ("bank_transfer", "<script>"),
    ],
)
def test_confirmation_needs_the_ntpn_or_bank_reference(
    session, buyer, officer, approved_order, method, reference
):
    order = approved_order
    payment = _issued(session, order, officer, method)
    with pytest.raises(InvalidChoice) as refused:
        manual.confirm(
            session,
            order,
            payment.id,
            reference=reference,
            actor_id=officer.id,
            now=utcnow(),
            settings=SETTINGS,
        )
    assert refused.value.detail == {"field": "reference"}
    session.rollback()
    order = orders.get_order(session, order.code, user=buyer, now=utcnow())
    assert order.status == S.AWAITING_PAYMENT and order.receipt_no is None
    assert order.payments[0].status == PaymentStatus.ISSUED and order.payments[0].reference is None


def test_the_ntpn_is_stored_shown_to_staff_and_printed(
    client, session, tmp_path, buyer, officer, approved_order
):
    order = approved_order
    payment = _issued(session, order, officer)
    login(client, officer)
    staff = f"/staff/store/orders/{order.code}"
    field = f"c{payment.id}-reference"
    # A wrong NTPN on the page: a message naming the field, nothing changed.
    response = submit(
        client, f"{staff}/payments/{payment.id}/confirm", {field: "12345"}, page=staff
    )
    assert response.status_code == 302
    html = client.get(staff).get_data(as_text=True)
    assert "NTPN (16 huruf dan angka): NTPN terdiri atas tepat 16 huruf dan angka." in html
    session.refresh(payment)
    assert payment.status == PaymentStatus.ISSUED
    # The right one, typed in lower case with spaces.
    typed = "0a1b 2c3d 4e5f 6g7h"
    submit(client, f"{staff}/payments/{payment.id}/confirm", {field: typed}, page=staff)
    session.refresh(payment)
    assert payment.status == PaymentStatus.CONFIRMED and payment.reference == NTPN
    audit = session.query(AuditEvent).filter_by(action="store.payment_confirmed").one()
    assert json.loads(audit.detail)["reference"] == NTPN
    assert NTPN in client.get(staff).get_data(as_text=True)
    receipt = _pdf_text(tmp_path, documents.receipt_pdf(order, office=OFFICE))
    assert "NTPN" in receipt and NTPN in receipt and BILLING_CODE in receipt


def test_the_bank_reference_is_printed_on_the_receipt(
    session, tmp_path, buyer, officer, approved_order
):
    order = approved_order
    payment = _issued(session, order, officer, "bank_transfer")
    manual.confirm(
        session,
        order,
        payment.id,
        reference=BANK_REF,
        actor_id=officer.id,
        now=utcnow(),
        settings=SETTINGS,
    )
    receipt = _pdf_text(tmp_path, documents.receipt_pdf(order, office=OFFICE))
    assert "Referensi bank" in receipt and BANK_REF in receipt


@pytest.mark.parametrize("body", [{}, {"reference": ""}, {"reference": "0A1B2C3D4E5F6G7"}])
def test_api_confirmation_needs_the_ntpn(client, session, buyer, officer, approved_order, body):
    order = approved_order
    payment = _issued(session, order, officer)
    response = client.post(
        f"/api/v1/store/orders/{order.code}/payments/{payment.id}/confirm",
        json=body,
        headers=_auth(session, officer),
    )
    assert response.status_code == 422
    assert "reference" in response.get_json()["errors"]["json"]
    session.refresh(payment)
    assert payment.status == PaymentStatus.ISSUED and payment.reference is None
    response = client.post(
        f"/api/v1/store/orders/{order.code}/payments/{payment.id}/confirm",
        json={"reference": NTPN},
        headers=_auth(session, officer),
    )
    assert response.status_code == 200
    assert response.get_json()["order"]["payments"][0]["reference"] == NTPN


def test_history_says_paid_once(client, session, buyer, officer, approved_order):
    order = approved_order
    payment = _issued(session, order, officer)
    manual.confirm(
        session,
        order,
        payment.id,
        reference=NTPN,
        actor_id=officer.id,
        now=utcnow(),
        settings=SETTINGS,
    )
    login(client, buyer)
    html = client.get(f"/store/orders/{order.code}").get_data(as_text=True)
    assert "lunas → lunas" not in html and "— lunas" in html


# --- an order of Rp0 has nothing to pay ---------------------------------------------------


@pytest.fixture
def free_order(session, buyer, officer, products):
    maps = product_of(products, ProductKind.MAP)
    order = orders.create_order(
        session,
        buyer,
        [{"product_id": maps.id, "regions": ["1771"]}],
        settings=SETTINGS,
        zero_rate_basis="education",
        zero_rate_note="Skripsi S1",
        now=utcnow(),
    )
    complete_requirements(session, order, buyer)
    orders.review(
        session,
        order,
        "approve",
        actor=officer,
        settings=SETTINGS,
        grant_zero_rate=True,
        now=utcnow(),
    )
    assert order.total == 0 and order.status == S.FULFILLED
    return order


def test_a_free_order_has_no_deadline(session, free_order):
    assert free_order.payment_due_at is None
    event = session.query(OrderEvent).filter_by(order_id=free_order.id, to_status="paid").one()
    assert event.note == "waiver"


def test_a_free_orders_invoice_asks_for_nothing(tmp_path, free_order):
    text = _pdf_text(
        tmp_path, documents.invoice_pdf(free_order, office=OFFICE, bank_details="Bank BRI 0123")
    )
    assert free_order.invoice_no in text
    for absent in ("Batas waktu", "SIMPONI", "transfer", "Bank BRI", "Terbilang"):
        assert absent not in text, absent
    assert "tanpa biaya" in text and "pendidikan" in text


def test_a_free_orders_receipt_says_what_it_is(tmp_path, free_order):
    text = _pdf_text(tmp_path, documents.receipt_pdf(free_order, office=OFFICE))
    assert "Uang sejumlah" not in text and "Telah diterima dari" not in text
    assert "TANPA BIAYA" in text and "tarif Rp0" in text and "pendidikan" in text
    assert free_order.receipt_no in text

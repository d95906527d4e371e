"""Walk-in sale pages over HTTP: officers only, the desk console's link, bad input (field
messages, nothing changed), a cash sale to its receipt; and the back office opening on
what waits for an officer, with the products of every order listed."""

from __future__ import annotations

import io

import pytest
from helpers import submit
from storekit import PDF_SCAN, SETTINGS, abstract_data, login, person, product_of

from app.db import utcnow
from store import orders, walkin
from store.models import Order, OrderStatus, Payment, Product, ProductKind
from store.payments.manual import ManualProvider

S = OrderStatus


@pytest.fixture
def visitor(session):
    return person(session, full_name="Dewi Anggraini")


def _sale(session, visitor, officer, **kwargs):
    return walkin.start_sale(
        session, visitor_id=visitor.id, officer=officer, now=utcnow(), **kwargs
    )


def test_only_officers_use_the_walk_in_pages(client, session, visitor, officer, buyer):
    order = _sale(session, visitor, officer)
    pages = ["/staff/store/walk-in", f"/staff/store/walk-in/{order.code}"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(client, buyer)
    for url in pages:
        assert client.get(url).status_code == 403
    for url in (
        "/staff/store/walk-in",
        f"/staff/store/walk-in/{order.code}/place",
        f"/staff/store/walk-in/{order.code}/payment",
    ):
        response = submit(client, url, {"visitor_id": str(buyer.id)}, page="/store/cart")
        assert response.status_code == 403
    assert session.query(Order).count() == 1


def test_a_cash_sale_over_http(client, session, visitor, officer, products):
    printed = product_of(products, ProductKind.PRINTED)
    stock = printed.stock
    login(client, officer)
    html = client.get("/staff/store/walk-in?q=Dewi").get_data(as_text=True)
    assert "Dewi Anggraini" in html and visitor.email in html
    response = submit(
        client, "/staff/store/walk-in", {"visitor_id": str(visitor.id)}, page="/staff/store/walk-in"
    )
    assert response.status_code == 302
    url = response.headers["Location"]
    code = url.rsplit("/", 1)[-1]
    order = session.query(Order).filter_by(code=code).one()
    assert (order.user_id, order.entered_by_id, order.channel) == (visitor.id, officer.id, "desk")

    # Bad input: no copies. A message, nothing added.
    page = f"{url}?product={printed.id}"
    assert 'id="quantity"' in client.get(page).get_data(as_text=True)
    response = submit(
        client, f"{url}/items", {"product_id": str(printed.id), "quantity": "0"}, page=page
    )
    assert response.status_code == 302
    assert "flash-error" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert session.get(Order, order.id).items == []
    response = submit(
        client, f"{url}/items", {"product_id": str(printed.id), "quantity": "2"}, page=page
    )
    assert response.status_code == 302 and len(session.get(Order, order.id).items) == 1
    assert submit(client, f"{url}/place", {}, page=url).status_code == 302
    assert session.get(Order, order.id).status == S.AWAITING_PAYMENT
    assert session.get(Product, printed.id).stock == stock - 2

    # Bad input: SIMPONI without its code; no method at all. Messages, nothing changed.
    response = submit(client, f"{url}/payment", {"method": "simponi"}, page=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="billing_code-error"' in html
    response = submit(client, f"{url}/payment", {}, page=url)
    assert response.status_code == 422 and 'id="method-error"' in response.get_data(as_text=True)
    assert session.query(Payment).count() == 0

    response = submit(client, f"{url}/payment", {"method": "cash"}, page=url)
    assert response.status_code == 302
    order = session.get(Order, order.id)
    assert order.status == S.FULFILLED and order.receipt_no
    html = client.get(url).get_data(as_text=True)
    assert 'id="doc-receipt"' in html and 'id="doc-invoice"' in html
    receipt = client.get(f"/store/orders/{code}/documents/receipt.pdf")
    assert receipt.status_code == 200 and receipt.mimetype == "application/pdf"
    assert receipt.data.startswith(b"%PDF")
    # The staff order page lists what was bought and leads back to the sale.
    html = client.get(f"/staff/store/orders/{code}").get_data(as_text=True)
    assert printed.title in html and 'id="desk-sale"' in html


def test_paper_requirements_over_http(client, session, visitor, officer, susenas):
    order = _sale(session, visitor, officer)
    walkin.add_item(
        session,
        order,
        susenas.id,
        variables=["R102"],
        regions=["1771"],
        actor=officer,
        now=utcnow(),
    )
    walkin.place(session, order, actor=officer, settings=SETTINGS, now=utcnow())
    login(client, officer)
    url = f"/staff/store/walk-in/{order.code}"
    html = client.get(url).get_data(as_text=True)
    assert 'id="requirements-form"' in html and "/documents/sppd.pdf" in html
    data = abstract_data()
    data["completion_date"] = data["completion_date"].isoformat()

    # Every field missing: the form comes back with its messages; nothing saved.
    response = submit(
        client,
        f"{url}/requirements",
        {"title": "Judul saja"},
        page=url,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="purpose-error"' in html and 'id="signed_sppd-error"' in html
    assert 'value="Judul saja"' in html  # what was typed is kept
    # A scan that is not a PDF, JPEG or PNG.
    response = submit(
        client,
        f"{url}/requirements",
        {**data, "signed_sppd": (io.BytesIO(b"plain text"), "sppd.txt")},
        page=url,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and 'id="signed_sppd-error"' in response.get_data(
        as_text=True
    )
    order = session.get(Order, order.id)
    assert order.abstract is None and order.acceptance is None and order.status == S.REQUIREMENTS

    response = submit(
        client,
        f"{url}/requirements",
        {
            **data,
            "signed_sppd": (io.BytesIO(PDF_SCAN), "sppd.pdf"),
            "paper_abstract": (io.BytesIO(b"\xff\xd8\xff\xe0 paper form"), "abstraksi.jpg"),
        },
        page=url,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    order = session.get(Order, order.id)
    assert order.status == S.UNDER_REVIEW and order.acceptance.scan_key
    assert order.abstract.scan_content_type == "image/jpeg"
    html = client.get(f"/staff/store/orders/{order.code}").get_data(as_text=True)
    assert 'id="review-form"' in html and "/files/scan" in html
    assert 'id="paper-abstract"' in html
    scan = client.get(f"/store/orders/{order.code}/files/abstract")
    assert scan.status_code == 200 and scan.data.startswith(b"\xff\xd8\xff")


def test_the_console_offers_the_sale_for_a_sales_number(client, session, visitor, officer):
    from desk import queue
    from desk.models import Channel, ServiceType

    now = utcnow()
    ticket = queue.issue_ticket(
        session,
        service=ServiceType.SALES,
        now=now,
        channel=Channel.RECEPTION,
        user_id=visitor.id,
        staff=True,
    )
    session.commit()
    login(client, officer)
    submit(client, "/staff/desk/console", {"desk": "2", "services": ["sales"]})
    queue.call_next(session, services=[ServiceType.SALES], officer_id=officer.id, desk="2", now=now)
    html = client.get("/staff/desk/console").get_data(as_text=True)
    link = f"/staff/store/walk-in?ticket={ticket.id}"
    assert link in html
    html = client.get(link).get_data(as_text=True)
    assert 'id="ticket-visitor"' in html and "Dewi Anggraini" in html
    response = submit(
        client,
        f"/staff/store/walk-in?ticket={ticket.id}",
        {"visitor_id": str(visitor.id)},
        page=link,
    )
    assert response.status_code == 302
    order = session.query(Order).one()
    assert order.desk_ticket_id == ticket.id and order.user_id == visitor.id


def test_the_back_office_opens_on_what_waits_for_an_officer(
    client, session, buyer, officer, products
):
    digital = product_of(products, ProductKind.DIGITAL)
    order = orders.create_order(
        session, buyer, [{"product_id": digital.id}], settings=SETTINGS, now=utcnow()
    )
    ManualProvider().start(session, order, method="bank_transfer", now=utcnow())
    idle = orders.create_order(
        session, buyer, [{"product_id": digital.id}], settings=SETTINGS, now=utcnow()
    )
    login(client, officer)
    html = client.get("/staff/store").get_data(as_text=True)
    assert order.code in html  # its transfer details are to be issued
    assert idle.code not in html  # the buyer has yet to choose how to pay
    assert 'id="tab-todo" aria-current="page"' in html


def test_the_staff_page_of_an_order_without_abstract_lists_what_was_bought(
    client, session, buyer, officer, products
):
    digital = product_of(products, ProductKind.DIGITAL)
    order = orders.create_order(
        session, buyer, [{"product_id": digital.id}], settings=SETTINGS, now=utcnow()
    )
    login(client, officer)
    html = client.get(f"/staff/store/orders/{order.code}").get_data(as_text=True)
    assert digital.title in html


def test_create_walk_in_order_over_the_api(client, session, visitor, officer, buyer, products):
    from app.accounts import services as accounts

    printed = product_of(products, ProductKind.PRINTED)
    stock = printed.stock
    staff = {"Authorization": f"Bearer {accounts.create_api_token(session, officer, 'api')[1]}"}
    user = {"Authorization": f"Bearer {accounts.create_api_token(session, buyer, 'api')[1]}"}
    body = {"visitor_id": visitor.id, "items": [{"product_id": printed.id, "quantity": 3}]}
    assert client.post("/api/v1/store/walk-in-orders", json=body).status_code == 401
    assert client.post("/api/v1/store/walk-in-orders", json=body, headers=user).status_code == 403
    bad = {"visitor_id": visitor.id, "items": [{"product_id": printed.id, "quantity": 0}]}
    response = client.post("/api/v1/store/walk-in-orders", json=bad, headers=staff)
    assert response.status_code == 422
    response = client.post(
        "/api/v1/store/walk-in-orders", json={**body, "visitor_id": 999999}, headers=staff
    )
    assert response.status_code == 422
    assert session.query(Order).count() == 0
    response = client.post("/api/v1/store/walk-in-orders", json=body, headers=staff)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["status"] == "awaiting_payment" and data["shipping_fee"] == 0
    order = session.query(Order).filter_by(code=data["code"]).one()
    assert (order.user_id, order.entered_by_id, order.channel) == (visitor.id, officer.id, "desk")
    assert session.get(Product, printed.id).stock == stock - 3
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["paths"]["/api/v1/store/walk-in-orders"]["post"]["operationId"] == (
        "createWalkInOrder"
    )


def test_a_rp0_claim_without_evidence_is_refused_over_http(
    client, session, visitor, officer, products
):
    digital = product_of(products, ProductKind.DIGITAL)
    order = _sale(session, visitor, officer)
    walkin.add_item(session, order, digital.id, actor=officer, now=utcnow())
    login(client, officer)
    url = f"/staff/store/walk-in/{order.code}"
    response = submit(
        client,
        f"{url}/place",
        {"zero_rate_basis": "education", "zero_rate_note": "Skripsi"},
        page=url,
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert 'id="evidence-error"' in response.get_data(as_text=True)
    order = session.get(Order, order.id)
    assert order.status == S.DRAFT and order.zero_rate.value == "none"
    response = submit(
        client,
        f"{url}/place",
        {
            "zero_rate_basis": "education",
            "evidence": (io.BytesIO(PDF_SCAN), "ktm.pdf"),
        },
        page=url,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert session.get(Order, order.id).status == S.UNDER_REVIEW

"""The store over HTTP: a buyer's pages from product to download, the officers' back
office, and object-level access (another buyer gets 404 everywhere)."""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest
from helpers import csrf_token, submit
from sqlalchemy import select
from storekit import (
    BANK_REF,
    BILLING_CODE,
    NTPN,
    SETTINGS,
    abstract_data,
    complete_requirements,
    gated_order,
    login,
    pay_manually,
    product_of,
)

from app.audit import AuditEvent
from app.blobs import current_store
from app.db import utcnow
from catalog import cataloguing
from catalog.ingest import Limits
from catalog.models import Access
from library.models import Entitlement
from store import orders
from store.models import Order, OrderStatus, ProductKind, Tariff
from store.payments import manual

S = OrderStatus


def _post(client, url, data=None, page=None, **kwargs):
    return submit(client, url, data or {}, page=page or url.rsplit("/", 1)[0], **kwargs)


def test_products_pages(client, products, susenas):
    html = client.get("/store").get_data(as_text=True)
    assert "SUSENAS" in html and "Rp" in html
    html = client.get("/store?kind=microdata").get_data(as_text=True)
    assert "Peta Digital Wilkerstat" not in html
    html = client.get(f"/store/products/{susenas.id}").get_data(as_text=True)
    assert "EXPEND" in html and "/login" in html
    assert client.get("/store/products/999999").status_code == 404


def test_buyer_journey_over_http(client, session, buyer, officer, susenas):
    login(client, buyer)
    page = f"/store/products/{susenas.id}"
    response = submit(
        client,
        f"/store/products/{susenas.id}/cart",
        {"variables": ["R102", "EXPEND"], "regions": ["1771"], "file_format": "csv"},
        page=page,
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/store/cart")
    response = submit(client, "/store/cart/checkout", {"zero_rate_basis": ""}, page="/store/cart")
    assert response.status_code == 302
    code = response.headers["Location"].rsplit("/", 1)[-1]
    html = client.get(f"/store/orders/{code}").get_data(as_text=True)
    assert "abstract-form" in html and "agreement-form" in html
    url = f"/store/orders/{code}"
    data = abstract_data()
    data["completion_date"] = data["completion_date"].isoformat()
    assert submit(client, f"{url}/abstract", data, page=url).status_code == 302
    from store.requirements import current_agreement

    sha = current_agreement(session).sha256
    assert (
        submit(
            client, f"{url}/agreement", {"accept": "y", "text_sha256": sha}, page=url
        ).status_code
        == 302
    )
    sppd = client.get(f"{url}/documents/sppd.pdf")
    assert sppd.status_code == 200 and sppd.mimetype == "application/pdf"
    response = submit(
        client,
        f"{url}/scan",
        {"file": (io.BytesIO(b"%PDF-1.4 scan"), "sppd.pdf")},
        page=url,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    order = session.query(Order).filter_by(code=code).one()
    assert order.status == S.UNDER_REVIEW

    # Payment is refused before approval, also by posting the form directly.
    response = submit(client, f"{url}/pay", {"way": "manual:simponi"}, page=url)
    assert response.status_code == 302
    session.expire_all()
    assert not order.payments

    # The officer reviews beside the chosen variables and regions.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, officer)
    staff = f"/staff/store/orders/{code}"
    html = client.get(staff).get_data(as_text=True)
    assert "review-form" in html and "EXPEND" in html
    assert submit(client, f"{staff}/review", {"decision": "approve"}, page=staff).status_code == 302
    session.expire_all()
    assert order.status == S.AWAITING_PAYMENT

    # The buyer asks for a SIMPONI code, the officer issues it, the buyer sends the proof.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, buyer)
    assert submit(client, f"{url}/pay", {"way": "manual:simponi"}, page=url).status_code == 302
    session.expire_all()
    payment = order.payments[0]
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, officer)
    response = submit(
        client,
        f"{staff}/payments/{payment.id}/billing",
        {
            f"p{payment.id}-billing_code": BILLING_CODE,
            f"p{payment.id}-instructions": "Bank persepsi",
        },
        page=staff,
    )
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, buyer)
    assert BILLING_CODE in client.get(url).get_data(as_text=True)
    response = submit(
        client,
        f"{url}/payments/{payment.id}/proof",
        {"file": (io.BytesIO(b"\x89PNG\r\n\x1a\nproof"), "bukti.png")},
        page=url,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, officer)
    proof = client.get(f"/store/orders/{code}/files/proof-{payment.id}")
    assert proof.status_code == 200 and proof.get_data().startswith(b"\x89PNG")
    assert (
        submit(
            client,
            f"{staff}/payments/{payment.id}/confirm",
            {f"c{payment.id}-reference": NTPN},
            page=staff,
        ).status_code
        == 302
    )
    session.expire_all()
    assert order.status == S.FULFILLED
    assert session.query(AuditEvent).filter_by(action="store.payment_confirmed").count() == 1

    # The buyer downloads the package: the data cut to the choice, the SPPD, README, licence.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(client, buyer)
    item = order.items[0]
    response = submit(client, f"{url}/items/{item.id}/download", {}, page=url)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.get_data())).namelist()
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    csv_name = next(n for n in names if n.endswith(".csv"))
    lines = archive.read(csv_name).decode().splitlines()
    assert lines[0] == "R102,EXPEND"
    assert lines[1:] and all(line.startswith("1771,") for line in lines[1:])
    assert any(n.endswith("README.txt") for n in names)
    assert any(n.endswith("LISENSI.txt") for n in names)
    assert any(n.endswith(f"SPPD-{code}.pdf") for n in names)
    readme = archive.read(next(n for n in names if n.endswith("README.txt"))).decode()
    assert "Sitasi" in readme and "EXPEND" in readme
    for kind in ("invoice", "receipt"):
        doc = client.get(f"{url}/documents/{kind}.pdf")
        assert doc.status_code == 200 and doc.get_data().startswith(b"%PDF")


def test_another_buyer_gets_404_everywhere(
    client, session, buyer, other_buyer, officer, approved_order
):
    order = approved_order
    login(client, other_buyer)
    url = f"/store/orders/{order.code}"
    item = order.items[0]
    assert client.get(url).status_code == 404
    for kind in ("invoice", "sppd", "receipt"):
        assert client.get(f"{url}/documents/{kind}.pdf").status_code == 404
    assert client.get(f"{url}/files/scan").status_code == 404
    token = csrf_token(client, "/store")
    for path in ("abstract", "agreement", "pay", "cancel", f"items/{item.id}/download"):
        response = client.post(f"{url}/{path}", data={"csrf_token": token})
        assert response.status_code == 404, path
    assert client.get("/staff/store").status_code == 403
    session.expire_all()
    assert order.status == S.AWAITING_PAYMENT


def test_unknown_order_and_item_are_404(client, session, buyer, approved_order):
    login(client, buyer)
    assert client.get("/store/orders/PST-NOPE1234").status_code == 404
    url = f"/store/orders/{approved_order.code}"
    token = csrf_token(client, url)
    assert (
        client.post(f"{url}/items/999999/download", data={"csrf_token": token}).status_code == 404
    )


@pytest.fixture
def publication(session, tmp_path):
    """A real PDF for sale (overrides the bare row: this module downloads it)."""
    from factories import make_pdf

    pdf = make_pdf(tmp_path / "p.pdf", ["Provinsi Bengkulu Dalam Angka", "Tabel 1"])
    pub = cataloguing.ingest(
        session,
        current_store(),
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": "Provinsi Bengkulu Dalam Angka 2025", "access": "sale"},
    )
    assert pub.access == Access.SALE
    return pub


def test_digital_publication_is_stamped_with_the_order_code(
    client, session, buyer, officer, products, publication, tmp_path
):
    digital = product_of(products, ProductKind.DIGITAL)
    order = orders.create_order(
        session, buyer, [{"product_id": digital.id}], settings=SETTINGS, now=utcnow()
    )
    assert order.status == S.AWAITING_PAYMENT  # no abstract for publications
    payment = (
        manual.ManualProvider().start(session, order, method="bank_transfer", now=utcnow()).payment
    )
    manual.issue_billing(
        session,
        order,
        payment.id,
        billing_code=None,
        instructions="BRI",
        actor_id=officer.id,
        now=utcnow(),
    )
    login(client, buyer)
    url = f"/store/orders/{order.code}"
    # Before payment the library refuses (the publication is for sale) and so does the store.
    assert (
        client.post(
            f"/publications/{publication.id}/download", data={"csrf_token": csrf_token(client, url)}
        ).status_code
        == 302
    )
    response = _post(client, f"{url}/items/{order.items[0].id}/download", page=url)
    assert response.status_code == 302
    manual.confirm(
        session,
        order,
        payment.id,
        reference=BANK_REF,
        actor_id=officer.id,
        now=utcnow(),
        settings=SETTINGS,
    )
    entitlement = session.query(Entitlement).one()
    assert entitlement.source == "purchase" and entitlement.source_ref == str(order.items[0].id)
    response = _post(client, f"{url}/items/{order.items[0].id}/download", page=url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    (tmp_path / "d.pdf").write_bytes(response.get_data())
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Pesanan {order.code}" in text and "Rina Marlina" in text

    # A refund withdraws the right.
    from store.payments.stripe_provider import refund_order

    refund_order(session, order, actor_id=officer.id, now=utcnow(), note="dibatalkan")
    session.expire_all()
    assert entitlement.revoked_at is not None
    response = _post(client, f"{url}/items/{order.items[0].id}/download", page=url)
    assert response.status_code == 302


def test_a_purchase_and_its_downloads_are_one_service(
    client, session, buyer, officer, products, publication
):
    """Buying a publication and downloading it (twice, from the order and from the
    library) is one sales service: one record, one rating."""
    from desk.models import ServiceRecord, ServiceType

    digital = product_of(products, ProductKind.DIGITAL)
    order = orders.create_order(
        session, buyer, [{"product_id": digital.id}], settings=SETTINGS, now=utcnow()
    )
    pay_manually(session, order, officer=officer)
    login(client, buyer)
    url = f"/store/orders/{order.code}"
    assert _post(client, f"{url}/items/{order.items[0].id}/download", page=url).status_code == 200
    library = f"/publications/{publication.id}"
    response = client.post(f"{library}/download", data={"csrf_token": csrf_token(client, library)})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    (record,) = session.scalars(select(ServiceRecord)).all()
    assert record.service == ServiceType.SALES and record.service_key == f"store-order:{order.id}"
    assert record.source == "store.order" and record.officer_id == officer.id


def test_officer_back_office_pages(client, session, buyer, officer, approved_order, products):
    login(client, officer)
    html = client.get("/staff/store?status=awaiting_payment").get_data(as_text=True)
    assert approved_order.code in html
    html = client.get("/staff/store?status=rejected").get_data(as_text=True)
    assert "empty" in html
    assert client.get(f"/staff/store?status=all&q={buyer.full_name[:4]}").status_code == 200
    html = client.get("/staff/store/reports").get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html
    csv = client.get("/staff/store/reports.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    tariff = session.query(Tariff).filter_by(code="MIKRO-KOR").one()
    page = "/staff/store/tariffs"
    assert "MIKRO-KOR" in client.get(page).get_data(as_text=True)
    response = submit(
        client,
        f"/staff/store/tariffs/{tariff.id}",
        {f"t{tariff.id}-amount": "800000", f"t{tariff.id}-regulation": "PP 13/2024"},
        page=page,
    )
    assert response.status_code == 302
    session.expire_all()
    assert tariff.amount == 800_000
    assert session.query(AuditEvent).filter_by(action="store.tariff_changed").count() == 1


def test_reports_count_paid_orders(session, buyer, officer, approved_order):
    from store import reports

    payment = (
        manual.ManualProvider()
        .start(session, approved_order, method="simponi", now=utcnow())
        .payment
    )
    manual.issue_billing(
        session,
        approved_order,
        payment.id,
        billing_code=BILLING_CODE,
        instructions="",
        actor_id=officer.id,
        now=utcnow(),
    )
    manual.confirm(
        session,
        approved_order,
        payment.id,
        reference=NTPN,
        actor_id=officer.id,
        now=utcnow(),
        settings=SETTINGS,
    )
    year = utcnow().year
    months = reports.monthly(session, year)
    assert sum(m.revenue for m in months) == approved_order.total
    assert reports.by_product(session, year)[0].revenue == approved_order.total
    csv = reports.orders_csv(session, year)
    assert approved_order.code in csv and approved_order.invoice_no in csv


def test_revision_shown_to_the_buyer(client, session, buyer, officer, susenas):
    order = complete_requirements(session, gated_order(session, buyer, susenas), buyer)
    orders.review(
        session,
        order,
        "revise",
        actor=officer,
        settings=SETTINGS,
        reason="Jelaskan metode.",
        now=utcnow(),
    )
    login(client, buyer)
    html = client.get(f"/store/orders/{order.code}").get_data(as_text=True)
    assert "Jelaskan metode." in html and "abstract-form" in html


def test_publication_page_offers_the_products(client, session, products, publication):
    html = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert "/store/products/" in html


def test_the_order_history_records_the_address_the_view_passes(client, session, buyer, susenas):
    from store.models import OrderEvent

    order = gated_order(session, buyer, susenas)  # a service called without a request
    login(client, buyer)
    url = f"/store/orders/{order.code}"
    assert _post(client, f"{url}/cancel", page=url).status_code == 302
    session.expire_all()
    events = {
        e.action: e.ip
        for e in session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id))
    }
    assert events["checkout"] is None
    assert events["cancelled"] == "127.0.0.1"  # the test client's address

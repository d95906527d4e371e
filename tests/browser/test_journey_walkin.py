"""A walk-in sale in a real browser (SOP-1-02 in person).

A visitor signs the guest book on the kiosk and takes a sales number; the officer calls
it at the desk console, opens "sell to this visitor", sells a printed publication, takes
the payment in cash and prints the receipt (the PDF opens); back at the console the
officer finishes the number, and the one service record of the visit names the order.

The office clock (``CLOCK``) runs in real time from a Wednesday 10:00 WIB, so the
journey does not depend on the day the tests run.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from factories import PASSWORD, user
from helpers import WEDNESDAY_10, FakeClock
from playwright.sync_api import expect
from pypdf import PdfReader

from app.accounts.models import Role
from app.blobs import current_store
from app.extensions import db
from catalog.models import Access, Publication
from demo.products import seed_products
from store.models import Order, Product, ProductKind

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"CLOCK": FakeClock(WEDNESDAY_10, running=True)}


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit], form.form input[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))


def _sales_ticket(kiosk: Any, base: str) -> None:
    kiosk.goto(f"{base}/desk/kiosk")
    kiosk.click("#start-guestbook")
    kiosk.click("#first-visit")
    kiosk.check("#services-1")  # sales
    kiosk.select_option("#purpose", "research")
    kiosk.fill("#need", "Buku Provinsi Bengkulu Dalam Angka")
    kiosk.fill("#full_name", "Rudi Hartono")
    kiosk.fill("#email", "rudi@example.org")
    kiosk.fill("#phone", "0812 7777 8888")
    kiosk.select_option("#id_type", "ktp")
    kiosk.fill("#id_number", "1771011111111111")
    kiosk.fill("#institution", "Universitas Bengkulu")
    kiosk.select_option("#institution_kind", "education")
    kiosk.fill("#occupation", "Mahasiswa")
    kiosk.select_option("#education", "d4_s1")
    kiosk.check("#gender-0")
    kiosk.fill("#birth_year", "2001")
    kiosk.check("#consent")
    kiosk.click("form.form input[type=submit]")
    expect(kiosk.locator("#ticket-number")).to_have_text("B-001")


def _printed_product() -> Product:
    digest = hashlib.sha256(b"walk-in publication").hexdigest()
    db.session.add(
        Publication(
            title="Provinsi Bengkulu Dalam Angka 2025",
            printed=True,
            page_count=2,
            file_size=1000,
            sha256=digest,
            original_key=digest,
            master_key=digest,
            access=Access.SALE,
        )
    )
    db.session.commit()
    seed_products(db.session, current_store())
    return db.session.query(Product).filter_by(kind=ProductKind.PRINTED).first()


def test_walk_in_sale_of_a_printed_publication_paid_in_cash(
    make_page: Any, live_server: str, app: Any
) -> None:
    from desk.models import ServiceRecord

    printed = _printed_product()
    product_id, title, stock = printed.id, printed.title, printed.stock
    user(db.session, role=Role.OFFICER, email="petugas@example.org", full_name="Budi Petugas")
    # The lobby tablet sits on the office network (the other way in, an enrolled device,
    # is walked through in the desk journey).
    app.config["DESK_KIOSK_NETWORKS"] = ["127.0.0.1/32"]
    kiosk = make_page(width=1024, height=1366)
    _sales_ticket(kiosk, live_server)

    officer = make_page()
    officer.on("dialog", lambda dialog: dialog.accept())
    _sign_in(officer, live_server, "petugas@example.org")
    officer.goto(f"{live_server}/staff/desk/console")
    officer.fill("#desk", "1")
    officer.check("#services-1")  # sales
    officer.click("details form input[type=submit]")
    officer.click("#call-next")
    expect(officer.locator("#current-number")).to_have_text("B-001")
    officer.click("#start")

    # "Sell to this visitor": the store's walk-in sale, for the visitor of this number.
    officer.click("#ticket-link-1")
    expect(officer.locator("#ticket-visitor")).to_have_text("Rudi Hartono")
    officer.click("#start-sale")
    expect(officer.locator("#sale-visitor")).to_contain_text("Rudi Hartono")
    expect(officer.locator("#sale-ticket")).to_contain_text("B-001")
    officer.select_option("#product", str(product_id))
    officer.click("#choose-product")
    officer.fill("#quantity", "2")
    officer.click("#add-item-button")
    expect(officer.locator("#items")).to_contain_text(title)
    officer.click("#place-order")
    expect(officer.locator("#payment-form")).to_be_visible()

    # Cash at the desk: received now, the receipt is numbered, the copies handed over.
    officer.check("#method-0")
    officer.click("#payment-submit")
    expect(officer.locator(".flash-success")).to_be_visible()
    expect(officer.locator("#doc-receipt")).to_be_visible()
    code = officer.url.split("/walk-in/", 1)[1].split("#", 1)[0]
    db.session.expire_all()
    order = db.session.query(Order).filter_by(code=code).one()
    assert order.status.value == "fulfilled" and order.channel == "desk"
    assert db.session.get(Product, product_id).stock == stock - 2
    with officer.expect_download() as download:
        officer.click("#doc-receipt")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert order.receipt_no in text and "Rudi Hartono" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    officer.screenshot(path=str(ARTIFACTS / "store-walkin-sale.png"), full_page=True)

    # Back at the console the officer finishes the number: one record, naming the order.
    officer.click("#sale-ticket a")
    expect(officer.locator("#current-number")).to_have_text("B-001")
    officer.click("#finish")
    expect(officer.locator("#call-next")).to_be_visible()
    db.session.expire_all()
    records = db.session.query(ServiceRecord).all()
    assert len(records) == 1
    record = records[0]
    assert record.ticket_id == order.desk_ticket_id and record.source_ref == code
    assert title in record.products and record.user_id == order.user_id
    officer.goto(f"{live_server}/staff/desk/records")
    row = officer.locator("tbody tr").filter(has_text="B-001")
    expect(row).to_have_count(1)
    row.locator("a").first.click()
    expect(officer.locator("main")).to_contain_text(title)

"""A buyer purchases a microdata set end to end with manual payment.

Product page (choose variables and a regency) → cart → checkout → abstract of use →
accept the SPPD → upload the signed scan → (officer approves beside the choice) → SIMPONI
payment asked → (officer issues the billing code) → proof uploaded → (officer confirms)
→ the package downloads: the data cut to the choice, the SPPD, README and licence.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from factories import PASSWORD, user
from playwright.sync_api import expect

from app.accounts.models import Role
from app.blobs import current_store
from app.extensions import db
from demo.products import seed_products
from store.models import Order, Product

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit], form.form input[type=submit]")
    expect(page.locator(".signed-in")).to_be_visible()


def test_buyer_purchases_microdata(
    make_page: Any, live_server: str, tmp_path: Path, app: Any
) -> None:
    seed_products(db.session, current_store())
    susenas = db.session.query(Product).filter_by(survey="SUSENAS").one()
    user(db.session, email="sari@example.org", full_name="Sari Wulandari")
    user(db.session, email="petugas@example.org", full_name="Petugas Penjualan", role=Role.OFFICER)
    buyer = make_page(width=390, height=844)  # a phone
    officer = make_page()
    for pg in (buyer, officer):
        pg.on("dialog", lambda dialog: dialog.accept())
    _login(buyer, live_server, "sari@example.org")
    _login(officer, live_server, "petugas@example.org")

    # The buyer chooses variables and a regency on the product page.
    buyer.goto(f"{live_server}/store?kind=microdata")
    buyer.get_by_role("link", name=susenas.title).click()
    expect(buyer.locator("h1")).to_contain_text("SUSENAS")
    buyer.check("#var-R102")
    buyer.check("#var-EXPEND")
    buyer.check("#region-1771")
    buyer.click("#add-to-cart")
    expect(buyer).to_have_url(f"{live_server}/store/cart")
    buyer.click("#checkout-button")
    expect(buyer.locator("#abstract-form")).to_be_visible()
    code = buyer.url.rsplit("/", 1)[-1]

    # Requirements: the abstract, the SPPD accepted, the signed scan.
    buyer.fill("#title", "Ketimpangan pengeluaran di Kota Bengkulu")
    buyer.fill("#purpose", "Skripsi tentang ketimpangan.")
    buyer.fill("#method", "Indeks Gini dari EXPEND.")
    buyer.fill("#outputs", "Skripsi.")
    buyer.fill("#completion_date", (date.today() + timedelta(days=90)).isoformat())
    buyer.locator("#abstract-form button[type=submit]").click()
    expect(buyer.locator("#agreement-form")).to_be_visible()
    buyer.check("#accept")
    buyer.locator("#agreement-form button[type=submit]").click()
    expect(buyer.locator("#scan-form")).to_be_visible()
    buyer.set_input_files(
        "#scan-form input[type=file]",
        files=[
            {
                "name": "sppd.pdf",
                "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4\n% ditandatangani\n%%EOF\n",
            }
        ],
    )
    buyer.locator("#scan-form button[type=submit]").click()
    expect(buyer.locator("#order-status .store-state-under_review")).to_be_visible()

    # The officer reviews beside the chosen variables and regions, and approves.
    officer.goto(f"{live_server}/staff/store")
    officer.get_by_role("link", name=code).click()
    expect(officer.locator("#review-form")).to_be_visible()
    officer.check("#review-form input[value=approve]")
    officer.locator("#review-form button[type=submit]").click()
    expect(officer.locator("h1 .store-state-awaiting_payment")).to_be_visible()

    # The buyer asks for a SIMPONI billing code.
    buyer.reload()
    buyer.check("#pay-form input[value='manual:simponi']")
    buyer.locator("#pay-form button[type=submit]").click()
    expect(buyer.locator(".store-payment")).to_be_visible()

    officer.reload()
    billing = officer.locator("form[id^=billing-form-]")
    billing.locator("input[name$=billing_code]").fill("820241125000777")
    billing.locator("button[type=submit]").click()
    expect(officer.locator(".flash-success")).to_be_visible()

    buyer.reload()
    expect(buyer.locator(".billing-code")).to_have_text("820241125000777")
    buyer.set_input_files(
        "#proof-form input[type=file]",
        files=[{"name": "bukti.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\nbukti"}],
    )
    buyer.locator("#proof-form button[type=submit]").click()
    expect(buyer.locator(".flash-success")).to_be_visible()

    officer.reload()
    officer.locator("form[id^=confirm-form-] input[name$=reference]").fill("0A1B2C3D4E5F6G7H")
    officer.locator("button[id^=confirm-]").click()
    expect(officer.locator("h1 .store-state-fulfilled")).to_be_visible()

    # The buyer downloads the package.
    buyer.reload()
    expect(buyer.locator("#order-status .store-state-fulfilled")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    buyer.screenshot(path=str(ARTIFACTS / "store-order-fulfilled.png"), full_page=True)
    with buyer.expect_download() as info:
        buyer.locator("button[id^=download-]").click()
    download = info.value
    saved = tmp_path / "paket.zip"
    download.save_as(saved)
    assert download.suggested_filename == f"mikrodata-{code}-{_item_id(code)}.zip"
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    names = archive.namelist()
    data = archive.read(next(n for n in names if n.endswith(".csv"))).decode().splitlines()
    assert data[0] == "R102,EXPEND" and all(row.startswith("1771,") for row in data[1:])
    assert any(n.endswith(f"SPPD-{code}.pdf") for n in names)
    assert any(n.endswith("README.txt") for n in names)
    assert any(n.endswith("LISENSI.txt") for n in names)
    assert any(n.endswith(".pdf") and "ditandatangani" in n for n in names)


def _item_id(code: str) -> int:
    db.session.expire_all()
    return db.session.query(Order).filter_by(code=code).one().items[0].id

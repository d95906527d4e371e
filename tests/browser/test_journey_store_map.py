"""A buyer orders a wilkerstat map of two regencies that are not neighbours and receives
exactly those two.

Product page (regencies 1701 and 1709) → cart → checkout → abstract of use → accept the
SPPD → upload the signed scan → (an officer approves) → SIMPONI payment asked → (another
officer issues the billing code) → proof uploaded → (that officer confirms) → the package
downloads, and its map holds the features of 1701 and 1709 and of no other region.
"""

from __future__ import annotations

import io
import json
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
from store.models import Product, ProductKind

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit], form.form input[type=submit]")
    expect(page.locator(".signed-in")).to_be_visible()


def test_buyer_receives_exactly_the_two_regencies_of_a_map(
    make_page: Any, live_server: str, tmp_path: Path, app: Any
) -> None:
    seed_products(db.session, current_store())
    product = db.session.query(Product).filter_by(kind=ProductKind.MAP, area_level="regency").one()
    user(db.session, email="dian@example.org", full_name="Dian Pratama")
    user(db.session, email="peninjau@example.org", full_name="Peninjau PST", role=Role.OFFICER)
    user(db.session, email="kasir@example.org", full_name="Kasir PST", role=Role.OFFICER)
    buyer = make_page(width=390, height=844)  # a phone
    reviewer = make_page()
    cashier = make_page()
    for pg in (buyer, reviewer, cashier):
        pg.on("dialog", lambda dialog: dialog.accept())
    _login(buyer, live_server, "dian@example.org")
    _login(reviewer, live_server, "peninjau@example.org")
    _login(cashier, live_server, "kasir@example.org")

    # The buyer chooses two regencies that are not neighbours, as GeoJSON.
    buyer.goto(f"{live_server}/store?kind=map")
    buyer.get_by_role("link", name=product.title).click()
    expect(buyer.locator("h1")).to_contain_text("Wilkerstat")
    buyer.check("#region-1701")
    buyer.check("#region-1709")
    buyer.select_option("#file_format", "geojson")
    buyer.click("#add-to-cart")
    expect(buyer).to_have_url(f"{live_server}/store/cart")
    buyer.click("#checkout-button")
    expect(buyer.locator("#abstract-form")).to_be_visible()
    code = buyer.url.rsplit("/", 1)[-1]

    buyer.fill("#title", "Pemetaan akses layanan dasar di dua kabupaten")
    buyer.fill("#purpose", "Tesis tentang jarak SLS ke fasilitas kesehatan.")
    buyer.fill("#method", "Analisis spasial batas SLS.")
    buyer.fill("#variables", "Batas SLS (peta wilkerstat)")
    buyer.fill("#outputs", "Tesis.")
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

    # The reviewer approves beside the chosen regions.
    reviewer.goto(f"{live_server}/staff/store")
    reviewer.get_by_role("link", name=code).click()
    expect(reviewer.locator("#review-form")).to_be_visible()
    expect(reviewer.locator(".store-review")).to_contain_text("Kabupaten Bengkulu Tengah")
    reviewer.check("#review-form input[value=approve]")
    reviewer.locator("#review-form button[type=submit]").click()
    expect(reviewer.locator("h1 .store-state-awaiting_payment")).to_be_visible()

    # SIMPONI: the buyer asks, the cashier issues, the buyer sends the proof, the cashier
    # confirms.
    buyer.reload()
    buyer.check("#pay-form input[value='manual:simponi']")
    buyer.locator("#pay-form button[type=submit]").click()
    expect(buyer.locator(".store-payment")).to_be_visible()
    cashier.goto(f"{live_server}/staff/store/orders/{code}")
    billing = cashier.locator("form[id^=billing-form-]")
    billing.locator("input[name$=billing_code]").fill("820241125000999")
    billing.locator("button[type=submit]").click()
    expect(cashier.locator(".flash-success")).to_be_visible()
    buyer.reload()
    buyer.set_input_files(
        "#proof-form input[type=file]",
        files=[{"name": "bukti.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\nbukti"}],
    )
    buyer.locator("#proof-form button[type=submit]").click()
    expect(buyer.locator(".flash-success")).to_be_visible()
    cashier.reload()
    cashier.locator("form[id^=confirm-form-] input[name$=reference]").fill("0A1B2C3D4E5F6G7H")
    cashier.locator("button[id^=confirm-]").click()
    expect(cashier.locator("h1 .store-state-fulfilled")).to_be_visible()

    # The buyer downloads the package and finds 1701 and 1709, nothing else.
    buyer.reload()
    expect(buyer.locator("#order-status .store-state-fulfilled")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    buyer.screenshot(path=str(ARTIFACTS / "store-map-fulfilled.png"), full_page=True)
    with buyer.expect_download() as info:
        buyer.locator("button[id^=download-]").click()
    saved = tmp_path / "paket.zip"
    info.value.save_as(saved)
    archive = zipfile.ZipFile(io.BytesIO(saved.read_bytes()))
    data = [n for n in archive.namelist() if "/data/" in n]
    assert [n.rsplit("/", 1)[-1] for n in data] == ["wilkerstat_sls_2024.geojson"]
    features = json.loads(archive.read(data[0]))["features"]
    assert {f["properties"]["kode"] for f in features} == {"1701", "1709"}
    assert len(features) == 4  # two working areas of each
    others = [
        n
        for n in archive.namelist()
        if "/data/" not in n
        and not n.endswith(("README.txt", "LISENSI.txt", f"SPPD-{code}.pdf", ".pdf"))
    ]
    assert others == []
    readme = archive.read(next(n for n in archive.namelist() if n.endswith("README.txt")))
    assert "1709 Kabupaten Bengkulu Tengah" in readme.decode()

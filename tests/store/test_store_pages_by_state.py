"""Every order page renders for an order in every state, in both languages: a paid order
whose invoice and receipt were downloaded, then moved through each state the state
machine knows (finding: check `/staff/store` and the buyer's order page never fail)."""

from __future__ import annotations

import pytest
from storekit import login, pay_manually

from store.models import OrderStatus


@pytest.fixture
def paid_order(client, session, buyer, officer, approved_order):
    """The approved SUSENAS order, paid by SIMPONI, its invoice and receipt downloaded."""
    order = approved_order
    pay_manually(session, order, officer=officer)
    login(client, buyer)
    for kind in ("invoice", "receipt"):
        response = client.get(f"/store/orders/{order.code}/documents/{kind}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf", kind
    return order


@pytest.mark.long
@pytest.mark.parametrize("state", [s for s in OrderStatus if s != OrderStatus.DRAFT])
def test_order_pages_render_in_every_state(app, client, session, buyer, officer, paid_order, state):
    """Both languages in one test: the paid order (its documents made) is the costly part."""
    paid_order.status = state
    session.commit()
    staff = app.test_client()  # the buyer stays signed in on `client`
    login(staff, officer)
    for lang in ("id", "en"):
        for browser in (client, staff):
            browser.set_cookie("pst_lang", lang)
        for url in (
            "/staff/store",
            f"/staff/store?status={state.value}",
            f"/staff/store?q={paid_order.code}",
            f"/staff/store/orders/{paid_order.code}",
        ):
            response = staff.get(url)
            assert response.status_code == 200, (lang, url, response.status_code)
        listing = staff.get(f"/staff/store?status={state.value}").get_data(as_text=True)
        assert paid_order.code in listing and f'<html lang="{lang}"' in listing
        for url in ("/store/orders", f"/store/orders/{paid_order.code}"):
            response = client.get(url)
            assert response.status_code == 200, (lang, url, response.status_code)
        page = client.get(f"/store/orders/{paid_order.code}").get_data(as_text=True)
        assert paid_order.code in page and f'<html lang="{lang}"' in page


def test_an_order_names_its_file_format_as_buyers_know_it(client, paid_order):
    """ "SPSS (.sav)", "GeoJSON", not the stored code ("sav", "geojson")."""
    item = paid_order.items[0]
    html = client.get(f"/store/orders/{paid_order.code}").get_data(as_text=True)
    from store.cutting import FORMAT_LABELS

    label = FORMAT_LABELS[item.file_format]
    assert f"Format: {label}" in html

"""A publication the library gives away is never also sold as a digital product: the
catalogue refuses to open it while a paid digital product exists (through the
``access_changing`` event, without importing the store), the demo does not create one,
and products made before the rule are neither offered on the publication page nor sold."""

from __future__ import annotations

import pytest
from helpers import submit
from storekit import SETTINGS, login, person, product_of

from app.accounts import services as accounts
from app.accounts.models import Role
from app.blobs import current_store
from app.db import utcnow
from catalog import services as catalog
from catalog.errors import AccessChangeRefused
from catalog.models import Access, Publication
from demo.products import seed_products
from store import orders
from store.errors import FreeInLibrary
from store.models import Order, OrderStatus, Product, ProductKind
from store.products import check_offer

PRICE_MESSAGE = "Publikasi ini dapat diunduh gratis di perpustakaan"


@pytest.fixture
def digital(products):
    return product_of(products, ProductKind.DIGITAL)


def _open_behind_the_rule(session, publication):
    """What the seen data had: the policy set to open while the product was on sale."""
    publication.access = Access.OPEN
    session.commit()


def test_opening_a_sold_publication_is_refused(session, officer, publication, digital):
    with pytest.raises(AccessChangeRefused) as refused:
        catalog.update_publication(
            session,
            publication.id,
            {"title": "Judul Baru", "access": "open"},
            actor_id=officer.id,
        )
    assert digital.title in str(refused.value.message)
    session.expire_all()
    assert publication.access == Access.SALE and publication.title != "Judul Baru"
    # Other policies, and other edits, are not the store's business.
    catalog.update_publication(
        session, publication.id, {"access": "read_only"}, actor_id=officer.id
    )
    assert publication.access == Access.READ_ONLY
    # Once the product is withdrawn from sale the publication may be given away.
    digital.active = False
    session.commit()
    catalog.update_publication(session, publication.id, {"access": "open"}, actor_id=officer.id)
    assert publication.access == Access.OPEN


def test_the_edit_page_says_why(client, session, officer, publication, digital):
    login(client, officer)
    page = f"/staff/catalog/{publication.id}/edit"
    response = submit(
        client,
        page,
        {"title": publication.title, "language": "id", "kind": "publication", "access": "open"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "tidak dapat diunduh gratis selama dijual sebagai produk digital berbayar" in html
    assert digital.title in html
    session.expire_all()
    assert session.get(Publication, publication.id).access == Access.SALE


def test_demo_sells_no_digital_copy_of_a_free_publication(session, publication):
    publication.access = Access.OPEN
    session.commit()
    seed_products(session, current_store())
    kinds = {p.kind for p in session.query(Product).filter_by(publication_id=publication.id)}
    assert kinds == {ProductKind.PRINTED}  # the printed book is still sold
    offer = Product(
        kind=ProductKind.DIGITAL,
        title="x (PDF)",
        tariff=session.query(Product).first().tariff,
        publication=publication,
    )
    with pytest.raises(FreeInLibrary):
        check_offer(offer)


def test_a_free_publication_is_not_sold(client, session, buyer, publication, digital, products):
    # A buyer put it in the cart while it was for sale; then it became free.
    assert f"/store/products/{digital.id}" in client.get("/store").get_data(as_text=True)
    orders.add_to_cart(session, buyer, digital.id, now=utcnow())
    cart = orders.cart(session, buyer)
    _open_behind_the_rule(session, publication)
    with pytest.raises(FreeInLibrary):
        orders.checkout(session, cart, actor=buyer, settings=SETTINGS, now=utcnow())
    session.rollback()
    assert session.get(Order, cart.id).status == OrderStatus.DRAFT
    with pytest.raises(FreeInLibrary):
        orders.add_to_cart(session, buyer, digital.id, now=utcnow())
    session.rollback()
    # Over HTTP: the list leaves it out, the product page says so and offers no cart;
    # checkout says so too.
    assert f"/store/products/{digital.id}" not in client.get("/store").get_data(as_text=True)
    listed = client.get("/api/v1/store/products?kind=digital").get_json()
    assert digital.id not in [p["id"] for p in listed["items"]]
    login(client, buyer)
    html = client.get(f"/store/products/{digital.id}").get_data(as_text=True)
    assert 'id="free-in-library"' in html and 'id="add-to-cart"' not in html
    response = submit(client, "/store/cart/checkout", {"zero_rate_basis": ""}, page="/store/cart")
    assert response.status_code == 302 and response.headers["Location"].endswith("/store/cart")
    assert PRICE_MESSAGE in client.get("/store/cart").get_data(as_text=True)
    assert session.get(Order, cart.id).status == OrderStatus.DRAFT
    # Over the API.
    token = accounts.create_api_token(session, buyer, "api")[1]
    response = client.post(
        "/api/v1/store/orders",
        json={"items": [{"product_id": digital.id}]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 409 and PRICE_MESSAGE in response.get_json()["detail"]
    assert session.query(Order).filter(Order.status != OrderStatus.DRAFT).count() == 0


def test_the_publication_page_never_offers_both(client, session, publication, digital, products):
    reader = person(session, role=Role.USER, full_name="Pembaca")
    login(client, reader)
    url = f"/publications/{publication.id}"
    assert f"/store/products/{digital.id}" in client.get(url).get_data(as_text=True)
    _open_behind_the_rule(session, publication)
    html = client.get(url).get_data(as_text=True)
    assert f"/store/products/{digital.id}" not in html
    printed = product_of(products, ProductKind.PRINTED)
    assert f"/store/products/{printed.id}" in html  # the printed book is still for sale


def test_a_free_publication_is_not_sold_at_the_desk(session, officer, buyer, publication, digital):
    """The walk-in sale checks the offer the same way as the online cart."""
    from store import walkin

    _open_behind_the_rule(session, publication)
    sale = walkin.start_sale(session, visitor_id=buyer.id, officer=officer, now=utcnow())
    with pytest.raises(FreeInLibrary):
        walkin.add_item(session, sale, digital.id, actor=officer, now=utcnow())
    session.rollback()
    assert session.get(Order, sale.id).items == []

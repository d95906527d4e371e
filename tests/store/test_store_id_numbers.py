"""A buyer's ID number on the officer's order page: masked, whole only on request, audited."""

from __future__ import annotations

import sqlalchemy as sa
from helpers import submit
from storekit import gated_order, login, person

from app.accounts.models import Role
from app.audit import AuditEvent


def test_the_order_page_masks_the_buyer_id_and_shows_it_whole_on_an_audited_request(
    client, session, buyer, officer, susenas
):
    order = gated_order(session, buyer, susenas)
    whole = buyer.id_number
    page_url = f"/staff/store/orders/{order.code}"
    login(client, officer)
    html = client.get(page_url).get_data(as_text=True)
    assert whole not in html
    assert f"{whole[:4]}{'*' * 8}{whole[-4:]}" in html
    assert (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "privacy.id_number_revealed")
        )
        == 0
    )

    shown = submit(client, f"{page_url}/id-number", {}, page=page_url)
    assert shown.status_code == 200
    assert f'<span id="buyer-id-number">{whole}</span>' in shown.get_data(as_text=True)
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "privacy.id_number_revealed")
    ).one()
    assert (event.actor_id, event.subject_type, event.subject_id) == (
        officer.id,
        "user",
        str(buyer.id),
    )
    assert order.code in str(event.detail) and whole not in str(event.detail)
    # The next visit is masked again: the reveal lasts one answer.
    assert whole not in client.get(page_url).get_data(as_text=True)


def test_a_role_without_the_need_cannot_ask_for_the_whole_id(client, session, buyer, susenas):
    order = gated_order(session, buyer, susenas)
    receptionist = person(session, role=Role.RECEPTIONIST, full_name="Resepsionis")
    login(client, receptionist)
    response = submit(client, f"/staff/store/orders/{order.code}/id-number", {}, page="/")
    assert response.status_code == 403
    assert buyer.id_number not in response.get_data(as_text=True)
    assert (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "privacy.id_number_revealed")
        )
        == 0
    )

"""The front desk's JSON API: operations in the OpenAPI document and their behaviour."""

from __future__ import annotations

import pytest
from deskkit import served_record
from factories import profile, user

from app.accounts import services as accounts
from desk import queue
from desk.models import Channel, ServiceType

OPERATIONS = {
    "createGuestVisit", "takeQueueTicket", "getQueueBoard", "callNextTicket", "finishTicket",
    "submitRating", "getIkmReport", "listServiceRecords",
}  # fmt: skip


def bearer(session, person):
    _token, plain = accounts.create_api_token(session, person, "test")
    return {"Authorization": f"Bearer {plain}"}


def test_operations_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    ids = {
        op["operationId"]
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
    }
    assert ids >= OPERATIONS
    take = spec["paths"]["/api/v1/desk/tickets"]["post"]
    assert take["operationId"] == "takeQueueTicket"


def test_openapi_document_stays_valid(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").json)


def test_take_queue_ticket(client, session, visitor):
    headers = bearer(session, visitor)
    response = client.post("/api/v1/desk/tickets", json={"service": "library"}, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert body["number"] == "A-001" and body["status"] == "waiting" and body["people_ahead"] == 0
    assert "/desk/ticket/" in body["status_url"]
    assert (
        client.post("/api/v1/desk/tickets", json={"service": "sales"}, headers=headers).get_json()[
            "number"
        ]
        == "B-001"
    )
    bad = client.post("/api/v1/desk/tickets", json={"service": "catering"}, headers=headers)
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert client.post("/api/v1/desk/tickets", json={"service": "library"}).status_code == 401


def test_take_queue_ticket_outside_hours(client, session, clock, visitor, receptionist):
    clock.set(2026, 11, 29, 10, 0)  # Sunday
    response = client.post(
        "/api/v1/desk/tickets", json={"service": "library"}, headers=bearer(session, visitor)
    )
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    staff = client.post(
        "/api/v1/desk/tickets", json={"service": "library"}, headers=bearer(session, receptionist)
    )
    assert staff.status_code == 201


def test_create_guest_visit(client, session, visitor, receptionist):
    mine = client.post(
        "/api/v1/desk/visits",
        json={"services": ["consultation"], "purpose": "study"},
        headers=bearer(session, visitor),
    )
    assert mine.status_code == 201 and mine.get_json()["ticket"]["number"] == "C-001"
    staff = bearer(session, receptionist)
    found = client.post(
        "/api/v1/desk/visits",
        json={"visitor": "081234567890", "services": ["library"], "purpose": "research"},
        headers=staff,
    )
    assert found.status_code == 201 and found.get_json()["returning"] is True
    data = profile(id_number="1771055555555555")
    new_profile = {k: (v.value if hasattr(v, "value") else v) for k, v in data.items()}
    new = client.post(
        "/api/v1/desk/visits",
        json={
            "profile": new_profile,
            "email": "baru@example.org",
            "services": ["sales"],
            "purpose": "business",
            "consent": True,
        },
        headers=staff,
    )
    assert new.status_code == 201, new.get_json()
    assert new.get_json()["returning"] is False
    invalid = client.post(
        "/api/v1/desk/visits",
        json={
            "profile": {**new_profile, "id_number": "12"},
            "email": "b@example.org",
            "services": ["sales"],
            "purpose": "business",
        },
        headers=staff,
    )
    assert invalid.status_code == 422
    assert "id_number" in invalid.get_json()["errors"]["json"]["profile"]
    # Only staff sign in someone else.
    other = client.post(
        "/api/v1/desk/visits",
        json={"visitor": "x@example.org", "services": ["sales"], "purpose": "business"},
        headers=bearer(session, visitor),
    )
    assert other.status_code == 403
    missing = client.post(
        "/api/v1/desk/visits",
        json={"visitor": "nobody@example.org", "services": ["sales"], "purpose": "business"},
        headers=staff,
    )
    assert missing.status_code == 404


def test_board_call_next_and_finish(client, session, clock, officer, visitor):
    headers = bearer(session, officer)
    empty = client.post(
        "/api/v1/desk/tickets/call-next",
        json={"services": ["library"], "desk": "1"},
        headers=headers,
    )
    assert empty.status_code == 204
    queue.take_ticket(
        session,
        service=ServiceType.LIBRARY,
        now=clock.now,
        channel=Channel.KIOSK,
        user_id=visitor.id,
    )
    called = client.post(
        "/api/v1/desk/tickets/call-next",
        json={"services": ["library"], "desk": "1"},
        headers=headers,
    )
    assert called.status_code == 200 and called.get_json()["number"] == "A-001"
    board = client.get("/api/v1/desk/board").get_json()
    assert board["calls"][0]["number"] == "A-001"
    busy = client.post(
        "/api/v1/desk/tickets/call-next",
        json={"services": ["library"], "desk": "1"},
        headers=headers,
    )
    assert busy.status_code == 409
    clock.advance(minutes=5)
    ticket_id = called.get_json()["id"]
    finished = client.post(
        f"/api/v1/desk/tickets/{ticket_id}/finish",
        json={"outcome": "served", "products": ["Statistik Daerah"]},
        headers=headers,
    )
    assert finished.status_code == 200
    record = finished.get_json()
    assert (
        record["ticket"] == "A-001"
        and record["products"] == ["Statistik Daerah"]
        and record["rating"] is None
    )
    again = client.post(f"/api/v1/desk/tickets/{ticket_id}/finish", json={}, headers=headers)
    assert again.status_code == 409
    user_try = client.post(
        "/api/v1/desk/tickets/call-next",
        json={"services": ["library"], "desk": "1"},
        headers=bearer(session, visitor),
    )
    assert user_try.status_code == 403


def test_submit_rating_and_ikm_report(client, session, clock, officer, visitor, head):
    record = served_record(session, officer, clock, user_id=visitor.id)
    other = served_record(session, officer, clock)
    mine = bearer(session, visitor)
    scores = {f"u{i}": 4 for i in range(1, 10)} | {"u9": 2}
    refused = client.post(
        "/api/v1/desk/ratings", json={"record_id": other.id, "scores": scores}, headers=mine
    )
    assert refused.status_code == 403
    partial = client.post(
        "/api/v1/desk/ratings", json={"record_id": record.id, "scores": {"u1": 4}}, headers=mine
    )
    assert partial.status_code == 422
    done = client.post(
        "/api/v1/desk/ratings",
        json={"record_id": record.id, "scores": scores, "comment": "Ok"},
        headers=mine,
    )
    assert done.status_code == 201 and done.get_json()["scores"]["u9"] == 2
    twice = client.post(
        "/api/v1/desk/ratings", json={"record_id": record.id, "scores": scores}, headers=mine
    )
    assert twice.status_code == 409
    by_token = client.post(
        "/api/v1/desk/ratings",
        json={"token": other.rating_token, "scores": {f"u{i}": 3 for i in range(1, 10)}},
        headers=mine,
    )
    assert by_token.status_code == 201

    assert client.get("/api/v1/desk/ikm", headers=mine).status_code == 403
    report = client.get("/api/v1/desk/ikm?by=service", headers=bearer(session, head)).get_json()
    # (34 + 27) / 2 respondents: Σ NRR = 30.5; × 1/9 × 25 = 84.72…
    assert (
        report["respondents"] == 2 and report["ikm"] == "84.72" and report["ikm_exact"] == "1525/18"
    )
    assert report["grade"] == "B" and report["nrr"]["u9"] == "2.50"
    assert report["groups"][0]["key"] == "library" and report["groups"][0]["respondents"] == 2


def test_list_service_records(client, session, clock, officer, visitor):
    served_record(session, officer, clock, user_id=visitor.id)
    served_record(session, officer, clock, service=ServiceType.SALES)
    headers = bearer(session, officer)
    body = client.get("/api/v1/desk/records?service=sales", headers=headers).get_json()
    assert body["total"] == 1 and body["items"][0]["service"] == "sales"
    body = client.get("/api/v1/desk/records?q=Anggraini&per_page=1", headers=headers).get_json()
    assert body["total"] == 1 and body["items"][0]["user_name"] == "Dewi Anggraini"
    assert client.get("/api/v1/desk/records", headers=bearer(session, visitor)).status_code == 403


@pytest.mark.parametrize("url", ["/api/v1/desk/ikm", "/api/v1/desk/records"])
def test_reports_need_a_token(client, url):
    assert client.get(url).status_code == 401


def test_the_api_records_a_visitors_consent_and_saves_nothing_without_it(
    client, session, clock, visitor, receptionist
):
    """Fails on the behaviour before: the API signed in a new visitor (and a returning
    one after a new notice) with no consent recorded."""
    from sqlalchemy import func, select

    from app.accounts.consent_models import Consent, ConsentChannel
    from app.accounts.models import Role
    from app.accounts.services import consent
    from desk.models import GuestVisit

    staff = bearer(session, receptionist)
    data = profile(id_number="1771066666666666", phone="0813 0000 1111")
    new_profile = {k: (v.value if hasattr(v, "value") else v) for k, v in data.items()}
    visit = {"profile": new_profile, "services": ["sales"], "purpose": "business"}
    refused = client.post("/api/v1/desk/visits", json=visit, headers=staff)
    assert refused.status_code == 422 and "consent" in refused.get_json()["detail"]
    assert session.scalar(select(func.count()).select_from(GuestVisit)) == 0
    made = client.post("/api/v1/desk/visits", json={**visit, "consent": True}, headers=staff)
    assert made.status_code == 201, made.get_json()
    visit_id = made.get_json()["visit_id"]
    [given] = session.scalars(select(Consent).where(Consent.visit_id == visit_id))
    assert given.channel == ConsentChannel.RECEPTIONIST and given.recorded_by_id == receptionist.id

    # A returning visitor who agreed to version 1 is asked again after version 2.
    admin = user(session, role=Role.ADMIN)
    consent.publish(
        session, body_id="## Baru\nBaru", body_en="## New\nNew", changes_id="Ubah",
        changes_en="Changed", actor_id=admin.id, now=clock.now,
    )  # fmt: skip
    session.commit()
    again = {"visitor": "0812 3456 7890", "services": ["library"], "purpose": "research"}
    assert client.post("/api/v1/desk/visits", json=again, headers=staff).status_code == 422
    before = session.scalar(select(func.count()).select_from(GuestVisit))
    taken = client.post(
        "/api/v1/desk/visits", json={**again, "consent": True, "notice": 2}, headers=staff
    )
    assert taken.status_code == 201, taken.get_json()
    assert session.scalar(select(func.count()).select_from(GuestVisit)) == before + 1
    assert consent.agreed_number(session, visitor.id) == 2

"""The kiosk answers only the office (issue 15, item 9): enrolled devices and office
networks; rating by the ticket's secret code, not its number; no account changed or
given an unconfirmed address from the kiosk; look-ups reveal only initials."""

from __future__ import annotations

import json
import re

import pytest
from deskkit import login, mailed, recipients, served_record
from factories import registration_form, user
from helpers import csrf_token, submit
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit import AuditEvent
from desk import guestbook, kiosk_devices
from desk.http import COOKIE
from desk.models import GuestVisit, KioskDevice, Rating

KIOSK_PAGES = (
    "/desk/kiosk",
    "/desk/kiosk/guestbook",
    "/desk/kiosk/guestbook/new",
    "/desk/kiosk/rate",
)


def _visit_form(**overrides):
    data = registration_form()
    for key in ("password", "confirm"):
        data.pop(key)
    data.update({"services": ["library"], "purpose": "research", "need": "Data kemiskinan"})
    data.update(overrides)
    return data


def _events(session, action):
    return session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()


# --- the gate ---------------------------------------------------------------------------


def test_kiosk_pages_refuse_a_browser_that_is_not_an_enrolled_kiosk(client, session, visitor):
    client.delete_cookie(COOKIE)
    for url in KIOSK_PAGES:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "works only on the office" in response.get_data(as_text=True), url
    # The posts too: no look-up, no account, no visit from the internet.
    response = client.post("/desk/kiosk/guestbook", data={"key": visitor.id_number})
    assert response.status_code in (400, 403)  # no form to take a CSRF token from
    assert "D. A." not in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(GuestVisit)) == 0
    # In the reader's language.
    client.set_cookie("pst_lang", "id")
    page = client.get("/desk/kiosk").get_data(as_text=True)
    assert "hanya berfungsi di kios kantor" in page
    # A forged or garbled cookie is no key either, and no 500.
    for forged in ("x", "eyJkIjoxLCJzIjoieCJ9.forged", "a" * 600, json.dumps({"d": 1})):
        client.set_cookie(COOKIE, forged)
        assert client.get("/desk/kiosk").status_code == 403


def test_the_board_status_page_and_mailed_rating_link_stay_public(client, session, clock, officer):
    record = served_record(session, officer, clock)
    client.delete_cookie(COOKIE)
    assert client.get("/desk/board").status_code == 200
    assert client.get(f"/desk/ticket/{record.ticket.token}").status_code == 200
    assert client.get(f"/desk/rate/{record.rating_token}").status_code == 200


def test_a_receptionist_enrols_this_browser_and_revokes_it(client, session, receptionist):
    client.delete_cookie(COOKIE)
    login(client, receptionist.email)
    # Not enrolled yet: the refusal tells the receptionist where to enrol.
    refused = client.get("/desk/kiosk")
    assert refused.status_code == 403 and "/staff/desk/kiosks" in refused.get_data(as_text=True)
    response = submit(client, "/staff/desk/kiosks", {"name": "Tablet lobby"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/desk/kiosk")
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.http_only and "Tablet lobby" not in cookie.value
    device = session.scalar(select(KioskDevice).where(KioskDevice.name == "Tablet lobby"))
    assert device.enrolled_by_id == receptionist.id and device.revoked_at is None
    assert [e.subject_id for e in _events(session, "desk.kiosk_enrolled")][-1] == str(device.id)
    # The device, not the receptionist's session, opens the kiosk.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/desk/kiosk")})
    assert client.get("/desk/kiosk").status_code == 200
    # Listed and revoked.
    login(client, receptionist.email)
    listing = client.get("/staff/desk/kiosks").get_data(as_text=True)
    assert "Tablet lobby" in listing and "Tablet at the entrance" in listing
    response = submit(
        client, f"/staff/desk/kiosks/{device.id}/revoke", {}, page="/staff/desk/kiosks"
    )
    assert response.status_code == 302
    session.refresh(device)
    assert device.revoked_at is not None and device.revoked_by_id == receptionist.id
    assert _events(session, "desk.kiosk_revoked")[0].subject_id == str(device.id)
    assert client.get("/desk/kiosk").status_code == 403
    assert client.post("/staff/desk/kiosks/999999/revoke", data={}).status_code in (400, 404)


def test_visitors_cannot_enrol_a_device(client, visitor):
    client.delete_cookie(COOKIE)
    login(client, visitor.email)
    assert client.get("/staff/desk/kiosks").status_code == 403


def test_a_device_secret_is_needed_not_only_its_id(app, session, receptionist, clock):
    device, cookie = kiosk_devices.enrol(
        session, name="Tablet", actor_id=receptionist.id, now=clock.now,
        secret_key=app.config["SECRET_KEY"],
    )  # fmt: skip
    key = app.config["SECRET_KEY"]
    assert kiosk_devices.device_for_cookie(session, cookie, key).id == device.id
    guessed = kiosk_devices.cookie_value(device, "guessed-secret", key)
    assert kiosk_devices.device_for_cookie(session, guessed, key) is None
    assert kiosk_devices.device_for_cookie(session, cookie, "another key") is None


@pytest.mark.limits(
    # (the marker sets any configuration; the office is 10.17.0.0/24 behind one proxy)
    {"DESK_KIOSK_NETWORKS": ["10.17.0.0/24"], "TRUST_PROXY_HOPS": 1}
)
def test_an_office_network_opens_the_kiosk_without_enrolment(client):
    client.delete_cookie(COOKIE)
    office = {"REMOTE_ADDR": "127.0.0.1"}
    inside = client.get(
        "/desk/kiosk", environ_base=office, headers={"X-Forwarded-For": "10.17.0.42"}
    )
    assert inside.status_code == 200
    outside = client.get(
        "/desk/kiosk", environ_base=office, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert outside.status_code == 403


def test_a_malformed_office_network_fails_at_start_up():
    with pytest.raises(ValueError, match=r"10\.17\.0\.0/33"):
        kiosk_devices.parse_networks(["10.17.0.0/33"])
    office = kiosk_devices.parse_networks("10.17.0.0/24")
    assert kiosk_devices.in_networks("::ffff:10.17.0.5", office)  # IPv4 seen as IPv6
    assert not kiosk_devices.in_networks("not an address", kiosk_devices.parse_networks(["::/0"]))


# --- rating by the ticket's code ---------------------------------------------------------


def test_rating_by_the_number_alone_is_refused(client, session, clock, officer):
    """The number is on the display board: anyone could rate a stranger's service."""
    record = served_record(session, officer, clock)
    response = submit(client, "/desk/kiosk/rate", {"number": record.ticket.number})
    assert response.status_code == 422
    response = submit(client, "/desk/kiosk/rate", {"code": record.ticket.number})
    assert response.status_code == 422
    assert "No ticket has this code" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Rating)) == 0
    # The code printed on the ticket opens it.
    response = submit(client, "/desk/kiosk/rate", {"code": record.ticket.printed_rating_code})
    assert response.status_code == 302 and record.rating_token in response.headers["Location"]


def test_the_code_is_printed_on_the_ticket_and_shown_on_its_page(client, session, clock, officer):
    import io

    from pypdf import PdfReader

    record = served_record(session, officer, clock)
    ticket = record.ticket
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", ticket.printed_rating_code)
    pdf = client.get(f"/desk/ticket/{ticket.token}/print?w=58").data
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert ticket.printed_rating_code in text
    page = client.get(f"/desk/ticket/{ticket.token}?kiosk=1").get_data(as_text=True)
    assert ticket.printed_rating_code in page


# --- no account changed, none given an unconfirmed address -------------------------------


def test_the_kiosk_never_fills_in_an_existing_account(client, session, visitor):
    visitor.institution = None
    session.commit()
    data = _visit_form(
        id_number=visitor.id_number, phone=visitor.phone, full_name="Dewi A.",
        email="", institution="Universitas Palsu",
    )  # fmt: skip
    response = submit(client, "/desk/kiosk/guestbook/new", data)
    # The same person (ID number and phone): the visit is theirs, the account as it was.
    assert response.status_code == 302, response.get_data(as_text=True)
    session.refresh(visitor)
    assert visitor.institution is None and visitor.full_name == "Dewi Anggraini"
    assert session.scalar(select(GuestVisit)).user_id == visitor.id
    assert not _events(session, "desk.visitor_profile_completed")


def test_the_kiosk_refuses_another_visitors_id_number_or_email(client, session, visitor, outbox):
    before = session.scalar(select(func.count()).select_from(User))
    for data in (
        _visit_form(id_number=visitor.id_number, phone="0813 0000 1111", email=""),
        _visit_form(email="dewi@example.org"),  # her address, another ID number
    ):
        response = submit(client, "/desk/kiosk/guestbook/new", data)
        assert response.status_code == 409, response.get_data(as_text=True)
        assert "ask the receptionist" in response.get_data(as_text=True)
    session.refresh(visitor)
    assert visitor.phone == "0812 3456 7890" and visitor.full_name == "Dewi Anggraini"
    assert session.scalar(select(func.count()).select_from(User)) == before
    assert session.scalar(select(func.count()).select_from(GuestVisit)) == 0
    assert recipients(outbox) == []
    assert {e.subject_id for e in _events(session, "desk.kiosk_identity_mismatch")} == {
        str(visitor.id)
    }


def test_the_kiosk_gives_no_account_an_address_its_owner_did_not_confirm(client, session, outbox):
    data = _visit_form(email="Korban@Example.org", full_name="Penyusup")
    response = submit(client, "/desk/kiosk/guestbook/new", data)
    assert response.status_code == 302
    person = session.scalar(select(User).where(User.full_name == "Penyusup"))
    assert person.email is None and not person.has_password
    assert session.scalar(select(User).where(User.email == "korban@example.org")) is None
    # The owner of the address is asked; only the link adds it.
    (mail,) = mailed(outbox)
    assert mail["To"] == "korban@example.org" and "Penyusup" not in str(mail)
    body = mail.get_payload(decode=True).decode()
    link = re.search(r"https?://[^/\s]+(/desk/confirm-email/\S+)", body).group(1)
    page = client.get(link)  # a mail scanner's visit confirms nothing
    assert page.status_code == 200
    session.refresh(person)
    assert person.email is None
    response = submit(client, link, {})
    assert response.status_code == 200 and "confirmed" in response.get_data(as_text=True)
    session.refresh(person)
    assert person.email == "korban@example.org" and person.email_verified
    assert _events(session, "desk.visitor_email_confirmed")[0].subject_id == str(person.id)
    assert client.get("/desk/confirm-email/forged").status_code == 400


def test_a_confirmation_link_never_takes_an_address_another_account_has(
    client, session, clock, outbox
):
    response = submit(client, "/desk/kiosk/guestbook/new", _visit_form(email="sama@example.org"))
    assert response.status_code == 302
    (mail,) = mailed(outbox)
    link = re.search(r"(/desk/confirm-email/\S+)", mail.get_payload(decode=True).decode()).group(1)
    owner = user(session, email="sama@example.org")  # registered online meanwhile
    response = submit(client, link, {})
    assert response.status_code == 409
    assert session.scalar(select(func.count()).where(User.email == "sama@example.org")) == 1
    assert session.get(User, owner.id).email == "sama@example.org"


def test_the_kiosk_finds_an_address_only_once_confirmed(client, session, visitor):
    unconfirmed = user(session, email="belum@example.org", full_name="Belum Konfirmasi")
    unconfirmed.email_verified_at = None
    session.commit()
    body = submit(client, "/desk/kiosk/guestbook", {"key": "belum@example.org"}).get_data(
        as_text=True
    )
    assert "B. K." not in body and "We did not find you" in body
    assert guestbook.lookup(session, "belum@example.org").id == unconfirmed.id  # reception
    body = submit(client, "/desk/kiosk/guestbook", {"key": visitor.id_number}).get_data(
        as_text=True
    )
    assert "D. A." in body
    (event,) = _events(session, "desk.kiosk_lookup")
    assert event.subject_id == str(visitor.id) and visitor.id_number not in (event.detail or "")

"""The guest book's rules at the kiosk and the reception: one open number per visitor and
service, a number for each service chosen, email optional, appointments within service
hours, and the receptionist's own wording (findings of the December 2026 trial)."""

from __future__ import annotations

import re

from deskkit import login, recipients
from factories import registration_form
from helpers import submit
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import User
from desk import guestbook, queue
from desk.models import Appointment, Channel, GuestVisit, Purpose, ServiceType, Ticket

_TOKEN = re.compile(r"/desk/ticket/([A-Za-z0-9_\-]+)")


def _count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def _sign(session, clock, visitor, services, **kw):
    kw.setdefault("channel", Channel.KIOSK)
    return guestbook.sign_in(
        session, now=clock.now, opened_at=None, services=services, purpose=Purpose.RESEARCH,
        user_id=visitor.id, **kw,
    )  # fmt: skip


def _kiosk_visit(client, key, services):
    """Look the visitor up at the kiosk and take numbers: the response of the POST."""
    body = submit(client, "/desk/kiosk/guestbook", {"key": key}).get_data(as_text=True)
    visitor_token = re.search(r'name="visitor" type="hidden" value="([^"]+)"', body).group(1)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    return client.post(
        "/desk/kiosk/guestbook/visit",
        data={
            "csrf_token": csrf,
            "visitor": visitor_token,
            "services": services,
            "purpose": "research",
        },
    )


def _new_visitor_form(**overrides):
    data = registration_form()
    for key in ("password", "confirm"):
        data.pop(key)
    data.update({"services": ["library"], "purpose": "research"})
    data.update(overrides)
    return data


# --- one open number per visitor and service; one visit a day -----------------------------------


def test_a_visitor_signing_in_twice_gets_the_same_number_and_one_visit(session, clock, visitor):
    first = _sign(session, clock, visitor, ["library"])
    clock.advance(seconds=5)
    again = _sign(session, clock, visitor, ["library"])
    assert again.ticket.id == first.ticket.id and again.numbers[0].reused
    assert not first.numbers[0].reused
    assert again.visit.id == first.visit.id
    assert _count(session, Ticket) == 1 and _count(session, GuestVisit) == 1


def test_a_later_service_the_same_day_joins_the_days_visit(session, clock, visitor, officer):
    first = _sign(session, clock, visitor, ["library"], need="Statistik Daerah")
    called = queue.call_next(
        session, services=[ServiceType.LIBRARY], officer_id=officer.id, desk="1", now=clock.now
    )
    queue.finish(session, called.id, officer_id=officer.id, now=clock.now)
    clock.advance(hours=2)
    later = _sign(session, clock, visitor, ["library", "sales"], need="Data mikro Susenas")
    # The library number was finished: a new one; sales is new as well; one visit.
    assert [i.ticket.number for i in later.numbers] == ["A-002", "B-001"]
    assert not any(i.reused for i in later.numbers)
    assert later.visit.id == first.visit.id and _count(session, GuestVisit) == 1
    assert later.visit.service_list == [ServiceType.LIBRARY, ServiceType.SALES]
    assert later.visit.need == "Statistik Daerah\nData mikro Susenas"


def test_the_kiosk_shows_the_number_the_visitor_already_holds(client, session, visitor):
    first = _kiosk_visit(client, visitor.id_number, ["library"])
    second = _kiosk_visit(client, visitor.id_number, ["library"])
    assert first.status_code == second.status_code == 302
    assert _TOKEN.search(first.headers["Location"]).group(1) == _TOKEN.search(
        second.headers["Location"]
    ).group(1)
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "You already have number A-001 for Library" in page
    assert "No second number was taken." in page
    assert _count(session, Ticket) == 1 and _count(session, GuestVisit) == 1


def test_a_visitor_taking_a_number_by_api_twice_gets_it_back(client, session, visitor):
    _token, plain = accounts.create_api_token(session, visitor, "phone")
    headers = {"Authorization": f"Bearer {plain}"}
    first = client.post("/api/v1/desk/tickets", json={"service": "sales"}, headers=headers)
    again = client.post("/api/v1/desk/tickets", json={"service": "sales"}, headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["number"] == again.get_json()["number"] == "B-001"
    assert _count(session, Ticket) == 1


def test_quick_numbers_at_the_reception_are_not_merged(session, clock, receptionist):
    numbers = [
        queue.take_ticket(
            session, service=ServiceType.LIBRARY, now=clock.now, channel=Channel.RECEPTION,
            staff=True,
        ).number
        for _ in range(2)
    ]  # fmt: skip
    assert numbers == ["A-001", "A-002"]


# --- a number for each service chosen -------------------------------------------------------------


def test_two_services_give_two_numbers(session, clock, visitor):
    signed = _sign(session, clock, visitor, ["consultation", "sales"])
    assert [i.ticket.number for i in signed.numbers] == ["B-001", "C-001"]
    assert {i.ticket.visit_id for i in signed.numbers} == {signed.visit.id}


def test_the_kiosk_shows_and_prints_every_number(client, session, visitor):
    response = _kiosk_visit(client, visitor.id_number, ["sales", "consultation"])
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Number B-001 issued for Sales of statistical products." in page
    assert "Number C-001 issued for Statistical consultation." in page
    assert "Your other number for this visit" in page
    other = session.scalar(select(Ticket).where(Ticket.number == "C-001"))
    assert f"/desk/ticket/{other.token}/print?w=80" in page
    assert client.get(f"/desk/ticket/{other.token}/print?w=80").status_code == 200


def test_the_api_returns_every_number(client, session, visitor):
    _token, plain = accounts.create_api_token(session, visitor, "phone")
    body = {"services": ["sales", "consultation"], "purpose": "business"}
    response = client.post(
        "/api/v1/desk/visits", json=body, headers={"Authorization": f"Bearer {plain}"}
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert [t["number"] for t in data["tickets"]] == ["B-001", "C-001"]
    assert data["ticket"]["number"] == "B-001" and not data["tickets"][1]["reused"]


def test_a_visitor_at_one_desk_is_not_called_to_another(session, clock, visitor, officer, officer2):
    _sign(session, clock, visitor, ["sales", "consultation"])
    clock.advance(minutes=1)
    someone = queue.take_ticket(
        session, service=ServiceType.CONSULTATION, now=clock.now, channel=Channel.KIOSK
    )
    at_sales = queue.call_next(
        session, services=[ServiceType.SALES], officer_id=officer.id, desk="1", now=clock.now
    )
    assert at_sales.number == "B-001"
    at_consultation = queue.call_next(
        session,
        services=[ServiceType.CONSULTATION],
        officer_id=officer2.id,
        desk="2",
        now=clock.now,
    )
    assert at_consultation.id == someone.id  # C-002: C-001's visitor is at desk 1
    queue.finish(session, at_sales.id, officer_id=officer.id, now=clock.now)
    queue.finish(session, at_consultation.id, officer_id=officer2.id, now=clock.now)
    next_one = queue.call_next(
        session,
        services=[ServiceType.CONSULTATION],
        officer_id=officer2.id,
        desk="2",
        now=clock.now,
    )
    assert next_one.number == "C-001"


# --- email optional ----------------------------------------------------------------------------


def test_a_new_visitor_without_email_signs_the_guest_book(client, session):
    data = _new_visitor_form(email="", full_name="Siti Tanpa Surel", phone="0813 1111 2222")
    response = submit(client, "/desk/kiosk/guestbook/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    person = session.scalar(select(User).where(User.full_name == "Siti Tanpa Surel"))
    assert person.email is None and person.id_number == data["id_number"]
    visit = session.scalar(select(GuestVisit))
    assert visit.user_id == person.id
    # Next time she is found by phone or ID number.
    assert guestbook.lookup(session, "0813-1111-2222").id == person.id
    assert guestbook.lookup(session, data["id_number"]).id == person.id


def test_two_visitors_without_email_get_two_accounts(session, clock):
    for n in (1, 2):
        profile = {
            "full_name": f"Tamu {n}",
            "phone": f"08131111000{n}",
            "id_number": f"177101000000000{n}",
        }
        guestbook.sign_in(
            session, now=clock.now, opened_at=None, channel=Channel.RECEPTION,
            services=["library"], purpose=Purpose.OTHER, profile=profile, staff=True,
        )  # fmt: skip
    assert session.scalars(select(User.email)).all() == [None, None]


def test_an_email_given_later_is_added_to_the_account_once_confirmed(session, clock, outbox):
    profile = {"full_name": "Tamu", "phone": "081311110001", "id_number": "1771010000000001"}
    first = guestbook.sign_in(
        session, now=clock.now, opened_at=None, channel=Channel.KIOSK, services=["library"],
        purpose=Purpose.OTHER, profile=profile,
    )  # fmt: skip
    again = guestbook.sign_in(
        session, now=clock.now, opened_at=None, channel=Channel.KIOSK, services=["sales"],
        purpose=Purpose.OTHER, profile=profile, email="Tamu@Example.org",
    )  # fmt: skip
    person = session.get(User, first.visit.user_id)
    assert again.visit.user_id == person.id and again.email_to_confirm == "tamu@example.org"
    assert person.email is None  # not before its owner confirms it
    assert recipients(outbox) == ["tamu@example.org"]
    guestbook.confirm_email(session, person.id, "tamu@example.org", now=clock.now)
    session.refresh(person)
    assert person.email == "tamu@example.org" and person.email_verified


def test_a_bad_email_is_still_refused(client, session):
    response = submit(client, "/desk/kiosk/guestbook/new", _new_visitor_form(email="not-an-email"))
    assert response.status_code == 422
    assert "Enter a valid email address." in response.get_data(as_text=True)
    assert _count(session, GuestVisit) == 0


def test_the_receptionist_registers_a_visitor_without_email(client, session, receptionist):
    login(client, receptionist.email)
    data = _new_visitor_form(email="", full_name="Pak Tanpa Surel")
    response = submit(client, "/staff/desk/reception/new", data)
    assert response.status_code == 302
    person = session.scalar(select(User).where(User.full_name == "Pak Tanpa Surel"))
    assert person.email is None


# --- appointments -----------------------------------------------------------------------------


def test_appointments_outside_service_hours_are_refused_with_the_rule(client, session, visitor):
    login(client, visitor.email)
    form = client.get("/desk/appointments").get_data(as_text=True)
    # CLDR's English times have a narrow no-break space before AM/PM.
    assert "Within service hours: Monday–Thursday 8:00\u202fAM–3:30\u202fPM" in form
    for day, at, message in (
        ("2026-11-25", "17:00", "outside service hours"),  # Wednesday evening
        ("2026-11-29", "10:00", "closed on that day"),  # Sunday
    ):
        response = submit(
            client, "/desk/appointments", {"service": "consultation", "day": day, "at": at}
        )
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and message in body, (day, at)
        assert 'id="at-error"' in body
    assert _count(session, Appointment) == 0


def test_the_receptionist_sees_the_refusal_on_the_field(client, session, receptionist):
    login(client, receptionist.email)
    response = submit(
        client,
        "/staff/desk/reception/appointments",
        {"name": "Bu Ani", "service": "sales", "day": "2026-11-29", "at": "10:00"},
        page="/staff/desk/reception",
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "closed on that day" in body
    assert 'id="at-error"' in body and _count(session, Appointment) == 0


def test_the_kiosk_gives_the_reopening_time_without_seconds(client, clock):
    clock.set(2026, 11, 28, 10, 0)  # Saturday
    page = client.get("/desk/kiosk").get_data(as_text=True)
    assert "Monday, November 30, 2026 8:00\u202fAM WIB" in page
    client.set_cookie("pst_lang", "id")
    page = client.get("/desk/kiosk").get_data(as_text=True)
    assert "Senin, 30 November 2026 08.00 WIB" in page and "08.00.00" not in page


# --- the receptionist's wording ---------------------------------------------------------------


def test_the_reception_speaks_of_the_visitor(client, receptionist, visitor):
    login(client, receptionist.email)
    for lang, visitor_words in (
        ("en", ("Find me", "your email", "Services you need")),
        ("id", ("Cari data saya", "email Anda", "Layanan yang Anda perlukan")),
    ):
        client.set_cookie("pst_lang", lang)
        home = client.get("/staff/desk/reception").get_data(as_text=True)
        found = submit(client, "/staff/desk/reception", {"key": visitor.id_number}).get_data(
            as_text=True
        )
        new = client.get("/staff/desk/reception/new").get_data(as_text=True)
        for page in (home, found, new):
            for words in visitor_words:
                assert words not in page, (lang, words)
        # The full name, never the kiosk's mask.
        assert "Dewi Anggraini" in found and "D*** A********" not in found


def test_the_reception_is_told_about_the_number_the_visitor_holds(
    client, session, receptionist, visitor
):
    login(client, receptionist.email)
    for _ in range(2):
        found = submit(client, "/staff/desk/reception", {"key": visitor.id_number})
        body = found.get_data(as_text=True)
        token = re.search(r'name="visitor" type="hidden" value="([^"]+)"', body).group(1)
        response = submit(
            client,
            "/staff/desk/reception/visit",
            {"visitor": token, "services": ["library"], "purpose": "research"},
            page="/staff/desk/reception",
        )
        assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The visitor already has number A-001 for Library (waiting)" in page
    assert "You already have" not in page
    assert _count(session, Ticket) == 1

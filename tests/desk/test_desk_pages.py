"""The front desk's pages: kiosk, board, number, rating, reception, console, records,
dashboard and exports, calendar; access and rate limits."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from deskkit import login, recipients, served_record
from factories import registration_form
from helpers import csrf_token, submit
from sqlalchemy import func, select

from app.accounts.models import User
from desk import queue
from desk.models import (
    Channel,
    GuestVisit,
    Rating,
    ServiceRecord,
    ServiceType,
    Ticket,
    TicketStatus,
)

_TOKEN = re.compile(r"/desk/ticket/([A-Za-z0-9_\-]+)")


def _visit_form(**overrides):
    data = registration_form()
    for key in ("password", "confirm"):
        data.pop(key)
    data.update({"services": ["library"], "purpose": "research", "need": "Data kemiskinan"})
    data.update(overrides)
    return data


# --- kiosk ----------------------------------------------------------------------------------


def test_kiosk_home_and_board_need_no_sign_in(client):
    for url in (
        "/desk/kiosk",
        "/desk/board",
        "/desk/kiosk/guestbook",
        "/desk/kiosk/guestbook/new",
        "/desk/kiosk/rate",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>" not in response.get_data(as_text=True)  # CSP: no inline script
    assert "desk.js" in client.get("/desk/board").get_data(as_text=True)
    assert client.get("/static/desk/desk.js").status_code == 200


def test_kiosk_new_visitor_gets_a_number(client, session, clock, outbox):
    page = client.get("/desk/kiosk/guestbook/new").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    clock.advance(minutes=4)
    token = csrf_token(client, "/desk/kiosk/guestbook/new")
    data = _visit_form(email="rudi@example.org", full_name="Rudi Hartono")
    response = client.post(
        "/desk/kiosk/guestbook/new", data={"csrf_token": token, "started": started, **data}
    )
    assert response.status_code == 302
    ticket_token = _TOKEN.search(response.headers["Location"]).group(1)
    ticket = session.scalar(select(Ticket).where(Ticket.token == ticket_token))
    assert ticket.number == "A-001" and ticket.channel == Channel.KIOSK
    visit = session.get(GuestVisit, ticket.visit_id)
    assert visit.signing_seconds == 240 and visit.need == "Data kemiskinan"
    # The address typed at the kiosk joins the account only when its owner confirms it.
    assert session.get(User, visit.user_id).email is None
    assert recipients(outbox) == ["rudi@example.org"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A-001" in page and "qr.svg" in page
    assert "We are sending a link to rudi@example.org" in page


def test_kiosk_form_errors_are_shown(client):
    response = submit(
        client, "/desk/kiosk/guestbook/new", _visit_form(id_number="123", services=[])
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "16 digits" in body and "Choose at least one service." in body


def test_generated_phones_never_take_the_visitors_number():
    """The factories' numbers once ran 081234567800..99, so one user in a hundred (the
    kiosk's receptionist, late in a long run) had Dewi's number and was found first."""
    import factories

    from desk.guestbook import normalise_phone

    fixed = normalise_phone("0812 3456 7890")
    assert all(normalise_phone(factories.profile()["phone"]) != fixed for _ in range(200))


def test_kiosk_lookup_shows_only_a_masked_name(client, visitor):
    response = submit(client, "/desk/kiosk/guestbook", {"key": "0812 3456 7890"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "D. A." in body
    assert (
        "Anggraini" not in body
        and "D*** A" not in body
        and "dewi@example.org" not in body
        and "1771012345678901" not in body
    )
    visitor_token = re.search(r'name="visitor" type="hidden" value="([^"]+)"', body).group(1)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    response = client.post(
        "/desk/kiosk/guestbook/visit",
        data={
            "csrf_token": token,
            "visitor": visitor_token,
            "services": ["sales"],
            "purpose": "business",
        },
    )
    assert response.status_code == 302


def test_kiosk_lookup_of_an_unknown_visitor_offers_the_form(client):
    body = submit(client, "/desk/kiosk/guestbook", {"key": "baru@example.org"}).get_data(
        as_text=True
    )
    assert 'value="baru@example.org"' in body and 'name="full_name"' in body


def test_a_forged_visitor_reference_is_refused(client, visitor, session):
    response = submit(
        client,
        "/desk/kiosk/guestbook/visit",
        {"visitor": "1", "services": ["sales"], "purpose": "business"},
        page="/desk/kiosk/guestbook",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/desk/kiosk/guestbook"
    )
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_kiosk_refuses_outside_hours(client, clock, session):
    clock.set(2026, 11, 28, 10, 0)  # Saturday
    assert "closed" in client.get("/desk/kiosk").get_data(as_text=True)
    client.set_cookie("pst_lang", "id")
    kiosk = client.get("/desk/kiosk").get_data(as_text=True)
    assert "Senin, 30 November 2026 08.00 WIB" in kiosk and "08.00.00" not in kiosk
    client.set_cookie("pst_lang", "en")
    response = submit(client, "/desk/kiosk/guestbook/new", _visit_form())
    assert response.status_code == 409
    assert "appointment" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Ticket)) == 0


@pytest.mark.limits({"DESK_LOOKUP_RATE_LIMIT": "3 per minute"})
def test_kiosk_lookup_is_rate_limited(client):
    token = csrf_token(client, "/desk/kiosk/guestbook")
    codes = [
        client.post(
            "/desk/kiosk/guestbook", data={"csrf_token": token, "key": f"x{i}@example.org"}
        ).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]


def test_kiosk_posts_need_the_csrf_token(client):
    assert client.post("/desk/kiosk/guestbook", data={"key": "x@example.org"}).status_code == 400


# --- the number, board, print -------------------------------------------------------------------


def test_ticket_status_board_print_and_qr(client, session, clock, officer):
    first = queue.take_ticket(
        session, service=ServiceType.LIBRARY, now=clock.now, channel=Channel.KIOSK
    )
    second = queue.take_ticket(
        session, service=ServiceType.LIBRARY, now=clock.now, channel=Channel.KIOSK
    )
    status = client.get(f"/desk/ticket/{second.token}/status").get_json()
    assert status["number"] == "A-002" and status["status"] == "waiting" and status["ahead"] == 1
    queue.call_next(
        session, services=[ServiceType.LIBRARY], officer_id=officer.id, desk="4", now=clock.now
    )
    board = client.get("/desk/board/data").get_json()
    assert board["calls"][0]["number"] == "A-001" and board["calls"][0]["desk"] == "4"
    assert board["signal"] and board["open"] is True
    assert next(q for q in board["queues"] if q["service"] == "library")["waiting"] == 1
    assert "A-001" in client.get("/desk/board").get_data(as_text=True)
    assert client.get(f"/desk/ticket/{first.token}/status").get_json()["desk"] == "4"

    from pypdf import PdfReader

    for width in (58, 80):
        response = client.get(f"/desk/ticket/{first.token}/print?w={width}")
        assert response.mimetype == "application/pdf"
        reader = PdfReader(io.BytesIO(response.data))
        assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == width
        assert "A-001" in reader.pages[0].extract_text()
    svg = client.get(f"/desk/ticket/{first.token}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert client.get("/desk/ticket/nope").status_code == 404


def test_rating_on_the_kiosk_after_the_service(client, session, clock, officer):
    record = served_record(session, officer, clock)
    code = record.ticket.printed_rating_code.lower().replace("-", " ")  # as typed
    response = submit(client, "/desk/kiosk/rate", {"code": code})
    assert response.status_code == 302
    rate_url = response.headers["Location"]
    assert record.rating_token in rate_url and "kiosk=1" in rate_url
    page = client.get(rate_url).get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    clock.advance(minutes=2)
    scores = {f"u{i}": "4" for i in range(1, 10)} | {"u3": "3"}
    response = submit(client, rate_url, {**scores, "comment": "Cepat", "started": started})
    assert response.status_code == 302
    rating = session.scalar(select(Rating))
    assert rating.record_id == record.id and rating.scores == (4, 4, 3, 4, 4, 4, 4, 4, 4)
    assert rating.channel == Channel.KIOSK and rating.rating_seconds == 120
    assert "Thank you" in client.get(rate_url).get_data(as_text=True)
    # A second rating of the same number is refused.
    response = submit(client, "/desk/kiosk/rate", {"code": record.ticket.rating_code})
    assert response.status_code == 422 and "already been rated" in response.get_data(as_text=True)


def test_rating_needs_all_nine_scores(client, session, clock, officer):
    record = served_record(session, officer, clock)
    response = submit(client, f"/desk/rate/{record.rating_token}", {"u1": "4"})
    assert response.status_code == 422
    assert session.scalar(select(func.count()).select_from(Rating)) == 0


def test_rating_scale_follows_the_regulation_in_the_readers_language(
    client, session, clock, officer
):
    """PermenPANRB 14/2017: 1 tidak baik, 2 kurang baik, 3 baik, 4 sangat baik. The labels
    are read when the page renders (they were formatted once, in English, at import)."""
    record = served_record(session, officer, clock)
    url = f"/desk/rate/{record.rating_token}"
    english = client.get(url).get_data(as_text=True)
    assert "1 — Not good" in english and "2 — Poor" in english and "4 — Very good" in english
    client.set_cookie("pst_lang", "id")
    page = client.get(url).get_data(as_text=True)
    for label in ("1 — Tidak baik", "2 — Kurang baik", "3 — Baik", "4 — Sangat baik"):
        assert label in page
    assert "Good" not in page and "Cukup" not in page


def test_a_number_not_served_cannot_be_rated(client, session, clock):
    ticket = queue.take_ticket(
        session, service=ServiceType.LIBRARY, now=clock.now, channel=Channel.KIOSK
    )
    response = submit(client, "/desk/kiosk/rate", {"code": ticket.rating_code})
    assert response.status_code == 422 and "not been served" in response.get_data(as_text=True)


# --- visitors' pages --------------------------------------------------------------------------


def test_my_services_lists_the_rating_invitations(client, session, clock, visitor):
    from app.events import ServiceEvent, send_service_given

    send_service_given(
        session,
        ServiceEvent(
            service="library",
            user_id=visitor.id,
            started_at=clock.now,
            ended_at=clock.now,
            source="library.download",
            source_ref="1",
        ),
    )
    session.commit()
    record = session.scalar(select(ServiceRecord))
    login(client, visitor.email)
    page = client.get("/desk/my-services").get_data(as_text=True)
    assert f"/desk/rate/{record.rating_token}" in page


def test_booking_an_appointment(client, session, clock, visitor):
    login(client, visitor.email)
    too_soon = submit(
        client,
        "/desk/appointments",
        {"service": "consultation", "day": "2026-11-25", "at": "10:30"},
    )
    assert too_soon.status_code == 422
    response = submit(
        client,
        "/desk/appointments",
        {"service": "consultation", "day": "2026-11-25", "at": "14:00"},
    )
    assert response.status_code == 302
    assert re.search(
        r"<code>[A-Z0-9]{6}</code>", client.get("/desk/appointments").get_data(as_text=True)
    )


# --- reception ----------------------------------------------------------------------------------


def test_reception_signs_in_a_visitor_outside_hours(client, session, clock, receptionist, visitor):
    clock.set(2026, 11, 25, 17, 0)
    login(client, receptionist.email)
    page = submit(client, "/staff/desk/reception", {"key": visitor.id_number}).get_data(
        as_text=True
    )
    assert "Dewi Anggraini" in page  # staff see who it is
    visitor_token = re.search(r'name="visitor" type="hidden" value="([^"]+)"', page).group(1)
    response = submit(
        client,
        "/staff/desk/reception/visit",
        {"visitor": visitor_token, "services": ["consultation"], "purpose": "government"},
        page="/staff/desk/reception",
    )
    assert response.status_code == 302
    visit = session.scalar(select(GuestVisit))
    assert visit.channel == Channel.RECEPTION and visit.receptionist_id == receptionist.id
    assert (
        submit(
            client,
            "/staff/desk/reception/ticket",
            {"service": "sales"},
            page="/staff/desk/reception",
        ).status_code
        == 302
    )
    page = client.get("/staff/desk/reception").get_data(as_text=True)
    assert "C-001" in page and "B-001" in page


def test_staff_pages_need_their_roles(client, visitor, receptionist):
    for url in (
        "/staff/desk/reception",
        "/staff/desk/console",
        "/staff/desk/records",
        "/staff/desk/dashboard",
        "/staff/desk/calendar",
        "/staff/desk/export/records.csv",
    ):
        assert client.get(url).status_code == 302, url  # to sign in
    login(client, visitor.email)
    for url in ("/staff/desk/reception", "/staff/desk/console", "/staff/desk/dashboard"):
        assert client.get(url).status_code == 403, url
    client.post("/logout", data={"csrf_token": csrf_token(client, "/desk/my-services")})
    login(client, receptionist.email)
    assert client.get("/staff/desk/reception").status_code == 200
    assert client.get("/staff/desk/console").status_code == 403


# --- the desk console -------------------------------------------------------------------------


def test_console_call_serve_finish(client, session, clock, officer, visitor):
    queue.take_ticket(
        session, service=ServiceType.SALES, now=clock.now, channel=Channel.KIOSK, user_id=visitor.id
    )
    login(client, officer.email)
    assert (
        submit(
            client, "/staff/desk/console", {"desk": "2", "services": ["sales", "library"]}
        ).status_code
        == 302
    )
    page = client.get("/staff/desk/console").get_data(as_text=True)
    assert "B-001" in page  # in the waiting list
    assert (
        submit(client, "/staff/desk/console/call", {}, page="/staff/desk/console").status_code
        == 302
    )
    ticket = session.scalar(select(Ticket))
    assert ticket.status == TicketStatus.CALLED and ticket.desk == "2"
    assert (
        submit(
            client, f"/staff/desk/console/{ticket.id}/recall", {}, page="/staff/desk/console"
        ).status_code
        == 302
    )
    assert (
        submit(
            client, f"/staff/desk/console/{ticket.id}/start", {}, page="/staff/desk/console"
        ).status_code
        == 302
    )
    clock.advance(minutes=6)
    response = submit(
        client,
        f"/staff/desk/console/{ticket.id}/finish",
        {
            "outcome": "served",
            "products": "Peta Wilkerstat\nMikrodata Susenas",
            "note": "SPPD ditandatangani",
        },
        page="/staff/desk/console",
    )
    assert response.status_code == 302
    record = session.scalar(select(ServiceRecord))
    assert record.officer_id == officer.id and record.product_list == [
        "Peta Wilkerstat",
        "Mikrodata Susenas",
    ]
    session.refresh(ticket)
    assert ticket.recalls == 1 and ticket.status == TicketStatus.DONE
    # Nobody left: the console says so.
    submit(client, "/staff/desk/console/call", {}, page="/staff/desk/console")
    assert "Nobody is waiting." in client.get("/staff/desk/console").get_data(as_text=True)


def test_console_skip_and_transfer(client, session, clock, officer):
    for _ in range(2):
        queue.take_ticket(
            session, service=ServiceType.CONSULTATION, now=clock.now, channel=Channel.KIOSK
        )
    login(client, officer.email)
    submit(client, "/staff/desk/console", {"desk": "3", "services": ["consultation"]})
    submit(client, "/staff/desk/console/call", {}, page="/staff/desk/console")
    first = session.scalar(select(Ticket).where(Ticket.number == "C-001"))
    submit(client, f"/staff/desk/console/{first.id}/skip", {}, page="/staff/desk/console")
    submit(client, "/staff/desk/console/call", {}, page="/staff/desk/console")
    second = session.scalar(select(Ticket).where(Ticket.number == "C-002"))
    response = submit(
        client,
        f"/staff/desk/console/{second.id}/transfer",
        {"to_service": "sales", "note": ""},
        page="/staff/desk/console",
    )
    assert response.status_code == 302
    session.expire_all()
    assert first.status == TicketStatus.NO_SHOW and second.status == TicketStatus.TRANSFERRED
    assert (
        session.scalar(select(Ticket).where(Ticket.transferred_from_id == second.id)).number
        == "B-001"
    )


def test_the_page_of_a_transferred_number_follows_the_visitor(client, session, clock, officer):
    client.set_cookie("pst_lang", "en")
    first = queue.take_ticket(
        session, service=ServiceType.CONSULTATION, now=clock.now, channel=Channel.KIOSK
    )
    queue.call_next(
        session, services=[ServiceType.CONSULTATION], officer_id=officer.id, desk="3", now=clock.now
    )
    new = queue.transfer(
        session, first.id, to_service=ServiceType.SALES, officer_id=officer.id, now=clock.now
    )
    status = client.get(f"/desk/ticket/{first.token}/status").get_json()
    assert status["number"] == new.number == "B-001"
    assert (status["service"], status["status"]) == ("sales", "waiting")
    assert status["service_label"] == "Sales of statistical products"
    assert status["transferred_from"] == "C-001"
    page = client.get(f"/desk/ticket/{first.token}").get_data(as_text=True)
    assert re.search(r'id="ticket-number"[^>]*>B-001<', page)
    assert "Transferred from number C-001." in page
    assert "transferred" not in re.search(r'id="ticket-status">([^<]*)<', page).group(1)
    # The new number's own page says where it came from too; its state follows the desk.
    queue.call_next(
        session, services=[ServiceType.SALES], officer_id=officer.id, desk="5", now=clock.now
    )
    status = client.get(f"/desk/ticket/{first.token}/status").get_json()
    assert (status["number"], status["status"], status["desk"]) == ("B-001", "called", "5")
    assert client.get(f"/desk/ticket/{new.token}/status").get_json()["transferred_from"] is None
    # Transferred again: the first page follows to the last number.
    last = queue.transfer(
        session, new.id, to_service=ServiceType.LIBRARY, officer_id=officer.id, now=clock.now
    )
    status = client.get(f"/desk/ticket/{first.token}/status").get_json()
    assert (status["number"], status["service"]) == (last.number, "library")
    assert status["transferred_from"] == "B-001"
    # A number never transferred says nothing of it.
    plain = queue.take_ticket(
        session, service=ServiceType.SALES, now=clock.now, channel=Channel.KIOSK
    )
    assert client.get(f"/desk/ticket/{plain.token}/status").get_json()["transferred_from"] is None
    assert 'id="ticket-transferred" role="status" hidden' in client.get(
        f"/desk/ticket/{plain.token}"
    ).get_data(as_text=True)


# --- records, dashboard, exports ----------------------------------------------------------------


def test_records_search_and_correction(client, session, clock, officer, visitor):
    record = served_record(session, officer, clock, user_id=visitor.id)
    login(client, officer.email)
    page = client.get("/staff/desk/records?q=Dewi&service=library").get_data(as_text=True)
    assert "Dewi Anggraini" in page and f"/staff/desk/records/{record.id}" in page
    url = f"/staff/desk/records/{record.id}"
    form = client.get(url).get_data(as_text=True)
    assert 'value="2026-11-25"' in form and "data-confirm" in form
    response = submit(
        client,
        url,
        {
            "service": "library",
            "outcome": "partly",
            "desk": "1",
            "start_day": "2026-11-25",
            "start_time": "10:02",
            "end_day": "2026-11-25",
            "end_time": "10:30",
            "products": "Statistik Daerah 2025",
            "note": "Koreksi",
        },
    )
    assert response.status_code == 302
    session.refresh(record)
    assert record.outcome.value == "partly" and (record.ended_at - record.started_at) == timedelta(
        minutes=28
    )
    trail = client.get(url).get_data(as_text=True)
    # The audit trail reads as sentences and a table, not as the stored JSON.
    assert "Record corrected" in trail and "by Budi Petugas" in trail
    assert '<th scope="row">Outcome</th><td>Served</td><td>Partly served</td>' in trail
    assert "desk.record_corrected" not in trail and "[&#34;" not in trail and '["' not in trail
    client.set_cookie("pst_lang", "id")
    trail = client.get(url).get_data(as_text=True)
    assert "Catatan dikoreksi" in trail and "oleh Budi Petugas" in trail
    bad = submit(
        client,
        url,
        {
            "service": "library",
            "outcome": "partly",
            "start_day": "2026-11-25",
            "start_time": "10:02",
            "end_day": "2026-11-25",
            "end_time": "09:00",
        },
    )
    assert bad.status_code == 422


def test_dashboard_and_exports(client, session, clock, officer, head, visitor):
    from desk import ikm

    record = served_record(session, officer, clock, user_id=visitor.id)
    ikm.submit_rating(
        session,
        record=record,
        scores=[4, 4, 3, 4, 3, 4, 4, 3, 4],
        comment="=cmd()",
        channel=Channel.KIOSK,
        opened_at=clock.now,
        now=clock.now,
    )
    login(client, head.email)
    page = client.get("/staff/desk/dashboard").get_data(as_text=True)
    assert "<svg" in page and "Requirements" in page
    assert "91.67" in page  # 25 × 33 / 9
    assert "Dewi Anggraini" in page  # in the latest records
    client.set_cookie("pst_lang", "id")
    page = client.get("/staff/desk/dashboard").get_data(as_text=True)
    assert "91,67" in page and "91.67" not in page  # the Indonesian decimal comma
    assert "3,00" in page and "3.00" not in page  # an element's average, on the chart
    client.set_cookie("pst_lang", "en")
    csv = client.get("/staff/desk/export/records.csv?date_from=2026-11-01&date_to=2026-11-30")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    text = csv.data.decode("utf-8-sig")
    assert "Dewi Anggraini" in text and "'=cmd()" in text
    ikm_csv = client.get(
        "/staff/desk/export/ikm.csv?date_from=2026-11-01&date_to=2026-11-30"
    ).data.decode("utf-8-sig")
    assert "all,,1," in ikm_csv and "91.67,A" in ikm_csv

    from openpyxl import load_workbook

    for dataset in ("records", "visits", "ikm"):
        response = client.get(f"/staff/desk/export/{dataset}.xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data)).active
        assert sheet.max_row >= 1
    assert client.get("/staff/desk/export/secrets.csv").status_code == 404


# --- calendar -------------------------------------------------------------------------------------


def test_calendar_page_lists_holidays_and_edits_entries(client, session, head):
    from desk.models import CalendarDay

    login(client, head.email)
    page = client.get("/staff/desk/calendar?year=2026").get_data(as_text=True)
    assert "Independence Day" in page and "Monday: 08:00–15:30 WIB" in page
    client.set_cookie("pst_lang", "id")
    page = client.get("/staff/desk/calendar?year=2026").get_data(as_text=True)
    assert "Hari Kemerdekaan Republik Indonesia" in page and "Independence Day" not in page
    assert "Senin: 08:00–15:30 WIB" in page and "Mon:" not in page
    client.set_cookie("pst_lang", "en")
    response = submit(
        client,
        "/staff/desk/calendar",
        {"day": "2026-12-31", "is_open": "closed", "note": "Cuti bersama"},
    )
    assert response.status_code == 302
    entry = session.scalar(select(CalendarDay))
    assert "Cuti bersama" in client.get("/staff/desk/calendar?year=2026").get_data(as_text=True)
    # Without a language cookie the message's language comes from the signed-in user,
    # read while the failed insert is still to be rolled back (once a 500).
    client.delete_cookie("pst_lang")
    again = submit(
        client, "/staff/desk/calendar", {"day": "2026-12-31", "is_open": "closed", "note": "x"}
    )
    assert again.status_code == 422
    submit(client, f"/staff/desk/calendar/{entry.id}/delete", {}, page="/staff/desk/calendar")
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 0


def test_a_cancelled_number_offers_no_rating(client, session, clock, officer, visitor, outbox):
    ticket = queue.take_ticket(
        session, service=ServiceType.SALES, now=clock.now, channel=Channel.KIOSK, user_id=visitor.id
    )
    login(client, officer.email)
    submit(client, "/staff/desk/console", {"desk": "2", "services": ["sales"]})
    submit(client, "/staff/desk/console/call", {}, page="/staff/desk/console")
    submit(client, f"/staff/desk/console/{ticket.id}/start", {}, page="/staff/desk/console")
    before = len(list(outbox.messages()))
    response = submit(
        client,
        f"/staff/desk/console/{ticket.id}/finish",
        {"outcome": "cancelled", "products": "", "note": "Pengunjung pergi"},
        page="/staff/desk/console",
    )
    assert response.status_code == 302
    console = client.get("/staff/desk/console").get_data(as_text=True)
    assert "can now rate" not in console and "has nothing to rate" in console
    record = session.scalar(select(ServiceRecord))
    assert record.invited_at is None and len(list(outbox.messages())) == before  # no mail
    # Nowhere to rate it: the number's page, the kiosk, the link, the visitor's list.
    status = client.get(f"/desk/ticket/{ticket.token}/status").get_json()
    assert status["rate_url"] is None
    response = submit(client, "/desk/kiosk/rate", {"code": ticket.rating_code})
    assert response.status_code == 422
    assert "nothing to rate" in response.get_data(as_text=True)
    assert client.get(f"/desk/rate/{record.rating_token}").status_code == 409
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff/desk/console")})
    login(client, visitor.email)
    page = client.get("/desk/my-services").get_data(as_text=True)
    assert f"/desk/rate/{record.rating_token}" not in page and "Cancelled" in page


def test_the_configured_desk_settings_reach_the_services(
    app, client, session, clock, receptionist, visitor
):
    """Services no longer read the configuration: each page hands them the desk's
    settings, so a configured prefix or service hours show on every page."""
    app.config["DESK_SERVICE_PREFIXES"] = {
        "library": "P",
        "sales": "J",
        "consultation": "K",
        "recommendation": "R",
    }
    login(client, receptionist.email)
    page = submit(client, "/staff/desk/reception", {"key": visitor.id_number}).get_data(
        as_text=True
    )
    visitor_token = re.search(r'name="visitor" type="hidden" value="([^"]+)"', page).group(1)
    submit(
        client,
        "/staff/desk/reception/visit",
        {"visitor": visitor_token, "services": ["consultation"], "purpose": "government"},
        page="/staff/desk/reception",
    )
    submit(
        client, "/staff/desk/reception/ticket", {"service": "sales"}, page="/staff/desk/reception"
    )
    page = client.get("/staff/desk/reception").get_data(as_text=True)
    assert "K-001" in page and "J-001" in page
    board = client.get("/desk/board/data").get_json()
    assert {q["service"]: q["prefix"] for q in board["queues"]}["sales"] == "J"
    assert board["open"] is True  # Wednesday 10:00, the default hours
    app.config["DESK_HOURS"] = {"mon": ["08:00", "12:00"]}  # Wednesday is closed
    assert client.get("/desk/board/data").get_json()["open"] is False

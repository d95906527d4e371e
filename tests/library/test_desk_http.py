"""The library desk over HTTP: the publication panel, reader requests, officer queues.

Pages are asked for in English (the ``pst_lang`` cookie), whose wording the assertions use.
"""

from __future__ import annotations

import io

import pytest
from factories import PASSWORD, make_pdf, user
from helpers import submit
from sqlalchemy import select

from app.db import utcnow
from library import holdings, softcopy
from library.models import HoldingStatus, ReadingStatus, SoftcopyStatus


@pytest.fixture
def client(client):
    client.set_cookie("pst_lang", "en")
    return client


@pytest.fixture
def login(app, client):
    """A signed-in test client for a person (each call a client of its own)."""

    def sign_in(person):
        own = app.test_client()
        own.set_cookie("pst_lang", "en")
        response = submit(own, "/login", {"email": person.email, "password": PASSWORD})
        assert response.status_code == 302
        return own

    return sign_in


@pytest.fixture
def copy(session, publication, officer):
    return holdings.add_holding(
        session, publication.id, inventory_no="INV-001", location="display", actor_id=officer.id
    )


def test_panel_on_the_publication_page(client, login, session, publication, officer, reader):
    page = f"/publications/{publication.id}"
    manage = f"/staff/library/publications/{publication.id}/holdings"
    assert "hardcopy-title" not in login(reader).get(page).get_data(as_text=True)
    officer_html = login(officer).get(page).get_data(as_text=True)
    assert manage in officer_html  # officers can add the first copy from here
    holdings.add_holding(session, publication.id, inventory_no="INV-1", actor_id=officer.id)
    html = client.get(page).get_data(as_text=True)
    assert "In the storage room: 1" in html
    assert "Sign in to ask for a copy" in html
    reader_html = login(reader).get(page).get_data(as_text=True)
    assert f"/library/publications/{publication.id}/reading-requests" in reader_html
    assert manage not in reader_html


def test_panel_renders_alone(app, publication):
    from flask import render_template

    with app.test_request_context("/", headers={"Cookie": "pst_lang=en"}):
        html = render_template(
            "library/_holdings_panel.html",
            pub=publication,
            availability=holdings.Availability(display=2, storage=1, in_use=0),
            options=None,
        )
    assert "On the reading-room shelves: 2" in html
    assert "Sign in to ask for a copy" in html


def test_reader_requests_a_copy_and_cancels(login, session, publication, copy, reader):
    web = login(reader)
    page = f"/publications/{publication.id}"
    url = f"/library/publications/{publication.id}/reading-requests"
    response = submit(web, url, {}, page=page)
    assert response.status_code == 302 and response.headers["Location"] == "/library/requests"
    request = session.scalar(select(holdings.ReadingRequest))
    assert request.user_id == reader.id and request.status == ReadingStatus.REQUESTED
    # A second request for the same publication is refused with a message.
    again = submit(web, url, {}, page=page)
    assert "already asked" in web.get(again.headers["Location"]).get_data(as_text=True)
    assert len(session.scalars(select(holdings.ReadingRequest)).all()) == 1

    mine = web.get("/library/requests").get_data(as_text=True)
    assert publication.title in mine and "requested" in mine
    response = submit(
        web, f"/library/reading-requests/{request.id}/cancel", {}, page="/library/requests"
    )
    assert response.status_code == 302
    session.refresh(request)
    assert request.status == ReadingStatus.CANCELLED


def test_reader_cannot_act_on_another_readers_request(login, session, publication, copy, reader):
    theirs = holdings.request_reading(session, publication.id, reader=user(session), now=utcnow())
    web = login(reader)
    response = submit(
        web, f"/library/reading-requests/{theirs.id}/cancel", {}, page="/library/requests"
    )
    assert response.status_code == 403
    session.refresh(theirs)
    assert theirs.status == ReadingStatus.REQUESTED
    assert theirs.publication.title not in web.get("/library/requests").get_data(as_text=True)
    # Nor use the officers' pages and actions.
    assert web.get("/staff/library/reading").status_code == 403
    assert web.get("/staff/library/softcopy").status_code == 403
    response = submit(
        web, f"/staff/library/reading/{theirs.id}/ready", {}, page="/library/requests"
    )
    assert response.status_code == 403
    session.refresh(theirs)
    assert theirs.status == ReadingStatus.REQUESTED


def test_pages_need_sign_in_and_forms_need_csrf(client, login, publication, copy, reader):
    response = client.get("/library/requests")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/staff/library/reading").status_code == 302
    response = login(reader).post(f"/library/publications/{publication.id}/reading-requests")
    assert response.status_code == 400


def test_officer_works_the_reading_queue(login, session, publication, copy, officer, reader):
    request = holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    storage = holdings.add_holding(
        session, publication.id, inventory_no="INV-002", actor_id=officer.id
    )
    web = login(officer)
    html = web.get("/staff/library/reading").get_data(as_text=True)
    assert reader.full_name in html and publication.title in html
    assert 'for="copy-' in html and "INV-002" in html

    url = f"/staff/library/reading/{request.id}/ready"
    response = submit(web, url, {"holding_id": storage.id}, page="/staff/library/reading")
    assert response.status_code == 302
    session.refresh(request)
    session.refresh(storage)
    assert request.status == ReadingStatus.READY and request.holding_id == storage.id
    assert storage.status == HoldingStatus.IN_USE

    # Ready again is refused with a message, not an error page.
    again = submit(web, url, {}, page="/staff/library/reading")
    assert again.status_code == 302
    assert "cannot become" in web.get(again.headers["Location"]).get_data(as_text=True)

    response = submit(
        web, f"/staff/library/reading/{request.id}/returned", {}, page="/staff/library/reading"
    )
    assert response.status_code == 302
    session.refresh(request)
    session.refresh(storage)
    assert request.status == ReadingStatus.RETURNED and storage.status == HoldingStatus.AVAILABLE
    assert "No open requests" in web.get("/staff/library/reading").get_data(as_text=True)
    assert web.get("/staff/library/reading/999/ready").status_code == 405
    missing = submit(web, "/staff/library/reading/999/ready", {}, page="/staff/library/reading")
    assert missing.status_code == 404


def test_officer_manages_copies(login, session, publication, officer, reader):
    web = login(officer)
    page = f"/staff/library/publications/{publication.id}/holdings"
    assert "No printed copy" in web.get(page).get_data(as_text=True)
    response = submit(
        web,
        page,
        {"inventory_no": "INV-100", "barcode": "", "location": "display", "shelf": "R1"},
    )
    assert response.status_code == 302
    (copy,) = holdings.list_holdings(session, publication.id)
    assert (copy.inventory_no, copy.barcode, copy.location.value) == ("INV-100", None, "display")

    duplicate = submit(web, page, {"inventory_no": "INV-100", "location": "storage"})
    assert duplicate.status_code == 422
    assert "already has this inventory number" in duplicate.get_data(as_text=True)

    edit = f"/staff/library/holdings/{copy.id}/edit"
    response = submit(
        web,
        edit,
        {"inventory_no": "INV-100", "location": "storage", "status": "missing", "note": "hilang"},
    )
    assert response.status_code == 302
    session.refresh(copy)
    assert copy.status == HoldingStatus.MISSING and copy.note == "hilang"
    # in_use is not offered by hand.
    refused = submit(
        web, edit, {"inventory_no": "INV-100", "location": "storage", "status": "in_use"}
    )
    assert refused.status_code == 422
    # The walk-in form finds the reader by email.
    submit(web, edit, {"inventory_no": "INV-100", "location": "storage", "status": "available"})
    response = submit(
        web,
        f"/staff/library/publications/{publication.id}/reading-requests",
        {"reader_email": reader.email},
        page=page,
    )
    assert response.status_code == 302
    made = holdings.open_request_for(session, publication.id, reader.id)
    assert made is not None and made.created_by_id == officer.id
    unknown = submit(
        web,
        f"/staff/library/publications/{publication.id}/reading-requests",
        {"reader_email": "tidak-ada@example.org"},
        page=page,
    )
    assert unknown.status_code == 422 and "No active account" in unknown.get_data(as_text=True)


def test_softcopy_request_to_download_link(login, session, officer, reader, outbox, tmp_path):
    reader_web = login(reader)
    form = reader_web.get("/library/softcopy-requests/new?title=Sakernas%202010")
    assert "Sakernas 2010" in form.get_data(as_text=True)
    empty = submit(reader_web, "/library/softcopy-requests/new", {"title": "", "purpose": ""})
    assert empty.status_code == 422
    response = submit(
        reader_web,
        "/library/softcopy-requests/new",
        {"title": "Sakernas Bengkulu 2010", "kat_no": "", "purpose": "Penelitian tesis"},
    )
    assert response.status_code == 302
    request = session.scalar(select(softcopy.SoftcopyRequest))
    assert request.user_id == reader.id and request.kat_no is None
    # Readers cannot open the officers' page of their own request either.
    assert reader_web.get(f"/staff/library/softcopy/{request.id}").status_code == 403

    web = login(officer)
    queue = web.get("/staff/library/softcopy").get_data(as_text=True)
    assert "Sakernas Bengkulu 2010" in queue and reader.full_name in queue
    detail = f"/staff/library/softcopy/{request.id}"
    assert "Penelitian tesis" in web.get(detail).get_data(as_text=True)

    bad = submit(
        web,
        f"/staff/library/softcopy/{request.id}/attach",
        {
            "file": (io.BytesIO(b"bukan pdf"), "x.pdf"),
            "title": "Sakernas",
            "access": "read_only",
        },
        page=detail,
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "not a PDF" in bad.get_data(as_text=True)

    pdf = make_pdf(tmp_path / "sakernas.pdf", ["Sakernas Agustus 2010"])
    response = submit(
        web,
        f"/staff/library/softcopy/{request.id}/attach",
        {
            "file": (io.BytesIO(pdf.read_bytes()), "sakernas.pdf"),
            "title": "Keadaan Angkatan Kerja Provinsi Bengkulu 2010",
            "access": "read_only",
        },
        page=detail,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.refresh(request)
    assert request.status == SoftcopyStatus.FULFILLED
    page = web.get(detail).get_data(as_text=True)
    assert f"/publications/{request.publication_id}" in page and "Attach the PDF" not in page
    assert len(outbox.messages()) == 1
    mine = reader_web.get("/library/requests").get_data(as_text=True)
    assert f"/publications/{request.publication_id}" in mine


def test_softcopy_decline_over_http(login, session, officer, reader, outbox):
    request = softcopy.create_request(
        session, reader=reader, title="Lama", purpose="Kuliah", now=utcnow()
    )
    web = login(officer)
    detail = f"/staff/library/softcopy/{request.id}"
    url = f"/staff/library/softcopy/{request.id}/decline"
    assert submit(web, url, {"reason": ""}, page=detail).status_code == 422
    response = submit(web, url, {"reason": "Tidak tersedia dalam bentuk cetak."}, page=detail)
    assert response.status_code == 302
    session.refresh(request)
    assert request.status == SoftcopyStatus.DECLINED
    assert len(outbox.messages()) == 1
    reader_page = login(reader).get("/library/requests").get_data(as_text=True)
    assert "Tidak tersedia dalam bentuk cetak." in reader_page

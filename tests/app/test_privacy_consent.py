"""The privacy notice and recorded consent (UU 27/2022, issue #18 item 1): the notice in
both languages and its versions, consent recorded at registration, at the kiosk and by
the receptionist, a new version asked again at the next request, the history on the
account, the administrators' publishing page."""

from __future__ import annotations

import re

import pytest
from factories import PASSWORD, registration_form, user
from helpers import WEDNESDAY_10, FakeClock, submit
from sqlalchemy import func, select

from app.accounts.consent_models import AppendOnly, Consent, ConsentChannel, NoticeVersion
from app.accounts.models import Role, User
from app.accounts.services import consent
from app.audit import AuditEvent
from app.i18n import LANG_COOKIE


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WEDNESDAY_10)


@pytest.fixture
def config_overrides(clock: FakeClock) -> dict:
    return {"CLOCK": clock}


def _consents(session, **where):
    query = select(Consent).order_by(Consent.id)
    for key, value in where.items():
        query = query.where(getattr(Consent, key) == value)
    return list(session.scalars(query))


def _event(session, action):
    return session.scalar(select(AuditEvent).where(AuditEvent.action == action))


def _login(client, person):
    response = submit(client, "/login", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _publish(session, admin, clock, text="Versi baru"):
    return consent.publish(
        session,
        body_id=f"## Baru\n{text}",
        body_en=f"## New\n{text} (en)",
        changes_id="Masa simpan buku tamu menjadi 3 tahun.",
        changes_en="Guest book kept for 3 years.",
        actor_id=admin.id,
        now=clock(),
    )


# --- the notice ---------------------------------------------------------------------------


def test_the_notice_reads_in_indonesian_by_default_and_in_english(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "Pemberitahuan privasi" in page or "Pemberitahuan Privasi" in page
    assert "Data yang kami kumpulkan" in page and "NIK" in page
    assert "Hak Anda" in page and "Menarik persetujuan" in page
    assert "BPS Provinsi Bengkulu" in page and "pst1700@bps.go.id" in page
    client.set_cookie(LANG_COOKIE, "en")
    page = client.get("/privacy").get_data(as_text=True)
    assert "Privacy notice" in page and "The data we collect" in page
    assert "Withdraw your consent" in page and "Data controller" in page
    assert "Version 1" in page


def test_the_contact_is_a_setting(make_app, app, database_url, tmp_path):
    from helpers import base_config

    other = make_app(
        {**base_config(tmp_path / "i", database_url), "PRIVACY_CONTACT": "Jl. Contoh 1, 0736-123"}
    )
    assert "Jl. Contoh 1, 0736-123" in other.test_client().get("/privacy").get_data(as_text=True)


def test_notice_text_is_escaped_and_old_versions_stay_readable(client, session, clock):
    admin = user(session, role=Role.ADMIN)
    _publish(session, admin, clock, text="<script>alert(1)</script> baru")
    page = client.get("/privacy").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "Versi 2" in page
    old = client.get("/privacy/v1").get_data(as_text=True)
    assert "Data yang kami kumpulkan" in old and "versi lama" in old.lower()
    listing = client.get("/privacy/versions").get_data(as_text=True)
    assert "/privacy/v1" in listing and "/privacy/v2" in listing
    assert "Masa simpan buku tamu menjadi 3 tahun." in listing
    assert client.get("/privacy/v9").status_code == 404


def test_published_versions_and_consents_are_never_changed(session, clock):
    person = user(session)
    version = session.scalar(select(NoticeVersion))
    version.body_id = "diubah"
    with pytest.raises(AppendOnly):
        session.flush()
    session.rollback()
    given = _consents(session, user_id=person.id)[0]
    session.delete(given)
    with pytest.raises(AppendOnly):
        session.flush()
    session.rollback()


# --- registration -------------------------------------------------------------------------


def test_registration_records_consent_to_the_version_shown(client, session, clock):
    """Fails on the old behaviour: the box was required but nothing was recorded."""
    page = client.get("/register").get_data(as_text=True)
    assert 'name="notice"' in page and "(versi 1)" in page  # the notice, readable in place
    response = submit(client, "/register", registration_form(email="ani@example.org"))
    assert response.status_code == 200
    person = session.scalar(select(User).where(User.email == "ani@example.org"))
    [given] = _consents(session, user_id=person.id)
    assert given.channel == ConsentChannel.REGISTRATION and given.notice.number == 1
    assert given.recorded_by_id == person.id and given.locale == "id"
    assert given.given_at == clock()
    audit = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "privacy.consent_recorded")
    )
    assert audit.subject_id == str(person.id) and '"via": "registration"' in audit.detail


def test_registration_without_the_box_is_refused_and_saves_nothing(client, session):
    form = registration_form(email="tanpa@example.org")
    form.pop("consent")
    response = submit(client, "/register", form)
    assert response.status_code == 422
    assert "Harap setujui untuk mendaftar." in response.get_data(as_text=True) or (
        'id="consent-error"' in response.get_data(as_text=True)
    )
    assert session.scalar(select(func.count()).select_from(User)) == 0
    assert session.scalar(select(func.count()).select_from(Consent)) == 0


def test_registration_with_an_unknown_version_is_refused_and_saves_nothing(client, session, outbox):
    response = submit(client, "/register", registration_form(notice="42"))
    assert response.status_code == 422
    assert 'id="consent-error"' in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(User)) == 0
    assert session.scalar(select(func.count()).select_from(Consent)) == 0
    # The same answer for an address that has an account (no probing through it).
    user(session, email="punya@example.org")
    form = registration_form(email="punya@example.org", notice="42")
    assert submit(client, "/register", form).status_code == 422
    assert outbox.messages() == []


def test_a_version_published_while_the_form_was_open_is_asked_at_sign_in(client, session, clock):
    admin = user(session, role=Role.ADMIN)
    shown = client.get("/register")  # version 1 on the page
    assert shown.status_code == 200
    _publish(session, admin, clock)
    form = registration_form(email="lambat@example.org", notice="1")
    assert submit(client, "/register", form, page="/login").status_code == 200
    person = session.scalar(select(User).where(User.email == "lambat@example.org"))
    assert [c.notice.number for c in _consents(session, user_id=person.id)] == [1]
    assert consent.must_ask(session, person)


# --- the front desk -----------------------------------------------------------------------


def _visit_form(**overrides):
    data = registration_form()
    for key in ("password", "confirm"):
        data.pop(key)
    data.update({"services": ["library"], "purpose": "research", "need": ""})
    data.update(overrides)
    return data


@pytest.fixture
def kiosk(client, session, clock, app):
    from desk import kiosk_devices
    from desk.http import COOKIE

    receptionist = user(session, role=Role.RECEPTIONIST)
    _device, cookie = kiosk_devices.enrol(
        session, name="Tablet", actor_id=receptionist.id, now=clock(),
        secret_key=app.config["SECRET_KEY"],
    )  # fmt: skip
    client.set_cookie(COOKIE, cookie)
    return client


def test_the_kiosk_records_the_visitors_consent_with_the_visit(kiosk, session, clock):
    from desk.models import GuestVisit

    page = kiosk.get("/desk/kiosk/guestbook/new").get_data(as_text=True)
    assert 'name="notice"' in page and "Data yang kami kumpulkan" in page
    response = submit(kiosk, "/desk/kiosk/guestbook/new", _visit_form(email="", full_name="Tamu"))
    assert response.status_code == 302, response.get_data(as_text=True)
    visit = session.scalar(select(GuestVisit))
    [given] = _consents(session)
    assert given.channel == ConsentChannel.KIOSK and given.visit_id == visit.id
    assert given.user_id == visit.user_id and given.recorded_by_id is None
    assert given.notice.number == 1


def test_the_kiosk_refuses_a_form_without_the_box_and_saves_nothing(kiosk, session):
    from desk.models import GuestVisit

    data = _visit_form()
    data.pop("consent")
    response = submit(kiosk, "/desk/kiosk/guestbook/new", data)
    assert response.status_code == 422
    assert 'id="consent-error"' in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(GuestVisit)) == 0
    assert session.scalar(select(func.count()).select_from(Consent)) == 0


def _returning_visit_page(kiosk, key):
    """The kiosk's page for a returning visitor found by ``key``, and its form's data."""
    page = submit(kiosk, "/desk/kiosk/guestbook", {"key": key}).get_data(as_text=True)
    hidden = dict(
        re.findall(
            r'name="(visitor|csrf_token|started|notice)" type="hidden" value="([^"]*)"', page
        )
    )
    return page, {**hidden, "services": ["sales"], "purpose": "business"}


def test_a_returning_visitor_at_the_kiosk_is_asked_again_after_a_new_version(kiosk, session, clock):
    """Fails on the behaviour before: only the website asked again; a returning visitor
    at the kiosk took a number under a notice they had never seen."""
    from desk.models import GuestVisit

    first = _visit_form(email="", full_name="Tamu Lama", phone="0812 1111 2222")
    assert submit(kiosk, "/desk/kiosk/guestbook/new", first).status_code == 302
    visitor_id = session.scalar(select(GuestVisit.user_id))
    _publish(session, user(session, role=Role.ADMIN), clock)
    clock.advance(days=1)

    page, data = _returning_visit_page(kiosk, "0812 1111 2222")
    assert 'id="notice-asked"' in page and 'name="consent"' in page
    assert data["notice"] == "2" and "Versi baru" in page  # the new text, readable in place
    refused = kiosk.post("/desk/kiosk/guestbook/visit", data=data)
    assert refused.status_code == 422 and 'id="consent-error"' in refused.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(GuestVisit)) == 1  # nothing saved
    assert [c.notice.number for c in _consents(session, user_id=visitor_id)] == [1]

    taken = kiosk.post("/desk/kiosk/guestbook/visit", data={**data, "consent": "y"})
    assert taken.status_code == 302, taken.get_data(as_text=True)
    second = session.scalars(select(GuestVisit).order_by(GuestVisit.id)).all()[-1]
    given = _consents(session, user_id=visitor_id)
    assert [c.notice.number for c in given] == [1, 2]
    assert given[-1].channel == ConsentChannel.KIOSK and given[-1].visit_id == second.id

    # Agreed to the current version: not asked again.
    clock.advance(days=1)
    page, data = _returning_visit_page(kiosk, "0812 1111 2222")
    assert 'name="consent"' not in page
    assert kiosk.post("/desk/kiosk/guestbook/visit", data=data).status_code == 302
    assert len(_consents(session, user_id=visitor_id)) == 2


def test_a_visitor_from_before_the_notice_is_asked_at_the_kiosk(kiosk, session):
    visitor = user(session, consent=False, phone="0812 3333 4444")
    page, data = _returning_visit_page(kiosk, "0812 3333 4444")
    assert "Mohon baca pemberitahuan privasi kami" in page and 'name="consent"' in page
    assert (
        kiosk.post("/desk/kiosk/guestbook/visit", data={**data, "consent": "y"}).status_code == 302
    )
    assert [c.notice.number for c in _consents(session, user_id=visitor.id)] == [1]


def test_the_receptionist_records_consent_as_the_one_who_entered_it(client, session):
    from desk.models import GuestVisit

    receptionist = user(session, role=Role.RECEPTIONIST)
    _login(client, receptionist)
    data = _visit_form(full_name="Walk In")
    response = submit(client, "/staff/desk/reception/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    visit = session.scalar(select(GuestVisit))
    [given] = _consents(session)
    assert given.channel == ConsentChannel.RECEPTIONIST
    assert given.recorded_by_id == receptionist.id
    assert given.user_id == visit.user_id and given.visit_id == visit.id
    audit = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "privacy.consent_recorded")
    )
    assert audit.actor_id == receptionist.id


# --- asking again -------------------------------------------------------------------------


def test_a_new_version_is_asked_at_the_next_request_until_accepted(client, session, clock):
    reader = user(session)
    admin = user(session, role=Role.ADMIN)
    _login(client, reader)
    assert client.get("/profile").status_code == 200
    _publish(session, admin, clock)

    response = client.get("/profile")
    assert response.status_code == 302
    assert "/account/privacy/accept?next=/profile" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Masa simpan buku tamu menjadi 3 tahun." in page  # what changed
    assert "versi 1" in page.lower()
    # Still open without accepting: the notice, the account hub, signing out.
    for url in ("/privacy", "/account", "/account/privacy"):
        assert client.get(url).status_code == 200, url

    # The box unticked: refused with a message, nothing recorded.
    response = submit(client, "/account/privacy/accept", {"notice": "2", "next": "/profile"})
    assert response.status_code == 422
    assert "Centang kotak untuk menerima pemberitahuan privasi." in response.get_data(
        as_text=True
    ) or 'id="accept-error"' in response.get_data(as_text=True)
    assert [c.notice.number for c in _consents(session, user_id=reader.id)] == [1]
    assert client.get("/profile").status_code == 302

    response = submit(
        client, "/account/privacy/accept", {"accept": "y", "notice": "2", "next": "/profile"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    latest = _consents(session, user_id=reader.id)[-1]
    assert latest.notice.number == 2 and latest.channel == ConsentChannel.RECONSENT
    assert client.get("/profile").status_code == 200


def test_a_new_version_is_asked_at_the_next_sign_in(client, session, clock):
    reader = user(session)
    admin = user(session, role=Role.ADMIN)
    _publish(session, admin, clock)
    response = _login(client, reader)
    follow = client.get(response.headers["Location"])
    assert follow.status_code == 302 and "/account/privacy/accept" in follow.headers["Location"]


def test_accounts_without_any_consent_are_asked(client, session):
    """Accounts from before consent was recorded (and desk visitors who claim theirs)."""
    reader = user(session, consent=False)
    _login(client, reader)
    response = client.get("/profile")
    assert response.status_code == 302 and "/account/privacy/accept" in response.headers["Location"]


def test_staff_are_not_asked(client, session, clock):
    officer = user(session, role=Role.OFFICER)
    admin = user(session, role=Role.ADMIN)
    _publish(session, admin, clock)
    _login(client, officer)
    assert client.get("/staff").status_code == 200
    page = client.get("/account/privacy/accept").get_data(as_text=True)
    assert 'name="accept"' not in page


def test_the_next_address_stays_on_the_site(client, session, clock):
    reader = user(session, consent=False)
    _login(client, reader)
    response = submit(
        client, "/account/privacy/accept", {"accept": "y", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"


# --- the account page and the administrators ---------------------------------------------


def test_a_person_sees_their_own_consent_history(client, session, clock):
    reader = user(session)
    other = user(session)
    admin = user(session, role=Role.ADMIN)
    _publish(session, admin, clock)
    clock.advance(hours=1)
    consent.accept(session, reader, 2, locale="id", now=clock())
    _login(client, reader)
    account = client.get("/account").get_data(as_text=True)
    assert "/account/privacy" in account
    page = client.get("/account/privacy").get_data(as_text=True)
    assert "Versi 1" in page and "Versi 2" in page
    assert "Menerima versi baru" in page or "Accepted a new version" not in page
    assert "11.00" in page or "11:00" in page  # 04:00 UTC shown in WIB
    assert page.count("<tr>") == 3  # the header and reader's two, not the other's
    del other


def test_only_admins_publish_and_bad_input_changes_nothing(client, session):
    admin = user(session, role=Role.ADMIN)
    officer = user(session, role=Role.OFFICER)
    _login(client, officer)
    assert client.get("/staff/privacy").status_code == 403
    submit(client, "/logout", {}, page="/staff")
    _login(client, admin)
    page = client.get("/staff/privacy").get_data(as_text=True)
    assert "Data yang kami kumpulkan" in page  # prefilled with the current text
    response = submit(
        client, "/staff/privacy", {"body_id": "Teks", "body_en": "Text", "changes_id": "  "}
    )
    assert response.status_code == 422
    assert session.scalar(select(func.max(NoticeVersion.number))) in (None, 1)
    response = submit(
        client,
        "/staff/privacy",
        {"body_id": "Teks", "body_en": "Text", "changes_id": "Baru", "changes_en": "New"},
    )
    assert response.status_code == 302
    assert session.scalar(select(func.max(NoticeVersion.number))) == 2
    event = session.scalar(
        select(AuditEvent).where(AuditEvent.action == "privacy.notice_published")
    )
    assert event.actor_id == admin.id
    assert "Versi 2" in client.get("/privacy").get_data(as_text=True)


def test_publishing_needs_every_text(session, clock):
    admin = user(session, role=Role.ADMIN)
    before = session.scalar(select(func.count()).select_from(NoticeVersion))
    with pytest.raises(consent.NoticeIncomplete):
        consent.publish(
            session, body_id="x", body_en="", changes_id="y", changes_en="z",
            actor_id=admin.id, now=clock(),
        )  # fmt: skip
    assert session.scalar(select(func.count()).select_from(NoticeVersion)) == before


def test_asking_again_costs_one_small_query_a_request_once_accepted(client, session, app):
    from sqlalchemy import event

    from app.extensions import db

    reader = user(session)
    _login(client, reader)
    assert client.get("/profile").status_code == 200  # found accepted: kept in the session
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert client.get("/profile").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    ours = [s for s in statements if "privacy_" in s]
    assert len(ours) == 1 and "max(privacy_notice_versions.number)" in ours[0]

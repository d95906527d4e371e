"""Two-factor sign-in over HTTP: enrolment, the second step with a code, a wrong or
replayed code, a recovery code, the staff rule, and the half-signed-in state that
opens nothing."""

from __future__ import annotations

import pytest
from factories import PASSWORD, user
from helpers import FakeClock, csrf_token, submit
from sqlalchemy import select

from app.accounts import totp
from app.accounts.models import Role, TwoFactor
from app.accounts.services import two_factor
from app.audit import AuditEvent


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def config_overrides(request, clock):
    marker = request.node.get_closest_marker("limits")
    return {"CLOCK": clock, **(marker.args[0] if marker else {})}


def _code(session, person, clock, steps=0):
    secret = session.get(TwoFactor, person.id).secret
    return totp.code_at(secret, totp.step_at(clock()) + steps)


def _enrol(session, person, clock):
    two_factor.start_enrolment(session, person)
    codes = two_factor.confirm_enrolment(session, person, _code(session, person, clock), now=clock)
    clock.advance(seconds=3 * totp.INTERVAL)
    return codes


def _password(client, email):
    return submit(client, "/login", {"email": email, "password": PASSWORD})


def _second(client, code):
    return submit(client, "/login/code", {"code": code})


def test_enrolment_shows_the_secret_as_qr_and_text_and_confirms_with_a_code(client, session, clock):
    person = user(session, email="siti@example.org")
    assert _password(client, "siti@example.org").status_code == 302
    page = client.get("/account/two-factor")
    html = page.get_data(as_text=True)
    secret = session.get(TwoFactor, person.id).secret
    assert page.status_code == 200 and totp.grouped(secret) in html
    qr = client.get("/account/two-factor/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data

    wrong = "000000" if _code(session, person, clock) != "000000" else "111111"
    refused = submit(client, "/account/two-factor", {"code": wrong})
    assert refused.status_code == 422 and "Kode ini tidak benar" in refused.get_data(as_text=True)
    assert not two_factor.is_enrolled(session, person.id)

    done = submit(client, "/account/two-factor", {"code": _code(session, person, clock)})
    body = done.get_data(as_text=True)
    assert done.status_code == 200 and body.count("<li><code>") == 10
    assert two_factor.is_enrolled(session, person.id)
    # This browser stays signed in; the secret is not shown again, nor its QR code.
    settings = client.get("/account/two-factor")
    assert settings.status_code == 200 and secret[:8] not in settings.get_data(as_text=True)
    assert client.get("/account/two-factor/qr.svg").status_code == 404


def test_sign_in_asks_for_the_code_and_the_half_signed_in_state_opens_nothing(
    client, session, clock
):
    person = user(session, email="staf@example.org", role=Role.OFFICER)
    _enrol(session, person, clock)
    response = _password(client, "staf@example.org")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    for path in ("/staff", "/profile", "/account", "/tokens", "/staff/users"):
        opened = client.get(path)
        assert opened.status_code in (302, 403) and "/login" in opened.headers.get(
            "Location", "/login"
        ), path
    with client.session_transaction() as cookie:
        assert "_user_id" not in cookie

    response = _second(client, _code(session, person, clock))
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff")
    assert client.get("/staff").status_code == 200


def test_a_wrong_code_and_a_replayed_one_are_refused_with_a_clear_message(client, session, clock):
    person = user(session, email="ada@example.org")
    _enrol(session, person, clock)
    _password(client, "ada@example.org")
    wrong = _second(client, "12345x")
    assert wrong.status_code == 422 and "Kode ini tidak benar" in wrong.get_data(as_text=True)
    code = _code(session, person, clock)
    assert _second(client, code).status_code == 302
    submit(client, "/logout", {}, page="/profile")

    _password(client, "ada@example.org")
    replayed = _second(client, code)
    assert replayed.status_code == 422
    assert "sudah dipakai" in replayed.get_data(as_text=True)
    assert client.get("/profile").status_code == 302
    refused = session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "account.2fa_refused")
    ).all()
    assert refused == ['{"why": "wrong"}', '{"why": "replay"}']


def test_a_recovery_code_signs_in_once(client, session, clock):
    person = user(session, email="ada@example.org")
    codes = _enrol(session, person, clock)
    _password(client, "ada@example.org")
    response = _second(client, codes[0])
    assert response.status_code == 302
    assert "9" in client.get("/profile").get_data(as_text=True)  # the flash: 9 left
    submit(client, "/logout", {}, page="/profile")
    _password(client, "ada@example.org")
    assert _second(client, codes[0]).status_code == 422
    assert session.scalar(
        select(AuditEvent).where(AuditEvent.action == "account.2fa_recovery_used")
    )


@pytest.mark.limits({"TOTP_REQUIRED_FOR_STAFF": True})
def test_staff_must_enrol_after_the_password_before_any_staff_page(client, session, clock):
    person = user(session, email="staf@example.org", role=Role.OFFICER)
    response = _password(client, "staf@example.org")
    assert response.headers["Location"].endswith("/account/two-factor")
    assert client.get("/staff").status_code == 302  # not signed in yet
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    assert client.get("/account/two-factor/qr.svg").status_code == 200
    done = submit(client, "/account/two-factor", {"code": _code(session, person, clock)})
    assert done.status_code == 200 and "/staff" in done.get_data(as_text=True)
    assert client.get("/staff").status_code == 200
    # Required: the staff member cannot turn it off.
    settings = client.get("/account/two-factor").get_data(as_text=True)
    assert "/account/two-factor/disable" not in settings
    clock.advance(seconds=3 * totp.INTERVAL)
    refused = submit(
        client,
        "/account/two-factor/disable",
        {"password": PASSWORD, "code": _code(session, person, clock)},
        page="/profile",
    )
    assert refused.status_code == 422 and two_factor.is_enrolled(session, person.id)


@pytest.mark.limits({"TOTP_REQUIRED_FOR_STAFF": True})
def test_visitors_are_not_asked_to_enrol(client, session):
    user(session, email="ada@example.org")
    assert _password(client, "ada@example.org").headers["Location"].endswith("/")


def test_turning_it_off_needs_the_password_and_a_code(client, session, clock):
    person = user(session, email="ada@example.org")
    _enrol(session, person, clock)
    _password(client, "ada@example.org")
    _second(client, _code(session, person, clock))
    clock.advance(seconds=totp.INTERVAL)
    bad = submit(
        client,
        "/account/two-factor/disable",
        {"password": "salah-salah-1", "code": _code(session, person, clock)},
        page="/account/two-factor",
    )
    assert bad.status_code == 422 and two_factor.is_enrolled(session, person.id)
    ok = submit(
        client,
        "/account/two-factor/disable",
        {"password": PASSWORD, "code": _code(session, person, clock)},
        page="/account/two-factor",
    )
    assert ok.status_code == 302 and not two_factor.is_enrolled(session, person.id)
    submit(client, "/logout", {}, page="/profile")
    assert _password(client, "ada@example.org").headers["Location"].endswith("/")


def test_an_administrator_resets_a_staff_members_two_factor(client, session, clock):
    user(session, email="admin@example.org", role=Role.ADMIN)
    person = user(session, email="staf@example.org", role=Role.OFFICER)
    _enrol(session, person, clock)
    _password(client, "admin@example.org")
    page = client.get(f"/staff/users/{person.id}").get_data(as_text=True)
    assert f"/staff/users/{person.id}/two-factor/reset" in page
    response = submit(
        client, f"/staff/users/{person.id}/two-factor/reset", {}, page=f"/staff/users/{person.id}"
    )
    assert response.status_code == 302
    assert not two_factor.is_enrolled(session, person.id)
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "account.2fa_reset"))


def test_only_administrators_reset(client, session, clock):
    user(session, email="staf2@example.org", role=Role.OFFICER)
    person = user(session, email="staf@example.org", role=Role.OFFICER)
    _enrol(session, person, clock)
    _password(client, "staf2@example.org")
    token = csrf_token(client, "/profile")
    response = client.post(f"/staff/users/{person.id}/two-factor/reset", data={"csrf_token": token})
    assert response.status_code == 403 and two_factor.is_enrolled(session, person.id)


def test_the_second_step_without_a_password_first_goes_to_sign_in(client, session):
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


@pytest.mark.limits({"RATELIMIT_ENABLED": True, "TOTP_RATE_LIMIT": "3 per minute"})
def test_wrong_codes_are_counted_by_the_rate_limit(client, session, clock):
    person = user(session, email="ada@example.org")
    _enrol(session, person, clock)
    _password(client, "ada@example.org")
    statuses = [_second(client, f"00000{i}").status_code for i in range(4)]
    assert statuses == [422, 422, 422, 429]
    # Even the right code waits for the limit.
    assert _second(client, _code(session, person, clock)).status_code == 429


def test_a_staff_session_begun_before_it_was_required_is_sent_to_enrolment(
    app, client, session, clock
):
    person = user(session, email="staf@example.org", role=Role.OFFICER)
    _password(client, "staf@example.org")
    assert client.get("/staff").status_code == 200
    app.config["TOTP_REQUIRED_FOR_STAFF"] = True
    for path in ("/staff", "/profile", "/tokens"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith("/account/two-factor")
    assert client.get("/account/two-factor").status_code == 200
    submit(client, "/account/two-factor", {"code": _code(session, person, clock)})
    assert client.get("/staff").status_code == 200

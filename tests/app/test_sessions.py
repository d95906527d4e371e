"""Sessions that end (issue #15): sign-out, password change or reset, role change and
deactivation end every session and remember-me cookie of the account; remember-me lasts
at most 30 days and is never given to staff; an idle session ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from factories import PASSWORD, user
from helpers import csrf_token, submit

from app.accounts import services
from app.accounts.models import Role, User

SESSION = "pst_session"  # COOKIE_SECURE is off in tests
REMEMBER = "remember_token"
NEW_PASSWORD = "sandi-baru-kuat-456"


def _login(client: Any, email: str, *, remember: bool = False, password: str = PASSWORD) -> Any:
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    response = submit(client, "/login", data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def _cookie(client: Any, name: str) -> str:
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return str(cookie.value)


def _replay(app: Any, name: str, value: str) -> Any:
    """A fresh browser holding only one cookie someone kept: does it get in?"""
    other = app.test_client()
    other.set_cookie(name, value)
    return other.get("/profile")


def _signed_in(response: Any) -> bool:
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    return False


def _reset_link(outbox: Any) -> str:
    mail = message_from_bytes(outbox.messages()[-1].read_bytes(), policy=policy.default)
    body = mail.get_body(("plain",)).get_content()
    return next(w for w in body.split() if "/password/reset/" in w).replace("http://localhost", "")


def _logout(app: Any, clients: dict[str, Any], outbox: Any) -> None:
    submit(clients["a"], "/logout", {}, page="/profile")


def _change_password(app: Any, clients: dict[str, Any], outbox: Any) -> None:
    response = submit(
        clients["a"],
        "/profile",
        {
            "password-current": PASSWORD,
            "password-password": NEW_PASSWORD,
            "password-confirm": NEW_PASSWORD,
            "password-submit": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    # The browser that changed the password stays signed in.
    assert _signed_in(clients["a"].get("/profile"))


def _reset(app: Any, clients: dict[str, Any], outbox: Any) -> None:
    stranger = app.test_client()
    submit(stranger, "/password/forgot", {"email": "ada@example.org"})
    response = submit(
        stranger, _reset_link(outbox), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def _as_admin(app: Any, session: Any) -> Any:
    user(session, role=Role.ADMIN, email="admin@example.org")
    admin = app.test_client()
    _login(admin, "admin@example.org")
    return admin


def _role_change(app: Any, clients: dict[str, Any], outbox: Any) -> None:
    person_id = clients["id"]
    page = f"/staff/users/{person_id}"
    assert submit(clients["admin"], page, {"role": "receptionist"}).status_code == 302


def _deactivate(app: Any, clients: dict[str, Any], outbox: Any) -> None:
    page = f"/staff/users/{clients['id']}"
    response = submit(clients["admin"], f"{page}/active", {"active": "0"}, page=page)
    assert response.status_code == 302


@pytest.mark.parametrize(
    "action",
    [_logout, _change_password, _reset, _role_change, _deactivate],
    ids=["logout", "password-change", "password-reset", "role-change", "deactivation"],
)
def test_every_session_and_remember_cookie_of_the_account_ends(
    app, client, session, outbox, action
):
    """Finding: "Logout, password change and reset leave other sessions alive: 5 of 6
    replayed cookies, and the one-year 'remember me' cookie, still got in." """
    person = user(session, email="ada@example.org")
    clients: dict[str, Any] = {"id": person.id, "a": client, "b": app.test_client()}
    if action in (_role_change, _deactivate):
        clients["admin"] = _as_admin(app, session)
    _login(clients["a"], "ada@example.org")
    _login(clients["b"], "ada@example.org", remember=True)
    kept = {
        "a session": (SESSION, _cookie(clients["a"], SESSION)),
        "b session": (SESSION, _cookie(clients["b"], SESSION)),
        "b remember-me": (REMEMBER, _cookie(clients["b"], REMEMBER)),
    }
    # Before: every kept cookie, alone in a fresh browser, gets in.
    for name, (cookie, value) in kept.items():
        assert _signed_in(_replay(app, cookie, value)), name

    action(app, clients, outbox)

    for name, (cookie, value) in kept.items():
        assert not _signed_in(_replay(app, cookie, value)), f"{name} still gets in"
    assert not _signed_in(clients["b"].get("/profile"))


def test_password_change_keeps_this_browser_and_its_remember_cookie(app, client, session):
    user(session, email="ada@example.org")
    _login(client, "ada@example.org", remember=True)
    old = _cookie(client, REMEMBER)
    _change_password(app, {"a": client}, None)
    new = _cookie(client, REMEMBER)
    assert new != old
    assert _signed_in(_replay(app, REMEMBER, new))
    assert not _signed_in(_replay(app, REMEMBER, old))


def test_an_admin_changing_their_own_role_stays_signed_in(app, client, session):
    admin = user(session, role=Role.ADMIN, email="admin@example.org")
    user(session, role=Role.ADMIN, email="second@example.org")  # not the last admin
    _login(client, "admin@example.org")
    page = f"/staff/users/{admin.id}"
    assert submit(client, page, {"role": "officer"}).status_code == 302
    assert client.get("/staff").status_code == 200
    assert session.get(User, admin.id).role == Role.OFFICER


def test_a_cookie_without_a_session_version_is_refused(app, client, session):
    """Cookies issued before versions existed carry only the id: everyone signs in again."""
    person = user(session, email="ada@example.org")
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = str(person.id)
    assert not _signed_in(client.get("/profile"))
    from app import sessions

    for bad in (f"{person.id}:x", "x:1", f"{10**400}:1", f"{person.id}:1:2", ""):
        assert sessions.load_user(bad) is None, bad


def test_remember_me_lasts_thirty_days_at_most(client, session):
    user(session, email="ada@example.org")
    response = _login(client, "ada@example.org", remember=True)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(REMEMBER))
    expires = parsedate_to_datetime(header.split("Expires=")[1].split(";")[0])
    left = expires - datetime.now(UTC)
    assert timedelta(days=29, hours=23) < left <= timedelta(days=30)


def test_staff_accounts_get_no_remember_me_cookie(client, session):
    user(session, email="petugas@example.org", role=Role.OFFICER)
    response = _login(client, "petugas@example.org", remember=True)
    assert not any(h.startswith(REMEMBER) for h in response.headers.getlist("Set-Cookie"))
    assert client.get("/staff").status_code == 200


def test_an_idle_session_ends(app, client, session, monkeypatch):
    user(session, email="petugas@example.org", role=Role.OFFICER)
    moment = [1_800_000_000]
    monkeypatch.setattr("app.sessions._now", lambda: moment[0])
    _login(client, "petugas@example.org")
    hours = 3600
    moment[0] += 7 * hours
    assert client.get("/staff").status_code == 200  # active: the idle clock restarts
    moment[0] += 7 * hours
    assert client.get("/staff").status_code == 200
    moment[0] += 8 * hours + 60
    response = client.get("/staff")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # The language chosen before stays: only the sign-in ended.
    assert client.get("/login").status_code == 200


def test_a_remembered_visitor_survives_idle_expiry(app, client, session, monkeypatch):
    user(session, email="ada@example.org")
    moment = [1_800_000_000]
    monkeypatch.setattr("app.sessions._now", lambda: moment[0])
    _login(client, "ada@example.org", remember=True)
    moment[0] += 9 * 3600
    assert client.get("/profile").status_code == 200


def test_sign_out_is_in_the_audit_trail(app, client, session):
    from sqlalchemy import select

    from app.audit import AuditEvent

    person = user(session, email="ada@example.org")
    _login(client, "ada@example.org")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_id == str(person.id))
    ).all()
    assert "account.signed_out" in actions


def test_api_tokens_outlive_a_password_change_but_not_deactivation(app, client, session):
    """Documented in README: tokens are revoked on the tokens page; a password change
    leaves them, deactivation stops them."""
    person = user(session, email="ada@example.org")
    _token, plain = services.create_api_token(session, person, "script")
    headers = {"Authorization": f"Bearer {plain}"}
    assert services.change_password(session, person, PASSWORD, NEW_PASSWORD)
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    admin = user(session, role=Role.ADMIN, email="admin@example.org")
    services.set_active(session, person.id, False, actor_id=admin.id)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_unchanged_role_keeps_sessions(app, client, session):
    person = user(session, email="ada@example.org")
    admin = user(session, role=Role.ADMIN, email="admin@example.org")
    before = person.session_version
    services.change_role(session, person.id, Role.USER, actor_id=admin.id)
    assert session.get(User, person.id).session_version == before

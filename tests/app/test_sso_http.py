"""Staff sign-in through OpenID Connect against a real provider (node-oidc-provider on
127.0.0.1, tests/oidckit.py): the whole round trip over the wire, the account policy,
and every refusal (tampered, replayed, expired answers) as a clear page, audited and
counted by the sign-in rate limit — never a 500."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import oidckit
import pytest
from factories import user as make_user
from helpers import FakeClock, csrf_token
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.accounts import oidc_settings
from app.accounts.models import Role, SsoIdentity, User
from app.audit import AuditEvent
from app.db import utcnow

CALLBACK = "http://localhost/login/sso/callback"


@pytest.fixture
def config_overrides(request: pytest.FixtureRequest, oidc_provider: Any) -> dict[str, Any]:
    marker = request.node.get_closest_marker("sso")
    extra = marker.args[0] if marker else {}
    limits = request.node.get_closest_marker("limits")
    if limits:
        extra = {**extra, "RATELIMIT_ENABLED": True, **limits.args[0]}
    return oidckit.sso_config(oidc_provider, **extra)


def start(client: Any, next_url: str | None = None) -> str:
    response = client.get("/login/sso" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.text[:300]
    return response.headers["Location"]


def callback(authorize_url: str, username: str) -> str:
    return oidckit.through_provider(authorize_url, username, back_to=CALLBACK)


def sign_in(client: Any, username: str, next_url: str | None = None) -> Any:
    return client.get(callback(start(client, next_url), username))


def refusals(session: Any) -> list[str]:
    rows = session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "account.sso_refused")
    ).all()
    return [str(row) for row in rows]


def test_login_page_offers_the_sso_button(client: Any) -> None:
    page = client.get("/login").text
    assert "Masuk dengan SSO BPS" in page
    assert 'href="/login/sso"' in page


def test_first_sign_in_creates_a_staff_account_with_the_mapped_role(client, session) -> None:
    authorize = start(client)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"] and query["code_challenge"]
    response = client.get(callback(authorize, "kepala"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff"
    user = session.scalar(select(User).where(User.email == "kepala@bps.go.id"))
    assert user.role == Role.HEAD
    assert user.email_verified and not user.has_password
    link = session.scalar(select(SsoIdentity).where(SsoIdentity.user_id == user.id))
    assert link.issuer == oidckit_issuer(client) and link.subject == "kepala"
    assert client.get("/staff").status_code == 200
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["account.sso_created", "account.login"]


def oidckit_issuer(client: Any) -> str:
    return str(client.application.config["OIDC_ISSUER"])


def test_highest_mapped_role_wins_and_next_is_kept(client, session) -> None:
    response = sign_in(client, "admin", next_url="/staff/users")
    assert response.headers["Location"] == "/staff/users"
    user = session.scalar(select(User).where(User.email == "admin.sso@bps.go.id"))
    assert user.role == Role.ADMIN


def test_roles_are_mapped_again_at_every_sign_in(client, session) -> None:
    sign_in(client, "petugas")
    user = session.scalar(select(User).where(User.email == "petugas.sso@bps.go.id"))
    user.role = Role.ADMIN  # changed in PST; the provider says officer
    session.commit()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    sign_in(client, "petugas")
    session.refresh(user)
    assert user.role == Role.OFFICER
    changed = session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "account.role_changed")
    ).all()
    assert changed and '"why": "sso"' in changed[-1]


def test_links_an_existing_verified_account_by_address(client, session) -> None:
    person = make_user(session, email="petugas.sso@bps.go.id", role=Role.RECEPTIONIST)
    session.commit()
    sign_in(client, "petugas")
    session.refresh(person)
    assert person.role == Role.OFFICER
    assert person.has_password  # confirmed here before: its password stays
    assert session.scalar(select(SsoIdentity.subject).where(SsoIdentity.user_id == person.id))


def test_linking_an_unconfirmed_account_drops_its_password(client, session) -> None:
    # Someone registered the officer's address before them (never confirmed it).
    squatter = make_user(session, email="petugas.sso@bps.go.id", verified=False)
    session.commit()
    sign_in(client, "petugas")
    session.refresh(squatter)
    assert squatter.email_verified
    assert not squatter.has_password
    assert squatter.role == Role.OFFICER


def test_no_mapped_role_is_refused_and_nothing_is_created(client, session) -> None:
    response = sign_in(client, "tamu")
    assert response.status_code == 403
    assert "tidak memiliki peran petugas PST" in response.text
    assert session.scalar(select(User).where(User.email == "tamu.sso@bps.go.id")) is None
    assert refusals(session) == ['{"why": "no_role"}']


def test_unverified_address_is_not_linked(client, session) -> None:
    person = make_user(session, email="belum@bps.go.id", role=Role.OFFICER)
    session.commit()
    response = sign_in(client, "belum")
    assert response.status_code == 403
    assert "alamat email yang terverifikasi" in response.text
    assert session.scalar(select(SsoIdentity)) is None
    session.refresh(person)
    assert person.role == Role.OFFICER


def test_role_withdrawn_at_the_provider_demotes_the_linked_account(client, session, app) -> None:
    sign_in(client, "kepala")
    user = session.scalar(select(User).where(User.email == "kepala@bps.go.id"))
    assert user.role == Role.HEAD
    assert client.get("/staff").status_code == 200
    # The provider's "pst-head" no longer maps to any PST role.
    app.extensions["pst.sso"] = oidc_settings.settings_from(
        {**app.config, "OIDC_ROLE_MAP": {"pst-officer": "officer"}}
    )
    elsewhere = app.test_client()
    response = sign_in(elsewhere, "kepala")
    assert response.status_code == 403
    session.refresh(user)
    assert user.role == Role.USER
    assert client.get("/staff").status_code == 302  # the first browser's session ended
    assert refusals(session) == ['{"why": "no_role"}']


@settings(
    max_examples=4,  # each example is a round trip to the provider
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(code=st.text(max_size=80), error=st.sampled_from([None, "", "access_denied", "x\u202e"]))
def test_any_callback_answer_is_a_clear_refusal(client, code: str, error: str | None) -> None:
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    query = {"state": state, "code": code, **({"error": error} if error is not None else {})}
    response = client.get("/login/sso/callback?" + urlencode(query))
    assert response.status_code == 400
    assert "SSO" in response.text


def test_state_not_started_here_is_refused(client, session) -> None:
    authorize = start(client)
    back = callback(authorize, "petugas")
    parts = urlsplit(back)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = "x" + query["state"][1:]
    response = client.get(parts.path + "?" + urlencode(query))
    assert response.status_code == 400
    assert "tidak dapat diselesaikan" in response.text
    assert session.scalar(select(User).where(User.email == "petugas.sso@bps.go.id")) is None
    assert refusals(session) == ['{"why": "state"}']


def test_answer_naming_another_issuer_is_refused(client, session) -> None:
    parts = urlsplit(callback(start(client), "petugas"))
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["iss"] == oidckit_issuer(client)  # the provider names itself (RFC 9207)
    query["iss"] = "https://sso.example.org/realms/bps"
    assert client.get(parts.path + "?" + urlencode(query)).status_code == 400
    assert refusals(session) == ['{"why": "issuer"}']


def test_callback_without_a_started_sign_in_is_refused(client, session) -> None:
    response = client.get("/login/sso/callback?code=abc&state=def")
    assert response.status_code == 400
    assert refusals(session) == ['{"why": "state"}']


def test_replayed_code_is_refused(client, session) -> None:
    back = callback(start(client), "petugas")
    assert client.get(back).status_code == 302  # signed in
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    # The same answer again: its state was spent with the first use.
    assert client.get(back).status_code == 400
    # And with the state of a new sign-in: the provider refuses the spent code.
    fresh = parse_qs(urlsplit(start(client)).query)["state"][0]
    parts = urlsplit(back)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["state"] = fresh
    response = client.get(parts.path + "?" + urlencode(query))
    assert response.status_code == 400
    assert refusals(session)[-2:] == ['{"why": "state"}', '{"why": "code"}']


def test_expired_id_token_is_refused(client, session, app) -> None:
    authorize = start(client)
    back = callback(authorize, "petugas")
    app.config["CLOCK"] = FakeClock(utcnow() + timedelta(hours=3))
    response = client.get(back)
    assert response.status_code == 400
    assert refusals(session) == ['{"why": "expired"}']


def test_cancelled_at_the_provider(client, session) -> None:
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(f"/login/sso/callback?error=access_denied&state={state}")
    assert response.status_code == 400
    assert "dibatalkan" in response.text
    assert refusals(session) == ['{"why": "cancelled"}']


@pytest.mark.sso({"OIDC_ISSUER": "http://127.0.0.1:9"})
def test_provider_out_of_reach_is_a_clear_503(client, session) -> None:
    response = client.get("/login/sso")
    assert response.status_code == 503
    assert "tidak dapat dihubungi" in response.text
    assert refusals(session) == ['{"why": "discovery"}']


@pytest.mark.limits({"LOGIN_RATE_LIMIT": "3 per minute"})
def test_refused_callbacks_count_against_the_sign_in_limit(client) -> None:
    statuses = [client.get("/login/sso/callback?code=a&state=b").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


def test_sign_out_ends_the_provider_session_too(client, session, app) -> None:
    sign_in(client, "petugas")
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    location = response.headers["Location"]
    assert location.startswith(app.config["OIDC_ISSUER"] + "/session/end")
    query = parse_qs(urlsplit(location).query)
    assert query["post_logout_redirect_uri"] == ["http://localhost/"]
    assert query["id_token_hint"]
    assert client.get("/staff").status_code == 302  # signed out of PST


@pytest.mark.sso({"TOTP_REQUIRED_FOR_STAFF": True})
def test_sso_sign_in_stands_for_the_local_authenticator(client) -> None:
    sign_in(client, "petugas")
    assert client.get("/staff").status_code == 200  # no enrolment demanded


@pytest.mark.sso({"TOTP_REQUIRED_FOR_STAFF": True, "OIDC_MFA_VALUES": ["otp"]})
def test_local_authenticator_unless_the_provider_did_mfa(client) -> None:
    response = sign_in(client, "petugas")  # amr: pwd only
    assert response.headers["Location"] == "/account/two-factor"
    response = sign_in(client.application.test_client(), "mfa")  # amr: pwd, otp
    assert response.headers["Location"] == "/staff"


@pytest.mark.sso({"LOCAL_STAFF_PASSWORDS": False})
def test_staff_passwords_off(client, session) -> None:
    make_user(session, email="staf@example.org", role=Role.OFFICER, password="sandi-staf-123")
    make_user(session, email="warga@example.org", password="sandi-warga-123")
    session.commit()
    token = csrf_token(client, "/login")
    staff = client.post(
        "/login",
        data={"email": "staf@example.org", "password": "sandi-staf-123", "csrf_token": token},
    )
    assert staff.status_code == 403
    assert "masuk melalui SSO" in staff.text
    visitor = client.post(
        "/login",
        data={"email": "warga@example.org", "password": "sandi-warga-123", "csrf_token": token},
    )
    assert visitor.status_code == 302


def test_refusals_read_in_words_in_the_audit_log(client, app) -> None:
    app.test_client().get("/login/sso/callback?code=a&state=b")
    sign_in(client, "admin")
    page = client.get("/staff/audit").text
    assert "Masuk melalui SSO ditolak" in page
    assert "Jawaban tidak berasal dari proses masuk yang dimulai di sini" in page
    assert "Akun dibuat melalui SSO" in page

"""Security defaults: headers, cookies, rate limits."""

from __future__ import annotations

import pytest
from factories import registration_form, user
from helpers import base_config, csrf_token


def test_security_headers(client):
    response = client.get("/")
    h = response.headers
    assert "frame-ancestors 'none'" in h["Content-Security-Policy"]
    assert "script-src 'self'" in h["Content-Security-Policy"]
    assert "unsafe-inline" not in h["Content-Security-Policy"]
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Cache-Control"] == "no-store"


def test_production_cookies_are_hardened(make_app, tmp_path, database_url):
    app = make_app({**base_config(tmp_path, database_url), "COOKIE_SECURE": True})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    client = app.test_client()
    response = client.get("/register")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Strict-Transport-Security" in response.headers


@pytest.fixture
def config_overrides(request):
    marker = request.node.get_closest_marker("limits")
    return {"RATELIMIT_ENABLED": True, **(marker.args[0] if marker else {})} if marker else {}


@pytest.mark.limits({"LOGIN_RATE_LIMIT": "3 per minute"})
def test_login_is_rate_limited(client, session):
    user(session, email="ada@example.org")
    token = csrf_token(client, "/login")
    codes = [
        client.post(
            "/login",
            data={"csrf_token": token, "email": "ada@example.org", "password": f"salah-{i}-xxxxx"},
        ).status_code
        for i in range(5)
    ]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429
    blocked = client.post(
        "/login", data={"csrf_token": token, "email": "ada@example.org", "password": "x"}
    )
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers or blocked.status_code == 429


@pytest.mark.limits({"RESET_RATE_LIMIT": "2 per minute"})
def test_reset_is_rate_limited_per_email(client, session):
    token = csrf_token(client, "/password/forgot")
    codes = [
        client.post(
            "/password/forgot", data={"csrf_token": token, "email": "target@example.org"}
        ).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]


@pytest.mark.limits({"REGISTER_RATE_LIMIT": "2 per minute"})
def test_registration_is_rate_limited_whether_or_not_the_address_is_taken(client, session, outbox):
    user(session, email="ada@example.org")
    token = csrf_token(client, "/register")
    codes = [
        client.post(
            "/register", data={**registration_form(email="ada@example.org"), "csrf_token": token}
        ).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    assert len(outbox.messages()) == 2  # the owner is not flooded past the limit
    fresh = client.post(
        "/register", data={**registration_form(email="new@example.org"), "csrf_token": token}
    )
    assert fresh.status_code == 429  # the per-address limit holds for new addresses too


@pytest.mark.limits({"REGISTER_RATE_LIMIT": "2 per minute"})
def test_registration_is_rate_limited_per_email(make_app, client, session, outbox):
    """Many machines cannot flood one owner's mailbox: the limit also counts per email."""
    user(session, email="ada@example.org")
    codes = []
    for n in range(3):
        token = csrf_token(client, "/register")
        codes.append(
            client.post(
                "/register",
                data={**registration_form(email="ada@example.org"), "csrf_token": token},
                environ_base={"REMOTE_ADDR": f"192.0.2.{n + 10}"},
            ).status_code
        )
    assert codes == [200, 200, 429]


def test_limits_use_redis_when_configured(make_app, tmp_path, database_url):
    app = make_app(
        {**base_config(tmp_path, database_url), "REDIS_URL": "redis://127.0.0.1:6379/15"}
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/15"

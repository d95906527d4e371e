"""Security defaults: headers, cookies, rate limits."""

from __future__ import annotations

import pytest
from factories import user
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


def test_limits_use_redis_when_configured(make_app, tmp_path, database_url):
    app = make_app(
        {**base_config(tmp_path, database_url), "REDIS_URL": "redis://127.0.0.1:6379/15"}
    )
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/15"

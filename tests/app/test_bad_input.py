"""Bad input gets a clear answer and changes nothing; never a 500."""

from __future__ import annotations

import pytest
from factories import registration_form
from helpers import csrf_token
from sqlalchemy import select

from app.accounts.models import User

SMALL_LIMIT = {"MAX_CONTENT_LENGTH": 1024}


@pytest.fixture
def config_overrides():
    return SMALL_LIMIT


def test_oversize_body_is_413(client, session):
    token = csrf_token(client, "/register")
    form = registration_form(full_name="x" * 5000)
    response = client.post("/register", data={"csrf_token": token, **form})
    assert response.status_code == 413
    assert session.scalar(select(User)) is None


def test_oversize_api_body_is_problem_json(client):
    # An operation that takes a JSON POST (a GET-only one answers 405 whatever the
    # limit); the same request under the limit proves the size is what was refused.
    url = "/api/v1/store/orders"
    response = client.post(url, data='{"a": "' + "x" * 5000 + '"}', content_type="application/json")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    small = client.post(url, data='{"a": "x"}', content_type="application/json")
    assert small.status_code == 422  # read and judged: too few fields, not too large
    assert small.mimetype == "application/problem+json"


def test_unknown_page_is_404_in_indonesian(client):
    response = client.get("/tidak/ada")
    assert response.status_code == 404
    assert 'lang="id"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/verify/%00", "/password/reset/..%2F..%2Fetc", "/tokens/abc/revoke", "/staff/users/x"]
)
def test_hostile_paths_do_not_500(client, path):
    assert client.get(path).status_code < 500
    assert client.post(path).status_code < 500


def test_garbage_form_values_do_not_500(client, session):
    token = csrf_token(client, "/register")
    form = registration_form(
        id_type="<script>",
        institution_kind="nonsense",
        birth_year="2e9",
        gender="other",
        education="' OR 1=1 --",
    )
    response = client.post("/register", data={"csrf_token": token, **form})
    assert response.status_code == 422
    assert "<script>" not in response.get_data(as_text=True)
    assert session.scalar(select(User)) is None


def test_language_switch_with_bad_values(client):
    token = csrf_token(client, "/login")  # anonymous pages carry no token
    response = client.post(
        "/language", data={"csrf_token": token, "lang": "xx", "next": "https://evil.example"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "pst_lang" not in response.headers.get("Set-Cookie", "")


NUL_MESSAGE = "karakter nol"


def test_a_null_character_in_a_form_changes_nothing(client, session):
    """A NUL in a field: PostgreSQL cannot store it, and the failing SQL would be logged
    with the other values (NIK, phone). Refused before any service runs."""
    token = csrf_token(client, "/register")
    form = registration_form(full_name="Dewi\x00 Anggraini")
    response = client.post("/register", data={"csrf_token": token, **form})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)
    assert session.scalar(select(User)) is None


def test_a_null_character_in_the_query_is_refused(client):
    response = client.get("/catalog?q=kemiskinan%00")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize("body", ['{"service": "library\\u0000"}', '{"service\\u0000": 1}'])
def test_a_null_character_in_json_is_a_problem(client, body):
    response = client.post(
        "/api/v1/desk/tickets", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"

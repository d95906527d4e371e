"""The JSON API: OpenAPI document, bearer auth, problem+json errors."""

from __future__ import annotations

import pytest
from factories import user

from app.accounts import services
from app.accounts.models import Role
from app.jobs import Job

PROBLEM = "application/problem+json"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_openapi_document_has_stable_operation_ids(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    ids = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                assert op.get("operationId"), f"{method.upper()} {path} has no operationId"
                ids.append(op["operationId"])
    assert len(ids) == len(set(ids))
    assert spec["paths"]["/api/v1/me"]["get"]["operationId"] == "getCurrentUser"
    assert "bearerAuth" in spec["components"]["securitySchemes"]


def test_openapi_document_is_built_when_first_read(app, client):
    """Registering the API documents nothing (a quarter of building an app); the first
    read of the document adds every blueprint's operations and tags, once, in order."""
    from app.extensions import api

    assert [name for _blp, name, _params in api._undocumented] == [
        "me", "jobs", "catalog_api", "library_api", "scan_api", "desk_api", "store_api",
        "advisory_api",
    ]  # fmt: skip
    first = client.get("/api/v1/openapi.json").json
    assert not api._undocumented
    assert [tag["name"] for tag in first["tags"]][:2] == ["me", "jobs"]
    assert "/api/v1/store/walk-in-orders" in first["paths"]
    assert "/api/v1/advisory/consultations" in first["paths"]
    assert client.get("/api/v1/openapi.json").json == first


def test_openapi_document_is_valid(client):
    from openapi_spec_validator import validate

    validate(client.get("/api/v1/openapi.json").json)


def test_me_requires_a_token(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.mimetype == PROBLEM
    assert response.json["status"] == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")


@pytest.mark.parametrize(
    "header", ["Bearer pst_nonsense", "Basic dXNlcjpwYXNz", "Bearer ", "pst_x"]
)
def test_me_rejects_bad_tokens(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.mimetype == PROBLEM


def test_me_returns_the_token_owner(client, session):
    person = user(session, email="api@example.org", role=Role.OFFICER)
    _token, plain = services.create_api_token(session, person, "t")
    response = client.get("/api/v1/me", headers=_bearer(plain))
    assert response.status_code == 200
    assert response.json["email"] == "api@example.org"
    assert response.json["role"] == "officer"
    assert "password_hash" not in response.json


def test_deactivated_user_token_stops_working(client, session):
    person = user(session)
    _token, plain = services.create_api_token(session, person, "t")
    person.active = False
    session.commit()
    assert client.get("/api/v1/me", headers=_bearer(plain)).status_code == 401


def test_api_does_not_use_the_session_cookie(client, session):
    """A signed-in browser is not an API client: no ambient credential, no CSRF hole."""
    from factories import PASSWORD
    from helpers import submit

    user(session, email="web@example.org")
    submit(client, "/login", {"email": "web@example.org", "password": PASSWORD})
    assert client.get("/api/v1/me").status_code == 401


def test_unknown_api_path_is_problem_json(client):
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.mimetype == PROBLEM


def test_method_not_allowed_is_problem_json(client):
    response = client.delete("/api/v1/me")
    assert response.status_code == 405
    assert response.mimetype == PROBLEM


def test_problem_detail_follows_language(client):
    client.set_cookie("pst_lang", "en")
    english = client.get("/api/v1/me").json["detail"]
    client.set_cookie("pst_lang", "id")
    indonesian = client.get("/api/v1/me").json["detail"]
    assert english != indonesian


def test_job_visible_to_owner_and_admins_only(client, session):
    owner, other = user(session), user(session)
    staff, admin = user(session, role=Role.OFFICER), user(session, role=Role.ADMIN)
    job = Job(id="a" * 32, name="storage.check", state="done", progress=100, created_by_id=owner.id)
    session.add(job)
    session.commit()
    for person, expected in ((owner, 200), (other, 404), (staff, 404), (admin, 200)):
        _t, plain = services.create_api_token(session, person, "t")
        response = client.get(f"/api/v1/jobs/{job.id}", headers=_bearer(plain))
        assert response.status_code == expected
    assert response.json["state"] == "done" and response.json["progress"] == 100

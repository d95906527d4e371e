"""The advisory's JSON API and its place in the OpenAPI document."""

from __future__ import annotations

from advkit import FS3, token_for

from advisory.labels import CHECKLIST

OPERATIONS = {
    "createConsultation",
    "postConsultationMessage",
    "escalateConsultation",
    "createRecommendationRequest",
    "submitRecommendationRequest",
    "reviewRecommendationRequest",
    "approveRecommendationRequest",
    "verifyLetter",
}


def test_operations_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    ids = {
        op["operationId"]
        for path in spec["paths"].values()
        for op in path.values()
        if isinstance(op, dict)
    }
    assert ids >= OPERATIONS
    verify = spec["paths"]["/api/v1/advisory/letters/verify"]["get"]
    assert "security" not in verify  # public


def test_consultation_over_the_api(client, session, requester, officer, specialist):
    me, staff = token_for(session, requester), token_for(session, officer)
    anonymous = client.post(
        "/api/v1/advisory/consultations", json={"subject": "Data", "body": "Data apa?"}
    )
    assert anonymous.status_code == 401
    response = client.post(
        "/api/v1/advisory/consultations",
        headers=me,
        json={
            "subject": "Data penduduk",
            "body": "Jumlah penduduk per kecamatan 2024?",
            "kind": "data_request",
        },
    )
    assert response.status_code == 201, response.get_json()
    c = response.get_json()
    assert c["reference"].startswith("K-") and c["due_on"] == "2026-11-30" and c["status"] == "new"
    url = f"/api/v1/advisory/consultations/{c['id']}"
    assert response.headers["Location"].endswith(url)

    response = client.post(
        f"{url}/escalate", headers=me, json={"specialist_id": specialist.id, "note": "x"}
    )
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    response = client.post(
        f"{url}/escalate", headers=staff, json={"specialist_id": specialist.id, "note": "Bantu"}
    )
    assert response.status_code == 200 and response.get_json()["status"] == "escalated"
    assert response.get_json()["messages"][-1]["internal"] is True

    response = client.post(
        f"{url}/messages", headers=staff, json={"body": "Sedang diproses", "internal": False}
    )
    assert response.status_code == 201
    response = client.post(f"{url}/messages", headers=me, json={"body": "Terima kasih"})
    assert response.status_code == 201
    mine = client.get(url, headers=me).get_json()
    assert [m["body"] for m in mine["messages"]] == [
        "Jumlah penduduk per kecamatan 2024?",
        "Sedang diproses",
        "Terima kasih",
    ]
    response = client.post(
        f"{url}/answer", headers=token_for(session, specialist), json={"body": "Lihat tabel."}
    )
    assert response.get_json()["status"] == "answered"
    assert (
        client.get("/api/v1/advisory/consultations", headers=me).get_json()[0]["status"]
        == "answered"
    )


def test_recommendation_over_the_api(client, session, requester, officer, head):
    me = token_for(session, requester)
    fields = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in FS3.items()}
    response = client.post(
        "/api/v1/advisory/recommendations", headers=me, json={"title": fields["title"]}
    )
    assert response.status_code == 201
    rec = response.get_json()
    url = f"/api/v1/advisory/recommendations/{rec['id']}"
    response = client.post(f"{url}/submit", headers=me)
    assert (
        response.status_code == 422
        and "organiser" not in response.get_json()["detail"].split(":")[0]
    )
    assert client.patch(url, headers=me, json={"recurrence": "often"}).status_code == 422
    assert client.patch(url, headers=me, json=fields).status_code == 200
    response = client.post(f"{url}/submit", headers=me)
    assert response.status_code == 200 and response.get_json()["version"] == 1
    assert response.get_json()["due_on"] == "2026-12-28"

    staff = token_for(session, officer)
    assert client.post(f"{url}/review", headers=me, json={"outcome": "pass"}).status_code == 403
    response = client.post(
        f"{url}/review",
        headers=staff,
        json={"outcome": "pass", "checklist": dict.fromkeys(CHECKLIST, True)},
    )
    assert response.status_code == 200 and response.get_json()["status"] == "passed"
    assert client.post(f"{url}/approve", headers=staff).status_code == 403
    response = client.post(f"{url}/approve", headers=token_for(session, head))
    assert response.status_code == 200
    letter = response.get_json()
    assert letter["number"] == "B-001/1700/PS.000/2026" and letter["recipient"] == FS3["organiser"]
    code = letter["verify_url"].split("c=")[1]

    response = client.get(
        "/api/v1/advisory/letters/verify", query_string={"number": letter["number"], "code": code}
    )
    assert response.get_json()["genuine"] is True
    assert response.get_json()["letter"]["title"] == FS3["title"]
    tampered = code[:3] + ("Z" if code[3] != "Z" else "Y") + code[4:]
    response = client.get(
        "/api/v1/advisory/letters/verify",
        query_string={"number": letter["number"], "code": tampered},
    )
    assert response.get_json() == {"status": "mismatch", "genuine": False, "letter": None}
    response = client.get(
        "/api/v1/advisory/letters/verify",
        query_string={"number": "B-999/1700/PS.000/2026", "code": code},
    )
    assert response.get_json()["status"] == "unknown"
    assert client.get(url, headers=me).get_json()["letter"]["number"] == letter["number"]

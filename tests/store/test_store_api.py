"""The store's JSON API end to end, its access checks, and the operations in OpenAPI."""

from __future__ import annotations

import io

from storekit import BILLING_CODE, NTPN, PDF_SCAN, abstract_data

from app.accounts import services as accounts
from store.models import OrderStatus

OPERATIONS = {
    "listProducts",
    "createOrder",
    "submitOrderAbstract",
    "acceptOrderAgreement",
    "reviewOrder",
    "createOrderPayment",
    "confirmOrderPayment",
    "stripeWebhook",
    "downloadOrderItem",
}


def _auth(session, person):
    return {"Authorization": f"Bearer {accounts.create_api_token(session, person, 'api')[1]}"}


def test_operations_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    found = {
        op.get("operationId")
        for path in spec["paths"].values()
        for op in path.values()
        if isinstance(op, dict)
    }
    assert found >= OPERATIONS


def test_microdata_purchase_over_the_api(client, session, buyer, other_buyer, officer, susenas):
    me, them, staff = _auth(session, buyer), _auth(session, other_buyer), _auth(session, officer)
    listed = client.get("/api/v1/store/products?kind=microdata").get_json()
    assert listed["total"] == 2 and all(p["requires_agreement"] for p in listed["items"])
    response = client.post(
        "/api/v1/store/orders",
        json={
            "items": [
                {"product_id": susenas.id, "variables": ["R102", "EXPEND"], "regions": ["1771"]}
            ]
        },
        headers=me,
    )
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    code = order["code"]
    assert order["status"] == "requirements" and order["missing"] == [
        "abstract",
        "agreement",
        "scan",
    ]
    base = f"/api/v1/store/orders/{code}"
    assert client.get(base, headers=them).status_code == 404
    assert (
        client.post(
            f"{base}/payments", json={"provider": "manual", "method": "simponi"}, headers=me
        ).status_code
        == 409
    )  # before approval
    data = abstract_data()
    data["completion_date"] = data["completion_date"].isoformat()
    assert client.post(f"{base}/abstract", json=data, headers=them).status_code == 404
    assert client.post(f"{base}/abstract", json=data, headers=me).status_code == 200
    sha = client.get("/api/v1/store/agreement").get_json()["sha256"]
    response = client.post(
        f"{base}/agreement",
        data={"text_sha256": sha, "signed_scan": (io.BytesIO(PDF_SCAN), "sppd.pdf")},
        headers=me,
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "under_review"
    assert (
        client.post(f"{base}/review", json={"decision": "approve"}, headers=me).status_code == 403
    )
    response = client.post(f"{base}/review", json={"decision": "reject"}, headers=staff)
    assert response.status_code == 422  # a reason is needed
    response = client.post(f"{base}/review", json={"decision": "approve"}, headers=staff)
    assert response.get_json()["status"] == "awaiting_payment"
    payment = client.post(
        f"{base}/payments", json={"provider": "manual", "method": "simponi"}, headers=me
    ).get_json()
    pid = payment["id"]
    ntpn = {"reference": NTPN}
    assert client.post(f"{base}/payments/{pid}/confirm", json=ntpn, headers=me).status_code == 403
    response = client.post(f"{base}/payments/{pid}/confirm", json=ntpn, headers=staff)
    assert response.status_code == 409
    client.post(
        f"{base}/payments/{pid}/billing", json={"billing_code": BILLING_CODE}, headers=staff
    )
    response = client.post(
        f"{base}/payments/{pid}/proof",
        data={"file": (io.BytesIO(PDF_SCAN), "bukti.pdf")},
        headers=me,
        content_type="multipart/form-data",
    )
    assert response.get_json()["status"] == "proof_uploaded"
    confirmed = client.post(f"{base}/payments/{pid}/confirm", json=ntpn, headers=staff).get_json()
    assert confirmed["confirmed"] is True and confirmed["order"]["status"] == "fulfilled"
    again = client.post(f"{base}/payments/{pid}/confirm", json=ntpn, headers=staff).get_json()
    assert again["confirmed"] is False
    item = confirmed["order"]["items"][0]["id"]
    assert client.get(f"{base}/items/{item}/download", headers=them).status_code == 404
    response = client.get(f"{base}/items/{item}/download", headers=me)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert client.get(f"{base}/items/{item + 999}/download", headers=me).status_code == 404
    assert OrderStatus(confirmed["order"]["status"]) == OrderStatus.FULFILLED


def test_api_needs_a_token(client, products):
    body = {"items": [{"product_id": 1}]}
    assert client.post("/api/v1/store/orders", json=body).status_code == 401
    assert client.get("/api/v1/store/products").status_code == 200

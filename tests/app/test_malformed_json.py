"""Malformed JSON to the API is a 400 problem, not a 500."""

from __future__ import annotations

from flask import request
from flask_smorest import Blueprint


def test_malformed_json_is_400_problem(app, client):
    # The foundation's one API operation takes no body, so exercise the JSON parsing
    # path through a throwaway route that reads a body the way every API view will.
    bp = Blueprint("echo_test", __name__)

    @bp.route("/api/v1/_echo", methods=["POST"])
    def echo():
        return {"got": request.get_json()}

    app.register_blueprint(bp)
    response = client.post("/api/v1/_echo", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 400
    ok = client.post("/api/v1/_echo", json={"a": 1})
    assert ok.json == {"got": {"a": 1}}

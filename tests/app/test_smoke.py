"""First look: the pages render, in Indonesian by default."""

from __future__ import annotations


def test_home_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"BPS Provinsi Bengkulu" in response.data


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json
    assert set(response.json["checks"]) == {"database", "storage", "search_index", "jobs"}

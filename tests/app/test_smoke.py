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


def test_every_service_card_and_the_header_lead_to_the_service(client):
    """The four service cards link to their services (only the library's did), and the
    header has an entry for recommendations."""
    import re

    page = client.get("/").get_data(as_text=True)
    cards = page.split('id="services-title"', 1)[1]
    for href in ("/catalog", "/store", "/advisory/ask", "/advisory/recommendations/new"):
        assert re.search(rf'<h3><a href="{re.escape(href)}">', cards), href
    header = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/advisory/recommendations/new">Rekomendasi</a>' in header

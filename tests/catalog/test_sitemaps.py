"""sitemap.xml (an index of parts), its parts, and robots.txt: followed as a crawler
would, parsed with lxml; only publications the public may see are listed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from lxml import etree

from catalog import sitemaps
from catalog.models import Publication, Status

NS = {"s": sitemaps.NS}
PART = 4
T0 = datetime(2025, 3, 1, 8, 30, 15, tzinfo=UTC)


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"SITEMAP_PART_SIZE": PART}


def make_publications(session, count: int) -> tuple[list[int], list[int]]:
    public: list[int] = []
    withdrawn: list[int] = []
    for n in range(count):
        pub = Publication(
            title=f"Statistik {n}",
            status=Status.WITHDRAWN if n % 4 == 3 else Status.ACTIVE,
            updated_at=T0 + timedelta(hours=n),
        )
        session.add(pub)
        session.flush()
        (withdrawn if n % 4 == 3 else public).append(pub.id)
    session.commit()
    return public, withdrawn


def fetch(client, url: str) -> Any:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, url
    assert response.mimetype == "text/xml"
    return etree.fromstring(response.data)


def crawl(client) -> tuple[list[Any], dict[str, str | None]]:
    """The index's parts and every address of every part with its lastmod."""
    index = fetch(client, "/sitemap.xml")
    assert index.tag == f"{{{sitemaps.NS}}}sitemapindex"
    parts = index.findall("s:sitemap", NS)
    urls: dict[str, str | None] = {}
    for part in parts:
        urlset = fetch(client, part.findtext("s:loc", namespaces=NS))
        assert urlset.tag == f"{{{sitemaps.NS}}}urlset"
        entries = urlset.findall("s:url", NS)
        assert len(entries) <= max(PART, 10)
        for entry in entries:
            loc = entry.findtext("s:loc", namespaces=NS)
            assert loc not in urls  # listed once
            urls[loc] = entry.findtext("s:lastmod", namespaces=NS)
    return parts, urls


def test_the_index_splits_publications_into_parts_of_the_set_size(client, session):
    public, withdrawn = make_publications(session, 15)  # 12 public: 3 parts of 4
    parts, urls = crawl(client)
    locs = [urlsplit(p.findtext("s:loc", namespaces=NS)).path for p in parts]
    assert locs == [
        "/sitemaps/pages.xml",
        "/sitemaps/publications-1.xml",
        "/sitemaps/publications-2.xml",
        "/sitemaps/publications-3.xml",
    ]
    listed = {int(urlsplit(u).path.rsplit("/", 1)[1]) for u in urls if "/publications/" in u}
    assert listed == set(public)
    assert not listed & set(withdrawn)
    # A part's lastmod is the newest change among its publications.
    part2 = parts[2].findtext("s:lastmod", namespaces=NS)
    assert part2 == "2025-03-01T17:30:15+00:00"  # n = 5, 6, 8, 9: T0 + 9 h
    first = next(u for u in urls if u.endswith(f"/publications/{public[0]}"))
    assert urls[first] == "2025-03-01T08:30:15+00:00"
    pages = {urlsplit(u).path for u in urls if "/publications/" not in u}
    assert {"/", "/catalog"} <= pages
    for url in urls:  # every address listed is a page an anonymous crawler may read
        assert client.get(urlsplit(url).path).status_code == 200, url
    assert client.get("/sitemaps/publications-4.xml").status_code == 404
    assert client.get("/sitemaps/publications-0.xml").status_code == 404


def test_a_withdrawn_publication_leaves_the_sitemap(client, session):
    public, _ = make_publications(session, 3)
    session.get(Publication, public[0]).status = Status.WITHDRAWN
    session.commit()
    _, urls = crawl(client)
    assert not any(u.endswith(f"/publications/{public[0]}") for u in urls)
    assert any(u.endswith(f"/publications/{public[1]}") for u in urls)


def test_the_sitemap_asks_catalog_visibility(client, session, monkeypatch):
    """A publication hidden by catalog.visibility (as an embargo will hide one) is
    listed nowhere."""
    from sqlalchemy import and_

    public, _ = make_publications(session, 6)
    rule = sitemaps.public_clause
    monkeypatch.setattr(
        sitemaps, "public_clause", lambda now: and_(rule(now), Publication.id != public[0])
    )
    _, urls = crawl(client)
    listed = {int(urlsplit(u).path.rsplit("/", 1)[1]) for u in urls if "/publications/" in u}
    assert listed == set(public[1:])


def test_an_empty_catalogue_has_one_empty_part(client):
    parts, urls = crawl(client)
    assert len(parts) == 2
    assert all("/publications/" not in u for u in urls)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    sitemap = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: ")]
    assert len(sitemap) == 1 and urlsplit(sitemap[0]).path == "/sitemap.xml"
    disallowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Disallow: ")}
    assert {"/staff/", "/admin/", "/account", "/api/", "/publications/*/download"} <= disallowed
    # Nothing the sitemap lists is disallowed (a crawler would get mixed signals).
    for path in ("/", "/catalog", "/publications/1", "/sitemap.xml", "/oai"):
        assert not any(path.startswith(rule) for rule in disallowed if "*" not in rule), path

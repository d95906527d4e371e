"""Sitemaps and robots.txt: what search engines are told to crawl, and what not.

``/sitemap.xml`` is a sitemap index (https://www.sitemaps.org/protocol.html): one part
for the public pages that are not publications, then the publications in parts of at
most ``SITEMAP_PART_SIZE`` addresses each (the protocol allows 50 000), in id order so
a part keeps its addresses while the catalogue grows. Only publications
:mod:`catalog.visibility` lets the public see are listed; a part's ``lastmod`` is the
newest change among its publications. Plain functions; :mod:`catalog.harvest_views` is
the HTTP edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.models import Publication
from catalog.visibility import public_clause

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: The protocol's limit of addresses per sitemap file.
MAX_PART_SIZE = 50_000

#: Paths crawlers are asked to leave alone: pages behind a sign-in (staff, accounts,
#: a person's orders and requests), downloads and page images (each costs a stamped
#: PDF or a rendering), search results (endless combinations of filters; the
#: publications themselves are in the sitemap) and the API.
ROBOTS_DISALLOW = (
    "/staff/",
    "/admin/",
    "/api/",
    "/account",
    "/profile",
    "/tokens",
    "/login",
    "/logout",
    "/register",
    "/password/",
    "/verify",
    "/desk/",
    "/library/",
    "/store/cart",
    "/store/orders",
    "/advisory/attachments/",
    "/advisory/consultations/",
    "/advisory/recommendations/",
    "/advisory/letters/",
    "/letters/",
    "/catalog/search",
    "/publications/*/download",
    "/publications/*/pages/",
    "/publications/*/find",
    "/publications/*/read",
)


@dataclass(frozen=True)
class Entry:
    """One address of a sitemap (or one part of an index) and when it last changed."""

    loc: str
    lastmod: datetime | None = None


def part_size(configured: int) -> int:
    return max(1, min(int(configured), MAX_PART_SIZE))


def publication_parts(session: Session, now: datetime, size: int) -> list[datetime | None]:
    """The newest change of each part of the publications (their number is its length)."""
    stamps = session.scalars(
        select(Publication.updated_at).where(public_clause(now)).order_by(Publication.id)
    )
    parts: list[datetime | None] = []
    for n, stamp in enumerate(stamps):
        if n % size == 0:
            parts.append(stamp)
        else:
            newest = parts[-1]
            parts[-1] = stamp if newest is None or stamp > newest else newest
    return parts


def publication_part(
    session: Session, now: datetime, size: int, part: int
) -> list[tuple[int, datetime]] | None:
    """The (id, last change) of the publications of part ``part`` (from 1); ``None`` for
    a part beyond the last (part 1 always exists, empty for an empty catalogue)."""
    if part < 1:
        return None
    rows = session.execute(
        select(Publication.id, Publication.updated_at)
        .where(public_clause(now))
        .order_by(Publication.id)
        .offset((part - 1) * size)
        .limit(size)
    ).all()
    if not rows and part > 1:
        return None
    return [(pub_id, stamp) for pub_id, stamp in rows]


def newest_change(session: Session, now: datetime) -> datetime | None:
    """When the public catalogue last changed (the catalogue pages' ``lastmod``)."""
    return session.scalar(
        select(Publication.updated_at)
        .where(public_clause(now))
        .order_by(Publication.updated_at.desc())
        .limit(1)
    )


def _lastmod(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _document(root_name: str, child: str, entries: Iterable[Entry]) -> bytes:
    root = etree.Element(f"{{{NS}}}{root_name}", nsmap={None: NS})
    for entry in entries:
        item = etree.SubElement(root, f"{{{NS}}}{child}")
        etree.SubElement(item, f"{{{NS}}}loc").text = entry.loc
        if entry.lastmod is not None:
            etree.SubElement(item, f"{{{NS}}}lastmod").text = _lastmod(entry.lastmod)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def sitemap_index(parts: Iterable[Entry]) -> bytes:
    return _document("sitemapindex", "sitemap", parts)


def urlset(entries: Iterable[Entry]) -> bytes:
    return _document("urlset", "url", entries)


def robots_txt(sitemap_url: str, disallow: Sequence[str] = ROBOTS_DISALLOW) -> str:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow), ""]
    lines.append(f"Sitemap: {sitemap_url}")
    return "\n".join(lines) + "\n"

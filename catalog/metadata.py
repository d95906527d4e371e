"""Structured metadata of a publication page, for search engines, Google Scholar and
link previews: schema.org JSON-LD, Highwire Press ``citation_*`` tags, OpenGraph and a
Twitter card.

Built from the same :class:`catalog.citations.Cited` facts as the citation exports, so
the page, its tags and its exports agree. Pure: the page's addresses come in.

``citation_pdf_url`` is only for a PDF anyone can fetch: the library's downloads are
stamped with the reader's name and need a sign-in, so no publication has one today and
``pdf_url`` is ``None``; a channel that opens the file to all passes its address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.citations import Cited, Publisher

DESCRIPTION_CHARS = 300

#: BPS is a government agency: schema.org's type for the author and the publisher.
_ORG = "GovernmentOrganization"
_LOCALES = {"id": "id_ID", "en": "en_US"}


@dataclass(frozen=True)
class PageMeta:
    json_ld: dict[str, Any]
    tags: list[tuple[str, str]]  # <meta name=… content=…>
    properties: list[tuple[str, str]]  # <meta property=… content=…> (OpenGraph)


def description(c: Cited, fallback: str) -> str:
    text = c.abstract or c.subtitle or fallback
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0] + " …"


def json_ld(
    c: Cited,
    publisher: Publisher,
    *,
    cover_url: str | None,
    series_url: str | None,
    free: bool,
    pages: int,
) -> dict[str, Any]:
    """schema.org ``Book`` for a publication with an ISBN, ``Report`` otherwise."""
    org = {"@type": _ORG, "name": publisher.name, "address": publisher.place}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report" if c.report else "Book",
        "@id": c.url,
        "url": c.url,
        "name": c.title,
        "author": org,
        "publisher": org,
        "inLanguage": c.language,
        "isAccessibleForFree": free,
    }
    if c.subtitle:
        data["alternativeHeadline"] = c.subtitle
    if c.released:
        data["datePublished"] = c.released.isoformat()
    if c.abstract:
        data["abstract"] = c.abstract
    if c.keywords:
        data["keywords"] = list(c.keywords)
    if cover_url:
        data["image"] = cover_url
    identifiers = []
    if c.kat_no:
        identifiers.append(_property("BPS catalogue number", c.kat_no))
    if c.pub_no:
        identifiers.append(_property("BPS publication number", c.pub_no))
    if c.issn:
        identifiers.append(_property("ISSN", c.issn))
    if identifiers:
        data["identifier"] = identifiers
    if c.report:
        if c.pub_no:
            data["reportNumber"] = c.pub_no
    else:
        data["isbn"] = c.isbn
        if pages:
            data["numberOfPages"] = pages
    if c.series:
        series: dict[str, Any] = {"@type": "CreativeWorkSeries", "name": c.series}
        if series_url:
            series["url"] = series_url
        if c.issn:
            series["issn"] = c.issn
        data["isPartOf"] = series
    return data


def _property(name: str, value: str) -> dict[str, str]:
    return {"@type": "PropertyValue", "propertyID": name, "value": value}


def highwire(c: Cited, publisher: Publisher, *, pdf_url: str | None) -> list[tuple[str, str]]:
    """Google Scholar's ``citation_*`` tags (Highwire Press)."""
    tags = [("citation_title", c.title), ("citation_author", publisher.name)]
    if c.released:
        tags.append(("citation_publication_date", c.released.strftime("%Y/%m/%d")))
    tags.append(("citation_publisher", publisher.name))
    if c.report:
        tags.append(("citation_technical_report_institution", publisher.name))
        if c.pub_no:
            tags.append(("citation_technical_report_number", c.pub_no))
    if c.isbn:
        tags.append(("citation_isbn", c.isbn))
    if c.issn:
        tags.append(("citation_issn", c.issn))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    tags.append(("citation_language", c.language))
    if c.keywords:
        tags.append(("citation_keywords", "; ".join(c.keywords)))
    tags.append(("citation_abstract_html_url", c.url))
    return tags


def page_meta(
    c: Cited,
    publisher: Publisher,
    *,
    site_name: str,
    fallback_description: str,
    cover_url: str | None,
    series_url: str | None,
    free: bool,
    pages: int,
    pdf_url: str | None = None,
) -> PageMeta:
    """Everything a publication page's ``<head>`` says about it."""
    text = description(c, fallback_description)
    og = [
        ("og:type", "article" if c.report else "book"),
        ("og:title", c.title),
        ("og:description", text),
        ("og:url", c.url),
        ("og:site_name", site_name),
        ("og:locale", _LOCALES.get(c.language, "id_ID")),
    ]
    if cover_url:
        og.append(("og:image", cover_url))
    if not c.report and c.isbn:
        og.append(("book:isbn", c.isbn))
    if c.released:
        og.append(
            (
                "book:release_date" if not c.report else "article:published_time",
                c.released.isoformat(),
            )
        )
    twitter = [
        ("twitter:card", "summary_large_image" if cover_url else "summary"),
        ("twitter:title", c.title),
        ("twitter:description", text),
    ]
    if cover_url:
        twitter.append(("twitter:image", cover_url))
    return PageMeta(
        json_ld=json_ld(
            c, publisher, cover_url=cover_url, series_url=series_url, free=free, pages=pages
        ),
        tags=[("description", text), *highwire(c, publisher, pdf_url=pdf_url), *twitter],
        properties=og,
    )


def dataset_json_ld(
    *,
    name: str,
    description_text: str,
    url: str,
    publisher: Publisher,
    survey: str | None,
    period: str | None,
    year: int | None,
    formats: list[str],
    variables: list[str],
) -> dict[str, Any]:
    """schema.org ``Dataset`` of a microdata product on sale (not free: it is sold)."""
    org = {"@type": _ORG, "name": publisher.name, "address": publisher.place}
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": url,
        "url": url,
        "name": name,
        "description": description_text or name,
        "creator": org,
        "publisher": org,
        "isAccessibleForFree": False,
        "spatialCoverage": {"@type": "Place", "name": publisher.place},
    }
    if survey:
        data["measurementTechnique"] = survey
    if period or year:
        data["temporalCoverage"] = period or str(year)
    if formats:
        data["encodingFormat"] = formats  # no distribution: the files are cut to an order
    if variables:
        data["variableMeasured"] = variables[:200]
    return data

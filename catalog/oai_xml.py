"""The XML of OAI-PMH records: the protocol's namespaces and schemas, the metadata formats
offered, a record's header and its simple Dublin Core (``oai_dc``), cleaned of what XML
cannot hold."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from catalog.models import Access, Publication, Status
from catalog.oai_dates import datestamp
from catalog.oai_errors import OaiError
from catalog.oai_sets import KIND_SETS, record_sets
from catalog.oai_settings import OaiSettings

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

#: The metadata formats offered: prefix -> (schema, namespace).
FORMATS = {"oai_dc": (OAI_DC_SCHEMA, OAI_DC)}

#: Characters an XML document cannot hold.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

RIGHTS = {
    Access.OPEN: "Bebas dibaca daring dan diunduh tanpa biaya.",
    Access.READ_ONLY: "Hanya dapat dibaca daring; tidak dapat diunduh.",
    Access.SALE: "Dijual oleh kantor; lihat layanan penjualan.",
}


def text_element(parent: Any, name: str, text: str | None, ns: str = OAI) -> Any:
    """A new child ``name`` of ``parent`` (in namespace ``ns``) holding ``text``."""
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    element.text = text
    return element


def identifier(settings: OaiSettings, pub_id: int) -> str:
    """A publication's OAI identifier, ``oai:<repository>:<id>``."""
    return f"oai:{settings.repository_identifier}:{pub_id}"


def _deleted(publication: Publication) -> bool:
    return publication.status == Status.WITHDRAWN


def header(settings: OaiSettings, publication: Publication) -> Any:
    """A record's ``<header>``: identifier, datestamp, sets; ``status="deleted"`` once withdrawn."""
    element = etree.Element(f"{{{OAI}}}header")
    if _deleted(publication):
        element.set("status", "deleted")
    text_element(element, "identifier", identifier(settings, publication.id))
    text_element(element, "datestamp", datestamp(publication.updated_at))
    for spec in record_sets(publication):
        text_element(element, "setSpec", spec)
    return element


def record_element(
    settings: OaiSettings, publication: Publication, landing_url: Callable[[int], str]
) -> Any:
    """A whole ``<record>``: its header, and its metadata unless it is deleted."""
    record = etree.Element(f"{{{OAI}}}record")
    record.append(header(settings, publication))
    if not _deleted(publication):  # a deleted record has a header only
        metadata = etree.SubElement(record, f"{{{OAI}}}metadata")
        metadata.append(dublin_core(settings, publication, landing_url(publication.id)))
    return record


def dublin_core(settings: OaiSettings, publication: Publication, landing_url: str) -> Any:
    """The publication as simple Dublin Core (``oai_dc:dc``)."""
    dc = etree.Element(
        f"{{{OAI_DC}}}dc",
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
        attrib={f"{{{XSI}}}schemaLocation": f"{OAI_DC} {OAI_DC_SCHEMA}"},
    )

    def add(name: str, text: str | None, lang: str | None = None) -> None:
        text = clean(text)
        if text:
            element = text_element(dc, name, text, DC)
            if lang:
                element.set(XML_LANG, lang)

    add("title", publication.title, publication.language)
    if publication.title_en and publication.title_en.strip() != publication.title.strip():
        add("title", publication.title_en, "en")
    add("creator", settings.creator)
    for subject in publication.subjects:
        add("subject", subject.name, "id")
    add("description", publication.abstract, publication.language)
    add("publisher", settings.creator)
    if publication.release_date:
        add("date", publication.release_date.isoformat())
    add("type", "Text")
    add("type", KIND_SETS[publication.kind], "id")
    add("format", "application/pdf" if publication.has_file else "print")
    add("identifier", landing_url)
    if publication.isbn:
        add("identifier", f"urn:isbn:{publication.isbn.replace('-', '').replace(' ', '')}")
    if publication.issn:
        add("identifier", f"urn:issn:{publication.issn.strip()}")
    if publication.kat_no:
        add("identifier", f"Katalog BPS {publication.kat_no}")
    add("language", publication.language)
    add("coverage", publication.region_name, "id")
    add("coverage", publication.period, "id")
    add("rights", RIGHTS[publication.access], "id")
    return dc


def clean(text: str | None) -> str:
    """Text an XML document can hold (stored text may carry a control character
    copied from a PDF, which lxml refuses)."""
    return CONTROL.sub("", text or "").strip()


def check_prefix(prefix: str) -> None:
    """``cannotDisseminateFormat`` unless ``prefix`` is one of :data:`FORMATS`."""
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"The metadata format {prefix} is not offered.")

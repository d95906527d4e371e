"""OAI-PMH 2.0 data provider: the catalogue as harvestable Dublin Core records.

Plain functions of the protocol (https://www.openarchives.org/OAI/openarchivesprotocol.html):
:func:`respond` takes a request's arguments, a session, :class:`OaiSettings` and the
current moment, and returns the response document; :mod:`catalog.harvest_views` is the
HTTP edge. Nothing here writes.

Which records exist is :mod:`catalog.visibility`'s rule: a publication the public may see
is a record; a withdrawn one is a *deleted* record (``deletedRecord=persistent``: a
harvester that copied it learns it is gone); one the public never saw (not released
yet) is no record at all. A record's datestamp is the publication's ``updated_at``
(withdrawing and restoring bump it), shown to the second.

Around the verbs: :mod:`catalog.oai_xml` writes the records, :mod:`catalog.oai_sets`
holds the sets, :mod:`catalog.oai_tokens` the state of a list and its resumption
tokens, :mod:`catalog.oai_dates` the datestamps, with :class:`OaiSettings`
(:mod:`catalog.oai_settings`) and :class:`OaiError` (:mod:`catalog.oai_errors`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from lxml import etree
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Publication
from catalog.oai_dates import GRANULARITY, datestamp
from catalog.oai_errors import OaiError
from catalog.oai_sets import all_sets, set_clause
from catalog.oai_settings import OaiSettings
from catalog.oai_tokens import first_state, resumed_state, resumption_token
from catalog.oai_xml import (
    CONTROL,
    FORMATS,
    OAI,
    OAI_IDENTIFIER,
    OAI_IDENTIFIER_SCHEMA,
    SCHEMA,
    XSI,
    check_prefix,
    header,
    identifier,
    record_element,
    text_element,
)
from catalog.visibility import public_clause, withdrawn_clause

#: The arguments each verb takes: (required, optional). ``resumptionToken`` is exclusive.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
}

#: A repository identifier must look like a domain name (oai-identifier.xsd).
_REPOSITORY_ID = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")

#: A record's datestamp: when its metadata or its visibility last changed.
record_stamp = Publication.updated_at


# --- the response ----------------------------------------------------------------------


def respond(
    session: Session,
    settings: OaiSettings,
    args: Mapping[str, Sequence[str]],
    *,
    now: datetime,
    landing_url: Callable[[int], str],
) -> bytes:
    """The response document to one request (``args``: every value of each argument)."""
    root = etree.Element(
        f"{{{OAI}}}OAI-PMH",
        nsmap={None: OAI, "xsi": XSI},
        attrib={f"{{{XSI}}}schemaLocation": f"{OAI} {SCHEMA}"},
    )
    text_element(root, "responseDate", datestamp(now))
    request = text_element(root, "request", settings.base_url)
    try:
        verb, values = _check_arguments(args)
        request.set("verb", verb)
        for name, value in sorted(values.items()):
            request.set(name, value)
        body = _VERB_HANDLERS[verb](session, settings, values, now, landing_url)
        root.append(body)
    except OaiError as exc:
        if exc.code in ("badVerb", "badArgument"):
            # Only a request with a legal verb and legal arguments is echoed (3.2).
            request.attrib.clear()
        text_element(root, "error", exc.message).set("code", exc.code)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _check_arguments(args: Mapping[str, Sequence[str]]) -> tuple[str, dict[str, str]]:
    verbs = args.get("verb") or []
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", "Illegal OAI verb, the verb is missing or repeated.")
    verb = verbs[0]
    required, optional = VERBS[verb]
    values: dict[str, str] = {}
    for name, given in args.items():
        if name == "verb":
            continue
        if any(CONTROL.search(text) for text in (name, *given)):
            # Echoed in the answer, which XML could not carry.
            raise OaiError("badArgument", "An argument holds a control character.")
        if name not in required | optional:
            raise OaiError("badArgument", f"Illegal argument for {verb}: {name}.")
        if len(given) != 1:
            raise OaiError("badArgument", f"Argument repeated: {name}.")
        values[name] = given[0]
    if "resumptionToken" in values:
        if len(values) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument.")
    else:
        missing = sorted(required - set(values))
        if missing:
            raise OaiError("badArgument", f"Missing argument: {', '.join(missing)}.")
    return verb, values


# --- verbs ----------------------------------------------------------------------------

Handler = Callable[[Session, OaiSettings, dict[str, str], datetime, Callable[[int], str]], Any]


def identify(
    session: Session,
    settings: OaiSettings,
    values: dict[str, str],
    now: datetime,
    landing_url: Callable[[int], str],
) -> Any:
    del values, landing_url
    body = etree.Element(f"{{{OAI}}}Identify")
    earliest = session.scalar(select(func.min(record_stamp)).where(_harvestable(now)))
    for name, text in (
        ("repositoryName", settings.repository_name),
        ("baseURL", settings.base_url),
        ("protocolVersion", "2.0"),
        ("adminEmail", settings.admin_email),
        ("earliestDatestamp", datestamp(earliest or now)),
        ("deletedRecord", "persistent"),
        ("granularity", GRANULARITY),
    ):
        text_element(body, name, text)
    if _REPOSITORY_ID.fullmatch(settings.repository_identifier):
        description = etree.SubElement(body, f"{{{OAI}}}description")
        ident = etree.SubElement(
            description,
            f"{{{OAI_IDENTIFIER}}}oai-identifier",
            nsmap={None: OAI_IDENTIFIER},
            attrib={f"{{{XSI}}}schemaLocation": f"{OAI_IDENTIFIER} {OAI_IDENTIFIER_SCHEMA}"},
        )
        for name, text in (
            ("scheme", "oai"),
            ("repositoryIdentifier", settings.repository_identifier),
            ("delimiter", ":"),
            ("sampleIdentifier", identifier(settings, 1)),
        ):
            text_element(ident, name, text, OAI_IDENTIFIER)
    return body


def list_metadata_formats(
    session: Session,
    settings: OaiSettings,
    values: dict[str, str],
    now: datetime,
    landing_url: Callable[[int], str],
) -> Any:
    del landing_url
    if "identifier" in values:
        _record(session, settings, values["identifier"], now)  # idDoesNotExist
    body = etree.Element(f"{{{OAI}}}ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        element = etree.SubElement(body, f"{{{OAI}}}metadataFormat")
        text_element(element, "metadataPrefix", prefix)
        text_element(element, "schema", schema)
        text_element(element, "metadataNamespace", namespace)
    return body


def list_sets(
    session: Session,
    settings: OaiSettings,
    values: dict[str, str],
    now: datetime,
    landing_url: Callable[[int], str],
) -> Any:
    del settings, now, landing_url
    if "resumptionToken" in values:  # the list of sets is always complete
        raise OaiError("badResumptionToken", "The list of sets is never split.")
    body = etree.Element(f"{{{OAI}}}ListSets")
    for spec, name in all_sets(session):
        element = etree.SubElement(body, f"{{{OAI}}}set")
        text_element(element, "setSpec", spec)
        text_element(element, "setName", name)
    return body


def get_record(
    session: Session,
    settings: OaiSettings,
    values: dict[str, str],
    now: datetime,
    landing_url: Callable[[int], str],
) -> Any:
    check_prefix(values["metadataPrefix"])
    publication = _record(session, settings, values["identifier"], now)
    body = etree.Element(f"{{{OAI}}}GetRecord")
    body.append(record_element(settings, publication, landing_url))
    return body


def list_records(
    session: Session,
    settings: OaiSettings,
    values: dict[str, str],
    now: datetime,
    landing_url: Callable[[int], str],
    *,
    verb: str = "ListRecords",
) -> Any:
    state = (
        resumed_state(settings, values["resumptionToken"], verb)
        if "resumptionToken" in values
        else first_state(verb, values)
    )
    where = [_harvestable(now)]
    if state.start is not None:
        where.append(record_stamp >= state.start)
    if state.end is not None:
        where.append(record_stamp < state.end)
    if state.set_spec is not None:
        where.append(set_clause(session, state.set_spec))
    page_where = list(where)
    if state.after is not None:
        stamp, last_id = state.after
        page_where.append(
            or_(record_stamp > stamp, and_(record_stamp == stamp, Publication.id > last_id))
        )
    query = select(Publication).where(*page_where).order_by(record_stamp, Publication.id)
    # Subjects are in every header (its setSpecs): loaded for the page in one query.
    query = query.options(selectinload(Publication.subjects))
    rows = list(session.scalars(query.limit(settings.page_size + 1)))
    if not rows and state.after is None:
        raise OaiError("noRecordsMatch", "No records match the request.")
    more = len(rows) > settings.page_size
    rows = rows[: settings.page_size]
    body = etree.Element(f"{{{OAI}}}{verb}")
    for publication in rows:
        if verb == "ListRecords":
            body.append(record_element(settings, publication, landing_url))
        else:
            body.append(header(settings, publication))
    if more or state.after is not None:
        # Part of an incomplete list: a token for the rest, or an empty one at its end.
        total = session.scalar(select(func.count()).select_from(Publication).where(*where))
        token = etree.SubElement(body, f"{{{OAI}}}resumptionToken")
        token.set("completeListSize", str(total or 0))
        token.set("cursor", str(state.cursor))
        if more:
            last = rows[-1]  # its record_stamp and id: where the next page starts
            token.text = resumption_token(
                settings, state, (last.updated_at, last.id), state.cursor + len(rows)
            )
    return body


def list_identifiers(
    session: Session,
    settings: OaiSettings,
    values: dict[str, str],
    now: datetime,
    landing_url: Callable[[int], str],
) -> Any:
    return list_records(session, settings, values, now, landing_url, verb="ListIdentifiers")


_VERB_HANDLERS: dict[str, Handler] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
    "GetRecord": get_record,
}


# --- records ----------------------------------------------------------------------------


def _harvestable(now: datetime) -> ColumnElement[bool]:
    return or_(public_clause(now), withdrawn_clause(now))


def _record(session: Session, settings: OaiSettings, oai_id: str, now: datetime) -> Publication:
    prefix = f"oai:{settings.repository_identifier}:"
    local = oai_id[len(prefix) :] if oai_id.startswith(prefix) else ""
    found = None
    if local.isascii() and local.isdigit() and len(local) < 12:
        found = session.scalar(
            select(Publication).where(Publication.id == int(local), _harvestable(now))
        )
    if found is None:
        raise OaiError("idDoesNotExist", f"No such record: {oai_id}.")
    return found

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

Lists are paged by a resumption token that holds the whole state of the list, signed
with the app's secret: the filters, the position as the last datestamp and id sent
(records are sent in datestamp order, so a record edited during a harvest moves to
the end of the list and is still sent, instead of shifting an offset), and the count
sent so far. Tokens never expire and need nothing stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from lxml import etree
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from catalog.models import Access, Kind, Publication, Status, Subject, publication_subjects
from catalog.visibility import public_clause, withdrawn_clause

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

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
_SECOND = timedelta(seconds=1)

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
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")

#: Set names are the same in every harvester's language, so they are not translated
#: per request: the office's language, as the records are.
KIND_SETS = {Kind.PUBLICATION: "Publikasi", Kind.BRS: "Berita Resmi Statistik (BRS)"}
RIGHTS = {
    Access.OPEN: "Bebas dibaca daring dan diunduh tanpa biaya.",
    Access.READ_ONLY: "Hanya dapat dibaca daring; tidak dapat diunduh.",
    Access.SALE: "Dijual oleh kantor; lihat layanan penjualan.",
}

#: A record's datestamp: when its metadata or its visibility last changed.
record_stamp = Publication.updated_at


@dataclass(frozen=True)
class OaiSettings:
    """What the provider needs from the configuration and the request."""

    base_url: str  # the address harvesters send requests to
    repository_name: str
    admin_email: str
    repository_identifier: str  # the middle part of ``oai:<repository>:<id>``
    creator: str  # creator and publisher of every publication
    page_size: int
    secret_key: str


class OaiError(Exception):
    """One of the protocol's error conditions (sent as an ``<error>``, with HTTP 200)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ListState:
    """Everything a list request needs, first page or resumed."""

    verb: str
    prefix: str
    set_spec: str | None
    start: datetime | None  # inclusive
    end: datetime | None  # exclusive
    after: tuple[datetime, int] | None  # the last (datestamp, id) sent
    cursor: int  # records sent before this page


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
    _text(root, "responseDate", datestamp(now))
    request = _text(root, "request", settings.base_url)
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
        _text(root, "error", exc.message).set("code", exc.code)
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
        if any(_CONTROL.search(text) for text in (name, *given)):
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


def _text(parent: Any, name: str, text: str | None, ns: str = OAI) -> Any:
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    element.text = text
    return element


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
        _text(body, name, text)
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
            _text(ident, name, text, OAI_IDENTIFIER)
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
        _text(element, "metadataPrefix", prefix)
        _text(element, "schema", schema)
        _text(element, "metadataNamespace", namespace)
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
        _text(element, "setSpec", spec)
        _text(element, "setName", name)
    return body


def get_record(
    session: Session,
    settings: OaiSettings,
    values: dict[str, str],
    now: datetime,
    landing_url: Callable[[int], str],
) -> Any:
    _check_prefix(values["metadataPrefix"])
    publication = _record(session, settings, values["identifier"], now)
    body = etree.Element(f"{{{OAI}}}GetRecord")
    body.append(_record_element(settings, publication, landing_url))
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
        _resume(settings, values["resumptionToken"], verb)
        if "resumptionToken" in values
        else _first(verb, values)
    )
    where = [_harvestable(now)]
    if state.start is not None:
        where.append(record_stamp >= state.start)
    if state.end is not None:
        where.append(record_stamp < state.end)
    if state.set_spec is not None:
        where.append(_set_clause(session, state.set_spec))
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
            body.append(_record_element(settings, publication, landing_url))
        else:
            body.append(_header(settings, publication))
    if more or state.after is not None:
        # Part of an incomplete list: a token for the rest, or an empty one at its end.
        total = session.scalar(select(func.count()).select_from(Publication).where(*where))
        token = etree.SubElement(body, f"{{{OAI}}}resumptionToken")
        token.set("completeListSize", str(total or 0))
        token.set("cursor", str(state.cursor))
        if more:
            last = rows[-1]  # its record_stamp and id: where the next page starts
            token.text = _token(
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


def identifier(settings: OaiSettings, pub_id: int) -> str:
    return f"oai:{settings.repository_identifier}:{pub_id}"


def datestamp(moment: datetime) -> str:
    """A UTC datestamp to the second, the repository's granularity."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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


def _deleted(publication: Publication) -> bool:
    return publication.status == Status.WITHDRAWN


def _header(settings: OaiSettings, publication: Publication) -> Any:
    header = etree.Element(f"{{{OAI}}}header")
    if _deleted(publication):
        header.set("status", "deleted")
    _text(header, "identifier", identifier(settings, publication.id))
    _text(header, "datestamp", datestamp(publication.updated_at))
    for spec in record_sets(publication):
        _text(header, "setSpec", spec)
    return header


def _record_element(
    settings: OaiSettings, publication: Publication, landing_url: Callable[[int], str]
) -> Any:
    record = etree.Element(f"{{{OAI}}}record")
    record.append(_header(settings, publication))
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
        text = _clean(text)
        if text:
            element = _text(dc, name, text, DC)
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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str | None) -> str:
    """Text an XML document can hold (stored text may carry a control character
    copied from a PDF, which lxml refuses)."""
    return _CONTROL.sub("", text or "").strip()


# --- sets ---------------------------------------------------------------------------------


def slug(name: str) -> str:
    """``Kependudukan dan Migrasi`` -> ``kependudukan-dan-migrasi`` (a setSpec part)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "subjek"


def all_sets(session: Session) -> list[tuple[str, str]]:
    """Every set as (setSpec, setName): the kinds and the subjects, each under a parent."""
    found = [("kind", "Jenis terbitan")]
    found += [(f"kind:{kind.value}", name) for kind, name in KIND_SETS.items()]
    found.append(("subject", "Subjek"))
    seen: set[str] = set()
    for name in session.scalars(select(Subject.name).order_by(Subject.name)):
        spec = f"subject:{slug(name)}"
        if spec not in seen:  # two names with one slug are one set (see _set_clause)
            seen.add(spec)
            found.append((spec, name))
    return found


def record_sets(publication: Publication) -> list[str]:
    specs = [f"kind:{publication.kind.value}"]
    specs += sorted({f"subject:{slug(subject.name)}" for subject in publication.subjects})
    return specs


def _set_clause(session: Session, spec: str) -> ColumnElement[bool]:
    if spec == "kind":
        return Publication.kind.in_(list(Kind))
    if spec.startswith("kind:") and spec[5:] in {k.value for k in Kind}:
        return Publication.kind == Kind(spec[5:])
    subjects = select(publication_subjects.c.publication_id)
    if spec == "subject":
        return Publication.id.in_(subjects)
    if spec.startswith("subject:"):
        wanted = spec[len("subject:") :]
        ids = [
            sid
            for sid, name in session.execute(select(Subject.id, Subject.name))
            if slug(name) == wanted
        ]
        if ids:
            return Publication.id.in_(subjects.where(publication_subjects.c.subject_id.in_(ids)))
    # An unknown set has no records (the protocol has no error for it).
    raise OaiError("noRecordsMatch", f"No records in the set {spec}.")


# --- list state and resumption tokens -----------------------------------------------------


def _check_prefix(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"The metadata format {prefix} is not offered.")


def parse_datestamp(value: str, *, end: bool) -> tuple[datetime, str]:
    """A ``from`` (``end=False``, inclusive) or ``until`` (``end=True``) argument as the
    bound of a half-open interval, and its granularity."""
    try:
        if _DAY.fullmatch(value):
            start = datetime.combine(date.fromisoformat(value), time(0), tzinfo=UTC)
            return (start + timedelta(days=1) if end else start), "day"
        if _SECONDS.fullmatch(value):
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return (moment + _SECOND if end else moment), "seconds"
    except (ValueError, OverflowError):  # 2025-02-30, or the end of 9999-12-31
        raise OaiError("badArgument", f"Not a date: {value}.") from None
    raise OaiError("badArgument", f"Not a date in a supported granularity: {value}.")


def _first(verb: str, values: dict[str, str]) -> ListState:
    _check_prefix(values["metadataPrefix"])
    start = end = None
    granularities = set()
    if "from" in values:
        start, granularity = parse_datestamp(values["from"], end=False)
        granularities.add(granularity)
    if "until" in values:
        end, granularity = parse_datestamp(values["until"], end=True)
        granularities.add(granularity)
    if len(granularities) > 1:
        raise OaiError("badArgument", "from and until must have the same granularity.")
    if start is not None and end is not None and start >= end:
        raise OaiError("badArgument", "from is later than until.")
    return ListState(
        verb=verb,
        prefix=values["metadataPrefix"],
        set_spec=values.get("set"),
        start=start,
        end=end,
        after=None,
        cursor=0,
    )


def _serializer(settings: OaiSettings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt="pst.oai-resumption")


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _token(
    settings: OaiSettings, state: ListState, after: tuple[datetime, int], cursor: int
) -> str:
    payload = {
        "v": state.verb,
        "p": state.prefix,
        "s": state.set_spec,
        "f": _iso(state.start),
        "u": _iso(state.end),
        "a": [_iso(after[0]), after[1]],
        "c": cursor,
    }
    return str(_serializer(settings).dumps(payload))


def _resume(settings: OaiSettings, token: str, verb: str) -> ListState:
    try:
        data = _serializer(settings).loads(token)
        if data["v"] != verb:
            raise ValueError(verb)
        after = (datetime.fromisoformat(data["a"][0]), int(data["a"][1]))
        return ListState(
            verb=verb,
            prefix=str(data["p"]),
            set_spec=data["s"],
            start=datetime.fromisoformat(data["f"]) if data["f"] else None,
            end=datetime.fromisoformat(data["u"]) if data["u"] else None,
            after=after,
            cursor=int(data["c"]),
        )
    except (BadSignature, KeyError, IndexError, TypeError, ValueError):
        raise OaiError("badResumptionToken", "The resumption token is invalid.") from None

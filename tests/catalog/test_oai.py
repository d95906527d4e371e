"""OAI-PMH at /oai: a maintained harvester (sickle) harvests the catalogue over real HTTP,
page by page; every verb, the protocol's error codes, from/until, sets, deleted records,
and the visibility rule of :mod:`catalog.visibility`."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sickle import Sickle, oaiexceptions
from sickle.iterator import OAIResponseIterator
from werkzeug.serving import make_server

from catalog import oai as oai_module
from catalog import oai_dates, oai_xml
from catalog.models import Access, Kind, Publication, Status, Subject
from catalog.oai_errors import OaiError

NS = {"o": oai_xml.OAI, "dc": oai_xml.DC, "oai_dc": oai_xml.OAI_DC}
PAGE = 5
#: Datestamps of the publications made here: one a day from this moment.
T0 = datetime(2025, 3, 1, 8, 30, 15, 250000, tzinfo=UTC)
REPO = "pst.example.org"


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"OAI_PAGE_SIZE": PAGE, "OAI_REPOSITORY_IDENTIFIER": REPO}


@pytest.fixture
def served(app) -> Iterator[str]:
    """The app on a real HTTP server on 127.0.0.1 (the harvester speaks real HTTP)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/oai"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def make_catalogue(session, count: int = 23) -> dict[str, list[int]]:
    """``count`` publications, a day apart: subjects, both kinds, every access; every
    fifth withdrawn (a deleted record)."""
    subjects = [Subject(name="Kependudukan dan Migrasi"), Subject(name="Ekonomi & Keuangan")]
    session.add_all(subjects)
    public: list[int] = []
    withdrawn: list[int] = []
    for n in range(count):
        pub = Publication(
            title=f"Statistik Daerah Bengkulu {2000 + n}",
            title_en=f"Bengkulu Regional Statistics {2000 + n}" if n % 2 else None,
            abstract=f"Ringkasan publikasi {n}.",
            kat_no=f"1102001.17.{n}",
            isbn="978-602-438-123-4" if n % 3 == 0 else None,
            issn="0216-6607" if n % 4 == 0 else None,
            period="2024",
            release_date=(T0 + timedelta(days=n)).date(),
            kind=Kind.BRS if n % 3 == 1 else Kind.PUBLICATION,
            access=list(Access)[n % 3],
            status=Status.WITHDRAWN if n % 5 == 4 else Status.ACTIVE,
            subjects=[subjects[n % 2]] if n % 4 else [],
            updated_at=T0 + timedelta(days=n),
        )
        session.add(pub)
        session.flush()
        (withdrawn if pub.status == Status.WITHDRAWN else public).append(pub.id)
    session.commit()
    return {"public": public, "withdrawn": withdrawn}


def local_id(oai_id: str) -> int:
    prefix = f"oai:{REPO}:"
    assert oai_id.startswith(prefix), oai_id
    return int(oai_id[len(prefix) :])


def oai(client, **args: str) -> Any:
    response = client.get("/oai", query_string=args)
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    return etree.fromstring(response.data)


def error_code(root: Any) -> str | None:
    error = root.find("o:error", NS)
    return None if error is None else error.get("code")


# --- a harvester over HTTP ---------------------------------------------------------------


def test_sickle_harvests_the_whole_catalogue_page_by_page(served, session):
    made = make_catalogue(session)
    harvester = Sickle(served, max_retries=0)

    identify = harvester.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.baseURL.endswith("/oai")
    assert identify.adminEmail == "pst1700@bps.go.id"
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.earliestDatestamp == "2025-03-01T08:30:15Z"

    formats = list(harvester.ListMetadataFormats())
    assert [f.metadataPrefix for f in formats] == ["oai_dc"]

    sets = {s.setSpec: s.setName for s in harvester.ListSets()}
    assert sets["kind:brs"].startswith("Berita Resmi Statistik")
    assert sets["subject:kependudukan-dan-migrasi"] == "Kependudukan dan Migrasi"
    assert sets["subject:ekonomi-keuangan"] == "Ekonomi & Keuangan"

    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    ids = [local_id(r.header.identifier) for r in records]
    assert sorted(ids) == sorted(made["public"] + made["withdrawn"])  # each once
    deleted = {local_id(r.header.identifier) for r in records if r.deleted}
    assert deleted == set(made["withdrawn"])
    assert all(r.xml.find(".//o:metadata", NS) is None for r in records if r.deleted)
    first = next(r for r in records if local_id(r.header.identifier) == made["public"][0])
    dc = first.metadata
    assert dc["title"] == ["Statistik Daerah Bengkulu 2000"]
    assert dc["creator"] == ["Badan Pusat Statistik Provinsi Bengkulu"]
    assert dc["publisher"] == ["Badan Pusat Statistik Provinsi Bengkulu"]
    assert dc["date"] == ["2025-03-01"]
    assert dc["description"] == ["Ringkasan publikasi 0."]
    assert dc["language"] == ["id"]
    assert "Provinsi Bengkulu" in dc["coverage"]
    assert "urn:isbn:9786024381234" in dc["identifier"]
    assert "urn:issn:0216-6607" in dc["identifier"]
    assert any(i.endswith(f"/publications/{made['public'][0]}") for i in dc["identifier"])
    assert dc["rights"]

    headers = list(harvester.ListIdentifiers(metadataPrefix="oai_dc"))
    assert [local_id(h.identifier) for h in headers] == ids  # the same order
    assert {local_id(h.identifier) for h in headers if h.deleted} == deleted

    one = harvester.GetRecord(identifier=f"oai:{REPO}:{made['public'][1]}", metadataPrefix="oai_dc")
    assert one.metadata["title"] == [
        "Statistik Daerah Bengkulu 2001",
        "Bengkulu Regional Statistics 2001",
    ]
    gone = harvester.GetRecord(
        identifier=f"oai:{REPO}:{made['withdrawn'][0]}", metadataPrefix="oai_dc"
    )
    assert gone.deleted


def test_pages_carry_cursor_and_complete_list_size(served, session):
    made = make_catalogue(session)
    total = len(made["public"]) + len(made["withdrawn"])
    harvester = Sickle(served, iterator=OAIResponseIterator, max_retries=0)
    pages = list(harvester.ListIdentifiers(metadataPrefix="oai_dc"))
    assert len(pages) == -(-total // PAGE)  # 23 records, 5 a page: 5 pages
    tokens = [p.xml.find(".//o:resumptionToken", NS) for p in pages]
    assert [int(t.get("cursor")) for t in tokens] == [PAGE * n for n in range(len(pages))]
    assert {int(t.get("completeListSize")) for t in tokens} == {total}
    assert all(t.text for t in tokens[:-1]) and not tokens[-1].text  # empty at the end


def test_harvest_by_post(served, session):
    made = make_catalogue(session, count=7)
    harvester = Sickle(served, http_method="POST", max_retries=0)
    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))
    assert len(records) == 7
    assert {local_id(r.header.identifier) for r in records if r.deleted} == set(made["withdrawn"])


def test_sets_and_dates_select_records(served, session):
    made = make_catalogue(session)
    everything = made["public"] + made["withdrawn"]
    harvester = Sickle(served, max_retries=0)

    def harvested(**args: str) -> list[int]:
        try:
            return [
                local_id(h.identifier)
                for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", **args)
            ]
        except oaiexceptions.NoRecordsMatch:
            return []

    brs = harvested(set="kind:brs")
    assert brs and all(session.get(Publication, i).kind == Kind.BRS for i in brs)
    assert sorted(harvested(set="kind")) == sorted(everything)
    migration = harvested(set="subject:kependudukan-dan-migrasi")
    assert sorted(migration) == [
        i
        for i in sorted(everything)
        if session.get(Publication, i).subjects
        and session.get(Publication, i).subjects[0].name.startswith("Kependudukan")
    ]
    assert len(harvested(set="subject")) == len(
        [i for i in everything if session.get(Publication, i).subjects]
    )
    assert harvested(set="subject:no-such-subject") == []

    # Days: from and until are both inclusive.
    ids = sorted(everything)
    assert harvested(**{"from": "2025-03-03", "until": "2025-03-05"}) == ids[2:5]
    assert harvested(until="2025-03-01") == ids[:1]
    assert harvested(**{"from": "2025-03-23"}) == ids[22:]
    # Seconds: a record's datestamp is its time to the second, inclusive at both ends.
    assert (
        harvested(**{"from": "2025-03-02T08:30:15Z", "until": "2025-03-02T08:30:15Z"}) == ids[1:2]
    )
    assert harvested(**{"from": "2025-03-02T08:30:16Z", "until": "2025-03-03T08:30:14Z"}) == []
    assert harvested(**{"from": "2030-01-01"}) == []


def test_a_withdrawal_bumps_the_datestamp_so_incremental_harvests_see_it(served, session):
    from factories import user

    from app.accounts.models import Role
    from catalog import services

    officer = user(session, role=Role.OFFICER)

    made = make_catalogue(session, count=3)
    harvester = Sickle(served, max_retries=0)
    since = oai_dates.datestamp(datetime.now(UTC) - timedelta(seconds=1))
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": since}))
    services.set_status(
        session, made["public"][0], Status.WITHDRAWN, actor_id=officer.id, reason="Salah"
    )
    session.commit()
    changed = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": since}))
    assert [(local_id(h.identifier), h.deleted) for h in changed] == [(made["public"][0], True)]


def test_a_record_changed_during_a_harvest_is_still_harvested(client, session):
    """Records come in datestamp order: one edited between two pages moves to the end
    of the list instead of shifting the others (an offset would skip one)."""
    made = make_catalogue(session, count=12)
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = [local_id(e.text) for e in first.iterfind(".//o:header/o:identifier", NS)]
    token = first.find(".//o:resumptionToken", NS).text
    # The first record sent and one not sent yet both change.
    for pub_id in (seen[0], sorted(made["public"] + made["withdrawn"])[-3]):
        session.get(Publication, pub_id).title += " (revisi)"
    session.commit()
    while token:
        page = oai(client, verb="ListIdentifiers", resumptionToken=token)
        seen += [local_id(e.text) for e in page.iterfind(".//o:header/o:identifier", NS)]
        token = page.find(".//o:resumptionToken", NS).text
    assert set(seen) == set(made["public"] + made["withdrawn"])
    assert seen.count(seen[0]) == 2  # sent again, changed: the harvester updates its copy


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Frobnicate"}, "badVerb"),
        ({"verb": "ListRecords"}, "badArgument"),  # no metadataPrefix
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1 March"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-03-01T00:00:00"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-03-01",
                "until": "2025-03-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-03-02",
                "until": "2025-03-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:\x01"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a\x0bb"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "x"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "marc21", "identifier": f"oai:{REPO}:1"},
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": f"oai:{REPO}:999999"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:other.org:1"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": f"oai:{REPO}:1x"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": f"oai:{REPO}:999999"}, "idDoesNotExist"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "subject:none"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "1999-01-01"},
            "noRecordsMatch",
        ),
    ],
)
def test_error_codes(client, session, args, code):
    make_catalogue(session, count=2)
    root = oai(client, **args)
    assert error_code(root) == code
    request = root.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}  # only the base URL is echoed
    assert root.find("o:ListRecords", NS) is None


def test_repeated_arguments_are_bad(client, session):
    make_catalogue(session, count=2)
    response = client.get("/oai?verb=Identify&verb=Identify")
    assert error_code(etree.fromstring(response.data)) == "badVerb"
    response = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")
    assert error_code(etree.fromstring(response.data)) == "badArgument"


def test_a_token_is_bound_to_its_verb_and_cannot_be_forged(client, session):
    make_catalogue(session, count=12)
    token = (
        oai(client, verb="ListRecords", metadataPrefix="oai_dc")
        .find(".//o:resumptionToken", NS)
        .text
    )
    assert (
        error_code(oai(client, verb="ListIdentifiers", resumptionToken=token))
        == "badResumptionToken"
    )
    assert (
        error_code(oai(client, verb="ListRecords", resumptionToken=token[:-2] + "xx"))
        == "badResumptionToken"
    )
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) is None


def test_empty_repository_answers_no_records_match(client):
    assert error_code(oai(client, verb="ListRecords", metadataPrefix="oai_dc")) == "noRecordsMatch"
    assert oai(client, verb="Identify").find(".//o:earliestDatestamp", NS) is not None


def test_identify_describes_the_identifiers(client, session):
    root = oai(client, verb="Identify")
    description = root.find(
        ".//{http://www.openarchives.org/OAI/2.0/oai-identifier}repositoryIdentifier"
    )
    assert description is not None and description.text == REPO
    request = root.find("o:request", NS)
    assert request.get("verb") == "Identify" and request.text.endswith("/oai")


# --- visibility ------------------------------------------------------------------------------


def test_a_publication_the_public_may_not_see_is_no_record_at_all(client, session, monkeypatch):
    """Every verb asks catalog.visibility: one hidden there (as an embargo will hide
    one) is neither a record nor a deleted record, nor counted."""
    from sqlalchemy import and_

    made = make_catalogue(session, count=12)
    hidden_public, hidden_withdrawn = made["public"][0], made["withdrawn"][0]
    public, withdrawn = oai_module.public_clause, oai_module.withdrawn_clause
    monkeypatch.setattr(
        oai_module, "public_clause", lambda now: and_(public(now), Publication.id != hidden_public)
    )
    monkeypatch.setattr(
        oai_module,
        "withdrawn_clause",
        lambda now: and_(withdrawn(now), Publication.id != hidden_withdrawn),
    )
    seen: list[int] = []
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    while True:
        seen += [local_id(e.text) for e in root.iterfind(".//o:header/o:identifier", NS)]
        token = root.find(".//o:resumptionToken", NS)
        assert int(token.get("completeListSize")) == 10
        if not token.text:
            break
        root = oai(client, verb="ListRecords", resumptionToken=token.text)
    assert sorted(seen) == sorted(
        set(made["public"] + made["withdrawn"]) - {hidden_public, hidden_withdrawn}
    )
    for hidden in (hidden_public, hidden_withdrawn):
        got = oai(
            client, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:{REPO}:{hidden}"
        )
        assert error_code(got) == "idDoesNotExist"
        formats = oai(client, verb="ListMetadataFormats", identifier=f"oai:{REPO}:{hidden}")
        assert error_code(formats) == "idDoesNotExist"
    earliest = oai(client, verb="Identify").find(".//o:earliestDatestamp", NS).text
    assert earliest == "2025-03-02T08:30:15Z"  # the hidden first publication is not counted


def test_text_a_pdf_left_with_control_characters_is_still_well_formed(client, session):
    session.add(Publication(title="Judul\x0b bersih", abstract="Ringkasan\x08\x1f"))
    session.commit()
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert root.find(".//dc:title", NS).text == "Judul bersih"
    assert root.find(".//dc:description", NS).text == "Ringkasan"


# --- the demo catalogue, every answer checked against the protocol's schema -------------

SCHEMAS = Path(__file__).parent / "oai_schemas"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "oai_pmh.xsd")))


def valid(schema: etree.XMLSchema, document: Any) -> Any:
    root = document if isinstance(document, etree._Element) else etree.fromstring(document)
    assert schema.validate(root), schema.error_log.filter_from_errors()
    return root


def test_the_demo_catalogue_harvests_whole_and_every_answer_is_valid(served, session, schema):
    """The demo's publications (``pst demo``'s metadata, catalogued as printed records so
    no PDF is rendered), two of them withdrawn, harvested page by page: every response
    of every verb, errors included, is valid OAI-PMH."""
    from factories import user

    from app.accounts.models import Role
    from catalog import cataloguing, services
    from catalog.schemas import load_meta
    from demo.publications.plan import plan_demo

    plans = plan_demo(24)
    officer = user(session, role=Role.OFFICER)
    made = [
        cataloguing.create_record(session, load_meta(p["meta"]), actor_id=officer.id) for p in plans
    ]
    for pub in made[3:5]:
        services.set_status(session, pub.id, Status.WITHDRAWN, actor_id=officer.id, reason="Ralat")
    by_id = {pub.id: load_meta(plan["meta"]) for pub, plan in zip(made, plans, strict=True)}

    pages = Sickle(served, iterator=OAIResponseIterator, max_retries=0)
    records: dict[int, Any] = {}
    for page in pages.ListRecords(metadataPrefix="oai_dc"):
        for record in valid(schema, page.xml).iterfind(".//o:record", NS):
            records[local_id(record.findtext("o:header/o:identifier", namespaces=NS))] = record
    assert set(records) == set(by_id)
    for pub_id, meta in by_id.items():
        record = records[pub_id]
        if pub_id in {p.id for p in made[3:5]}:
            assert record.find("o:header", NS).get("status") == "deleted"
            continue
        assert record.findtext(".//dc:title", namespaces=NS) == meta["title"]
        subjects = [e.text for e in record.iterfind(".//dc:subject", NS)]
        assert sorted(subjects) == sorted(meta.get("subjects") or [])
        identifiers = [e.text for e in record.iterfind(".//dc:identifier", NS)]
        if meta.get("isbn"):
            assert any(i.startswith("urn:isbn:") for i in identifiers)
    pages_of_headers = list(pages.ListIdentifiers(metadataPrefix="oai_dc"))
    assert len(pages_of_headers) == 5  # 24 records, 5 a page
    for page in pages_of_headers:
        valid(schema, page.xml)
    for verb, args in (
        ("Identify", {}),
        ("ListMetadataFormats", {}),
        ("ListMetadataFormats", {"identifier": f"oai:{REPO}:{made[0].id}"}),
        ("ListSets", {}),
        ("GetRecord", {"identifier": f"oai:{REPO}:{made[0].id}", "metadataPrefix": "oai_dc"}),
        ("GetRecord", {"identifier": f"oai:{REPO}:{made[3].id}", "metadataPrefix": "oai_dc"}),
        ("ListRecords", {"metadataPrefix": "oai_dc", "set": "kind:publication"}),
    ):
        valid(schema, pages.harvest(verb=verb, **args).xml)
    with requests.Session() as http:
        for args in ({}, {"verb": "ListRecords"}, {"verb": "ListRecords", "metadataPrefix": "x"}):
            root = valid(schema, http.get(served, params=args, timeout=30).content)
            assert error_code(root)


def test_the_schema_has_teeth(schema):
    """The test schema refuses what the protocol forbids (so the test above means something)."""
    head = f'<OAI-PMH xmlns="{oai_xml.OAI}"><responseDate>2025-03-01T08:30:15Z</responseDate>'
    good = head + '<request>http://x/oai</request><error code="badVerb">x</error></OAI-PMH>'
    assert schema.validate(etree.fromstring(good))
    for bad in (
        good.replace("badVerb", "noSuchCode"),
        good.replace("08:30:15Z", "08:30:15.250Z"),
        head + '<request>http://x/oai</request><ListRecords><resumptionToken cursor="0"/>'
        "</ListRecords></OAI-PMH>",
        head + "<request>http://x/oai</request><GetRecord><record><header><identifier>i"
        "</identifier><datestamp>2025-03-01</datestamp></header><metadata><x xmlns='urn:x'/>"
        "</metadata></record></GetRecord></OAI-PMH>",
    ):
        assert not schema.validate(etree.fromstring(bad)), bad


# --- dates, whatever a harvester sends ---------------------------------------------------


#: Pure functions: a loaded machine (shared CI cores) must not fail them for slowness.
QUICK = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@QUICK
@given(st.datetimes(min_value=datetime(1900, 1, 1), timezones=st.just(UTC)))
def test_a_datestamp_falls_inside_from_and_until_of_itself(moment):
    """A record's datestamp, given back as from and until (either granularity), selects
    an interval holding the record's exact time."""
    shown = oai_dates.datestamp(moment)
    for value in (shown, shown[:10]):
        start, _ = oai_dates.parse_datestamp(value, end=False)
        end, _ = oai_dates.parse_datestamp(value, end=True)
        assert start <= moment < end


@QUICK
@given(st.text(max_size=30))
def test_any_date_argument_is_a_bound_or_bad_argument(value):
    try:
        bound, granularity = oai_dates.parse_datestamp(value, end=True)
    except OaiError as exc:
        code = exc.code
    else:
        code = "badArgument"  # accepted: checked below
        assert bound.tzinfo is not None and granularity in ("day", "seconds")
    assert code == "badArgument"


def test_the_last_day_of_the_calendar_is_a_bad_argument_not_a_crash(client):
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", until="9999-12-31")
    assert error_code(root) == "badArgument"

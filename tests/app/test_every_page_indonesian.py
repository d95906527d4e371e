"""Every page, for every role, in Indonesian: no catalogue message left in English.

One app and one data set (a publication with a printed copy, orders in several states,
a queue number and a rated service record, a consultation, recommendations, library
requests…). For each role the test signs in, then visits every GET route of
``app.url_map`` it can fill: route arguments come from the data made (``build_data``) and
from the links found on the pages already visited (so a new list page's detail links are
followed without editing this file). Each HTML answer is reduced to what a person reads
— text outside scripts and styles, the ``title``, ``aria-label``, ``placeholder``,
``alt`` attributes and the ``data-`` ones scripts show (``data-confirm``, labels), button
values, and the strings of JSON data blocks that charts draw — and fails when it shows:

* an English msgid of ``messages.po`` whose Indonesian translation differs (a string
  formatted before the locale was known, or never wrapped in ``gettext``);
* a stored value where a label belongs: an identifier (``bank_transfer``), a value of
  an enumerated column (``claimed``), raw JSON (an audit trail, a job's result) or an
  ISO date (``2027-02-01``) where the day should be written out.

Routes whose arguments cannot be filled are skipped; each one must be listed in
``JUSTIFIED_SKIPS`` with its reason, so a new page without data here fails loudly
instead of going unchecked.

The same walk checks that no page or export shows a whole ID number to anyone but its
owner (issue #15): every readable answer (HTML, CSV, JSON; not PDFs, see
``test_nik_never_shown``) is searched for the numbers of the other accounts. One walk
for both, since walking every page is the costly part.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from factories import PASSWORD, agree, make_pdf, profile
from flask import Flask
from helpers import FakeClock, submit
from werkzeug.routing import Rule

from advisory.settings import Settings, settings_from
from app.accounts.models import Role, User
from app.accounts.passwords import hash_password
from app.db import utcnow
from app.i18n import LANG_COOKIE, WIB

#: The advisory settings with their defaults (services get them explicitly).
SETTINGS = Settings()

PO = Path(__file__).resolve().parents[2] / "app/translations/id/LC_MESSAGES/messages.po"

#: A Wednesday in service hours, on no holiday (the desk's rules depend on the clock).
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)

ROLES = ("anonymous", "user", "receptionist", "officer", "subject_matter", "head", "admin")

#: Routes that are not pages a person reads, or cannot be reached with a test's data.
JUSTIFIED_SKIPS = {
    "static": "files",
    "advisory.static": "files",
    "desk.static": "files",
    "library.static": "files",
    "library_scan.static": "files",
    "store.static": "files",
    "library_scan.thumb": "a JPEG thumbnail of a scanned page (no page is scanned here)",
    "store.stripe_return": "Stripe Checkout's return address (needs a Stripe session)",
    "store.order_file": "an uploaded file or a package (a download, not a page)",
    "advisory.attachment": "an uploaded attachment (a download, not a page)",
    "advisory.recommendation_file": "a covering letter or scanned FS3 form (a download)",
}

#: msgids not checked, each with why (an English word that is also Indonesian, a name).
#: None is needed today: msgids whose translation is the same word (``Email``, ``IKM``)
#: are never reported.
IGNORED_MSGIDS: dict[str, str] = {}


# --- what a person reads --------------------------------------------------------------

_INLINE = {
    "a", "abbr", "b", "bdi", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small",
    "span", "strong", "sub", "sup", "time", "u", "data", "var", "wbr", "br",
}  # fmt: skip
_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
#: ``data-`` attributes whose text scripts show (a confirmation, a heading, a label).
_SHOWN_DATA = re.compile(r"data-(?:confirm|heading|none|faq|pub|label(?:-[\w-]+)?)$")


class _Reader(HTMLParser):
    """Collects visible text (a segment per block), readable attributes and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[str] = []
        self.links: list[str] = []
        self._buffer: list[str] = []
        self._skip = 0  # inside <script> or <style>
        self._foreign = False  # inside a textarea of another language
        self._json: list[str] | None = None

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer).split())
        if text:
            self.segments.append(text)
        self._buffer = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "textarea" and (values.get("lang") or "id") != "id":
            self._foreign = True  # text to edit in another language (a notice's English)
            self._skip += 1
            return
        if tag in ("script", "style"):
            if tag == "script" and (values.get("type") or "").endswith("json"):
                self._json = []
            else:
                self._skip += 1
            return
        if tag not in _INLINE:
            self._flush()
        for name, value in attrs:
            if value and (name in _ATTRIBUTES or _SHOWN_DATA.match(name)):
                self.segments.append(" ".join(value.split()))
        button = tag == "input" and values.get("type") in ("submit", "button", "reset")
        if button and values.get("value"):
            self.segments.append(str(values["value"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json is not None:
            with contextlib.suppress(ValueError):  # not JSON after all: nothing to read
                self.segments.extend(_json_strings(json.loads("".join(self._json))))
            self._json = None
            return
        if tag in ("script", "style") or (tag == "textarea" and self._foreign):
            self._foreign = False
            self._skip = max(0, self._skip - 1)
            return
        if tag not in _INLINE:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)
        elif not self._skip:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _json_strings(value: Any) -> Iterator[str]:
    """The string values (not keys) of a JSON document: what a chart shows."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)


def read_page(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


# --- the catalogue ------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]|\{\w*\}")


def _pieces(segment: str) -> list[str]:
    """A segment cut at separators and numbers: "3 — Good" gives "Good"."""
    parts = re.split(r"\s*[—–·|:/()\[\],;•→]\s*|\s+-\s+|(?<!\w)\d+(?!\w)", segment)
    return [p.strip(" .!?") for p in parts if p.strip(" .!?")]


class Catalogue:
    """Finds untranslated English messages of ``messages.po`` in a page's segments."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as f:
            catalog = read_po(f)
        whole: dict[str, str] = {}
        phrases: list[str] = []
        patterns: list[str] = []
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strs = message.string if isinstance(message.string, tuple) else (message.string,)
            for msgid in ids:
                msgid = " ".join(msgid.split())
                if not msgid or msgid in strs or msgid in IGNORED_MSGIDS:
                    continue
                if not re.search(r"[A-Za-z]{2}", msgid):
                    continue
                if _PLACEHOLDER.search(msgid):
                    literal = _PLACEHOLDER.sub(" ", msgid)
                    if len(re.findall(r"[A-Za-z]{2,}", literal)) >= 3:
                        parts = [re.escape(p) for p in _PLACEHOLDER.split(msgid)[::2]]
                        patterns.append(r"\S.{0,80}?".join(parts).replace("%%", "%"))
                    continue
                whole[msgid] = strs[0]
                if " " in msgid:
                    phrases.append(msgid)
        self.whole = whole
        phrases.sort(key=len, reverse=True)
        alternatives = [re.escape(p) for p in phrases] + patterns
        self._phrases = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
        self._memo: dict[str, list[str]] = {}

    def untranslated(self, segment: str) -> list[str]:
        """English messages shown in ``segment`` (memoised: headers repeat on every page)."""
        found = self._memo.get(segment)
        if found is None:
            hits = set()
            if segment in self.whole:
                hits.add(segment)
            hits.update(p for p in _pieces(segment) if p in self.whole)
            hits.update(m.group(0) for m in self._phrases.finditer(segment))
            found = self._memo[segment] = sorted(hits)
        return found


_IDENTIFIER = re.compile(
    r"(?<![\w./@-])(?:[a-z]+(?:_[a-z0-9]+)+"  # bank_transfer
    r"|[a-z]+(?:_[a-z]+)*\.(?!(?:pdf|csv|xlsx|zip|txt|png|jpe?g|docx?|json|xml|svg)\b)"
    r"[a-z]{3,}(?:_[a-z]+)*)"  # store.order, desk.record_corrected (not file names)
    r"(?![\w./@-])"
)


_ISO_DAY = re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])")  # 2027-02-01, not "1 Februari"


def stored_values(catalogue: Catalogue) -> re.Pattern[str]:
    """The values of every enumerated column, as stored (``claimed``, ``granted``), except
    those that are also words of the Indonesian catalogue (``online``, ``media``)."""
    from sqlalchemy import Enum

    from app.extensions import db

    indonesian = {w.lower() for text in catalogue.whole.values() for w in text.split()}
    values: set[str] = set()
    for table in db.metadata.tables.values():
        for column in table.columns:
            if isinstance(column.type, Enum):
                values.update(str(v) for v in column.type.enums)
    words = sorted(v for v in values if v.islower() and v not in indonesian)
    return re.compile(r"(?<![\w@./-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w@./-])")


def raw_values(segment: str, stored: re.Pattern[str]) -> list[str]:
    """Identifiers and JSON shown as they are stored, where a person needs a label."""
    found = _IDENTIFIER.findall(segment) + stored.findall(segment) + _ISO_DAY.findall(segment)
    if re.search(r"\{\s*\"\w+\"\s*:", segment):
        found.append(segment[:80])
    return found


# --- the data set ---------------------------------------------------------------------------


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"CLOCK": FakeClock(NOW)}


def _person(session: Any, role: Role, name: str, password_hash: str, n: int) -> User:
    account = User(
        email=f"{role.value}{n}@example.org",
        password_hash=password_hash,
        role=role,
        email_verified_at=utcnow(),
        **{**profile(), "full_name": name},
    )
    session.add(account)
    session.commit()
    if role == Role.USER:
        agree(session, account)  # else every page would be the privacy notice to accept
    return account


def _advisory_kit() -> Any:
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "advisory" / "advkit.py"
    spec = importlib.util.spec_from_file_location("advkit", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_data(app: Flask, session: Any) -> tuple[dict[Role, User], dict[str, Any]]:
    """Accounts of every role and a little of everything; the route arguments they fill."""
    import scanning.batches
    import scanning.pages
    import scanning.requests
    from advisory import consultations, faq, recommendations
    from advisory.labels import CHECKLIST
    from app import jobs
    from app.accounts.services.links import reset_token
    from app.accounts.tokens import LinkSigner
    from app.blobs import current_store
    from app.mail import current_mailer
    from app.maintenance import STORAGE_CHECK
    from catalog.models import Access, Publication, Series, Subject
    from demo.products import seed_products
    from desk import ikm, queue, records
    from desk.models import Channel, Outcome, ServiceType
    from library import holdings, softcopy
    from store import orders, requirements
    from store.models import Product, ProductKind
    from store.payments import manual

    store = current_store()
    pw = hash_password(PASSWORD)
    people = {
        Role.USER: _person(session, Role.USER, "Rina Marlina", pw, 1),
        Role.RECEPTIONIST: _person(session, Role.RECEPTIONIST, "Yuni Resepsionis", pw, 2),
        Role.OFFICER: _person(session, Role.OFFICER, "Budi Petugas", pw, 3),
        Role.SUBJECT_MATTER: _person(session, Role.SUBJECT_MATTER, "Tono Subject", pw, 4),
        Role.HEAD: _person(session, Role.HEAD, "Ir. Kepala Kantor", pw, 5),
        Role.ADMIN: _person(session, Role.ADMIN, "Ani Admin", pw, 6),
    }
    reader, officer, head = people[Role.USER], people[Role.OFFICER], people[Role.HEAD]
    args: dict[str, Any] = {}

    # The library: a printed publication for sale with a copy, and requests for it.
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    pdf = make_pdf(
        Path(app.instance_path) / "publikasi.pdf",
        ["Jumlah penduduk Provinsi Bengkulu", "Persentase penduduk miskin"],
    )
    digest = store.put(io.BytesIO(pdf.read_bytes())).key
    pub = Publication(
        title="Provinsi Bengkulu Dalam Angka 2025",
        subtitle="Bengkulu Province in Figures 2025",
        printed=True,
        page_count=2,
        file_size=20_000,
        sha256=digest,
        original_key=digest,
        master_key=digest,
        access=Access.SALE,
    )
    session.add(pub)
    # Its series and a subject: the series page and the subject's Atom feed.
    pub.series = Series(title="Provinsi Bengkulu Dalam Angka", key="provinsi bengkulu dalam angka")
    pub.subjects = [Subject(name="Kependudukan")]
    session.commit()
    args["pub_id"] = pub.id
    args["series_id"], args["subject_id"] = pub.series_id, pub.subjects[0].id
    args["page"] = 1
    holding = holdings.add_holding(
        session, pub.id, inventory_no="INV-001", barcode="B001", actor_id=officer.id
    )
    args["holding_id"] = holding.id
    reading = holdings.request_reading(session, pub.id, reader=reader, now=NOW)
    holdings.mark_ready(session, reading.id, actor_id=officer.id, now=NOW)
    args["library_scan.request_detail:request_id"] = scanning.requests.create_request(
        session, reader=reader, publication_id=pub.id, pages="1-2", purpose="Skripsi",
        max_pages=50, now=NOW,
    ).id  # fmt: skip
    args["library_desk.softcopy_detail:request_id"] = softcopy.create_request(
        session, reader=reader, title="Statistik Daerah Kaur 2019", purpose="Penelitian", now=NOW
    ).id
    args["batch_id"] = scanning.pages.create_batch(
        scanning.batches.scans_root(app), actor_id=officer.id, now=NOW
    )["id"]
    job = jobs.enqueue(session, STORAGE_CHECK, actor_id=people[Role.ADMIN].id)
    session.commit()
    args["job_id"] = job.id

    # The store: the demo products and orders in several states.
    seed_products(session, store)
    products = list(session.query(Product))
    settings = orders.Settings()
    susenas = next(p for p in products if p.kind == ProductKind.MICRODATA)
    digital = next(p for p in products if p.kind == ProductKind.DIGITAL)
    args["product_id"] = susenas.id
    gated = orders.create_order(
        session,
        reader,
        [{"product_id": susenas.id, "variables": ["R102"], "regions": ["1771"]}],
        settings=settings,
        now=utcnow(),
    )  # requirements
    reviewed = orders.create_order(
        session,
        reader,
        [{"product_id": susenas.id, "variables": ["R102"], "regions": ["1771"]}],
        settings=settings,
        now=utcnow(),
    )
    requirements.submit_abstract(
        session,
        reviewed,
        {
            "title": "Ketimpangan pengeluaran rumah tangga",
            "purpose": "Skripsi tentang ketimpangan.",
            "method": "Indeks Gini.",
            "variables": "R102",
            "regions": "Kota Bengkulu (1771)",
            "outputs": "Skripsi.",
            "completion_date": date.today() + timedelta(days=120),
        },
        actor_id=reader.id,
        now=utcnow(),
    )
    text = requirements.current_agreement(session)
    requirements.accept_agreement(
        session,
        reviewed,
        actor_id=reader.id,
        text_sha256=text.sha256,
        ip="10.0.0.1",
        now=utcnow(),
    )
    requirements.upload_scan(
        session, store, reviewed, io.BytesIO(b"%PDF-1.4\n%%EOF\n"), actor_id=reader.id,
        max_bytes=10**6, now=utcnow(),
    )  # fmt: skip
    claimed = orders.create_order(
        session,
        reader,
        [{"product_id": digital.id}],
        settings=settings,
        zero_rate_basis="education",
        zero_rate_note="Skripsi",
        now=utcnow(),
    )  # under review, Rp0 claimed
    paying = orders.create_order(
        session, reader, [{"product_id": digital.id}], settings=settings, now=utcnow()
    )
    manual.ManualProvider().start(session, paying, method="bank_transfer", now=utcnow())
    cancelled = orders.create_order(
        session,
        reader,
        [{"product_id": digital.id}],
        settings=settings,
        now=utcnow(),
    )
    orders.cancel(session, cancelled, actor=reader, now=utcnow())
    granted = orders.create_order(
        session, reader, [{"product_id": digital.id}], settings=settings,
        zero_rate_basis="education", zero_rate_note="Skripsi", now=utcnow(),
    )  # fmt: skip
    orders.review(
        session,
        granted,
        "approve",
        actor=officer,
        settings=settings,
        grant_zero_rate=True,
        now=utcnow(),
    )  # paid at Rp0 and delivered
    refused = orders.create_order(
        session, reader, [{"product_id": digital.id}], settings=settings,
        zero_rate_basis="education", zero_rate_note="Skripsi", now=utcnow(),
    )  # fmt: skip
    orders.review(
        session,
        refused,
        "reject",
        actor=officer,
        settings=settings,
        reason="Bukan untuk skripsi.",
        now=utcnow(),
    )
    paid = orders.create_order(
        session, reader, [{"product_id": digital.id}], settings=settings, now=utcnow()
    )
    payment = manual.ManualProvider().start(session, paid, method="simponi", now=utcnow()).payment
    manual.issue_billing(
        session, paid, payment.id, billing_code="820261125000001", instructions="Bayar di bank.",
        actor_id=officer.id, now=utcnow(),
    )  # fmt: skip
    manual.confirm(
        session, paid, payment.id, reference="0A1B2C3D4E5F6G7H", actor_id=officer.id,
        now=utcnow(), settings=settings, store=store,
    )  # fmt: skip
    args["code"] = [
        o.code for o in (gated, reviewed, claimed, paying, cancelled, granted, refused, paid)
    ]
    args["kind"] = "invoice"
    args["item_id"] = paying.items[0].id

    # The front desk: a served, rated number and one waiting.
    ticket = queue.take_ticket(
        session, service=ServiceType.SALES, now=NOW, channel=Channel.KIOSK, user_id=reader.id
    )
    queue.call_next(session, services=[ServiceType.SALES], officer_id=officer.id, desk="1", now=NOW)
    queue.start(session, ticket.id, officer_id=officer.id, now=NOW + timedelta(minutes=2))
    record = queue.finish(
        session,
        ticket.id,
        officer_id=officer.id,
        now=NOW + timedelta(minutes=9),
        outcome=Outcome.SERVED,
        products=["Statistik Daerah 2025"],
    )
    ikm.submit_rating(
        session,
        record=record,
        scores=[4, 3, 2, 4, 3, 4, 4, 3, 1],
        comment="Pelayanan cepat.",
        channel=Channel.KIOSK,
        opened_at=NOW + timedelta(minutes=10),
        now=NOW + timedelta(minutes=12),
    )
    records.correct_record(
        session,
        record.id,
        {"outcome": Outcome.PARTLY, "note": "Sebagian data belum terbit."},
        actor_id=officer.id,
    )  # an audit trail
    unrated = queue.take_ticket(session, service=ServiceType.LIBRARY, now=NOW, user_id=reader.id)
    queue.book_appointment(
        session, service=ServiceType.CONSULTATION, starts_at=NOW + timedelta(hours=3), now=NOW,
        user_id=reader.id,
    )  # fmt: skip
    args["record_id"] = record.id
    args["desk.ticket:token"] = args["desk.ticket_print:token"] = unrated.token
    args["desk.ticket_status:token"] = args["desk.ticket_qr:token"] = unrated.token
    args["dataset"] = ["records", "ratings"]
    args["fmt"] = ["csv"]
    args["catalog_meta.cite:fmt"] = ["bib", "ris", "json"]

    # Advisory: a consultation with a reply, a recommendation compared over two versions.
    c = consultations.create_consultation(
        session,
        store,
        requester=reader,
        subject="Data kemiskinan kabupaten",
        body="Berapa persentase penduduk miskin Kabupaten Kaur tahun 2024?",
        now=NOW,
        settings=SETTINGS,
    )
    consultations.post_message(
        session,
        store,
        c.id,
        author=officer,
        body="Sedang kami periksa.",
        now=NOW,
        settings=SETTINGS,
    )
    answered = consultations.create_consultation(
        session, store, requester=reader, subject="Inflasi Kota Bengkulu",
        body="Di mana data inflasi bulanan Kota Bengkulu?", now=NOW,
        settings=SETTINGS,
    )  # fmt: skip
    consultations.answer(
        session,
        store,
        answered.id,
        actor=officer,
        body="Lihat Berita Resmi Statistik.",
        now=NOW,
        settings=SETTINGS,
    )
    faq_entry = faq.publish(
        session, answered.id, actor=officer, question="Di mana data inflasi bulanan?",
        answer="Dalam Berita Resmi Statistik setiap awal bulan.", now=NOW,
    )  # fmt: skip
    consultations.escalate(
        session, c.id, specialist_id=people[Role.SUBJECT_MATTER].id,
        note="Mohon bantu tabel ini.", actor=officer, now=NOW,
    )  # fmt: skip
    args["consultation_id"] = [c.id, answered.id]
    args["faq_id"] = faq_entry.id
    FS3 = _advisory_kit().FS3  # the advisory tests' complete form

    r = recommendations.create_draft(session, requester=reader, fields=FS3, now=NOW)
    recommendations.submit(session, r.id, actor=reader, now=NOW, settings=SETTINGS)
    recommendations.review(
        session, r.id, actor=officer, outcome="return", checklist={},
        note="Rinci sampel per kabupaten.", now=NOW,
    )  # fmt: skip
    recommendations.update_draft(session, r.id, actor=reader, fields={"sample_size": 5000}, now=NOW)
    recommendations.submit(session, r.id, actor=reader, now=NOW, settings=SETTINGS)
    recommendations.review(
        session, r.id, actor=officer, outcome="pass", checklist=dict.fromkeys(CHECKLIST, True),
        note="Lengkap.", now=NOW,
    )  # fmt: skip
    letter = recommendations.approve(
        session, store, r.id, actor=head, now=NOW, settings=settings_from(app.config)
    )
    draft = recommendations.create_draft(session, requester=reader, fields=FS3, now=NOW)
    twin = recommendations.create_draft(session, requester=reader, fields=FS3, now=NOW)
    recommendations.submit(
        session, twin.id, actor=reader, now=NOW, settings=SETTINGS
    )  # a possible duplicate
    args["rec_id"] = [r.id, draft.id, twin.id]
    args["letter_id"] = letter.id
    args["number"] = letter.number

    # Accounts: a history of role changes, and the one-time links of the mails.
    from app.accounts import services as accounts

    changed = accounts.create_staff(
        session, email="pindah@example.org", full_name="Dodi Pindahan", role=Role.OFFICER,
        password=PASSWORD, actor_id=people[Role.ADMIN].id,
    )  # fmt: skip
    accounts.change_role(session, changed.id, Role.RECEPTIONIST, actor_id=people[Role.ADMIN].id)
    args["user_id"] = [reader.id, changed.id]
    signer = LinkSigner(app.config["SECRET_KEY"])
    args["accounts.reset:token"] = reset_token(signer, reader)
    args["accounts.verify:token"] = signer.dumps("verify", {"uid": reader.id, "email": "x@y.z"})
    from app.accounts.services import erasure
    from app.accounts.services.email_change import email_change_token

    args["accounts.confirm_email_change:token"] = email_change_token(
        signer, reader, "baru-lagi@example.org"
    )
    leaving = _person(session, Role.USER, "Dina Berhenti", pw, 7)
    args["accounts.erasure_request:request_id"] = erasure.request_erasure(
        session, leaving, password=PASSWORD, reason="Pindah kota", mailer=current_mailer(),
        now=utcnow(),
    ).id  # fmt: skip
    args["desk.rate:token"] = record.rating_token
    from desk.mails import confirm_token

    args["desk.confirm_email:token"] = confirm_token(
        reader.id, "baru@example.org", secret_key=app.config["SECRET_KEY"]
    )
    args["catalog_harvest.sitemap_publications:part"] = 1  # XML for crawlers, no page
    return people, args


# --- the walk -------------------------------------------------------------------------------


def _values(args: dict[str, Any], rule: Rule, name: str) -> list[Any]:
    value = args.get(f"{rule.endpoint}:{name}", args.get(name))
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def filled_urls(
    app: Flask, args: dict[str, Any], *, api: bool = False
) -> tuple[list[str], dict[str, Rule]]:
    """One URL per GET rule and combination of known values; the rules left unfilled.

    The pages' rules, or with ``api`` the JSON API's (``/api/...``) instead."""
    urls: list[str] = []
    unfilled: dict[str, Rule] = {}
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.rule.startswith("/api/") != api:
            continue
        combos: list[dict[str, Any]] = [{}]
        for name in sorted(rule.arguments):
            options = _values(args, rule, name)
            combos = [{**c, name: v} for c in combos for v in options]
        if not combos:
            unfilled[rule.endpoint] = rule
            continue
        urls.extend(adapter.build(rule.endpoint, c, method="GET") for c in combos)
    return urls, unfilled


def _endpoint(app: Flask, url: str) -> str | None:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
        return None
    try:
        endpoint, _ = app.url_map.bind("localhost").match(parts.path, method="GET")
    except Exception:  # not ours, or not a GET route
        return None
    return str(endpoint)


def id_numbers(session: Any) -> dict[int, str]:
    """Each account's whole ID number (decrypted by the model), long enough to matter."""
    return {u.id: u.id_number for u in session.query(User).all() if len(u.id_number or "") >= 8}


def sign_in(client: Any, person: User | None) -> None:
    client.set_cookie(LANG_COOKIE, "id")
    if person is not None:
        response = submit(client, "/login", {"email": person.email, "password": PASSWORD})
        assert response.status_code in (302, 303), response.status_code


@pytest.mark.long
@pytest.mark.parametrize("role_name", ROLES)
def test_every_page_reads_in_indonesian(app, session, client, role_name, tmp_path_factory):
    """One role's walk (one test per role, so pytest-xdist spreads them); the routes
    nobody reached are checked by whichever role's test ends last (see below)."""
    del client  # requested for its isolated client class; the role gets its own below
    catalogue = Catalogue(PO)
    people, args = build_data(app, session)
    seeds, unfilled = filled_urls(app, args)
    stored = stored_values(catalogue)

    problems: dict[str, set[str]] = defaultdict(set)
    visited_endpoints: set[str] = set()
    pages = 0
    role = None if role_name == "anonymous" else Role(role_name)
    visitor = app.test_client()
    sign_in(visitor, people[role] if role else None)
    viewer = people[role] if role else None
    others = {n for uid, n in id_numbers(session).items() if viewer is None or uid != viewer.id}
    assert len(others) >= len(people) - 1  # every account of the walk has one
    shown: dict[str, set[str]] = defaultdict(set)
    queue, seen = list(seeds), set(seeds)
    per_endpoint: dict[str, int] = defaultdict(int)
    while queue:
        url = queue.pop(0)
        response = visitor.get(url)
        assert response.status_code < 500, f"{role_name} {url}: {response.status_code}"
        kind = response.content_type or ""
        if not (kind.startswith("text/") or "json" in kind):
            continue  # PDFs (the SPPD carries its signatory's number), images, data files
        body = response.get_data(as_text=True)
        shown[url].update(n for n in others if n in body)
        if not kind.startswith("text/html"):
            continue
        pages += 1
        endpoint = _endpoint(app, url)
        if endpoint and response.status_code == 200:
            visited_endpoints.add(endpoint)
        page = read_page(body)
        for segment in page.segments:
            for english in catalogue.untranslated(segment):
                problems[f"untranslated “{english}”"].add(f"{url} ({role_name})")
            for raw in raw_values(segment, stored):
                problems[f"raw value “{raw}”"].add(f"{url} ({role_name})")
        for link in page.links:
            link = link.split("#")[0]
            target = _endpoint(app, link)
            if (
                target
                and link not in seen
                and not urlsplit(link).path.startswith("/api/")
                and per_endpoint[target] < 4
            ):
                seen.add(link)
                per_endpoint[target] += 1
                queue.append(link)

    report = "\n".join(
        f"{problem}:\n    " + "\n    ".join(sorted(where)[:6])
        for problem, where in sorted(problems.items())
    )
    assert not problems, f"{len(problems)} problems on {pages} pages:\n{report}"
    leaks = {url: found for url, found in shown.items() if found}
    assert not leaks, f"{role_name} sees whole ID numbers: {leaks}"
    reached = _all_roles_reached(tmp_path_factory, role_name, visited_endpoints)
    if reached is None:
        return  # another role's walk is still running: the last one checks
    skipped = {e: r for e, r in unfilled.items() if e not in reached}
    unjustified = sorted(e for e in skipped if e not in JUSTIFIED_SKIPS)
    assert not unjustified, (
        "no data here to fill these routes: add values to build_data() or a reason to "
        f"JUSTIFIED_SKIPS: {unjustified}"
    )


def _all_roles_reached(
    tmp_path_factory: pytest.TempPathFactory, role_name: str, visited: set[str]
) -> set[str] | None:
    """Record this role's visited endpoints in the run's shared folder (pytest-xdist
    workers share the parent of their base temp folders); once every role has written
    its own, the union. Each test writes before it reads, so the last to finish always
    sees all of them."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "every-page"
    shared.mkdir(exist_ok=True)
    partial = shared / f".{role_name}.json"
    partial.write_text(json.dumps(sorted(visited)))
    partial.replace(shared / f"{role_name}.json")  # whole, or absent for the others
    files = [shared / f"{name}.json" for name in ROLES]
    if not all(f.exists() for f in files):
        return None
    return {e for f in files for e in json.loads(f.read_text())}

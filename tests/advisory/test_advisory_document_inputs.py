"""The advisory letters render everything the forms accept (issue 15, item 4): the
recommendation letter (and the head's preview) from any FS3 answers, and the data
request letter from any consultation, at each field's limit and with odd Unicode
(property-based, see ``odd_text``)."""

from __future__ import annotations

from datetime import date

import pytest
from flask import current_app
from hypothesis import example, given
from hypothesis import strategies as st
from odd_text import PROPERTY, Timer, head_of, longest, odd_text, read_pdf, squeeze
from test_advisory_fs3 import ALL_CHECKED, LONGEST

from advisory import letters
from advisory import recommendations as svc
from advisory.models import LetterKind, Recommendation, RecommendationStatus
from advisory.settings import Settings, settings_from
from app.accounts.models import Role, User
from app.blobs import current_store
from app.pdf import tanggal

#: Documents rendered from any input: the database only holds the data
#: (tests/database_runs.py).
pytestmark = pytest.mark.one_database("postgresql")

#: The advisory settings with their defaults (services get them explicitly).
SETTINGS = Settings()


def configured_settings() -> Settings:
    """The app's own settings (a letter needs its key; some tests change the config)."""
    return settings_from(current_app.config)


#: The FS3 text fields and their limits (RecommendationForm's Length validators).
FS3_LIMITS = {
    "organiser": 200,
    "organiser_address": 1000,
    "contact_name": 120,
    "contact_phone": 32,
    "manager_name": 120,
    "manager_position": 120,
    "title": 300,
    "topic": 120,
    "objectives": 5000,
    "collection_method": 5000,
    "sampling_method": 5000,
    "population": 5000,
    "variables": 5000,
    "region": 2000,
}
#: What the letter prints of them.
PRINTED = ("organiser", "title", "objectives", "collection_method", "population", "region")

FS3_TEXT = st.fixed_dictionaries({name: odd_text(limit) for name, limit in FS3_LIMITS.items()})


def fs3_at_limit(kind: str) -> dict[str, str]:
    return {
        name: longest(limit, kind, start=f"Awal{name[:5]}01") for name, limit in FS3_LIMITS.items()
    }


def _passed(session, clock, requester, officer, fields):
    r = svc.create_draft(session, requester=requester, fields=fields, now=clock.now)
    svc.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    svc.review(
        session, r.id, actor=officer, outcome="pass", checklist=ALL_CHECKED, note="", now=clock.now
    )
    return r


def test_the_head_approves_objectives_of_any_shape_at_the_limit(
    app, session, clock, requester, officer, head
):
    # Seen: an FS3 `objectives` of 5,000 characters made the head's approval fail and the
    # request stayed "passed" for good. Every shape of a 5,000-character answer: prose,
    # one word without a space, a line break every few characters, markup characters.
    for kind in ("word", "lines", "markup", "cjk"):
        fields = {**LONGEST, **fs3_at_limit(kind)}
        r = _passed(session, clock, requester, officer, fields)
        with Timer(60):
            letter = svc.approve(
                session,
                current_store(),
                r.id,
                actor=head,
                now=clock.now,
                settings=configured_settings(),
            )
        assert r.status == RecommendationStatus.APPROVED, kind
        with current_store().open(letter.pdf_key) as fh:
            pages, text = read_pdf(fh.read())
        assert pages >= 3, kind
        for name in PRINTED:
            assert squeeze(head_of(fields[name])) in text, (kind, name)


def _recommendation(fields: dict[str, str]) -> Recommendation:
    """An FS3 request as the letter sees it, unsaved."""
    return Recommendation(
        id=42,
        **fields,
        contact_email="dewi@example.org",
        recurrence="recurring",
        frequency="yearly",
        design="cross_section",
        sample_size=1_000_000_000,
        period_start=date(2027, 3, 1),
        period_end=date(2027, 4, 30),
    )


@PROPERTY
@given(fields=FS3_TEXT, signer=odd_text(120))
@example(fields=fs3_at_limit("words"), signer=longest(120, "words"))
@example(fields=fs3_at_limit("word"), signer=longest(120, "word"))
@example(fields=fs3_at_limit("lines"), signer=longest(120, "lines"))
@example(fields=fs3_at_limit("cjk"), signer=longest(120, "cjk"))
@example(fields=fs3_at_limit("markup"), signer=longest(120, "markup"))
def test_the_recommendation_letter_and_preview_render_any_fs3(app, fields, signer):
    content = svc.letter_content(
        _recommendation(fields),
        User(full_name=signer, role=Role.HEAD),
        date(2026, 11, 25),
        configured_settings(),
    )
    with Timer(60):
        issued = letters.render_pdf(
            content,
            number="B-001/17000/PS.000/XI/2026",
            code="A" * 16,
            url="https://x/v?c=A",
            settings=configured_settings(),
        )
        preview = letters.preview(content, configured_settings())
    for pdf in (issued, preview):
        pages, text = read_pdf(pdf)
        for name in PRINTED:
            assert squeeze(head_of(fields[name])) in text, name
        assert squeeze(head_of(signer)) in text
        if sum(len(v) for v in fields.values()) > 12_000:
            assert pages > 1
    assert "B-001/17000/PS.000/XI/2026" in read_pdf(issued)[1]


DATA_LIMITS = {"full_name": 120, "institution": 200, "data": 2000, "purpose": 500, "terms": 2000}


def _data_letter(values: dict[str, str]) -> letters.LetterContent:
    """The data request letter's content as consultations.issue_data_letter builds it."""
    return letters.LetterContent(
        kind=LetterKind.DATA_REQUEST,
        recipient=f"{values['full_name']} ({values['institution']})",
        title=values["data"],
        issued_on=date(2026, 11, 25),
        signer_name=values["full_name"],
        signer_role="Petugas Pelayanan Statistik Terpadu",
        reference="K-000042",
        rows=[
            ("Nomor permintaan", "K-000042"),
            ("Nama pemohon", values["full_name"]),
            ("Instansi", values["institution"]),
            ("Email", "dewi@example.org"),
            ("Data yang diminta", values["data"]),
            ("Keperluan", values["purpose"]),
            ("Tanggal diterima", tanggal(date(2026, 11, 20))),
            ("Tanggal penyelesaian yang disepakati", tanggal(date(2026, 12, 20))),
            ("Syarat dan ketentuan", values["terms"]),
        ],
        details={},
    )


@PROPERTY
@given(values=st.fixed_dictionaries({n: odd_text(m) for n, m in DATA_LIMITS.items()}))
@example(values={n: longest(m, "words", f"Awal{n}01") for n, m in DATA_LIMITS.items()})
@example(values={n: longest(m, "word", f"Awal{n}01") for n, m in DATA_LIMITS.items()})
@example(values={n: longest(m, "markup", f"Awal{n}01") for n, m in DATA_LIMITS.items()})
def test_the_data_request_letter_renders_any_request(app, values):
    with Timer(60):
        pdf = letters.render_pdf(
            _data_letter(values),
            number="B-001/1700/PST.100/2026",
            code="A" * 16,
            url="u",
            settings=configured_settings(),
        )
    _pages, text = read_pdf(pdf)
    for name in DATA_LIMITS:
        assert squeeze(head_of(values[name])) in text, name

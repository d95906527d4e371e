"""Recommendation requests (FS3): draft, submission, verification with a checklist,
returns and versions, the duplicate-survey check, the head's approval and its letter."""

from __future__ import annotations

from datetime import date

import pytest
from advkit import FS3, body, mails
from flask import current_app
from sqlalchemy import select

from advisory import letters, similarity
from advisory import recommendations as svc
from advisory.errors import (
    IllegalTransition,
    IncompleteForm,
    InvalidInput,
    NotAllowed,
    RecommendationNotFound,
)
from advisory.labels import CHECKLIST
from advisory.models import RecommendationStatus
from advisory.settings import Settings, settings_from
from app.blobs import current_store
from desk.models import ServiceRecord, ServiceType

#: The advisory settings with their defaults (services get them explicitly).
SETTINGS = Settings()


def configured_settings() -> Settings:
    """The app's own settings (a letter needs its key; some tests change the config)."""
    return settings_from(current_app.config)


ALL_CHECKED = dict.fromkeys(CHECKLIST, True)


def test_from_draft_to_letter(app, session, clock, requester, officer, head, outbox):
    r = svc.create_draft(
        session, requester=requester, fields={"title": FS3["title"]}, now=clock.now
    )
    assert r.status == RecommendationStatus.DRAFT and r.version == 0 and r.due_on is None
    with pytest.raises(IncompleteForm) as missing:
        svc.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    assert "organiser" in missing.value.fields[0].lower() or missing.value.fields

    svc.update_draft(
        session, r.id, actor=requester, fields={**FS3, "sample_size": "4200"}, now=clock.now
    )
    svc.submit(
        session, r.id, actor=requester, now=clock.now, settings=SETTINGS
    )  # Wed 25 Nov 2026, 10:00
    assert r.status == RecommendationStatus.SUBMITTED and r.version == 1
    assert r.due_on == date(2026, 12, 28)  # 25 Dec (Christmas) is closed: Monday 28th
    assert "submitted" in mails(outbox, requester.email)[-1]["Subject"]
    assert mails(outbox, officer.email)  # officers are told

    with pytest.raises(IllegalTransition):
        svc.update_draft(session, r.id, actor=requester, fields={"title": "x"}, now=clock.now)
    with pytest.raises(InvalidInput):  # a pass needs the whole checklist
        svc.review(
            session,
            r.id,
            actor=officer,
            outcome="pass",
            checklist={"identity": True},
            note="",
            now=clock.now,
        )
    with pytest.raises(InvalidInput):  # a return needs a note
        svc.review(
            session, r.id, actor=officer, outcome="return", checklist={}, note="", now=clock.now
        )
    clock.advance(days=2)
    svc.review(
        session,
        r.id,
        actor=officer,
        outcome="return",
        checklist={"identity": True},
        note="Jumlah sampel per kabupaten belum dirinci.",
        now=clock.now,
    )
    assert r.status == RecommendationStatus.RETURNED and r.due_on is None
    returned = mails(outbox, requester.email)[-1]
    assert "returned" in returned["Subject"] and "belum dirinci" in body(returned)

    svc.update_draft(
        session,
        r.id,
        actor=requester,
        fields={"sample_size": 5000, "region": "10 kabupaten/kota"},
        now=clock.now,
    )
    rows = {row.field: row for row in svc.compare(r, 1, 2)}  # version 2 is the draft
    assert rows["sample_size"].changed and (rows["sample_size"].old, rows["sample_size"].new) == (
        4200,
        5000,
    )
    assert not rows["title"].changed
    clock.set(2026, 11, 30, 16, 0)  # Monday after hours: complete as of Tuesday 1 December
    svc.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    assert r.version == 2 and [v.version for v in r.versions] == [1, 2]
    assert r.due_on == date(2026, 12, 31)
    assert r.versions[0].outcome == "returned" and r.versions[0].fields["sample_size"] == 4200
    assert r.versions[1].fields["sample_size"] == 5000
    assert sum(row.changed for row in svc.compare(r, 1, 2)) == 2

    with pytest.raises(NotAllowed):
        svc.review(
            session,
            r.id,
            actor=requester,
            outcome="pass",
            checklist=ALL_CHECKED,
            note="",
            now=clock.now,
        )
    svc.review(
        session,
        r.id,
        actor=officer,
        outcome="pass",
        checklist=ALL_CHECKED,
        note="Lengkap.",
        now=clock.now,
    )
    assert r.status == RecommendationStatus.PASSED
    assert any("approval" in body(m) for m in mails(outbox, head.email))

    with pytest.raises(NotAllowed):
        svc.approve(
            session,
            current_store(),
            r.id,
            actor=officer,
            now=clock.now,
            settings=configured_settings(),
        )
    clock.set(2026, 12, 2, 9, 0)
    letter = svc.approve(
        session, current_store(), r.id, actor=head, now=clock.now, settings=configured_settings()
    )
    assert r.status == RecommendationStatus.APPROVED and r.letter == letter
    assert letter.number == "B-001/1700/PS.000/2026" and letter.issued_on == date(2026, 12, 2)
    assert letter.recipient == FS3["organiser"] and letter.title == FS3["title"]
    assert letter.signer_name == "Ir. Kepala Kantor"
    assert letters.verify(
        session, letter.number, letter.code, settings=configured_settings()
    ).genuine
    record = session.scalar(
        select(ServiceRecord).where(ServiceRecord.source == "advisory.recommendation")
    )
    assert record.service == ServiceType.RECOMMENDATION and record.user_id == requester.id
    assert record.officer_id == officer.id and letter.number in record.products
    approved = mails(outbox, requester.email)[-1]
    text = body(approved)
    assert "approved" in approved["Subject"] and letter.number in text
    assert (
        f"/advisory/letters/{letter.id}.pdf" in text
        and "/letters/verify/" in text
        and "/desk/my-services" in text
    )
    attached = [p for p in approved.walk() if p.get_content_type() == "application/pdf"]
    assert len(attached) == 1 and attached[0].get_payload(decode=True).startswith(b"%PDF-")
    with pytest.raises(IllegalTransition):
        svc.approve(
            session,
            current_store(),
            r.id,
            actor=head,
            now=clock.now,
            settings=configured_settings(),
        )


def test_drafts_are_private_and_checked(app, session, clock, requester, officer):
    from factories import user

    r = svc.create_draft(session, requester=requester, fields=FS3, now=clock.now)
    stranger = user(session, email="orang@example.org")
    with pytest.raises(RecommendationNotFound):
        svc.get_recommendation(session, r.id, stranger)
    with pytest.raises(RecommendationNotFound):
        svc.update_draft(session, r.id, actor=stranger, fields={"title": "x"}, now=clock.now)
    with pytest.raises(InvalidInput):
        svc.update_draft(
            session, r.id, actor=requester, fields={"recurrence": "sometimes"}, now=clock.now
        )
    with pytest.raises(InvalidInput):
        svc.update_draft(
            session, r.id, actor=requester, fields={"period_end": date(2027, 1, 1)}, now=clock.now
        )
    with pytest.raises(InvalidInput):
        svc.update_draft(
            session, r.id, actor=requester, fields={"sample_size": "banyak"}, now=clock.now
        )
    assert r.period_end == date(2027, 4, 30)  # nothing of a refused change was kept
    # A recurring activity needs its frequency.
    svc.update_draft(session, r.id, actor=requester, fields={"frequency": ""}, now=clock.now)
    with pytest.raises(IncompleteForm):
        svc.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    svc.update_draft(
        session, r.id, actor=requester, fields={"recurrence": "one_off"}, now=clock.now
    )
    svc.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    with pytest.raises(IllegalTransition):
        svc.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    svc.withdraw(session, r.id, actor=requester, now=clock.now)
    assert r.status == RecommendationStatus.WITHDRAWN


def test_paper_form_recorded_by_an_officer(app, session, clock, requester, officer):
    from advisory.models import Channel

    r = svc.create_draft(
        session,
        requester=requester,
        fields=FS3,
        now=clock.now,
        actor=officer,
        channel=Channel.WALK_IN,
    )
    assert r.user_id == requester.id and r.channel == Channel.WALK_IN
    svc.submit(
        session, r.id, actor=officer, now=clock.now, settings=SETTINGS
    )  # the officer who recorded it
    assert r.versions[0].submitted_by_id == officer.id


def test_a_walk_in_recommendation_and_its_letter_are_one_service(
    app, session, clock, requester, officer, head, outbox
):
    """A paper FS3 form recorded while its visitor is served at the desk, and the letter
    approved weeks later, are one service: the desk's record, one rating invitation."""
    from advisory.models import Channel
    from desk import queue
    from desk.models import Channel as DeskChannel

    ticket = queue.take_ticket(
        session,
        service=ServiceType.RECOMMENDATION,
        now=clock.now,
        channel=DeskChannel.KIOSK,
        user_id=requester.id,
    )
    queue.call_next(
        session,
        services=[ServiceType.RECOMMENDATION],
        officer_id=officer.id,
        desk="4",
        now=clock.now,
    )
    queue.start(session, ticket.id, officer_id=officer.id, now=clock.now)
    started = clock.now
    r = svc.create_draft(
        session,
        requester=requester,
        fields=FS3,
        now=clock.now,
        actor=officer,
        channel=Channel.WALK_IN,
    )
    svc.submit(session, r.id, actor=officer, now=clock.now, settings=SETTINGS)
    clock.advance(minutes=20)
    queue.finish(session, ticket.id, officer_id=officer.id, now=clock.now, products=["FS3"])
    svc.review(
        session, r.id, actor=officer, outcome="pass", checklist=ALL_CHECKED, note="", now=clock.now
    )
    clock.set(2026, 12, 2, 9, 0)
    letter = svc.approve(
        session, current_store(), r.id, actor=head, now=clock.now, settings=configured_settings()
    )
    (record,) = session.scalars(select(ServiceRecord)).all()
    assert record.ticket_id == ticket.id and record.service == ServiceType.RECOMMENDATION
    assert record.started_at == started and record.ended_at == clock.now
    assert record.product_list == ["FS3", f"{letter.number} — {r.title}"]
    invitations = [
        m
        for m in mails(outbox, requester.email)
        if "/desk/rate/" in body(m) or "/desk/my-services" in body(m)
    ]
    assert len(invitations) == 1  # the desk's, when the number was finished


def _approved(session, clock, requester, officer, head, **fields):
    r = svc.create_draft(session, requester=requester, fields={**FS3, **fields}, now=clock.now)
    svc.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    svc.review(
        session, r.id, actor=officer, outcome="pass", checklist=ALL_CHECKED, note="", now=clock.now
    )
    svc.approve(
        session, current_store(), r.id, actor=head, now=clock.now, settings=configured_settings()
    )
    return r


def test_duplicate_survey_check(app, session, clock, requester, officer, head):
    earlier = _approved(
        session,
        clock,
        requester,
        officer,
        head,
        title="Survei Status Gizi Balita Bengkulu 2026",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 4, 30),
    )
    _approved(
        session,
        clock,
        requester,
        officer,
        head,
        title="Survei Harga Produsen Gabah",
        topic="pertanian",
        region="Kabupaten Seluma",
        period_start=date(2027, 3, 1),
        period_end=date(2027, 3, 31),
    )
    r = svc.create_draft(session, requester=requester, fields=FS3, now=clock.now)
    svc.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    with app.test_request_context():
        found = similarity.similar_activities(session, r, threshold=SETTINGS.duplicate_threshold)
    assert [s.title for s in found] == [earlier.title]
    hit = found[0]
    assert hit.kind == "recommendation" and hit.ref == earlier.letter.number
    assert hit.reasons["title"] == 1.0 and hit.reasons["period"] == 0.5  # a year apart
    assert {"gizi", "balita"} <= set(hit.common)
    assert 0.8 < hit.score < 1.0


def test_similarity_score():
    a = (
        "Survei Kepuasan Pasien RSUD",
        "kesehatan",
        "Kota Bengkulu",
        (date(2027, 1, 1), date(2027, 2, 1)),
    )
    same = similarity.similarity(
        *a,
        "Survei Kepuasan Pasien RSUD M. Yunus 2027",
        "kesehatan",
        "Kota Bengkulu",
        (date(2027, 1, 15), date(2027, 3, 1)),
    )
    assert same[0] == 1.0
    other = similarity.similarity(
        *a, "Sensus Ekonomi", "ekonomi", "Kabupaten Kaur", (date(2020, 1, 1), date(2020, 2, 1))
    )
    assert other[0] == 0.0

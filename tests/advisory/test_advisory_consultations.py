"""Consultations and data requests: the ticket's life, the thread, attachments, the
service record at the front desk, the data request letter and the FAQ."""

from __future__ import annotations

import io
from datetime import date

import pytest
from advkit import body, mails
from factories import user
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from advisory import consultations as svc
from advisory import faq
from advisory.attachments import Upload
from advisory.errors import (
    AttachmentRejected,
    ConsultationNotFound,
    IllegalTransition,
    NotAllowed,
    NotStaff,
)
from advisory.models import Channel, ConsultationKind, ConsultationStatus
from advisory.settings import Settings, settings_from
from app.audit import AuditEvent
from app.blobs import current_store
from app.db import utcnow
from desk.models import RecordChannel, ServiceRecord, ServiceType

#: The advisory settings with their defaults (services get them explicitly).
SETTINGS = Settings()


def configured_settings() -> Settings:
    """The app's own settings (a letter needs its key; some tests change the config)."""
    return settings_from(current_app.config)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ask(session, clock, requester, **kw):
    return svc.create_consultation(
        session,
        current_store(),
        requester=requester,
        subject=kw.pop("subject", "Data IPM kabupaten"),
        body=kw.pop("body", "Mohon data Indeks Pembangunan Manusia per kabupaten 2020-2024."),
        now=clock.now,
        settings=kw.pop("settings", SETTINGS),
        **kw,
    )


def test_the_life_of_a_consultation(app, session, clock, requester, officer, specialist, outbox):
    c = ask(session, clock, requester, uploads=[Upload("tabel.pdf", io.BytesIO(PDF))])
    assert c.status == ConsultationStatus.NEW and c.reference == f"K-{c.id:06d}"
    assert (c.received_on, c.due_on) == (date(2026, 11, 25), date(2026, 11, 30))
    assert c.messages[0].attachments[0].filename == "tabel.pdf"
    assert "received" in mails(outbox, requester.email)[-1]["Subject"]

    clock.advance(hours=1)
    svc.assign(session, c.id, officer_id=officer.id, actor=officer, now=clock.now)
    assert c.status == ConsultationStatus.ASSIGNED and c.assigned_to_id == officer.id
    assert "being handled" in mails(outbox, requester.email)[-1]["Subject"]

    svc.escalate(
        session,
        c.id,
        specialist_id=specialist.id,
        note="Perlu penjelasan metodologi IPM",
        actor=officer,
        now=clock.now,
    )
    assert c.status == ConsultationStatus.ESCALATED
    assert "asks for your help" in body(mails(outbox, specialist.email)[-1])
    internal = c.messages[-1]
    assert internal.internal
    assert internal not in svc.visible_messages(c, requester)
    assert internal in svc.visible_messages(c, officer)

    clock.advance(days=1)
    svc.answer(
        session,
        current_store(),
        c.id,
        actor=specialist,
        body="IPM dihitung dengan metode baru sejak 2010 ...",
        now=clock.now,
        settings=SETTINGS,
    )
    assert c.status == ConsultationStatus.ANSWERED and c.answered_by_id == specialist.id
    record = session.scalar(
        select(ServiceRecord).where(ServiceRecord.source == "advisory.consultation")
    )
    assert record.service == ServiceType.CONSULTATION and record.channel == RecordChannel.ONLINE
    assert record.user_id == requester.id and record.source_ref == str(c.id)
    assert record.products == "Data IPM kabupaten" and record.rating is None
    answered = mails(outbox, requester.email)[-1]
    assert "answered" in answered["Subject"] and "/desk/my-services" in body(answered)

    # A follow-up question reopens it; the second answer is not a second service.
    svc.post_message(
        session,
        current_store(),
        c.id,
        author=requester,
        body="Apakah ada per kecamatan?",
        now=clock.now,
        settings=SETTINGS,
    )
    assert c.status == ConsultationStatus.ESCALATED
    assert "new message" in body(mails(outbox, officer.email)[-1])
    svc.answer(
        session,
        current_store(),
        c.id,
        actor=officer,
        body="Tidak, hanya sampai kabupaten.",
        now=clock.now,
        settings=SETTINGS,
    )
    assert session.query(ServiceRecord).count() == 1
    svc.close(session, c.id, actor=requester, now=clock.now)
    assert c.status == ConsultationStatus.CLOSED
    with pytest.raises(IllegalTransition):
        svc.post_message(
            session,
            current_store(),
            c.id,
            author=requester,
            body="lagi",
            now=clock.now,
            settings=SETTINGS,
        )
    actions = [
        e.action
        for e in session.scalars(
            select(AuditEvent).where(AuditEvent.subject_type == "advisory_consultation")
        )
    ]
    assert actions[:4] == [
        "advisory.consultation_created",
        "advisory.consultation_assigned",
        "advisory.consultation_escalated",
        "advisory.consultation_answered",
    ]


def test_who_may_do_what(app, session, clock, requester, officer, specialist):
    c = ask(session, clock, requester)
    stranger = user(session, email="orang@example.org")
    with pytest.raises(ConsultationNotFound):
        svc.get_consultation(session, c.id, stranger)
    with pytest.raises(ConsultationNotFound):
        svc.post_message(
            session,
            current_store(),
            c.id,
            author=stranger,
            body="hai",
            now=clock.now,
            settings=SETTINGS,
        )
    with pytest.raises(NotAllowed):
        svc.answer(
            session,
            current_store(),
            c.id,
            actor=requester,
            body="jawaban saya sendiri",
            now=clock.now,
            settings=SETTINGS,
        )
    with pytest.raises(NotAllowed):
        svc.answer(
            session,
            current_store(),
            c.id,
            actor=specialist,
            body="belum diminta",
            now=clock.now,
            settings=SETTINGS,
        )
    with pytest.raises(NotAllowed):
        svc.escalate(
            session, c.id, specialist_id=specialist.id, note="x", actor=requester, now=clock.now
        )
    with pytest.raises(NotStaff):
        svc.escalate(
            session, c.id, specialist_id=stranger.id, note="tolong", actor=officer, now=clock.now
        )
    with pytest.raises(NotStaff):
        svc.assign(session, c.id, officer_id=specialist.id, actor=officer, now=clock.now)
    # An officer's reply takes a new consultation.
    svc.post_message(
        session,
        current_store(),
        c.id,
        author=officer,
        body="Sedang kami siapkan.",
        now=clock.now,
        settings=SETTINGS,
    )
    assert c.assigned_to_id == officer.id and c.status == ConsultationStatus.ASSIGNED
    # Internal notes written by the requester are ordinary messages.
    m = svc.post_message(
        session,
        current_store(),
        c.id,
        author=requester,
        body="Terima kasih",
        internal=True,
        now=clock.now,
        settings=SETTINGS,
    )
    assert not m.internal


def test_walk_in_recorded_by_an_officer(app, session, clock, requester, officer):
    c = ask(
        session,
        clock,
        requester,
        channel=Channel.WALK_IN,
        actor=officer,
        kind=ConsultationKind.DATA_REQUEST,
    )
    assert (
        c.channel == Channel.WALK_IN
        and c.assigned_to_id == officer.id
        and c.created_by_id == officer.id
    )
    svc.answer(
        session,
        current_store(),
        c.id,
        actor=officer,
        body="Data sudah dikirim.",
        now=clock.now,
        settings=SETTINGS,
    )
    record = session.scalar(select(ServiceRecord))
    assert record.channel == RecordChannel.WALK_IN and record.officer_id == officer.id
    with pytest.raises(NotAllowed):
        ask(session, clock, requester, channel=Channel.EMAIL)  # only officers record


def test_a_question_asked_at_the_desk_is_one_service_with_the_visit(
    app, session, clock, requester, officer, outbox
):
    from desk import queue
    from desk.models import Channel as DeskChannel

    ticket = queue.take_ticket(
        session,
        service=ServiceType.CONSULTATION,
        now=clock.now,
        channel=DeskChannel.KIOSK,
        user_id=requester.id,
    )
    queue.call_next(
        session, services=[ServiceType.CONSULTATION], officer_id=officer.id, desk="3", now=clock.now
    )
    queue.start(session, ticket.id, officer_id=officer.id, now=clock.now)
    c = ask(session, clock, requester, channel=Channel.WALK_IN, actor=officer)
    clock.advance(minutes=10)
    queue.finish(session, ticket.id, officer_id=officer.id, now=clock.now)
    clock.advance(days=1)
    svc.answer(
        session,
        current_store(),
        c.id,
        actor=officer,
        body="Tabelnya.",
        now=clock.now,
        settings=SETTINGS,
    )
    (record,) = session.scalars(select(ServiceRecord)).all()
    assert record.ticket_id == ticket.id and record.ended_at == clock.now
    invitations = [
        m
        for m in mails(outbox, requester.email)
        if "/desk/rate/" in body(m) or "/desk/my-services" in body(m)
    ]
    assert len(invitations) == 1  # the desk's; the answer's mail carries no second link


@pytest.mark.parametrize(
    ("name", "data", "accepted"),
    [
        ("tabel.xlsx", b"PK\x03\x04" + b"\x00" * 40, True),
        ("catatan.csv", b"kabupaten;jumlah\nKaur;12\nSeluma;15\n", True),
        ("foto.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 40, True),
        ("virus.exe", b"MZ\x90\x00", False),
        ("palsu.pdf", b"<html><script>alert(1)</script>", False),
        ("nul.txt", b"a\x00b", False),
        ("kosong.pdf", b"", False),
        ("tanpa-ekstensi", b"%PDF-1.4", False),
    ],
)
def test_attachments_are_checked(app, session, clock, requester, name, data, accepted):
    if accepted:
        c = ask(session, clock, requester, uploads=[Upload(name, io.BytesIO(data))])
        assert c.messages[0].attachments[0].size == len(data)
    else:
        with pytest.raises(AttachmentRejected):
            ask(session, clock, requester, uploads=[Upload(name, io.BytesIO(data))])
        assert svc.my_consultations(session, requester.id) == []  # nothing half-saved


def test_attachment_limits(app, session, clock, requester):
    small = Settings(max_file_bytes=1024)
    with force_locale("en"):
        with pytest.raises(AttachmentRejected, match="larger than 1 KiB"):
            ask(
                session,
                clock,
                requester,
                settings=small,
                uploads=[Upload("besar.pdf", io.BytesIO(PDF + b"x" * 2000))],
            )
        with pytest.raises(AttachmentRejected, match="at most 5"):
            ask(
                session,
                clock,
                requester,
                settings=small,
                uploads=[Upload(f"{i}.pdf", io.BytesIO(PDF)) for i in range(6)],
            )
    c = ask(
        session, clock, requester, uploads=[Upload("../../etc/pass\x00wd.pdf", io.BytesIO(PDF))]
    )
    assert c.messages[0].attachments[0].filename == "passwd.pdf"


def test_data_request_letter_sets_the_agreed_date(app, session, clock, requester, officer, outbox):
    c = ask(session, clock, requester, kind=ConsultationKind.DATA_REQUEST)
    letter = svc.issue_data_letter(
        session,
        current_store(),
        c.id,
        actor=officer,
        data="Jumlah UMKM per kecamatan 2024",
        purpose="Skripsi",
        agreed_on=date(2026, 12, 4),
        terms="Data diolah dari SE2016",
        now=clock.now,
        settings=configured_settings(),
    )
    assert letter.number == "B-001/1700/PST.100/2026"
    assert c.agreed_due_on == date(2026, 12, 4) and c.deadline == date(2026, 12, 4)
    assert (
        c.letters == [letter]
        and letter.recipient == "Dewi Anggraini (Dinas Kesehatan Provinsi Bengkulu)"
    )
    mailed = body(mails(outbox, requester.email)[-1])
    assert letter.number in mailed
    # The agreed day is written in the requester's language (English here), not ISO.
    assert "2026-12-04" not in mailed and "ready by December 4, 2026." in mailed
    from advisory.errors import InvalidInput

    with pytest.raises(InvalidInput):
        svc.issue_data_letter(
            session,
            current_store(),
            c.id,
            actor=officer,
            data="x y z",
            purpose="",
            agreed_on=date(2026, 11, 1),
            terms="",
            now=clock.now,
            settings=configured_settings(),
        )


def test_faq_publish_and_search(app, session, clock, requester, officer):
    c = ask(session, clock, requester, subject="Cara menghitung angka kemiskinan")
    with pytest.raises(IllegalTransition):
        faq.publish(
            session, c.id, actor=officer, question="Bagaimana?", answer="Begini.", now=clock.now
        )
    svc.answer(
        session,
        current_store(),
        c.id,
        actor=officer,
        body="Garis kemiskinan ...",
        now=clock.now,
        settings=SETTINGS,
    )
    with pytest.raises(NotAllowed):
        faq.publish(
            session, c.id, actor=requester, question="Bagaimana?", answer="Begini.", now=clock.now
        )
    entry = faq.publish(
        session,
        c.id,
        actor=officer,
        question="Bagaimana BPS menghitung angka kemiskinan?",
        answer="BPS memakai pendekatan kebutuhan dasar (garis kemiskinan makanan dan nonmakanan).",
        topic="kemiskinan",
        now=clock.now,
    )
    assert faq.search_faq(session, "menghitung kemiskinan kabupaten") == [entry]
    assert faq.search_faq(session, "inflasi") == []
    with app.test_request_context():
        found = faq.suggest(session, "angka kemiskinan", now=utcnow())
    assert [s.kind for s in found] == ["faq"] and found[0].url == f"/advisory/faq/{entry.id}"
    faq.set_published(session, entry.id, False, actor=officer, now=clock.now)
    assert faq.search_faq(session, "kemiskinan") == []


def test_staff_queue_by_deadline(app, session, clock, requester, officer, officer2):
    late = ask(session, clock, requester, subject="Pertama")
    clock.advance(days=1)
    soon = ask(session, clock, requester, subject="Kedua")
    new = ask(session, clock, requester, subject="Ketiga")
    svc.assign(session, soon.id, officer_id=officer.id, actor=officer, now=clock.now)
    svc.assign(session, late.id, officer_id=officer.id, actor=officer2, now=clock.now)
    queue = svc.staff_queue(session, officer)
    assert [c.subject for c in queue.mine] == ["Pertama", "Kedua"]
    assert [c.subject for c in queue.unassigned] == ["Ketiga"]
    assert svc.staff_queue(session, officer2).others == queue.mine
    assert new.due_on > late.due_on

"""Service records (walk-in and from events, corrections with an audit trail) and the
guest book (finding returning visitors, signing in new ones, the 10-minute measure)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from deskkit import recipients, served_record
from factories import profile
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit import AuditEvent
from app.events import ServiceEvent, send_service_given
from desk import dashboard, guestbook, records
from desk.errors import OutsideHours, VisitorNotFound
from desk.models import (
    Channel,
    GuestVisit,
    Outcome,
    Purpose,
    RecordChannel,
    ServiceRecord,
    ServiceType,
)


def _event(user_id, clock, **kw):
    values = {
        "service": "library",
        "user_id": user_id,
        "started_at": clock.now - timedelta(minutes=1),
        "ended_at": clock.now,
        "products": ["Statistik Daerah 2025"],
        "source": "library.download",
        "source_ref": "42",
    }
    values.update(kw)
    return ServiceEvent(**values)


def _count(session):
    return session.scalar(select(func.count()).select_from(ServiceRecord))


# --- records from events ------------------------------------------------------------------


def test_an_online_service_event_is_recorded_in_the_senders_transaction(
    db, session, clock, visitor
):
    send_service_given(session, _event(visitor.id, clock))
    # The receiver added the record to the sender's transaction and committed nothing.
    assert _count(session) == 1
    with db.engine.connect() as other:
        assert other.scalar(select(func.count()).select_from(ServiceRecord)) == 0
    session.commit()
    record = session.scalar(select(ServiceRecord))
    assert record.channel == RecordChannel.ONLINE and record.user_id == visitor.id
    assert record.product_list == ["Statistik Daerah 2025"]
    assert record.source == "library.download" and record.source_ref == "42"
    assert record.rating_token and record.rating is None


def test_a_rolled_back_service_leaves_no_record(session, clock, visitor):
    send_service_given(session, _event(visitor.id, clock))
    session.rollback()
    assert _count(session) == 0


def test_a_resent_event_is_recorded_once(session, clock, visitor):
    send_service_given(session, _event(visitor.id, clock))
    send_service_given(session, _event(visitor.id, clock))  # same transaction
    session.commit()
    send_service_given(session, _event(visitor.id, clock))  # a later one
    session.commit()
    assert _count(session) == 1
    send_service_given(session, _event(visitor.id, clock, source_ref="43", outcome="odd-value"))
    session.commit()
    assert _count(session) == 2
    assert (
        session.scalar(select(ServiceRecord).where(ServiceRecord.source_ref == "43")).outcome
        == Outcome.SERVED
    )


def test_unknown_services_are_ignored(session, clock, visitor):
    send_service_given(session, _event(visitor.id, clock, service="catering"))
    session.commit()
    assert _count(session) == 0


# --- search and correction --------------------------------------------------------------


def test_search_and_correct_a_record_with_an_audit_trail(
    session, clock, officer, officer2, visitor
):
    record = served_record(session, officer, clock, user_id=visitor.id)
    send_service_given(session, _event(visitor.id, clock, service="sales", source_ref="7"))
    session.commit()
    found = records.search_records(session, q="anggraini")
    assert found.total == 2
    assert records.search_records(session, q="Dewi", service=ServiceType.SALES).total == 1
    assert records.search_records(session, channel=RecordChannel.WALK_IN).rows[0].id == record.id
    assert (
        records.search_records(session, date_from=clock.now.date() + timedelta(days=1)).total == 0
    )

    changes = {
        "outcome": Outcome.NOT_AVAILABLE,
        "products": ["Tabel A", "Tabel B"],
        "note": "Data belum rilis",
        "service": ServiceType.CONSULTATION,
    }
    records.correct_record(session, record.id, changes, actor_id=officer2.id)
    session.refresh(record)
    assert record.outcome == Outcome.NOT_AVAILABLE and record.product_list == ["Tabel A", "Tabel B"]
    trail = records.record_trail(session, record.id)
    assert (
        len(trail) == 1
        and trail[0].actor_id == officer2.id
        and trail[0].action == "desk.record_corrected"
    )
    detail = json.loads(trail[0].detail)
    assert detail["outcome"] == ["served", "not_available"]
    assert detail["service"] == ["library", "consultation"]
    # Saving without a change leaves no event.
    records.correct_record(session, record.id, {"note": "Data belum rilis"}, actor_id=officer2.id)
    assert (
        session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "desk.record_corrected")
        )
        == 1
    )


def test_a_correction_cannot_end_before_it_starts(session, clock, officer):
    from desk.errors import DeskError

    record = served_record(session, officer, clock)
    with pytest.raises(DeskError):
        records.correct_record(
            session,
            record.id,
            {"ended_at": record.started_at - timedelta(minutes=1)},
            actor_id=officer.id,
        )


# --- the guest book -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "1771012345678901",
        "1771 0123 4567 8901",
        "dewi@example.org",
        " DEWI@Example.org ",
        "081234567890",
        "0812-3456-7890",
        "+62 812 3456 7890",
        "62812 3456 7890",
    ],
)
def test_returning_visitors_are_found_by_id_phone_or_email(session, visitor, key):
    assert guestbook.lookup(session, key).id == visitor.id


@pytest.mark.parametrize("key", ["", "0812", "nobody@example.org", "9999999999999999", "x" * 300])
def test_unknown_keys_find_nobody(session, visitor, key):
    assert guestbook.lookup(session, key) is None


def test_names_are_masked():
    assert guestbook.mask_name("Dewi Anggraini") == "D. A."
    assert guestbook.mask_name("Al") == "A."
    assert guestbook.mask_name("") == "***"


def test_sign_in_a_returning_visitor(session, clock, visitor):
    opened = clock.now
    clock.advance(minutes=3)
    signed = guestbook.sign_in(
        session, now=clock.now, opened_at=opened, channel=Channel.KIOSK,
        services=["sales", "library"], purpose=Purpose.RESEARCH, user_id=visitor.id,
    )  # fmt: skip
    visit, ticket = signed.visit, signed.ticket
    assert visit.is_returning and visit.service_list == [ServiceType.LIBRARY, ServiceType.SALES]
    assert ticket.number == "A-001" and ticket.visit_id == visit.id and ticket.user_id == visitor.id
    assert visit.signing_seconds == 180


def test_sign_in_a_new_visitor_creates_the_profile(session, clock, outbox):
    data = profile(full_name="Rudi Hartono", id_number="1771099999999999")
    signed = guestbook.sign_in(
        session, now=clock.now, opened_at=clock.now - timedelta(minutes=12), channel=Channel.KIOSK,
        services=["consultation"], purpose=Purpose.STUDY, profile=data, email="Rudi@Example.org",
    )  # fmt: skip
    visit, ticket = signed.visit, signed.ticket
    person = session.get(User, visit.user_id)
    assert person.full_name == "Rudi Hartono" and not person.email_verified
    assert person.id_number == "1771099999999999" and not person.has_password
    # The address typed at the kiosk waits for its owner's confirmation.
    assert person.email is None and signed.email_to_confirm == "rudi@example.org"
    assert recipients(outbox) == ["rudi@example.org"]
    assert not visit.is_returning and ticket.number == "C-001"
    assert visit.signing_seconds == 12 * 60
    # Next time the same visitor is found.
    assert guestbook.lookup(session, "1771099999999999").id == person.id


def test_a_new_form_for_a_known_visitor_reuses_the_account_without_overwriting(
    session, clock, visitor
):
    """At the reception (a receptionist saw the identity card)."""
    data = profile(full_name="Someone Else", id_number=visitor.id_number, phone="0800000000")
    visit = guestbook.sign_in(
        session, now=clock.now, opened_at=None, channel=Channel.RECEPTION, services=["library"],
        purpose=Purpose.OTHER, profile=data, email="other@example.org", staff=True,
    ).visit  # fmt: skip
    assert visit.user_id == visitor.id and visit.is_returning
    session.refresh(visitor)
    assert visitor.full_name == "Dewi Anggraini" and visitor.phone == "0812 3456 7890"
    assert session.scalar(select(func.count()).select_from(User)) == 1


def test_sign_in_outside_hours_leaves_nothing_behind(session, clock, visitor):
    clock.set(2026, 11, 25, 18, 0)
    with pytest.raises(OutsideHours):
        guestbook.sign_in(
            session,
            now=clock.now,
            opened_at=None,
            channel=Channel.KIOSK,
            services=["library"],
            purpose=Purpose.OTHER,
            user_id=visitor.id,
        )
    assert session.scalar(select(func.count()).select_from(GuestVisit)) == 0
    ticket = guestbook.sign_in(
        session,
        now=clock.now,
        opened_at=None,
        channel=Channel.RECEPTION,
        services=["library"],
        purpose=Purpose.OTHER,
        user_id=visitor.id,
        staff=True,
    ).ticket
    assert ticket.number == "A-001"


def test_sign_in_an_unknown_user(session, clock):
    with pytest.raises(VisitorNotFound):
        guestbook.sign_in(
            session,
            now=clock.now,
            opened_at=None,
            channel=Channel.KIOSK,
            services=["library"],
            purpose=Purpose.OTHER,
            user_id=999,
        )


# --- one service, one record --------------------------------------------------------------


def _serving(session, officer, clock, visitor, service=ServiceType.LIBRARY):
    from desk import queue

    ticket = queue.take_ticket(
        session, service=service, now=clock.now, channel=Channel.KIOSK, user_id=visitor.id
    )
    queue.call_next(session, services=[service], officer_id=officer.id, desk="1", now=clock.now)
    queue.start(session, ticket.id, officer_id=officer.id, now=clock.now)
    return ticket


def test_twenty_events_of_one_service_make_one_record(session, clock, visitor):
    first = clock.now
    for n in range(20):
        clock.advance(minutes=1)
        recorded = send_service_given(
            session,
            _event(visitor.id, clock, source_ref=str(n), ref="library-download:1:2:2026-11-25"),
        )
        session.commit()
        assert recorded.created == (n == 0)
    (record,) = session.scalars(select(ServiceRecord)).all()
    assert record.service_key == "library-download:1:2:2026-11-25"
    assert record.started_at == first and record.ended_at == clock.now  # earliest, latest
    assert record.product_list == ["Statistik Daerah 2025"]  # not twenty times
    assert records.unrated_count(session, visitor.id) == 1
    # The dashboard counts services, not events.
    day = record.service_day
    assert dashboard.services_given(session, day, day) == [("library", "online", 1)]


def test_a_follow_on_joins_the_desk_record_in_either_order(session, clock, officer, visitor):
    from app.events import desk_ticket_ref
    from desk import queue

    ticket = _serving(session, officer, clock, visitor, ServiceType.SALES)
    # An order paid while the visitor is still at the desk: its event comes first ...
    send_service_given(
        session,
        _event(
            visitor.id,
            clock,
            service="sales",
            source="store.order",
            source_ref="B-1",
            ref="store-order:9",
            belongs_to=desk_ticket_ref(ticket.id),
            products=["Peta Wilkerstat"],
        ),
    )
    session.commit()
    clock.advance(minutes=5)
    # ... then the officer finishes the number: the desk's facts take the record over.
    record = queue.finish(
        session, ticket.id, officer_id=officer.id, now=clock.now, products=["Konsultasi harga"]
    )
    # Later, the download of what was bought names the order: the same record again.
    clock.advance(days=1)
    send_service_given(
        session, _event(visitor.id, clock, source_ref="77", belongs_to="store-order:9")
    )
    session.commit()
    (only,) = session.scalars(select(ServiceRecord)).all()
    assert only.id == record.id and only.ticket_id == ticket.id
    assert only.service == ServiceType.SALES and only.channel == RecordChannel.WALK_IN
    assert only.officer_id == officer.id and only.ended_at == clock.now
    assert set(only.product_list) == {
        "Konsultasi harga",
        "Peta Wilkerstat",
        "Statistik Daerah 2025",
    }


def test_a_service_begun_at_the_desk_is_linked_to_the_number(session, clock, officer, visitor):
    from app.events import ServiceStart, send_service_begun

    ticket = _serving(session, officer, clock, visitor)
    start = ServiceStart(ref="library-reading:5", user_id=visitor.id, officer_id=officer.id)
    assert send_service_begun(session, start) == f"desk-ticket:{ticket.id}"
    # Someone else's visitor, or nobody served: no link.
    other = ServiceStart(ref="library-reading:6", user_id=visitor.id, officer_id=None)
    assert send_service_begun(session, other) is None
    session.commit()
    recorded = send_service_given(
        session, _event(visitor.id, clock, source="library.reading", ref="library-reading:5")
    )
    session.commit()
    assert recorded.key == f"desk-ticket:{ticket.id}"


def test_one_rating_invitation_per_record(session, clock, officer, visitor, outbox):
    ticket = _serving(session, officer, clock, visitor, ServiceType.CONSULTATION)
    from desk import queue

    queue.finish(session, ticket.id, officer_id=officer.id, now=clock.now)  # mailed
    invited = list(outbox.messages())
    from app.events import desk_ticket_ref

    recorded = send_service_given(
        session,
        _event(
            visitor.id,
            clock,
            service="consultation",
            ref="advisory-consultation:3",
            belongs_to=desk_ticket_ref(ticket.id),
            invite=True,
        ),
    )
    assert recorded is not None and not recorded.created and not recorded.invite
    assert len(list(outbox.messages())) == len(invited)
    fresh = send_service_given(
        session, _event(visitor.id, clock, ref="advisory-consultation:4", invite=True)
    )
    again = send_service_given(
        session, _event(visitor.id, clock, ref="advisory-consultation:4", invite=True)
    )
    assert fresh.invite and not again.invite


def test_a_record_made_before_its_service_was_known_joins_it(session, clock, officer, visitor):
    """An order made at the desk: the bought PDF is downloaded (and rated) before the
    order is fulfilled, so its record is made under the order; the order's event then
    names the desk number, and the two records become one, keeping the rating."""
    from app.events import desk_ticket_ref
    from desk import ikm, queue
    from desk.models import ELEMENTS, Rating

    ticket = _serving(session, officer, clock, visitor, ServiceType.SALES)
    desk_record = queue.finish(session, ticket.id, officer_id=officer.id, now=clock.now)
    clock.advance(minutes=10)
    send_service_given(
        session, _event(visitor.id, clock, source_ref="5", belongs_to="store-order:9")
    )
    session.commit()
    early = session.scalar(
        select(ServiceRecord).where(ServiceRecord.service_key == "store-order:9")
    )
    ikm.submit_rating(
        session,
        record=early,
        scores=dict.fromkeys(ELEMENTS, 3),
        comment="",
        channel=Channel.ONLINE,
        opened_at=None,
        now=clock.now,
    )
    clock.advance(days=1)
    send_service_given(
        session,
        _event(
            visitor.id,
            clock,
            service="sales",
            source="store.order",
            source_ref="B-9",
            ref="store-order:9",
            belongs_to=desk_ticket_ref(ticket.id),
        ),
    )
    session.commit()
    send_service_given(  # a later download of it: the same service again
        session, _event(visitor.id, clock, source_ref="6", belongs_to="store-order:9")
    )
    session.commit()
    (record,) = session.scalars(select(ServiceRecord)).all()
    assert record.id == desk_record.id and record.ended_at == clock.now
    assert session.scalar(select(Rating.record_id)) == desk_record.id


def test_a_correction_that_leaves_the_times_alone_keeps_their_seconds(
    session, clock, officer, officer2, visitor
):
    clock.advance(seconds=37)
    record = served_record(session, officer, clock, user_id=visitor.id)
    started, ended = record.started_at, record.ended_at
    assert started.second == 37
    # The form sends the times as it shows them: to the minute.
    changes = {
        "started_at": started.replace(second=0, microsecond=0),
        "ended_at": ended.replace(second=0, microsecond=0),
        "note": "Dikoreksi",
    }
    records.correct_record(session, record.id, changes, actor_id=officer2.id)
    session.refresh(record)
    assert (record.started_at, record.ended_at) == (started, ended)
    (event,) = records.record_trail(session, record.id)
    assert set(json.loads(event.detail)) == {"note"}


def test_invitations_and_links_are_stamped_with_the_office_clock(session, clock, officer, visitor):
    """The receivers take the moment from the event or the app's clock (the configured
    one), not the machine's wall clock."""
    from app.events import ServiceStart, send_service_begun
    from desk.models import ServiceLink

    recorded = send_service_given(
        session, _event(visitor.id, clock, ref="advisory-consultation:4", invite=True)
    )
    session.commit()
    record = session.scalar(select(ServiceRecord))
    assert recorded.invite and record.invited_at == clock.now
    _serving(session, officer, clock, visitor)
    clock.advance(minutes=5)
    # No time on the start: the app's clock.
    start = ServiceStart(ref="library-reading:5", user_id=visitor.id, officer_id=officer.id)
    assert send_service_begun(session, start) is not None
    session.commit()
    assert session.get(ServiceLink, "library-reading:5").created_at == clock.now

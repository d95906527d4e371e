"""Holdings and reading-room requests as services: copies, the state machine, the queue."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from factories import user
from sqlalchemy import select

from app.accounts.models import Role
from app.audit import AuditEvent
from app.db import utcnow
from library import holdings
from library.errors import (
    AccessDenied,
    AlreadyRequested,
    DuplicateHolding,
    IllegalTransition,
    RecordNotFound,
)
from library.models import HoldingLocation, HoldingStatus, ReadingStatus


def _copy(session, publication, officer, number, **fields):
    return holdings.add_holding(
        session, publication.id, inventory_no=number, actor_id=officer.id, **fields
    )


def _actions(session):
    return [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_add_and_edit_copies_and_availability(session, publication, officer):
    shelf = _copy(session, publication, officer, "INV-001", location="display", shelf="R1")
    _copy(session, publication, officer, "INV-002", barcode="8990001")
    _copy(session, publication, officer, "INV-003", status="missing")
    assert holdings.availability(session, publication.id) == holdings.Availability(
        display=1, storage=1, in_use=0
    )
    holdings.update_holding(
        session,
        shelf.id,
        {"location": "storage", "shelf": " Gudang  B ", "note": "sampul robek"},
        actor_id=officer.id,
    )
    assert (shelf.location, shelf.shelf, shelf.note) == (
        HoldingLocation.STORAGE,
        "Gudang B",
        "sampul robek",
    )
    assert holdings.availability(session, publication.id).storage == 2
    assert [h.inventory_no for h in holdings.list_holdings(session, publication.id)] == [
        "INV-001",
        "INV-002",
        "INV-003",
    ]
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "holding.updated"))
    (event,) = events
    assert event.actor_id == officer.id
    assert json.loads(event.detail)["fields"] == ["location", "shelf", "note"]


def test_inventory_number_and_barcode_are_unique(session, publication, officer):
    first = _copy(session, publication, officer, "INV-001", barcode="8990001")
    other = _copy(session, publication, officer, "INV-002")
    with pytest.raises(DuplicateHolding):
        _copy(session, publication, officer, "inv-001")  # case does not make a new number
    with pytest.raises(DuplicateHolding):
        _copy(session, publication, officer, "INV-009", barcode="8990001")
    with pytest.raises(DuplicateHolding):
        holdings.update_holding(session, other.id, {"inventory_no": "INV-001"}, actor_id=1)
    # Saving a copy with its own numbers is not a clash.
    holdings.update_holding(
        session, first.id, {"inventory_no": "INV-001", "barcode": "8990001"}, actor_id=officer.id
    )
    assert len(holdings.list_holdings(session, publication.id)) == 2


def test_reading_request_lifecycle_and_copy_status(session, publication, officer, reader):
    storage = _copy(session, publication, officer, "INV-001")
    shelf = _copy(session, publication, officer, "INV-002", location="display")
    t0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)

    request = holdings.request_reading(session, publication.id, reader=reader, now=t0)
    assert request.status == ReadingStatus.REQUESTED
    assert request.created_by_id == reader.id

    # Without a choice the shelf copy is taken before the storage room.
    holdings.mark_ready(session, request.id, actor_id=officer.id, now=t0 + timedelta(minutes=5))
    assert request.status == ReadingStatus.READY
    assert request.holding_id == shelf.id and request.handled_by_id == officer.id
    assert shelf.status == HoldingStatus.IN_USE and storage.status == HoldingStatus.AVAILABLE
    assert holdings.availability(session, publication.id) == holdings.Availability(0, 1, 1)

    holdings.mark_returned(session, request.id, actor_id=officer.id, now=t0 + timedelta(hours=1))
    assert request.status == ReadingStatus.RETURNED
    assert request.closed_at == t0 + timedelta(hours=1)
    assert shelf.status == HoldingStatus.AVAILABLE
    assert _actions(session)[-3:] == ["reading.requested", "reading.ready", "reading.returned"]


def test_officer_chooses_the_copy(session, publication, officer, reader):
    _copy(session, publication, officer, "INV-001", location="display")
    chosen = _copy(session, publication, officer, "INV-002")
    request = holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    holdings.mark_ready(
        session, request.id, actor_id=officer.id, holding_id=chosen.id, now=utcnow()
    )
    assert request.holding_id == chosen.id and chosen.status == HoldingStatus.IN_USE


def test_illegal_transitions(session, publication, officer, reader):
    copy = _copy(session, publication, officer, "INV-001")
    request = holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    with pytest.raises(IllegalTransition):
        holdings.mark_returned(session, request.id, actor_id=officer.id, now=utcnow())
    holdings.mark_ready(session, request.id, actor_id=officer.id, now=utcnow())
    with pytest.raises(IllegalTransition):
        holdings.mark_ready(session, request.id, actor_id=officer.id, now=utcnow())
    holdings.mark_returned(session, request.id, actor_id=officer.id, now=utcnow())
    for action in (
        lambda: holdings.mark_ready(session, request.id, actor_id=officer.id, now=utcnow()),
        lambda: holdings.mark_returned(session, request.id, actor_id=officer.id, now=utcnow()),
        lambda: holdings.cancel_reading(session, request.id, actor=officer, now=utcnow()),
    ):
        with pytest.raises(IllegalTransition):
            action()
    session.refresh(request)
    session.refresh(copy)
    assert request.status == ReadingStatus.RETURNED and copy.status == HoldingStatus.AVAILABLE


def test_a_copy_in_use_cannot_be_handed_out_or_changed_by_hand(
    session, publication, officer, reader
):
    copy = _copy(session, publication, officer, "INV-001")
    first = holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    holdings.mark_ready(session, first.id, actor_id=officer.id, holding_id=copy.id, now=utcnow())
    second = holdings.request_reading(session, publication.id, reader=user(session), now=utcnow())
    with pytest.raises(IllegalTransition):
        holdings.mark_ready(
            session, second.id, actor_id=officer.id, holding_id=copy.id, now=utcnow()
        )
    with pytest.raises(RecordNotFound):  # no other copy is free
        holdings.mark_ready(session, second.id, actor_id=officer.id, now=utcnow())
    session.refresh(second)
    assert second.status == ReadingStatus.REQUESTED and second.holding_id is None
    with pytest.raises(IllegalTransition):
        holdings.update_holding(session, copy.id, {"status": "missing"}, actor_id=officer.id)
    free = _copy(session, publication, officer, "INV-002")
    with pytest.raises(IllegalTransition):
        holdings.update_holding(session, free.id, {"status": "in_use"}, actor_id=officer.id)
    # Other fields of a copy in use may still change.
    holdings.update_holding(
        session, copy.id, {"status": "in_use", "shelf": "Meja 2"}, actor_id=officer.id
    )
    assert copy.shelf == "Meja 2" and copy.status == HoldingStatus.IN_USE


def test_a_copy_of_another_publication_is_refused(
    session, publication, officer, reader, make_publication
):
    other = make_publication()
    _copy(session, publication, officer, "INV-001")
    foreign = _copy(session, other, officer, "INV-900")
    request = holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    with pytest.raises(RecordNotFound):
        holdings.mark_ready(
            session, request.id, actor_id=officer.id, holding_id=foreign.id, now=utcnow()
        )
    assert foreign.status == HoldingStatus.AVAILABLE


def test_one_open_request_per_reader_and_publication(session, publication, officer, reader):
    _copy(session, publication, officer, "INV-001")
    first = holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    with pytest.raises(AlreadyRequested):
        holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    with pytest.raises(AlreadyRequested):
        holdings.request_for_walk_in(
            session, publication.id, email=reader.email.upper(), actor=officer, now=utcnow()
        )
    # Another reader may ask; and once closed, the same reader may ask again.
    holdings.request_reading(session, publication.id, reader=user(session), now=utcnow())
    holdings.cancel_reading(session, first.id, actor=reader, now=utcnow())
    again = holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    assert again.id != first.id
    assert holdings.open_request_for(session, publication.id, reader.id).id == again.id


def test_no_usable_copy_no_request(session, publication, officer, reader):
    with pytest.raises(RecordNotFound):
        holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    _copy(session, publication, officer, "INV-001", status="withdrawn")
    with pytest.raises(RecordNotFound):
        holdings.request_reading(session, publication.id, reader=reader, now=utcnow())


def test_cancel_by_reader_and_officer_releases_the_copy(session, publication, officer, reader):
    copy = _copy(session, publication, officer, "INV-001")
    mine = holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    stranger = user(session)
    with pytest.raises(AccessDenied):
        holdings.cancel_reading(session, mine.id, actor=stranger, now=utcnow())
    holdings.mark_ready(session, mine.id, actor_id=officer.id, now=utcnow())
    holdings.cancel_reading(session, mine.id, actor=reader, now=utcnow())
    assert mine.status == ReadingStatus.CANCELLED and copy.status == HoldingStatus.AVAILABLE

    theirs = holdings.request_reading(session, publication.id, reader=stranger, now=utcnow())
    holdings.cancel_reading(session, theirs.id, actor=officer, now=utcnow())
    assert theirs.status == ReadingStatus.CANCELLED and theirs.handled_by_id == officer.id
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "reading.cancelled").order_by(AuditEvent.id)
    ).all()[-1]
    assert event.actor_id == officer.id and json.loads(event.detail)["by"] == "officer"


def test_walk_in_request_by_officer(session, publication, officer, reader):
    _copy(session, publication, officer, "INV-001")
    made = holdings.request_for_walk_in(
        session,
        publication.id,
        email=f"  {reader.email.upper()} ",
        actor=officer,
        note="meja 3",
        now=utcnow(),
    )
    assert made.user_id == reader.id and made.created_by_id == officer.id
    assert made.note == "meja 3"
    with pytest.raises(RecordNotFound):
        holdings.request_for_walk_in(
            session, publication.id, email="nobody@example.org", actor=officer, now=utcnow()
        )
    with pytest.raises(AccessDenied):  # a reader cannot ask on behalf of someone else
        holdings.request_for_walk_in(
            session, publication.id, email=officer.email, actor=reader, now=utcnow()
        )


def test_queue_is_open_requests_oldest_first(session, publication, officer):
    _copy(session, publication, officer, "INV-001")
    _copy(session, publication, officer, "INV-002")
    t0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
    readers = [user(session) for _ in range(3)]
    made = [
        holdings.request_reading(
            session, publication.id, reader=r, now=t0 + timedelta(minutes=10 * (3 - i))
        )
        for i, r in enumerate(readers)
    ]
    holdings.mark_ready(session, made[1].id, actor_id=officer.id, now=utcnow())
    holdings.cancel_reading(session, made[0].id, actor=readers[0], now=utcnow())
    rows, total = holdings.open_requests(session)
    assert total == 2
    assert [r.id for r in rows] == [made[2].id, made[1].id]
    assert holdings.available_copies_by_publication(session, [publication.id]) == {
        publication.id: holdings.available_copies(session, publication.id)
    }
    assert len(holdings.available_copies(session, publication.id)) == 1


def test_reader_sees_own_requests_only(session, publication, officer, reader):
    _copy(session, publication, officer, "INV-001")
    holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    holdings.request_reading(
        session, publication.id, reader=user(session, role=Role.USER), now=utcnow()
    )
    rows, total = holdings.reader_requests(session, reader.id)
    assert total == 1 and rows[0].user_id == reader.id


def test_a_copy_asked_for_at_the_desk_is_one_service_with_the_visit(
    session, publication, officer, reader
):
    """The desk visit and the reading-room return of the copy asked for during it are
    one service: one record, one rating."""
    from desk import queue
    from desk.models import Channel, ServiceRecord, ServiceType

    _copy(session, publication, officer, "INV-001")
    ticket = queue.take_ticket(
        session,
        service=ServiceType.LIBRARY,
        now=utcnow(),
        channel=Channel.KIOSK,
        user_id=reader.id,
        staff=True,
    )
    queue.call_next(
        session, services=[ServiceType.LIBRARY], officer_id=officer.id, desk="1", now=utcnow()
    )
    queue.start(session, ticket.id, officer_id=officer.id, now=utcnow())
    made = holdings.request_for_walk_in(
        session, publication.id, email=reader.email, actor=officer, now=utcnow()
    )
    queue.finish(
        session, ticket.id, officer_id=officer.id, now=utcnow(), products=["Buku tercetak"]
    )
    holdings.mark_ready(session, made.id, actor_id=officer.id, now=utcnow())
    holdings.mark_returned(session, made.id, actor_id=officer.id, now=utcnow())
    (record,) = session.scalars(select(ServiceRecord)).all()
    assert record.ticket_id == ticket.id and record.user_id == reader.id
    assert record.product_list == ["Buku tercetak", publication.title]
    assert record.ended_at == made.closed_at  # the service ended when the copy came back


def test_a_readers_own_request_is_a_service_of_its_own(session, publication, officer, reader):
    from desk.models import ServiceRecord

    _copy(session, publication, officer, "INV-001")
    made = holdings.request_reading(session, publication.id, reader=reader, now=utcnow())
    holdings.mark_ready(session, made.id, actor_id=officer.id, now=utcnow())
    holdings.mark_returned(session, made.id, actor_id=officer.id, now=utcnow())
    (record,) = session.scalars(select(ServiceRecord)).all()
    assert record.service_key == f"library-reading:{made.id}" and record.ticket_id is None

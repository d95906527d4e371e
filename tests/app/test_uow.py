"""The unit of work: one scope commits, nested scopes join, errors roll everything back."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import uow
from app.audit import AuditEvent, record


def _count(db: Any) -> int:
    # A separate connection sees only what is committed.
    with Session(db.engine) as other:
        return other.scalar(select(func.count()).select_from(AuditEvent)) or 0


@uow.transactional
def _add(session: Session, action: str) -> None:
    record(session, action, actor_id=None)


@uow.transactional
def _add_two_then_fail(session: Session) -> None:
    _add(session, "first")
    assert _count_in(session) == 1
    _add(session, "second")
    raise RuntimeError("boom")


def _count_in(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_a_service_on_its_own_commits(db: Any) -> None:
    _add(db.session(), "alone")
    assert _count(db) == 1


def test_nested_services_commit_once_at_the_end(db: Any) -> None:
    with uow.unit_of_work(db.session()) as session:
        _add(session, "one")
        _add(session, "two")
        assert uow.in_unit_of_work(session)
        assert _count(db) == 0  # nothing committed halfway
    assert not uow.in_unit_of_work(db.session())
    assert _count(db) == 2


def test_an_error_anywhere_rolls_back_every_step(db: Any) -> None:
    with pytest.raises(RuntimeError):
        _add_two_then_fail(db.session())
    assert _count(db) == 0
    assert not uow.in_unit_of_work(db.session())
    _add(db.session(), "after")  # the session is usable again
    assert _count(db) == 1


def test_a_savepoint_keeps_the_rest_of_the_transaction(db: Any) -> None:
    with uow.unit_of_work(db.session()) as session:
        _add(session, "kept")

        def fails_in_a_savepoint() -> None:
            with uow.unit_of_work(session, savepoint=True):
                _add(session, "dropped")
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            fails_in_a_savepoint()
    with Session(db.engine) as other:
        actions = other.scalars(select(AuditEvent.action)).all()
    assert actions == ["kept"]


def test_after_commit_work_waits_for_the_outer_scope(db: Any) -> None:
    ran: list[str] = []
    with uow.unit_of_work(db.session()) as session:
        _add(session, "one")
        uow.after_commit(session, lambda: ran.append("mail"))
        with uow.unit_of_work(session):
            uow.after_commit(session, lambda: ran.append("index"))
        assert ran == []
    assert ran == ["mail", "index"]


def test_after_commit_work_is_dropped_on_rollback(db: Any) -> None:
    ran: list[str] = []

    def fails() -> None:
        with uow.unit_of_work(db.session()) as session:
            uow.after_commit(session, lambda: ran.append("mail"))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fails()
    _add(db.session(), "later")
    assert ran == []


def test_a_failed_commit_rolls_back_and_leaves_the_session_usable(db: Any) -> None:
    with uow.unit_of_work(db.session()) as session:
        session.add(AuditEvent(id=10**6, action="first"))

    def clash() -> None:
        with uow.unit_of_work(db.session()) as session:
            # Not flushed until the commit, so the commit itself fails.
            session.add(AuditEvent(id=10**6, action="clash"))

    with pytest.raises(IntegrityError):
        clash()
    _add(db.session(), "after")
    assert _count(db) == 2


def test_end_read_refuses_unsaved_changes(db: Any) -> None:
    session = db.session()
    record(session, "pending", actor_id=None)
    with pytest.raises(RuntimeError):
        uow.end_read(session)
    uow.discard(session)
    assert _count(db) == 0

"""One transaction per service: a nested step (publishing the built-in SPPD text when none
was published) joins its caller's transaction instead of committing halfway through it,
which would keep half of a failed step and release the order's row lock early."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from storekit import SETTINGS, gated_order

from app.audit import AuditEvent
from app.db import utcnow
from store import orders, requirements
from store.errors import WrongState
from store.models import AgreementText, Order, OrderStatus


def _committed_texts(db: Any) -> int:
    # A separate connection sees only what is committed.
    with Session(db.engine) as other:
        return other.scalar(select(func.count()).select_from(AgreementText)) or 0


def _committed_publications(db: Any) -> int:
    with Session(db.engine) as other:
        query = select(func.count()).where(AuditEvent.action == "store.sppd_published")
        return other.scalar(query.select_from(AuditEvent)) or 0


def _no_text_published(session: Any) -> None:
    # Checking out may already have shown (and so published) the built-in text.
    session.execute(delete(AgreementText))
    session.execute(delete(AuditEvent).where(AuditEvent.action == "store.sppd_published"))
    session.commit()


def test_a_failed_acceptance_commits_no_agreement_text(db, session, buyer, susenas):
    order = gated_order(session, buyer, susenas)
    _no_text_published(session)
    assert _committed_texts(db) == 0
    with pytest.raises(WrongState):
        requirements.accept_agreement(
            session, order, actor_id=buyer.id, text_sha256="0" * 64, now=utcnow()
        )
    assert _committed_texts(db) == 0
    assert _committed_publications(db) == 0
    # The built-in text is published for good once a caller's transaction commits.
    sha = requirements.current_agreement(session).sha256
    assert _committed_texts(db) == 1
    requirements.accept_agreement(session, order, actor_id=buyer.id, text_sha256=sha, now=utcnow())
    assert _committed_texts(db) == 1


def test_a_refused_review_commits_no_agreement_text(db, session, buyer, officer, susenas):
    order = gated_order(session, buyer, susenas)
    _no_text_published(session)
    # An order under review with no SPPD text published yet (data from before the gate).
    orders.move(session, order, OrderStatus.UNDER_REVIEW, actor_id=buyer.id, now=utcnow())
    session.commit()
    with pytest.raises(WrongState):
        orders.review(session, order, "approve", actor=officer, settings=SETTINGS, now=utcnow())
    assert _committed_texts(db) == 0
    assert _committed_publications(db) == 0


@pytest.mark.postgres
def test_the_order_stays_locked_while_the_agreement_is_accepted(
    db, session, buyer, susenas, database_url, monkeypatch
):
    if not database_url.startswith("postgres"):
        pytest.skip("needs PostgreSQL (PST_TEST_DATABASE_URL)")
    order = gated_order(session, buyer, susenas)
    _no_text_published(session)
    order_id = order.id
    seen: list[str] = []
    log_event = requirements.log_event

    def probe(*args: Any, **kwargs: Any) -> Any:
        # Runs after current_agreement() inside accept_agreement(): the row lock taken
        # at its start must still be held. FOR NO KEY UPDATE conflicts with that lock
        # (FOR UPDATE) but not with the key-share lock a new acceptance row takes.
        with db.engine.connect() as other:
            try:
                query = select(Order.id).where(Order.id == order_id)
                other.execute(query.with_for_update(nowait=True, key_share=True))
                seen.append("free")
            except OperationalError:
                seen.append("locked")
            other.rollback()
        return log_event(*args, **kwargs)

    monkeypatch.setattr(requirements, "log_event", probe)
    sha = requirements.text_hash(requirements.DEFAULT_SPPD_TITLE, requirements.DEFAULT_SPPD)
    requirements.accept_agreement(session, order, actor_id=buyer.id, text_sha256=sha, now=utcnow())
    assert seen == ["locked"]
    assert _committed_texts(db) == 1

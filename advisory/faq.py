"""Search first (SOP-1-03 online step 3), and the FAQ officers publish.

As a person types a question, :func:`suggest` offers matching publications from the
catalogue's search index and published answers (FAQ entries). An officer turns an
answered consultation into an FAQ entry (:func:`publish`), editing the question and
the answer so that nothing personal is published.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from advisory.errors import (
    ConsultationNotFound,
    FaqNotFound,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
)
from advisory.models import Consultation, ConsultationStatus, FaqEntry
from advisory.text import words
from app import audit
from app.accounts.models import Role, User
from app.uow import transactional

log = logging.getLogger(__name__)


def _officer(actor: User) -> None:
    if not actor.has_role(Role.OFFICER, Role.HEAD):
        raise NotAllowed()


def search_faq(session: Session, q: str, *, limit: int = 5) -> list[FaqEntry]:
    """Published entries sharing words with ``q``, best first (question words count double)."""
    wanted = words(q)
    if not wanted:
        return []
    likes = []
    for word in sorted(wanted, key=len, reverse=True)[:8]:
        pattern = f"%{word}%"
        likes += [
            FaqEntry.question.ilike(pattern),
            FaqEntry.answer.ilike(pattern),
            FaqEntry.topic.ilike(pattern),
        ]
    rows = session.scalars(select(FaqEntry).where(FaqEntry.published, or_(*likes)).limit(300)).all()
    scored = []
    for entry in rows:
        score = 2 * len(wanted & words(entry.question)) + len(
            wanted & words(entry.answer + " " + entry.topic)
        )
        if score:
            scored.append((score, entry.id, entry))
    scored.sort(key=lambda t: (-t[0], -t[1]))
    return [entry for _s, _i, entry in scored[:limit]]


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    kind: str  # publication | faq
    snippet: str = ""


def suggest(session: Session, q: str, *, now: datetime, limit: int = 5) -> list[Suggestion]:
    """Publications the public may see at ``now`` and published answers matching ``q``
    (never raises for a bad query)."""
    from flask import url_for

    q = (q or "").strip()[:300]
    if len(q) < 3:
        return []
    found: list[Suggestion] = []
    for entry in search_faq(session, q, limit=limit):
        found.append(
            Suggestion(
                entry.question,
                url_for("advisory.faq_entry", faq_id=entry.id),
                "faq",
                entry.answer[:200],
            )
        )
    try:
        from catalog.indexing import public_search
        from catalog.search import SearchError

        try:
            results = public_search(session, now, q, page=1, per_page=limit, facets=False)
        except SearchError:
            results = None
    except ImportError:  # pragma: no cover - the catalogue is part of every app
        results = None
    if results is not None:
        from catalog.models import Publication
        from catalog.visibility import public_clause

        ids = [h.pub_id for h in results.hits]
        titles = {
            p.id: p.title
            for p in session.scalars(
                select(Publication).where(Publication.id.in_(ids), public_clause(now))
            )
        }
        for hit in results.hits:
            if hit.pub_id in titles:
                found.append(
                    Suggestion(
                        titles[hit.pub_id],
                        url_for("catalog.publication", pub_id=hit.pub_id),
                        "publication",
                    )
                )
    return found


def published(session: Session, *, limit: int = 100) -> list[FaqEntry]:
    return list(
        session.scalars(
            select(FaqEntry)
            .where(FaqEntry.published)
            .order_by(FaqEntry.updated_at.desc())
            .limit(limit)
        )
    )


def get_entry(session: Session, faq_id: int, *, staff: bool = False) -> FaqEntry:
    entry = session.get(FaqEntry, faq_id)
    if entry is None or (not entry.published and not staff):
        raise FaqNotFound()
    return entry


@transactional
def publish(
    session: Session,
    consultation_id: int,
    *,
    actor: User,
    question: str,
    answer: str,
    topic: str = "",
    now: datetime,
) -> FaqEntry:
    """Publish an answered consultation as an FAQ entry (edited by the officer)."""
    _officer(actor)
    c = session.get(Consultation, consultation_id, with_for_update=True)
    if c is None:
        raise ConsultationNotFound()
    if c.status not in (ConsultationStatus.ANSWERED, ConsultationStatus.CLOSED):
        raise IllegalTransition(c.status.value, _l("published"))
    question, answer = question.strip()[:300], answer.strip()[:20_000]
    if len(question) < 5 or len(answer) < 5:
        raise InvalidInput(_l("Write the question and the answer to publish."))
    entry = FaqEntry(
        question=question,
        answer=answer,
        topic=topic.strip()[:120] or c.topic,
        consultation_id=c.id,
        published=True,
        published_by_id=actor.id,
        created_at=now,
        updated_at=now,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        "advisory.faq_published",
        actor_id=actor.id,
        subject_type="advisory_faq",
        subject_id=entry.id,
        detail={"consultation": c.id},
        at=now,
    )
    return entry


@transactional
def set_published(
    session: Session, faq_id: int, published_: bool, *, actor: User, now: datetime
) -> FaqEntry:
    """Withdraw an entry from the public FAQ, or publish it again."""
    _officer(actor)
    entry = session.get(FaqEntry, faq_id, with_for_update=True)
    if entry is None:
        raise FaqNotFound()
    if entry.published != published_:
        entry.published = published_
        entry.updated_at = now
        audit.record(
            session,
            "advisory.faq_published" if published_ else "advisory.faq_withdrawn",
            actor_id=actor.id,
            subject_type="advisory_faq",
            subject_id=entry.id,
            at=now,
        )
    return entry


def entries_of(session: Session, consultation_id: int) -> list[FaqEntry]:
    return list(
        session.scalars(select(FaqEntry).where(FaqEntry.consultation_id == consultation_id))
    )

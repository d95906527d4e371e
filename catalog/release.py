"""Scheduled releases (BPS's advance release calendar, "Rencana Terbit").

A publication may be ingested before its release: its moment is its release date at
``CATALOG_RELEASE_TIME`` WIB (11:00, when BPS releases), or at the time of day staff
set for it (``Publication.release_time``). Until then it is under embargo and
:mod:`catalog.visibility` hides it from every public channel; at the moment the same
predicate shows it, whatever any job did. :func:`release_due`, run every minute by the
sweeper, then does the follow-up work: refresh the publication in the search index
(and the cached pages with it), record the release in the audit log, and tell other
features through ``app.events.publication_released``.

The moment is kept in step by a flush hook (``catalog.wiring``, which reads the setting
and the clock): whichever way a publication gets or changes its release date (upload,
API, BPS import, scanning, the edit form), :func:`schedule` sets ``release_at``, with no
caller having to remember it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app import audit, events
from app.i18n import WIB
from app.pagination import Paging, paging
from catalog.models import Publication, Status, Subject

#: When BPS releases, unless configured otherwise (CATALOG_RELEASE_TIME).
DEFAULT_RELEASE_TIME = time(11, 0)


def parse_release_time(raw: object) -> time:
    """``HH:MM`` (24-hour, WIB) as a time; ``ValueError`` when it is not one."""
    text = str(raw).strip()
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    return time(int(hours), int(minutes))


def release_moment(day: date | None, at: time) -> datetime | None:
    """The instant (UTC) of ``day`` at ``at`` WIB; ``None`` without a day."""
    if day is None:
        return None
    return datetime.combine(day, at, tzinfo=WIB).astimezone(UTC)


def schedule(publication: Publication, default_time: time, now: datetime) -> None:
    """Set ``publication``'s moment from its date and time; pending when still to come
    (or when it was, so that a moment moved into the past still gets its follow-up)."""
    moment = release_moment(publication.release_date, publication.release_time or default_time)
    publication.release_at = moment
    publication.release_pending = bool(
        moment is not None and (moment > now or publication.release_pending)
    )


# --- after the moment ---------------------------------------------------------------


def release_due(session: Session, now: datetime) -> list[int]:
    """Do the after-release work of every publication whose moment has come; the ids.

    Each publication is taken with a conditional UPDATE, so sweepers of several
    processes release it once. Visibility never waits for this (it reads ``now``)."""
    from catalog.services import enqueue_index  # services import this module's hook

    due = session.scalars(
        select(Publication.id)
        .where(Publication.release_pending.is_(True), Publication.release_at <= now)
        .order_by(Publication.release_at, Publication.id)
    ).all()
    released: list[int] = []
    for pub_id in due:
        taken = session.execute(
            update(Publication)
            .where(
                Publication.id == pub_id,
                Publication.release_pending.is_(True),
                Publication.release_at <= now,
            )
            .values(release_pending=False)
            .execution_options(synchronize_session=False)
        )
        if not getattr(taken, "rowcount", 0):
            continue  # another sweeper released it
        released.append(pub_id)
        audit.record(
            session,
            "publication.released",
            actor_id=None,
            subject_type="publication",
            subject_id=pub_id,
            at=now,
        )
    if released:
        enqueue_index(session, released)
        events.publication_released.send(None, session=session, publication_ids=released)
    return released


# --- the public calendar -------------------------------------------------------------


@dataclass(frozen=True)
class Upcoming:
    """One coming release as the public calendar shows it: no content, no file."""

    id: int
    title: str
    subjects: list[str]
    kind: str
    release_at: datetime


@dataclass(frozen=True)
class Calendar:
    """A page of coming releases, soonest first."""

    rows: list[Upcoming]
    paging: Paging


def upcoming(session: Session, now: datetime, *, page: int = 1, per_page: int = 20) -> Calendar:
    """The releases still to come at ``now`` (title, subjects, moment), soonest first.

    Only what BPS's Rencana Terbit announces: the abstract, cover and file stay hidden
    until the moment. Withdrawn publications are not announced."""
    where = (Publication.status == Status.ACTIVE, Publication.release_at > now)
    total = int(session.scalar(select(func.count(Publication.id)).where(*where)) or 0)
    shown = paging(page, per_page, total)
    rows = session.execute(
        select(Publication.id, Publication.title, Publication.kind, Publication.release_at)
        .where(*where)
        .order_by(Publication.release_at, Publication.id)
        .limit(per_page)
        .offset(shown.offset)
    ).all()
    subjects = _subjects_of(session, [r.id for r in rows])
    return Calendar(
        [Upcoming(r.id, r.title, subjects.get(r.id, []), r.kind.value, r.release_at) for r in rows],
        shown,
    )


def _subjects_of(session: Session, ids: list[int]) -> dict[int, list[str]]:
    from catalog.models import publication_subjects

    if not ids:
        return {}
    out: dict[int, list[str]] = {}
    for pub_id, name in session.execute(
        select(publication_subjects.c.publication_id, Subject.name)
        .join(Subject, Subject.id == publication_subjects.c.subject_id)
        .where(publication_subjects.c.publication_id.in_(ids))
        .order_by(Subject.name)
    ):
        out.setdefault(pub_id, []).append(name)
    return out

"""Catalogue services: read, edit and withdraw a publication, and ask for its indexing.

Plain functions with explicit inputs. Adding a publication (ingest, a print-only record)
is :mod:`catalog.cataloguing`; its corrected files are :mod:`catalog.file_versions`; the
cards of lists are :mod:`catalog.cards`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, jobs
from app.events import objections_to_access
from app.uow import transactional
from catalog.errors import AccessChangeRefused, PublicationNotFound
from catalog.models import Access, Kind, Publication, PublicationPage, Status, Subject
from catalog.series import chosen_series
from catalog.visibility import is_public

INDEX_JOB = "catalog.index"
REINDEX_JOB = "catalog.reindex"

#: Metadata fields an officer may edit.
EDITABLE = (
    "title",
    "title_en",
    "subtitle",
    "kat_no",
    "pub_no",
    "issn",
    "isbn",
    "release_date",
    "release_time",
    "period",
    "region_code",
    "region_name",
    "language",
    "abstract",
    "kind",
    "access",
    "printed",
)


def subjects_named(session: Session, names: Sequence[str]) -> list[Subject]:
    """The subjects with these names, created as needed (case-insensitively unique)."""
    found: list[Subject] = []
    for raw in names:
        name = " ".join(str(raw).split())[:120]
        if not name or any(s.name.lower() == name.lower() for s in found):
            continue
        subject = session.scalar(select(Subject).where(func.lower(Subject.name) == name.lower()))
        if subject is None:
            subject = Subject(name=name)
            session.add(subject)
        found.append(subject)
    return found


def enqueue_index(session: Session, pub_ids: Sequence[int]) -> None:
    """(Re)index these publications once the caller commits; never inside a request."""
    jobs.enqueue(session, INDEX_JOB, pub_ids=list(pub_ids))


def get_publication(
    session: Session,
    pub_id: int,
    *,
    now: datetime,
    staff: bool = False,
    preview: bool = False,
) -> Publication:
    """A publication the public may see at ``now`` (see :mod:`catalog.visibility`); a
    withdrawn one also for ``staff``, one under embargo also for ``preview`` (catalogue
    staff, :func:`catalog.visibility.may_preview`). Anything else is not found."""
    publication = session.get(Publication, pub_id)
    if publication is None or is_public(publication, now):
        if publication is None:
            raise PublicationNotFound()
        return publication
    if publication.status != Status.ACTIVE and not staff:
        raise PublicationNotFound()
    if publication.embargoed(now) and not preview:
        raise PublicationNotFound()
    return publication


@transactional
def update_publication(
    session: Session, pub_id: int, changes: Mapping[str, Any], *, actor_id: int
) -> Publication:
    publication = session.get(Publication, pub_id, with_for_update=True)
    if publication is None:
        raise PublicationNotFound()
    if "access" in changes and Access(changes["access"]) != publication.access:
        # Features above the catalogue may object (the store, while it sells the
        # publication as a paid digital product): refuse before anything changes.
        reasons = objections_to_access(session, pub_id, Access(changes["access"]).value)
        if reasons:
            raise AccessChangeRefused(reasons)
    changed: list[str] = []
    for key in EDITABLE:
        if key not in changes:
            continue
        value = changes[key]
        if key == "kind":
            value = Kind(value)
        elif key == "access":
            value = Access(value)
        if getattr(publication, key) != value:
            setattr(publication, key, value)
            changed.append(key)
    named, series_id = chosen_series(session, changes, actor_id)
    if named and series_id != publication.series_id:
        publication.series_id = series_id
        changed.append("series")
    if "subjects" in changes:
        subjects = subjects_named(session, changes["subjects"])
        if [s.name for s in subjects] != [s.name for s in publication.subjects]:
            publication.subjects = subjects
            changed.append("subjects")
    if changed:
        publication.updated_by_id = actor_id
        audit.record(
            session,
            "publication.updated",
            actor_id=actor_id,
            subject_type="publication",
            subject_id=pub_id,
            detail={"fields": changed},
        )
        enqueue_index(session, [pub_id])
    return publication


@transactional
def set_status(
    session: Session, pub_id: int, status: Status, *, actor_id: int, reason: str | None = None
) -> Publication:
    """Withdraw a publication from readers (kept for staff and the record) or restore it."""
    publication = session.get(Publication, pub_id, with_for_update=True)
    if publication is None:
        raise PublicationNotFound()
    if publication.status != status:
        publication.status = status
        publication.withdrawn_reason = reason if status == Status.WITHDRAWN else None
        publication.updated_by_id = actor_id
        audit.record(
            session,
            f"publication.{status.value}",
            actor_id=actor_id,
            subject_type="publication",
            subject_id=pub_id,
            detail={"reason": reason} if reason else None,
        )
        enqueue_index(session, [pub_id])
    return publication


def page_text(session: Session, pub_id: int, number: int) -> str:
    """The extracted text of page ``number`` of a publication ("" when it has none)."""
    found = session.scalar(
        select(PublicationPage.text).where(
            PublicationPage.publication_id == pub_id, PublicationPage.number == number
        )
    )
    return found or ""


def page_texts(session: Session, pub_id: int) -> list[str]:
    rows = session.execute(
        select(PublicationPage.number, PublicationPage.text)
        .where(PublicationPage.publication_id == pub_id)
        .order_by(PublicationPage.number)
    ).all()
    return [text for _number, text in rows]

"""The versions of a publication's file: an officer's corrected file and the earlier ones.

A correction goes through the same sanitiser as an ingest (:mod:`catalog.cataloguing`)
and becomes the publication's next version; the earlier files stay in storage, listed in
``publication_versions`` (readers see "Updated <date>: <why>").
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.uow import unit_of_work
from catalog.cataloguing import (
    Progress,
    add_pages,
    file_sha256,
    find_by_sha256,
    no_progress,
    sanitised,
    store_files,
)
from catalog.errors import CatalogError, DuplicatePublication, PublicationNotFound
from catalog.ingest import Limits
from catalog.models import Publication, PublicationPage, PublicationVersion
from catalog.services import enqueue_index
from storage import BlobStore

CORRECT_JOB = "catalog.correct"


def correct_file(
    session: Session,
    store: BlobStore,
    source: Path,
    *,
    pub_id: int,
    reason: str,
    actor_id: int | None,
    limits: Limits,
    now: datetime,
    progress: Progress = no_progress,
) -> PublicationVersion:
    """Replace the file of ``pub_id`` with a corrected one, as its next version.

    The new file goes through the same sanitiser as an ingest; the publication's
    master, original, cover, pages and text switch to it (the library's caches, page
    images and stamped downloads are keyed by the master's hash, so they follow), and
    the earlier files stay in storage, listed in ``publication_versions`` with who
    replaced them, when and why."""
    reason = " ".join(reason.split())[:500]
    if not reason:
        raise CatalogError(_l("Say what was corrected."))
    progress(5, "checking")
    try:
        with unit_of_work(session, savepoint=True):
            publication = session.get(Publication, pub_id, with_for_update=True)
            if publication is None:
                raise PublicationNotFound()
            if not publication.has_file:
                raise CatalogError(
                    _l("This publication has no file yet; add its file instead of correcting it.")
                )
            existing = find_by_sha256(session, file_sha256(source))
            if existing is not None:
                raise DuplicatePublication(existing)
            with sanitised(source, limits, progress, prefix="pst-correct-") as clean:
                number = _first_version(session, publication) + 1
                for key, value in store_files(session, store, source, clean).items():
                    if key == "cover_key" and value is None:
                        continue  # keep the cover when the corrected file gives none
                    setattr(publication, key, value)
            publication.updated_by_id = actor_id
            version = PublicationVersion(
                publication_id=pub_id,
                number=number,
                sha256=clean.sha256,
                original_key=publication.original_key,
                master_key=publication.master_key,
                page_count=clean.pages,
                file_size=clean.size,
                reason=reason,
                created_by_id=actor_id,
                created_at=now,
            )
            session.add(version)
            session.execute(delete(PublicationPage).where(PublicationPage.publication_id == pub_id))
            add_pages(session, publication, clean)
            audit.record(
                session,
                "publication.corrected",
                actor_id=actor_id,
                subject_type="publication",
                subject_id=pub_id,
                detail={"version": number, "sha256": clean.sha256, "reason": reason[:200]},
                at=now,
            )
            enqueue_index(session, [pub_id])
    except IntegrityError:
        raise DuplicatePublication(find_by_sha256(session, clean.sha256) or 0) from None
    progress(100, "done")
    return version


def _first_version(session: Session, publication: Publication) -> int:
    """The number of the publication's current version, recording the file it has as
    version 1 when it never had another (the ingest itself records no version)."""
    latest = session.scalar(
        select(func.max(PublicationVersion.number)).where(
            PublicationVersion.publication_id == publication.id
        )
    )
    if latest:
        return int(latest)
    session.add(
        PublicationVersion(
            publication_id=publication.id,
            number=1,
            sha256=publication.sha256 or "",
            original_key=publication.original_key,
            master_key=publication.master_key or "",
            page_count=publication.page_count,
            file_size=publication.file_size,
            reason=None,
            created_by_id=publication.created_by_id,
            created_at=publication.created_at,
        )
    )
    return 1


def holder_of_file(session: Session, key: str) -> int | None:
    """The publication whose file (now, or in an earlier version) is the blob ``key``:
    such a blob is never deleted with an upload that happens to hold the same bytes."""
    current = session.scalar(
        select(Publication.id).where(
            (Publication.original_key == key) | (Publication.master_key == key)
        )
    )
    if current is not None:
        return int(current)
    earlier = session.scalar(
        select(PublicationVersion.publication_id)
        .where((PublicationVersion.original_key == key) | (PublicationVersion.master_key == key))
        .limit(1)
    )
    return int(earlier) if earlier is not None else None


def versions(session: Session, pub_id: int) -> list[PublicationVersion]:
    """The file versions of a publication, newest first (empty: never corrected)."""
    return list(
        session.scalars(
            select(PublicationVersion)
            .where(PublicationVersion.publication_id == pub_id)
            .order_by(PublicationVersion.number.desc())
        )
    )


def last_correction(session: Session, pub_id: int) -> PublicationVersion | None:
    """The latest corrected file of a publication (shown as "Updated <date>: <why>")."""
    return session.scalar(
        select(PublicationVersion)
        .where(PublicationVersion.publication_id == pub_id, PublicationVersion.number > 1)
        .order_by(PublicationVersion.number.desc())
        .limit(1)
    )

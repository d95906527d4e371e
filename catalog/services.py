"""Catalogue services: ingest, edit, withdraw, read. Plain functions with explicit inputs.

Ingest is one service behind the officer upload page (through a job), the API and
``pst ingest``: hash, refuse duplicates, sanitise in a separate process
(:mod:`catalog.ingest`), store the original, the master and the cover, record the
publication with its page texts, and index it after commit.

A printed publication can be catalogued before it has a file
(:func:`create_record`); readers then find it and ask for the copy in the reading room
or for scans of its pages. Its softcopy arrives later through the same ingest, with
``into=`` the record (the scanning bridge does this), keeping the record's metadata.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload, load_only

from app import audit, events, jobs
from app.blobs import save_blob
from app.events import objections_to_access
from app.uow import transactional, unit_of_work
from catalog import series as series_service
from catalog.errors import (
    AccessChangeRefused,
    AlreadyDigitised,
    CatalogError,
    DuplicatePublication,
    IngestRejected,
    PublicationNotFound,
)
from catalog.ingest import Limits, Rejected, Sanitised, sanitise
from catalog.models import (
    Access,
    Kind,
    Publication,
    PublicationPage,
    PublicationVersion,
    Status,
    Subject,
)
from catalog.visibility import is_public, public_clause
from storage import BlobStore

Progress = Callable[[int, str], None]

INDEX_JOB = "catalog.index"
REINDEX_JOB = "catalog.reindex"
INGEST_JOB = "catalog.ingest"
CORRECT_JOB = "catalog.correct"

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


def _noop(_percent: int, _message: str) -> None:
    return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def find_by_sha256(session: Session, sha256: str) -> int | None:
    return session.scalar(select(Publication.id).where(Publication.sha256 == sha256))


def ingest(
    session: Session,
    store: BlobStore,
    source: Path,
    *,
    meta: Mapping[str, Any] | None,
    actor_id: int | None,
    limits: Limits,
    filename: str | None = None,
    progress: Progress = _noop,
    into: int | None = None,
) -> Publication:
    """Turn one PDF into a catalogued publication, or raise a catalogue error.

    With ``into`` the PDF becomes the softcopy of that print-only record instead (its
    metadata kept; ``meta`` ignored); a record that already has a file is refused."""
    progress(5, "checking")
    try:
        # A savepoint when called inside another scope: the lost race below is then
        # undone alone, and the hash can still be looked up in the caller's transaction.
        with unit_of_work(session, savepoint=True):
            existing = find_by_sha256(session, file_sha256(source))
            if existing is not None:
                raise DuplicatePublication(existing)
            if into is not None:
                _record_without_file(session, into)
            with tempfile.TemporaryDirectory(prefix="pst-ingest-") as work:
                progress(10, "sanitising")
                try:
                    clean = sanitise(source, Path(work), limits)
                except Rejected as exc:
                    raise IngestRejected(exc.code, dict(exc.params)) from None
                progress(70, "storing")
                name = filename or source.name
                if into is None:
                    publication = _record(session, store, source, clean, meta or {}, actor_id, name)
                else:
                    publication = _attach(session, store, source, clean, into, actor_id, name)
            enqueue_index(session, [publication.id])
    except IntegrityError:
        # Another ingest of the same file won the race for the unique hash.
        raise DuplicatePublication(find_by_sha256(session, clean.sha256) or 0) from None
    progress(100, "done")
    return publication


def _record_without_file(session: Session, pub_id: int) -> Publication:
    """The print-only record ``pub_id``, locked; refused when it has a file already."""
    publication = session.get(Publication, pub_id, with_for_update=True)
    if publication is None:
        raise PublicationNotFound()
    if publication.has_file:
        raise AlreadyDigitised()
    return publication


def _store_files(
    session: Session, store: BlobStore, source: Path, clean: Sanitised
) -> dict[str, Any]:
    """Store original, master and cover; the file columns of the publication."""
    original = save_blob(session, store, source, content_type="application/pdf")
    master = save_blob(session, store, clean.master_path, content_type="application/pdf")
    events.master_stored.send(None, session=session, key=master.key, path=clean.master_path)
    cover = (
        save_blob(session, store, clean.cover_path, content_type="image/png")
        if clean.cover_path is not None
        else None
    )
    return {
        "page_count": clean.pages,
        "file_size": clean.size,
        "sha256": clean.sha256,
        "original_key": original.key,
        "master_key": master.key,
        "cover_key": cover.key if cover else None,
        "outline_json": json.dumps(
            [{"title": o.title, "page": o.page, "level": o.level} for o in clean.outline],
            ensure_ascii=False,
        ),
    }


def _add_pages(session: Session, publication: Publication, clean: Sanitised) -> None:
    session.add_all(
        PublicationPage(publication_id=publication.id, number=i, text=text)
        for i, text in enumerate(clean.page_texts, start=1)
    )


def _attach(
    session: Session,
    store: BlobStore,
    source: Path,
    clean: Sanitised,
    pub_id: int,
    actor_id: int | None,
    filename: str,
) -> Publication:
    publication = _record_without_file(session, pub_id)
    for key, value in _store_files(session, store, source, clean).items():
        if key == "cover_key" and value is None:
            continue  # keep a cover photographed for the record
        setattr(publication, key, value)
    publication.updated_by_id = actor_id
    _add_pages(session, publication, clean)
    audit.record(
        session,
        "publication.digitised",
        actor_id=actor_id,
        subject_type="publication",
        subject_id=publication.id,
        detail={"sha256": clean.sha256, "pages": clean.pages, "file": filename[:200]},
    )
    return publication


@transactional
def create_record(
    session: Session, meta: Mapping[str, Any], *, actor_id: int | None
) -> Publication:
    """Catalogue a printed publication that has no file yet (committed, then indexed).

    ``meta`` is in the shape of :class:`catalog.schemas.BpsMetaSchema` (a title is
    required). Readers find the record and can ask to read the printed copy or for
    scans of its pages; its softcopy comes later through :func:`ingest` with ``into``.
    """
    publication = add_record(session, meta, actor_id=actor_id)
    enqueue_index(session, [publication.id])
    return publication


def add_record(session: Session, meta: Mapping[str, Any], *, actor_id: int | None) -> Publication:
    """:func:`create_record` inside the caller's transaction (flushed, not committed)."""
    title = " ".join(str(meta.get("title") or "").split())
    if not title:
        raise CatalogError(_l("Give the publication a title."))
    publication = Publication(
        title=title[:500],
        **_metadata_columns(meta),
        printed=True,
        created_by_id=actor_id,
        updated_by_id=actor_id,
    )
    publication.subjects = subjects_named(session, meta.get("subjects") or [])
    publication.series_id = _series_for(session, meta, publication.title, actor_id)
    session.add(publication)
    session.flush()
    audit.record(
        session,
        "publication.catalogued",
        actor_id=actor_id,
        subject_type="publication",
        subject_id=publication.id,
        detail={"title": publication.title[:200], "kat_no": publication.kat_no},
    )
    return publication


def _metadata_columns(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The descriptive columns of a publication from import/upload metadata."""
    return {
        "title_en": meta.get("title_en"),
        "subtitle": meta.get("subtitle"),
        "kat_no": meta.get("kat_no") or None,
        "pub_no": meta.get("pub_no") or None,
        "issn": meta.get("issn") or None,
        "isbn": meta.get("isbn") or None,
        "bps_pub_id": str(meta["pub_id"]) if meta.get("pub_id") else None,
        "release_date": meta.get("rl_date"),
        "release_time": meta.get("release_time"),
        "period": meta.get("period"),
        "region_code": meta.get("region_code") or "1700",
        "region_name": meta.get("region_name") or "Provinsi Bengkulu",
        "language": meta.get("language") or "id",
        "abstract": meta.get("abstract") or None,
        "kind": Kind(meta.get("kind") or Kind.PUBLICATION.value),
        "access": Access(meta.get("access") or Access.OPEN.value),
    }


def _record(
    session: Session,
    store: BlobStore,
    source: Path,
    clean: Sanitised,
    meta: Mapping[str, Any],
    actor_id: int | None,
    filename: str,
) -> Publication:
    title = meta.get("title") or _useful_title(clean.info.get("Title")) or Path(filename).stem
    columns = _metadata_columns(meta)
    columns["abstract"] = columns["abstract"] or clean.info.get("Subject") or None
    publication = Publication(
        title=str(title)[:500],
        **columns,
        **_store_files(session, store, source, clean),
        printed=bool(meta.get("printed", False)),
        created_by_id=actor_id,
        updated_by_id=actor_id,
    )
    publication.subjects = subjects_named(session, meta.get("subjects") or [])
    publication.series_id = _series_for(session, meta, publication.title, actor_id)
    session.add(publication)
    session.flush()
    _add_pages(session, publication, clean)
    audit.record(
        session,
        "publication.ingested",
        actor_id=actor_id,
        subject_type="publication",
        subject_id=publication.id,
        detail={
            "sha256": clean.sha256,
            "pages": clean.pages,
            "removed": clean.removed,
            "file": filename[:200],
        },
    )
    return publication


def _series_for(
    session: Session, meta: Mapping[str, Any], title: str, actor_id: int | None
) -> int | None:
    """The series a new publication joins: the one ``meta`` names (``series_id``, or a
    ``new_series`` title, created), else the series its title is plus a year."""
    named, series_id = _chosen_series(session, meta, actor_id)
    if named:
        return series_id
    found = series_service.suggest_series(session, title)
    return found.id if found is not None else None


def _chosen_series(
    session: Session, meta: Mapping[str, Any], actor_id: int | None
) -> tuple[bool, int | None]:
    """Whether ``meta`` names a series, and its id (``None``: no series). A ``new_series``
    title wins over ``series_id``: the officer typed it rather than picked one."""
    new_title = " ".join(str(meta.get("new_series") or "").split())
    if new_title:
        return True, series_service.ensure_series(session, new_title, actor_id=actor_id).id
    if "series_id" not in meta:
        return False, None
    if meta["series_id"] is None:
        return True, None
    return True, series_service.get_series(session, int(meta["series_id"])).id


def _useful_title(value: str | None) -> str | None:
    """The PDF's own title, unless it is a producer's placeholder."""
    if not value or value.strip().lower() in {
        "untitled",
        "untitled document",
        "document",
        "microsoft word",
        "title",
    }:
        return None
    return value.strip()


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
    named, series_id = _chosen_series(session, changes, actor_id)
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


#: What a card shows of a publication: a search results page selects only these (rows,
#: not entities: a tenth of the cost) and they are the card cache's key
#: (``catalog.http.publication_card``).
CARD_COLUMNS = (
    Publication.id,
    Publication.title,
    Publication.cover_key,
    Publication.master_key,
    Publication.release_date,
    Publication.kat_no,
    Publication.page_count,
    Publication.access,
)
#: Loader options for lists of publication cards as entities: only the columns a card
#: shows (and the status), not the abstract or the outline, and no subjects (a list
#: would load every card's subjects for nothing).
CARD_LOAD = (load_only(*CARD_COLUMNS[1:], Publication.status), lazyload(Publication.subjects))


def newest(session: Session, now: datetime, limit: int = 8) -> list[Publication]:
    """The latest releases readers can see at ``now``, newest first (loaded for cards)."""
    return list(
        session.scalars(
            select(Publication)
            .options(*CARD_LOAD)
            .where(public_clause(now))
            .order_by(Publication.release_date.desc().nulls_last(), Publication.id.desc())
            .limit(limit)
        )
    )


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


# --- corrected files -------------------------------------------------------------------


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
    progress: Progress = _noop,
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
            with tempfile.TemporaryDirectory(prefix="pst-correct-") as work:
                progress(10, "sanitising")
                try:
                    clean = sanitise(source, Path(work), limits)
                except Rejected as exc:
                    raise IngestRejected(exc.code, dict(exc.params)) from None
                progress(70, "storing")
                number = _first_version(session, publication) + 1
                for key, value in _store_files(session, store, source, clean).items():
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
            _add_pages(session, publication, clean)
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

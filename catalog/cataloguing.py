"""Cataloguing a publication: ingest a PDF, catalogue a print-only record, attach its file.

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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit, events
from app.blobs import save_blob
from app.uow import transactional, unit_of_work
from catalog.errors import (
    AlreadyDigitised,
    CatalogError,
    DuplicatePublication,
    IngestRejected,
    PublicationNotFound,
)
from catalog.ingest import Limits, Rejected, Sanitised, sanitise
from catalog.models import Access, Kind, Publication, PublicationPage
from catalog.series import series_for
from catalog.services import enqueue_index, subjects_named
from storage import BlobStore

Progress = Callable[[int, str], None]

INGEST_JOB = "catalog.ingest"


def no_progress(_percent: int, _message: str) -> None:
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
    progress: Progress = no_progress,
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
            with sanitised(source, limits, progress, prefix="pst-ingest-") as clean:
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


@contextmanager
def sanitised(
    source: Path, limits: Limits, progress: Progress, *, prefix: str
) -> Iterator[Sanitised]:
    """``source`` sanitised into a temporary folder, removed when the block ends (the
    caller stores the files inside it); a rejected file is an ``IngestRejected``."""
    with tempfile.TemporaryDirectory(prefix=prefix) as work:
        progress(10, "sanitising")
        try:
            clean = sanitise(source, Path(work), limits)
        except Rejected as exc:
            raise IngestRejected(exc.code, dict(exc.params)) from None
        progress(70, "storing")
        yield clean


def _record_without_file(session: Session, pub_id: int) -> Publication:
    """The print-only record ``pub_id``, locked; refused when it has a file already."""
    publication = session.get(Publication, pub_id, with_for_update=True)
    if publication is None:
        raise PublicationNotFound()
    if publication.has_file:
        raise AlreadyDigitised()
    return publication


def store_files(
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


def add_pages(session: Session, publication: Publication, clean: Sanitised) -> None:
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
    for key, value in store_files(session, store, source, clean).items():
        if key == "cover_key" and value is None:
            continue  # keep a cover photographed for the record
        setattr(publication, key, value)
    publication.updated_by_id = actor_id
    add_pages(session, publication, clean)
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
    publication.series_id = series_for(session, meta, publication.title, actor_id)
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
        **store_files(session, store, source, clean),
        printed=bool(meta.get("printed", False)),
        created_by_id=actor_id,
        updated_by_id=actor_id,
    )
    publication.subjects = subjects_named(session, meta.get("subjects") or [])
    publication.series_id = series_for(session, meta, publication.title, actor_id)
    session.add(publication)
    session.flush()
    add_pages(session, publication, clean)
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

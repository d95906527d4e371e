"""Choosing the search engine and keeping it in step with the database.

``SEARCH_ENGINE`` picks it: ``auto`` (PostgreSQL full-text search when the database is
PostgreSQL, else Whoosh), ``whoosh`` or ``postgres``; a wrong value, or an engine that
cannot be reached, stops the start with one line (:func:`make_engine`).

Whoosh: one writer at a time is its rule; the index job, after commit, is the only
writer, so no request ever waits on (or sees) a lock. PostgreSQL: the rows are written
in the transaction that changes the catalogue, so every host sees a change at commit.
The catalogue asks for indexing by queueing the index job (``services.enqueue_index``);
a session hook notes the publications of every index job added to a session and, just
before that session commits, writes their rows there (the job then has nothing to do).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import event, func, make_url, select, text
from sqlalchemy.orm import Session

from app import clock, jobs, pagecache
from app.config import ConfigurationError
from app.extensions import db
from catalog.models import Publication, Status
from catalog.search import (
    ENGINES,
    PageHit,
    PubDoc,
    QueryError,
    Results,
    SearchEngine,
    SearchIndex,
)
from catalog.search.pg import PostgresSearch
from catalog.search.pg_tables import define
from catalog.services import INDEX_JOB, REINDEX_JOB, page_texts
from catalog.visibility import hidden_ids

_PENDING = "pst.search.pending"  # session.info: publications to write before commit


def search_index() -> SearchEngine:
    index: SearchEngine = current_app.extensions["pst.search"]
    return index


def public_search(session: Session, now: datetime, q: str, **options: Any) -> Results:
    """A search of the catalogue as the public may see it at ``now``: the engine's
    answer without the publications :mod:`catalog.visibility` hides (under embargo,
    withdrawn), left out at query time so that a release is live at its moment.
    ``options`` are the engine's (filters, sort, page, per_page, facets)."""
    return search_index().query(q, hidden=hidden_ids(session, now), **options)


def search_health() -> dict[str, Any]:
    """What ``/healthz`` shows of the search engine: its name and size and, for Whoosh,
    how far this host's index lags the catalogue — the time since the newest change of
    a publication that the index has not seen (0 when it has seen them all).
    ``stale`` is true beyond ``SEARCH_STALE_SECONDS``; ``SearchError`` when the engine
    cannot answer. PostgreSQL rows change with the catalogue: never behind."""
    engine = search_index()
    detail = engine.health()
    if engine.transactional:
        return detail
    changed = db.session.scalar(select(func.max(Publication.updated_at)))
    indexed = detail.pop("indexed_at", None)
    lag = 0.0
    now = clock.now()
    if changed is not None and (indexed is None or changed.timestamp() > indexed):
        lag = max(0.0, (now - changed).total_seconds())
    limit = float(current_app.config["SEARCH_STALE_SECONDS"])
    detail["lag_seconds"] = round(lag, 1)
    detail["stale"] = lag > limit
    return detail


#: The longest search of a publication's pages (words beyond it are dropped).
MAX_PAGE_QUERY = 300


@dataclass(frozen=True)
class PageSearch:
    """A search inside one publication: the words, the matching pages (None when no
    search was made or the words were not understood) and what to tell the reader."""

    q: str
    hits: list[PageHit] | None = None
    problem: str | None = None


def search_publication_pages(pub_id: int, raw_q: str | None) -> PageSearch:
    """The pages of ``pub_id`` matching the words ``raw_q`` typed in a search box (for
    the publication page and the reader); the access check is the caller's."""
    q = (raw_q or "").strip()[:MAX_PAGE_QUERY]
    if not q:
        return PageSearch(q)
    try:
        return PageSearch(q, search_index().search_pages(pub_id, q))
    except QueryError:
        return PageSearch(q, problem=_("The search words could not be understood."))


def to_pubdoc(publication: Publication, pages: list[str]) -> PubDoc:
    return PubDoc(
        pub_id=publication.id,
        title=publication.title,
        title_en=publication.title_en or "",
        subtitle=publication.subtitle or "",
        abstract=publication.abstract or "",
        subjects=[s.name for s in publication.subjects],
        kind=publication.kind.value,
        language=publication.language,
        year=publication.year,
        release_date=publication.release_date,
        access=publication.access.value,
        kat_no=publication.kat_no or "",
        pub_no=publication.pub_no or "",
        pages=pages,
    )


def make_engine(app: Flask) -> SearchEngine:
    """The engine ``SEARCH_ENGINE`` names; ``ConfigurationError`` (one line) when the
    setting is wrong or the chosen engine cannot be reached."""
    raw = str(app.config["SEARCH_ENGINE"] or "auto")
    choice = raw.strip().lower()
    if choice not in ("auto", *ENGINES):
        raise ConfigurationError(
            f"PST_SEARCH_ENGINE must be auto, whoosh or postgres (got {raw!r})."
        )
    url = str(app.config["SQLALCHEMY_DATABASE_URI"])
    on_postgres = make_url(url).get_backend_name() == "postgresql"
    explicit = choice != "auto"
    if choice == "auto":
        choice = "postgres" if on_postgres else "whoosh"
    if choice == "postgres":
        if not on_postgres:
            raise ConfigurationError(
                "PST_SEARCH_ENGINE=postgres needs a PostgreSQL database (PST_DATABASE_URL)."
            )
        problem = _probe_database(app)
        if problem and explicit:  # auto: an unreachable database is /healthz's to report
            raise ConfigurationError(
                f"PST_SEARCH_ENGINE=postgres: the database cannot be reached ({problem})."
            )
        if not problem:
            # The app's metadata knows the tables migration 0025 made; only once the
            # database answered, so that an app pointed at an unreachable PostgreSQL
            # adds no tables to another database's metadata (tests build many apps).
            define(db.metadata)
        return PostgresSearch(lambda: db.session(), lambda: Session(db.engine))
    path = Path(app.config["SEARCH_INDEX_PATH"])
    if explicit and not _writable(path):
        raise ConfigurationError(
            f"PST_SEARCH_ENGINE=whoosh: the search index folder {path} cannot be written."
        )
    return SearchIndex(path, writer_timeout=float(app.config["SEARCH_WRITER_TIMEOUT_S"]))


def _probe_database(app: Flask) -> str | None:
    """``None`` when the database answers, else the name of the failure (never the
    driver's message: it may hold the host and the user)."""
    with app.app_context():
        try:
            with db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # any failure to connect: the engine is unreachable
            return type(exc).__name__
    return None


def _writable(path: Path) -> bool:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK)


def _documents(session: Session, pub_ids: list[int]) -> tuple[list[PubDoc], list[int]]:
    docs: list[PubDoc] = []
    gone: list[int] = []
    for pub_id in pub_ids:
        publication = session.get(Publication, pub_id)
        # Publications under embargo are indexed with the others and left out of every
        # public answer at query time (public_search), so their release needs no write.
        if publication is None or publication.status != Status.ACTIVE:
            gone.append(pub_id)
        else:
            docs.append(to_pubdoc(publication, page_texts(session, pub_id)))
    return docs, gone


def index_publications(session: Session, index: SearchEngine, pub_ids: list[int]) -> dict[str, int]:
    """Add or refresh active publications; remove withdrawn or deleted ones."""
    docs, gone = _documents(session, pub_ids)
    if docs:
        index.add(docs)
    if gone:
        index.delete(gone)
    pagecache.bump()  # cached search pages show the index as it was
    return {"indexed": len(docs), "removed": len(gone)}


@event.listens_for(Session, "transient_to_pending")
def _note_index_job(session: Session, instance: object) -> None:
    if isinstance(instance, jobs.Job) and instance.name == INDEX_JOB:
        pub_ids = json.loads(instance.params or "{}").get("pub_ids", [])
        session.info.setdefault(_PENDING, set()).update(int(i) for i in pub_ids)


@event.listens_for(Session, "before_commit")
def _write_in_transaction(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_app_context():
        return
    engine = current_app.extensions.get("pst.search")
    if isinstance(engine, PostgresSearch):
        docs, gone = _documents(session, sorted(pending))
        engine.write(session, docs, gone)


@event.listens_for(Session, "after_soft_rollback")
def _forget_pending(session: Session, _previous: object) -> None:
    # Noted ids of a rolled-back job are harmless (rows are read afresh) but useless.
    if not session.in_transaction():
        session.info.pop(_PENDING, None)


def _all_docs(session: Session, progress: Callable[[int], None]) -> Iterator[PubDoc]:
    ids = list(
        session.scalars(
            select(Publication.id)
            .where(Publication.status == Status.ACTIVE)
            .order_by(Publication.id)
        )
    )
    for n, pub_id in enumerate(ids, start=1):
        publication = session.get(Publication, pub_id)
        if publication is not None:
            yield to_pubdoc(publication, page_texts(session, pub_id))
        progress(n * 100 // max(1, len(ids)))


def rebuild(
    session: Session, index: SearchEngine, progress: Callable[[int], None] = lambda _p: None
) -> int:
    count = index.rebuild(_all_docs(session, progress))
    pagecache.bump()
    return count


@jobs.job(INDEX_JOB)
def index_job(ctx: jobs.JobContext, pub_ids: list[int]) -> dict[str, Any]:
    engine = search_index()
    if engine.transactional:  # written with the change itself (_write_in_transaction)
        return {"indexed": 0, "removed": 0, "in_transaction": len(pub_ids)}
    return index_publications(ctx.session, engine, pub_ids)


@jobs.job(REINDEX_JOB)
def reindex_job(ctx: jobs.JobContext) -> dict[str, Any]:
    last = -1

    def progress(percent: int) -> None:
        nonlocal last
        if percent // 5 != last // 5:
            last = percent
            ctx.progress(min(99, percent))

    return {"documents": rebuild(ctx.session, search_index(), progress)}

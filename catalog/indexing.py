"""Keeping the search index in step with the database, always from a job after commit.

One writer at a time is the search engine's rule; jobs are the only writers, so no
request ever waits on (or sees) a lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import jobs, pagecache
from catalog.models import Publication, Status
from catalog.search import PageHit, PubDoc, QueryError, SearchEngine
from catalog.services import INDEX_JOB, REINDEX_JOB, page_texts


def search_index() -> SearchEngine:
    index: SearchEngine = current_app.extensions["pst.search"]
    return index


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


def index_publications(session: Session, index: SearchEngine, pub_ids: list[int]) -> dict[str, int]:
    """Add or refresh active publications; remove withdrawn or deleted ones."""
    docs: list[PubDoc] = []
    gone: list[int] = []
    for pub_id in pub_ids:
        publication = session.get(Publication, pub_id)
        if publication is None or publication.status != Status.ACTIVE:
            gone.append(pub_id)
        else:
            docs.append(to_pubdoc(publication, page_texts(session, pub_id)))
    if docs:
        index.add(docs)
    if gone:
        index.delete(gone)
    pagecache.bump()  # cached search pages show the index as it was
    return {"indexed": len(docs), "removed": len(gone)}


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
    return index_publications(ctx.session, search_index(), pub_ids)


@jobs.job(REINDEX_JOB)
def reindex_job(ctx: jobs.JobContext) -> dict[str, Any]:
    last = -1

    def progress(percent: int) -> None:
        nonlocal last
        if percent // 5 != last // 5:
            last = percent
            ctx.progress(min(99, percent))

    return {"documents": rebuild(ctx.session, search_index(), progress)}

"""Series and editions: the yearly editions of one title, linked to each other.

An officer picks a publication's series in the edit form or names a new one there
(:func:`ensure_series`); an ingest whose title is a series' title plus a year joins that
series (:func:`suggest_series`); :func:`series_for` and :func:`chosen_series` pick the series
a new or edited publication is in. Readers see a series' public editions, newest first,
and each edition links the others; what is public is :mod:`catalog.visibility`'s rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.uow import unit_of_work
from catalog.cards import CARD_LOAD
from catalog.errors import SeriesNotFound
from catalog.models import Publication, Series, series_key
from catalog.visibility import public_clause

#: A year, a year range ("2023/2024", "2023-2024") or an edition's year in brackets,
#: as BPS prints them in the titles of yearly publications.
_YEAR = re.compile(r"[\(\[]?\b(19|20)\d{2}(\s*[-/–]\s*(19|20)?\d{2,4})?\b[\)\]]?")

#: Editions a publication page links at most ("Edisi lain"); the series page has all.
OTHER_EDITIONS = 12


def title_without_year(title: str) -> str:
    """``title`` with its years taken out ("Provinsi Bengkulu Dalam Angka 2024" → "Provinsi
    Bengkulu Dalam Angka"); the comparison key of a title against the series'."""
    return " ".join(_YEAR.sub(" ", title).split()).strip(" -–:,")


def all_series(session: Session) -> list[Series]:
    """Every series, by title (the edit form's choices)."""
    return list(session.scalars(select(Series).order_by(Series.title)))


def get_series(session: Session, series_id: int) -> Series:
    found = session.get(Series, series_id)
    if found is None:
        raise SeriesNotFound()
    return found


def suggest_series(session: Session, title: str) -> Series | None:
    """The series whose title is ``title`` without its year, if there is one."""
    key = series_key(title_without_year(title))
    if not key:
        return None
    return session.scalar(select(Series).where(Series.key == key))


def ensure_series(session: Session, title: str, *, actor_id: int | None) -> Series:
    """The series titled ``title`` (case and spacing aside), created when missing.

    Two officers naming the same new series at once: the unique key lets one insert
    win; the other's savepoint is undone and it takes the winner's row."""
    clean = " ".join(title.split())[:300]
    key = series_key(clean)
    existing = session.scalar(select(Series).where(Series.key == key))
    if existing is not None:
        return existing
    try:
        with unit_of_work(session, savepoint=True):
            series = Series(title=clean, key=key, created_by_id=actor_id)
            session.add(series)
            session.flush()
    except IntegrityError:
        return session.scalars(select(Series).where(Series.key == key)).one()
    audit.record(
        session,
        "catalog.series_created",
        actor_id=actor_id,
        subject_type="series",
        subject_id=series.id,
        detail={"title": clean[:200]},
    )
    return series


def _editions(series_id: int, now: datetime) -> Select[Publication]:
    return (
        select(Publication)
        .options(*CARD_LOAD)
        .where(Publication.series_id == series_id, public_clause(now))
        .order_by(Publication.release_date.desc().nulls_last(), Publication.id.desc())
    )


def public_editions(session: Session, series_id: int, now: datetime) -> list[Publication]:
    """The editions of a series the public may see at ``now``, newest first."""
    return list(session.scalars(_editions(series_id, now)))


def other_editions(
    session: Session, publication: Publication, now: datetime, limit: int = OTHER_EDITIONS
) -> list[Publication]:
    """The public editions of ``publication``'s series but itself, newest first."""
    if publication.series_id is None:
        return []
    query = _editions(publication.series_id, now).where(Publication.id != publication.id)
    return list(session.scalars(query.limit(limit)))


def series_for(
    session: Session, meta: Mapping[str, Any], title: str, actor_id: int | None
) -> int | None:
    """The series a new publication joins: the one ``meta`` names (``series_id``, or a
    ``new_series`` title, created), else the series its title is plus a year."""
    named, series_id = chosen_series(session, meta, actor_id)
    if named:
        return series_id
    found = suggest_series(session, title)
    return found.id if found is not None else None


def chosen_series(
    session: Session, meta: Mapping[str, Any], actor_id: int | None
) -> tuple[bool, int | None]:
    """Whether ``meta`` names a series, and its id (``None``: no series). A ``new_series``
    title wins over ``series_id``: the officer typed it rather than picked one."""
    new_title = " ".join(str(meta.get("new_series") or "").split())
    if new_title:
        return True, ensure_series(session, new_title, actor_id=actor_id).id
    if "series_id" not in meta:
        return False, None
    if meta["series_id"] is None:
        return True, None
    return True, get_series(session, int(meta["series_id"])).id

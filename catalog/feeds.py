"""Atom feeds of new releases: the whole catalogue's, and one per subject.

:func:`releases` picks what the public may see (:mod:`catalog.visibility`) newest
first; :func:`atom` writes an Atom 1.0 document (RFC 4287) with ElementTree, so titles
and abstracts are escaped by the serialiser rather than by hand. Entry ids are the
publications' page addresses (stable, and what feed readers link).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import WIB
from catalog.models import Publication, Subject, publication_subjects
from catalog.visibility import public_clause

ATOM = "http://www.w3.org/2005/Atom"
XML = "http://www.w3.org/XML/1998/namespace"
#: Entries in a feed: a reader polls often; fifty covers a busy month of releases.
FEED_SIZE = 50
SUMMARY_CHARS = 600


@dataclass(frozen=True)
class Entry:
    id: str  # the publication page's absolute address
    title: str
    updated: datetime
    published: date | None
    summary: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    id: str  # the feed's own absolute address
    title: str
    home: str  # the page the feed mirrors (rel="alternate")
    author: str
    updated: datetime  # used when there is no entry (a feed must say when it changed)
    entries: Sequence[Entry] = field(default_factory=tuple)
    language: str = "id"


def releases(
    session: Session, now: datetime, *, subject_id: int | None = None, limit: int = FEED_SIZE
) -> list[Publication]:
    """The newest publications the public may see at ``now`` (in one subject)."""
    query = select(Publication).where(public_clause(now))
    if subject_id is not None:
        query = query.join(
            publication_subjects, publication_subjects.c.publication_id == Publication.id
        ).where(publication_subjects.c.subject_id == subject_id)
    query = query.order_by(
        Publication.release_date.desc().nulls_last(),
        Publication.created_at.desc(),
        Publication.id.desc(),
    )
    return list(session.scalars(query.limit(limit)))


def get_subject(session: Session, subject_id: int) -> Subject | None:
    return session.get(Subject, subject_id)


def subject_named(session: Session, name: str) -> Subject | None:
    return session.scalar(select(Subject).where(Subject.name == name[:120]))


def summary(publication: Publication) -> str:
    """An entry's summary: the abstract (shortened at a word), else the subtitle."""
    text = " ".join((publication.abstract or publication.subtitle or "").split())
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def entry_updated(publication: Publication) -> datetime:
    """When an entry last changed for its readers: its last edit, or its release day if
    later (a publication catalogued ahead of its release appears on that day)."""
    changed = publication.updated_at
    if changed.tzinfo is None:
        changed = changed.replace(tzinfo=UTC)
    if publication.release_date is not None:
        released = datetime.combine(publication.release_date, time(0, 0), tzinfo=WIB)
        return max(changed, released)
    return changed


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, value: str, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    node.text = _xml_chars(value)
    return node


def _link(parent: ET.Element, rel: str, href: str, media_type: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href, "type": media_type})


def _xml_chars(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry at all (most C0 controls)."""
    return "".join(
        ch
        for ch in value
        if ch in "\t\n\r"
        or ("\x20" <= ch <= "\ud7ff")
        or ("\ue000" <= ch <= "\ufffd")
        or ch >= "\U00010000"
    )


def atom(feed: Feed) -> bytes:
    """The feed as an Atom 1.0 document, UTF-8."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {f"{{{XML}}}lang": feed.language})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    updated = max((e.updated for e in feed.entries), default=feed.updated)
    _text(root, "updated", _stamp(updated))
    _link(root, "self", feed.id, "application/atom+xml")
    _link(root, "alternate", feed.home, "text/html")
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", feed.author)
    for item in feed.entries:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(entry, "id", item.id)
        _text(entry, "title", item.title)
        _text(entry, "updated", _stamp(item.updated))
        if item.published is not None:
            published = datetime.combine(item.published, time(0, 0), tzinfo=WIB)
            _text(entry, "published", _stamp(published))
        _link(entry, "alternate", item.id, "text/html")
        if item.summary:
            _text(entry, "summary", item.summary, type="text")
        for name in item.categories:
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": _xml_chars(name)})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)

"""Metadata exchange in the shape of BPS's web API (``pub_id, title, kat_no, pub_no, issn,
abstract, rl_date, cover, pdf, size``), plus the catalogue's own fields."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import marshmallow as ma
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.uow import transactional
from catalog.cataloguing import add_record
from catalog.models import Publication
from catalog.schemas import error_messages, load_meta
from catalog.services import enqueue_index, subjects_named
from catalog.visibility import public_clause

UrlFor = Callable[[str, Publication], str | None]


def human_size(size: int) -> str:
    """As BPS writes it: ``4.58 MB``."""
    return f"{size / (1024 * 1024):.2f} MB"


def export_item(publication: Publication, url_for: UrlFor) -> dict[str, Any]:
    return {
        "pub_id": publication.bps_pub_id or str(publication.id),
        "title": publication.title,
        "kat_no": publication.kat_no or "",
        "pub_no": publication.pub_no or "",
        "issn": publication.issn or "",
        "abstract": publication.abstract or "",
        "rl_date": publication.release_date.isoformat() if publication.release_date else None,
        "cover": url_for("cover", publication),
        # A print-only record has no file to point at.
        "pdf": url_for("pdf", publication) if publication.has_file else None,
        "size": human_size(publication.file_size) if publication.has_file else "",
        "title_en": publication.title_en or "",
        "subtitle": publication.subtitle or "",
        "isbn": publication.isbn or "",
        "period": publication.period or "",
        "subjects": [s.name for s in publication.subjects],
        "language": publication.language,
        "access": publication.access.value,
        "kind": publication.kind.value,
        "printed": publication.printed,
        "region_code": publication.region_code,
        "region_name": publication.region_name,
        "pages": publication.page_count,
    }


def export_all(session: Session, url_for: UrlFor, now: datetime) -> list[dict[str, Any]]:
    """Every publication the public may see at ``now``, in BPS's JSON shape."""
    rows = session.scalars(select(Publication).where(public_clause(now)).order_by(Publication.id))
    return [export_item(p, url_for) for p in rows]


@dataclass
class ImportReport:
    updated: list[int] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    created: list[int] = field(default_factory=list)  # print-only records
    invalid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


_FIELDS = {
    "title": "title",
    "title_en": "title_en",
    "subtitle": "subtitle",
    "kat_no": "kat_no",
    "pub_no": "pub_no",
    "issn": "issn",
    "isbn": "isbn",
    "abstract": "abstract",
    "rl_date": "release_date",
    "period": "period",
    "language": "language",
    "printed": "printed",
    "region_code": "region_code",
    "region_name": "region_name",
}


def _match(session: Session, item: dict[str, Any]) -> Publication | None:
    """Find the publication an imported record describes: by BPS id, else by numbers."""
    if item.get("pub_id"):
        found = session.scalar(
            select(Publication).where(Publication.bps_pub_id == str(item["pub_id"]))
        )
        if found is not None:
            return found
        if str(item["pub_id"]).isdigit():
            found = session.get(Publication, int(item["pub_id"]))
            if found is not None and not found.bps_pub_id:
                return found
    for key in ("pub_no", "kat_no"):
        if item.get(key):
            column = getattr(Publication, key)
            matches = list(session.scalars(select(Publication).where(column == item[key])))
            if len(matches) == 1:
                return matches[0]
    return None


@transactional
def import_items(
    session: Session,
    items: Iterable[Any],
    *,
    actor_id: int | None,
    create_records: bool = False,
) -> ImportReport:
    """Apply imported metadata to matching publications; nothing changes if any item is
    invalid. With ``create_records`` an item matching nothing becomes a print-only
    catalogue record (a printed book the library holds, to be scanned later)."""
    report = ImportReport()
    loaded: list[dict[str, Any]] = []
    for index, raw in enumerate(items):
        try:
            loaded.append(load_meta(raw))
        except ma.ValidationError as exc:
            report.invalid.append((index, error_messages(exc)))
    if report.invalid:
        return report
    for item in loaded:
        publication = _match(session, item)
        if publication is None and create_records:
            report.created.append(add_record(session, item, actor_id=actor_id).id)
            continue
        if publication is None:
            report.unmatched.append(item["title"])
            continue
        for source, target in _FIELDS.items():
            if source in item and item[source] not in (None, ""):
                setattr(publication, target, item[source])
        if item.get("subjects"):
            publication.subjects = subjects_named(session, item["subjects"])
        if item.get("pub_id"):
            publication.bps_pub_id = str(item["pub_id"])
        publication.updated_by_id = actor_id
        report.updated.append(publication.id)
    if report.updated:
        audit.record(
            session,
            "publication.metadata_imported",
            actor_id=actor_id,
            subject_type="publication",
            detail={"ids": report.updated},
        )
    if report.updated or report.created:
        enqueue_index(session, report.updated + report.created)
    return report

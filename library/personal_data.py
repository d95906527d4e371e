"""The library's share of a person's data (UU 27/2022): downloads, download rights,
reading-room, softcopy and scan requests. On erasure the download log stays (it traces
a leaked copy to its stamp) without the address and browser it came from."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.rights import Erasing, Section, row
from library.models import Download, Entitlement, ReadingRequest, ScanRequest, SoftcopyRequest


def _export(session: Session, user: User) -> dict[str, Any]:
    def mine(model: Any) -> Any:
        return session.scalars(select(model).where(model.user_id == user.id).order_by(model.id))

    return {
        "downloads": [
            {
                "publication": d.publication.title,
                **row(
                    d,
                    "code",
                    "publication_id",
                    "created_at",
                    "channel",
                    "ip",
                    "user_agent",
                    "status",
                    "sha256",
                ),
            }
            for d in mine(Download)
        ],
        "download_rights": [
            row(e, "publication_id", "source", "source_ref", "granted_at", "revoked_at")
            for e in mine(Entitlement)
        ],
        "reading_requests": [
            {
                "publication": r.publication.title,
                **row(r, "status", "note", "created_at", "ready_at", "closed_at"),
            }
            for r in mine(ReadingRequest)
        ],
        "softcopy_requests": [
            row(r, "title", "kat_no", "purpose", "status", "answer", "created_at", "closed_at")
            for r in mine(SoftcopyRequest)
        ],
        "scan_requests": [
            {
                "publication": r.publication.title,
                **row(r, "pages", "purpose", "status", "answer", "created_at", "closed_at"),
            }
            for r in mine(ScanRequest)
        ],
    }


def _erase(session: Session, erasing: Erasing) -> None:
    uid = erasing.user.id
    session.execute(
        update(Download)
        .where(Download.user_id == uid)
        .values(ip=None, user_agent=None)
        .execution_options(synchronize_session=False)
    )
    for reading in session.scalars(select(ReadingRequest).where(ReadingRequest.user_id == uid)):
        reading.note = erasing.scrub(reading.note)
    for softcopy in session.scalars(select(SoftcopyRequest).where(SoftcopyRequest.user_id == uid)):
        softcopy.purpose = erasing.scrub(softcopy.purpose) or ""
        softcopy.answer = erasing.scrub(softcopy.answer)
    for scan in session.scalars(select(ScanRequest).where(ScanRequest.user_id == uid)):
        scan.purpose = erasing.scrub(scan.purpose) or ""
        scan.answer = erasing.scrub(scan.answer)


def _labels() -> dict[str, Any]:
    return {
        "downloads": _l("Downloads"),
        "download_rights": _l("Download rights"),
        "reading_requests": _l("Reading-room requests"),
        "softcopy_requests": _l("Softcopy requests"),
        "scan_requests": _l("Scan requests"),
        "sha256": _l("Fingerprint of the copy (SHA-256)"),
        "source": _l("Given by"),
        "source_ref": _l("Reference"),
        "granted_at": _l("Given"),
        "ready_at": _l("Ready"),
        "kat_no": _l("Catalogue number"),
        "pages": _l("Pages"),
    }


def _values() -> dict[str, Any]:
    from library.holdings import READING_STATUS_LABELS
    from library.request_flow import LABELS

    return {
        "downloads.status": {
            "started": _l("started"),
            "complete": _l("complete"),
            "failed": _l("failed"),
            "abandoned": _l("not finished"),
        },
        "downloads.channel": {"web": _l("Website"), "api": _l("Application (API)")},
        "source": {
            "softcopy_request": _l("Softcopy request"),
            "purchase": _l("Purchase"),
            "officer": _l("Officer"),
        },
        "reading_requests.status": READING_STATUS_LABELS,
        "softcopy_requests.status": LABELS,
        "scan_requests.status": LABELS,
    }


SECTION = Section(
    key="library",
    title=_l("Library: downloads and requests"),
    tables=("downloads", "entitlements", "reading_requests", "softcopy_requests", "scan_requests"),
    exporter=_export,
    eraser=_erase,
    labels=_labels(),
    values=_values(),
)

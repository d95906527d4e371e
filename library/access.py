"""Who may read or download a publication: its access policy, the reader's account, their
download rights (entitlements) and the daily quota. Every reader-facing route asks here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.i18n import WIB
from catalog.models import Access, Publication
from catalog.visibility import may_preview
from library.errors import AccessDenied, NoDigitalCopy, NotVerified, QuotaReached
from library.models import Download, DownloadStatus, Entitlement
from library.settings import Settings


@dataclass(frozen=True)
class ReaderOptions:
    """What the current visitor may do with a publication, for its page."""

    signed_in: bool
    verified: bool
    can_read: bool
    can_download: bool
    entitled: bool
    downloads_left: int | None  # None: no daily limit (or a download right, which has none)
    # When today's quota is used up: the moment (midnight WIB) downloads come back.
    downloads_back_at: datetime | None = None

    @property
    def quota_used_up(self) -> bool:
        """No download left today: the page must not offer one that will be refused."""
        return self.downloads_left is not None and self.downloads_left <= 0


def _staff(user: User | None) -> bool:
    return bool(user is not None and user.is_staff)


def has_entitlement(session: Session, user_id: int, publication_id: int) -> bool:
    """Whether the user holds an unrevoked right to download the publication."""
    found = session.scalar(
        select(Entitlement.id).where(
            Entitlement.user_id == user_id,
            Entitlement.publication_id == publication_id,
            Entitlement.revoked_at.is_(None),
        )
    )
    return found is not None


def grant(
    session: Session,
    *,
    user_id: int,
    publication_id: int,
    source: str,
    source_ref: str,
    now: datetime,
    service_key: str | None = None,
) -> Entitlement:
    """Give ``user_id`` the right to download ``publication_id`` (idempotent; a revoked
    right from the same source is restored). ``service_key``: the service that gives it
    (see :func:`granting_service`). The caller commits."""
    found = session.scalar(
        select(Entitlement).where(
            Entitlement.user_id == user_id,
            Entitlement.publication_id == publication_id,
            Entitlement.source == source,
            Entitlement.source_ref == source_ref,
        )
    )
    if found is None:
        found = Entitlement(
            user_id=user_id,
            publication_id=publication_id,
            source=source,
            source_ref=source_ref,
            service_key=service_key,
            granted_at=now,
        )
        session.add(found)
    elif found.revoked_at is not None:
        found.revoked_at = None
    if service_key and not found.service_key:
        found.service_key = service_key
    return found


def granting_service(session: Session, user_id: int, publication_id: int) -> str | None:
    """The service that gave the user's (earliest, unrevoked) right to download the
    publication, e.g. ``"store-order:42"``: a download under that right is a follow-on
    of it, not a service of its own."""
    return session.scalar(
        select(Entitlement.service_key)
        .where(
            Entitlement.user_id == user_id,
            Entitlement.publication_id == publication_id,
            Entitlement.revoked_at.is_(None),
            Entitlement.service_key.is_not(None),
        )
        .order_by(Entitlement.granted_at, Entitlement.id)
        .limit(1)
    )


def check_read(session: Session, user: User, publication: Publication) -> None:
    """Raise unless ``user`` may read ``publication`` online."""
    if not publication.has_file:
        raise NoDigitalCopy()
    if not user.email_verified and not _staff(user):
        raise NotVerified()
    if _staff(user) or publication.access in (Access.OPEN, Access.READ_ONLY):
        return
    if not has_entitlement(session, user.id, publication.id):
        raise AccessDenied(_sale_message())


def check_download(session: Session, user: User, publication: Publication, now: datetime) -> None:
    """Raise unless ``user`` may download ``publication`` at ``now`` (the quota is
    checked apart): never before its release moment, except for catalogue staff."""
    if not publication.has_file:
        raise NoDigitalCopy()
    if not user.email_verified and not _staff(user):
        raise NotVerified()
    if not publication.active and not _staff(user):
        raise AccessDenied()
    if publication.embargoed(now) and not may_preview(user):
        raise AccessDenied()
    if _staff(user) or publication.access == Access.OPEN:
        return
    if has_entitlement(session, user.id, publication.id):
        return
    if publication.access == Access.READ_ONLY:
        raise AccessDenied(_read_only_message())
    raise AccessDenied(_sale_message())


def _read_only_message() -> Any:
    from flask_babel import lazy_gettext as _l

    return _l("This publication can be read online only; it cannot be downloaded.")


def _sale_message() -> Any:
    from flask_babel import lazy_gettext as _l

    return _l("This publication is sold by the office. Order it through the sales service.")


def day_start(now: datetime) -> datetime:
    """Midnight WIB of the day ``now`` falls on (quotas count per WIB day)."""
    local = now.astimezone(WIB)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def downloads_today(session: Session, user_id: int, now: datetime, settings: Settings) -> int:
    """Downloads the user took today (WIB): the completed ones, and those being sent
    right now (so that parallel clicks cannot pass the quota together). A download that
    failed, was cut, or started longer ago than ``settings.in_flight`` and never
    finished is not counted."""
    start = day_start(now)
    return int(
        session.scalar(
            select(func.count(Download.id)).where(
                Download.user_id == user_id,
                Download.created_at >= start,
                Download.created_at < start + timedelta(days=1),
                or_(
                    Download.status == DownloadStatus.COMPLETE,
                    and_(
                        Download.status == DownloadStatus.STARTED,
                        Download.created_at > now - settings.in_flight,
                    ),
                ),
            )
        )
        or 0
    )


def check_quota(session: Session, user: User, settings: Settings, now: datetime) -> int:
    """Raise ``QuotaReached`` when the user has no download left today; else how many
    are left (counting this one). A ``daily_quota`` of 0 means no limit."""
    quota = settings.daily_quota
    if quota <= 0:
        return 1_000_000
    left = quota - downloads_today(session, user.id, now, settings)
    if left <= 0:
        raise QuotaReached(quota)
    return left


def reader_options(
    session: Session,
    publication: Publication,
    user: User | None,
    settings: Settings,
    now: datetime,
) -> ReaderOptions:
    """The options a publication page offers ``user`` (``None``: not signed in)."""
    if user is None:
        return ReaderOptions(False, False, False, False, False, None)
    verified = user.email_verified or _staff(user)
    entitled = has_entitlement(session, user.id, publication.id)
    can_read = (
        publication.has_file
        and verified
        and (_staff(user) or entitled or publication.access in (Access.OPEN, Access.READ_ONLY))
    )
    can_download = (
        publication.has_file
        and verified
        and (_staff(user) or entitled or publication.access == Access.OPEN)
    )
    left = None
    back_at = None
    # A download right is not counted against the quota (see library.downloads.prepare).
    quota = settings.daily_quota
    if quota > 0 and not entitled:
        left = max(0, quota - downloads_today(session, user.id, now, settings))
        if left == 0:
            back_at = day_start(now) + timedelta(days=1)
    return ReaderOptions(True, verified, can_read, can_download, entitled, left, back_at)

"""The download database: searching who downloaded what, when and from where."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from app.accounts.models import User
from app.i18n import WIB
from app.pagination import paging
from catalog.models import Publication
from library.models import Download

PER_PAGE = 50


@dataclass(frozen=True)
class DownloadPage:
    rows: list[Download]
    total: int
    page: int
    pages: int


def search_downloads(
    session: Session,
    *,
    q: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> DownloadPage:
    """Downloads newest first, filtered by words (reader name or email, publication
    title, download code) and by WIB dates (inclusive)."""
    query = select(Download).join(User, User.id == Download.user_id)
    query = query.join(Publication, Publication.id == Download.publication_id)
    words = q.split()[:6]
    for word in words:
        like = f"%{word.replace('%', '').replace('_', '')}%"
        code = word.upper().replace("-", "")
        query = query.where(
            or_(
                User.full_name.ilike(like),
                User.email.ilike(like),
                Publication.title.ilike(like),
                Download.code == code,
            )
        )
    if date_from is not None:
        query = query.where(Download.created_at >= datetime.combine(date_from, time(), WIB))
    if date_to is not None:
        end = datetime.combine(date_to, time(), WIB) + timedelta(days=1)
        query = query.where(Download.created_at < end)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    shown = paging(page, per_page, total)
    rows = session.scalars(
        query.options(joinedload(Download.user), joinedload(Download.publication))
        .order_by(Download.created_at.desc(), Download.id.desc())
        .offset(shown.offset)
        .limit(per_page)
    ).all()
    return DownloadPage(list(rows), total, shown.page, shown.pages)

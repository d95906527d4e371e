"""What the library's reader requests (softcopy and scan-on-demand) share: a reader's
own list, the officers' queue, and one request fetched with the owner check.

Both request tables have ``user_id``, ``status``, ``created_at``, ``closed_at`` and the
``user`` and ``publication`` relationships; each service passes its model.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, joinedload

from app.accounts.models import Role, User
from app.pagination import offset
from library.errors import AccessDenied, RecordNotFound

R = TypeVar("R")


def _page(
    session: Session, query: Any, count: Any, page: int, per_page: int
) -> tuple[list[Any], int]:
    total = session.scalar(count) or 0
    rows = session.scalars(query.limit(per_page).offset(offset(page, per_page))).all()
    return list(rows), int(total)


def reader_list(
    session: Session,
    model: type[R],
    user_id: int,
    *,
    page: int,
    per_page: int,
    load: Sequence[Any] = (),
) -> tuple[list[R], int]:
    """A reader's own requests, newest first; and how many in all."""
    m: Any = model
    where = m.user_id == user_id
    query = (
        select(m)
        .where(where)
        .options(joinedload(m.publication), *(joinedload(rel) for rel in load))
        .order_by(m.created_at.desc(), m.id.desc())
    )
    return _page(session, query, select(func.count(m.id)).where(where), page, per_page)


def officer_queue(
    session: Session,
    model: type[R],
    open_statuses: Collection[Any],
    *,
    page: int,
    per_page: int,
    open_only: bool,
) -> tuple[list[R], int]:
    """Open requests first, oldest first; then closed ones, latest closed first."""
    m: Any = model
    is_open = m.status.in_(open_statuses)
    query = select(m).options(joinedload(m.user), joinedload(m.publication))
    count = select(func.count(m.id))
    if open_only:
        query, count = query.where(is_open), count.where(is_open)
    query = query.order_by(
        case((is_open, 0), else_=1), case((is_open, m.created_at)), m.closed_at.desc(), m.id
    )
    return _page(session, query, count, page, per_page)


def get_owned(
    session: Session, model: type[R], request_id: int, *, actor: User | None, lock: bool
) -> R:
    """One request; with ``actor``, only their own unless they are an officer."""
    found: Any = session.get(
        model, request_id, with_for_update=lock or None, populate_existing=lock
    )
    if found is None:
        raise RecordNotFound()
    if actor is not None and found.user_id != actor.id and not actor.has_role(Role.OFFICER):
        raise AccessDenied(_l("This request belongs to another reader."))
    return found  # type: ignore[no-any-return]

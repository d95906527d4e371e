"""Which publications the public may see: one predicate for every channel.

Pages, search, the API, feeds, sitemaps, OAI-PMH, the reader, downloads and
the store all ask here, so a rule about visibility is written once and holds
everywhere. Two rules today: a withdrawn publication is hidden, and so is one
under embargo — before its release moment (``Publication.release_at``, BPS's
advance release calendar; see :mod:`catalog.release`). The rule reads ``now``,
never a flag a job sets: a publication goes live at its moment whether or not the
release job has run.

Catalogue staff (officers and admins) may preview an embargoed publication
(:func:`may_preview`); pages then label it "Embargo sampai <moment WIB>".
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from catalog.models import Publication, Status


def public_clause(now: Any) -> ColumnElement[bool]:
    """A WHERE clause true for publications the public may see at ``now``.

    ``now`` is an aware UTC instant from the app's clock, or :func:`now_param` in a
    statement built once and run with ``{"now": …}``.
    """
    return and_(
        Publication.status == Status.ACTIVE,
        or_(Publication.release_at.is_(None), Publication.release_at <= now),
    )


def is_public(publication: Publication, now: datetime) -> bool:
    """The same rule as :func:`public_clause`, for one loaded publication."""
    return publication.status == Status.ACTIVE and not publication.embargoed(now)


def withdrawn_clause(now: datetime) -> ColumnElement[bool]:
    """A WHERE clause true for withdrawn publications the public may have seen: the
    channels that announce deletions (OAI-PMH's deleted records) name these, and only
    these. A publication never released (its moment still to come) is not among them:
    it was never public, so no channel may mention it, not even as gone.
    """
    return and_(
        Publication.status == Status.WITHDRAWN,
        or_(Publication.release_at.is_(None), Publication.release_at <= now),
    )


def now_param() -> Any:
    """The instant ``now`` as a parameter of a statement built once (building one costs
    more than running it on a busy page): pass ``{"now": clock.now()}`` when executing."""
    return bindparam("now", type_=Publication.__table__.c.release_at.type)


@cache
def _hidden_statement() -> Select[int]:
    return select(Publication.id).where(~public_clause(now_param()))


def hidden_ids(session: Session, now: datetime) -> list[int]:
    """The publications the public may not see at ``now`` (withdrawn or under embargo):
    a search engine leaves them out of its answers at query time, so a release is live
    at its moment without waiting for any index write."""
    return list(session.scalars(_hidden_statement(), {"now": now}))


def may_preview(user: Any) -> bool:
    """Whether ``user`` (a ``User``, ``current_user`` or None) may see publications under
    embargo: the catalogue's officers and admins, who prepare the releases. Other staff
    (reception, sales, subject matter) see what the public sees until the moment."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.has_role(Role.OFFICER)
    )

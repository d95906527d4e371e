"""Which publications the public may see: one predicate for every channel.

Pages, search, the API, feeds, sitemaps, OAI-PMH, the reader, downloads and
the store all ask here, so a rule about visibility (withdrawal today, a
scheduled release moment tomorrow) is written once and holds everywhere.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement

from catalog.models import Publication, Status


def public_clause(now: datetime) -> ColumnElement[bool]:
    """A WHERE clause true for publications the public may see at ``now``.

    ``now`` is an aware UTC instant from the app's clock; it is part of the
    signature because visibility depends on time (scheduled releases).
    """
    del now  # Withdrawal is the only rule so far; the release moment joins it.
    return Publication.status == Status.ACTIVE


def is_public(publication: Publication, now: datetime) -> bool:
    """The same rule as :func:`public_clause`, for one loaded publication."""
    del now
    return publication.status == Status.ACTIVE


def withdrawn_clause(now: datetime) -> ColumnElement[bool]:
    """A WHERE clause true for withdrawn publications the public may have seen: the
    channels that announce deletions (OAI-PMH's deleted records) name these, and only
    these. A publication never released (an embargo still running) is not among them:
    it was never public, so no channel may mention it, not even as gone.
    """
    del now  # Every withdrawn publication was public so far; the release moment joins it.
    return Publication.status == Status.WITHDRAWN

"""Publication cards: the columns a card shows, the loader options for lists of cards and
the newest releases (the home page's cards)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload, load_only

from catalog.models import Publication
from catalog.visibility import public_clause

#: What a card shows of a publication: a search results page selects only these (rows,
#: not entities: a tenth of the cost) and they are the card cache's key
#: (``catalog.http.publication_card``).
CARD_COLUMNS = (
    Publication.id,
    Publication.title,
    Publication.cover_key,
    Publication.master_key,
    Publication.release_date,
    Publication.kat_no,
    Publication.page_count,
    Publication.access,
)
#: Loader options for lists of publication cards as entities: only the columns a card
#: shows (and the status), not the abstract or the outline, and no subjects (a list
#: would load every card's subjects for nothing).
CARD_LOAD = (load_only(*CARD_COLUMNS[1:], Publication.status), lazyload(Publication.subjects))


def newest(session: Session, now: datetime, limit: int = 8) -> list[Publication]:
    """The latest releases readers can see at ``now``, newest first (loaded for cards)."""
    return list(
        session.scalars(
            select(Publication)
            .options(*CARD_LOAD)
            .where(public_clause(now))
            .order_by(Publication.release_date.desc().nulls_last(), Publication.id.desc())
            .limit(limit)
        )
    )

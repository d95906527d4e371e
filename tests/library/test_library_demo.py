"""The library's demo step: print-only records and printed copies, once."""

from __future__ import annotations

from sqlalchemy import func, select

from catalog.models import Publication
from library.demo import PRINT_ONLY, seed_library
from library.holdings import availability
from library.models import Holding


def test_seed_library_adds_print_only_records_and_copies(session, make_publication):
    printed = make_publication(printed=True)
    make_publication(printed=False)

    line = seed_library(session)

    assert line.startswith(f"library: {len(PRINT_ONLY)} print-only publications")
    records = session.scalars(select(Publication).where(Publication.master_key.is_(None))).all()
    assert sorted(r.title for r in records) == sorted(m["title"] for m in PRINT_ONLY)
    assert all(availability(session, r.id).total >= 1 for r in records)
    assert availability(session, printed.id).total >= 1
    copies = session.scalar(select(func.count()).select_from(Holding))
    assert seed_library(session).endswith("demo skipped")
    assert session.scalar(select(func.count()).select_from(Holding)) == copies

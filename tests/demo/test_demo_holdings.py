"""The library's demo step: print-only records and printed copies, once."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from sqlalchemy import func, select

from catalog.models import Publication
from demo.holdings import PRINT_ONLY, seed_library
from library.holdings import availability
from library.models import Holding

_seq = itertools.count(1)


@pytest.fixture
def make_publication(session):
    """A catalogued publication as a row only (no stored file: nothing here reads it)."""

    def make(**fields):
        n = next(_seq)
        digest = hashlib.sha256(f"demo publication {n}".encode()).hexdigest()
        values = {
            "title": f"Statistik Daerah Provinsi Bengkulu {2000 + n}",
            "printed": True,
            "page_count": 2,
            "file_size": 1000,
            "sha256": digest,
            "original_key": digest,
            "master_key": digest,
            **fields,
        }
        publication = Publication(**values)
        session.add(publication)
        session.commit()
        return publication

    return make


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

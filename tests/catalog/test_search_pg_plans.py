"""The PostgreSQL engine's query plans: its statements find publications with the GIN
index rather than by reading every row's large ``all_tsv``, find a phrase's pages among
the matching publications' own pages, and leave the caller's session settings as they
were. PostgreSQL only (``PST_TEST_DATABASE_URL``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from catalog.search import PubDoc
from catalog.search.pg import PostgresSearch

pytestmark = pytest.mark.skipif(
    not os.environ.get("PST_TEST_DATABASE_URL", "").startswith("postgres"),
    reason="the PostgreSQL engine needs PST_TEST_DATABASE_URL=postgresql://…",
)


class Explaining(Session):
    """A session that records the plan of each statement reading the search tables."""

    plans: list[str]

    def execute(self, statement: Any, params: Any = None, **kw: Any) -> Any:
        sql = str(statement)
        if sql.lstrip().startswith(("SELECT", "WITH")) and "search_" in sql:
            rows = super().execute(text(f"EXPLAIN {sql}"), params).all()
            self.plans.append("\n".join(r[0] for r in rows))
        return super().execute(statement, params, **kw)


@pytest.fixture
def setup(database_url: str, tmp_path: Path) -> Iterator[tuple[PostgresSearch, Explaining]]:
    from app.config import _database_uri

    db = create_engine(_database_uri(database_url, tmp_path))
    reader = Explaining(db)
    reader.plans = []
    engine = PostgresSearch(lambda: reader, lambda: Session(db))
    docs = [
        PubDoc(
            pub_id=n,
            title=f"Statistik Tenaga Kerja {n}",
            subjects=["Ketenagakerjaan"],
            year=2020 + n % 4,
            release_date=date(2020 + n % 4, 1, 1),
            pages=[f"Jumlah tenaga kerja di kota {n}.", "Angkatan kerja dan upah."],
        )
        for n in range(1, 9)
    ]
    engine.rebuild(docs)
    yield engine, reader
    reader.close()
    with db.begin() as conn:
        conn.execute(text("DELETE FROM search_pages"))
        conn.execute(text("DELETE FROM search_documents"))
    db.dispose()


def _settings(session: Session) -> tuple[str, str]:
    row = session.execute(
        text(
            "SELECT current_setting('enable_seqscan'), "
            "current_setting('max_parallel_workers_per_gather')"
        )
    ).one()
    return row[0], row[1]


def test_matches_come_from_the_index_not_a_scan(
    setup: tuple[PostgresSearch, Explaining],
) -> None:
    engine, reader = setup
    assert engine.query("tenaga").total == 8
    assert engine.query("upah", sort="date", facets=False).total == 8
    assert engine.query('"angkatan kerja"').total == 8
    plans = "\n".join(reader.plans)
    assert "ix_search_documents_all_tsv" in plans
    # A few rows: left alone, PostgreSQL reads them all, each row's vector with them.
    assert "Seq Scan on search_documents" not in plans
    # A phrase's pages: the matching publications' own, not all pages with its words.
    assert "ix_search_pages_tsv" not in plans
    assert "Gather" not in plans  # workers take longer to start than the work takes


def test_a_rebuild_leaves_the_tables_analysed(
    setup: tuple[PostgresSearch, Explaining],
) -> None:
    _, reader = setup
    with reader.begin():
        # pg_class.reltuples is -1 until the table is analysed
        counted = reader.execute(
            text(
                "SELECT relname, reltuples FROM pg_class WHERE oid IN "
                "(to_regclass('search_documents'), to_regclass('search_pages'))"
            )
        ).all()
        assert sorted(counted) == [("search_documents", 8), ("search_pages", 16)]


def test_the_callers_settings_are_left_as_they_were(
    setup: tuple[PostgresSearch, Explaining],
) -> None:
    engine, reader = setup
    with reader.begin():
        reader.execute(text("SET LOCAL max_parallel_workers_per_gather = 3"))
        assert _settings(reader) == ("on", "3")
        engine.query("tenaga")
        engine.search_pages(1, "kerja")
        assert _settings(reader) == ("on", "3")

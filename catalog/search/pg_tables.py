"""The PostgreSQL engine's tables: one row per publication, one per page.

``search_documents`` holds what results show and filter on, the tsvectors of the
title (``head``), abstract and subjects (``meta``) and the whole body (positions are
page numbers), and ``all_tsv``, their union without positions, which the GIN index
answers word queries from. ``search_pages`` holds each page's text and tsvector, for
page hits, snippets and phrases; it has no GIN index: pages are only ever looked for
among one publication's own (by the primary key), and keeping that index up to date
was about a third of the database's time when indexing. ``head`` (the title words as
text) has a trigram index for typo tolerance. Vectors and texts are compressed with lz4
(decompressed on every ranking call, about three times faster than the default pglz),
and a page's vector is kept in its row (``STORAGE MAIN``) rather than in the TOAST
table: ranking a hit's matching pages then reads the heap only, about a sixteenth of
the buffers. Migration 0025 creates them, 0026 sets this storage, 0036 drops the pages'
GIN index (PostgreSQL only); :func:`define` describes them to SQLAlchemy, so that the
app's metadata (and the migration check) knows them.
"""

from __future__ import annotations

from sqlalchemy import DDL, Column, Computed, Date, Index, Integer, MetaData, Table, Text, event
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR

DOCUMENTS = "search_documents"
PAGES = "search_pages"
#: Column storage (see the module docstring); migration 0026 holds a copy.
STORAGE = {
    DOCUMENTS: (
        "ALTER TABLE search_documents ALTER COLUMN head_tsv SET COMPRESSION lz4, "
        "ALTER COLUMN meta_tsv SET COMPRESSION lz4, ALTER COLUMN body_tsv SET COMPRESSION lz4, "
        "ALTER COLUMN all_tsv SET COMPRESSION lz4"
    ),
    PAGES: (
        "ALTER TABLE search_pages ALTER COLUMN body SET COMPRESSION lz4, "
        "ALTER COLUMN tsv SET COMPRESSION lz4, ALTER COLUMN tsv SET STORAGE MAIN"
    ),
}


def define(metadata: MetaData) -> None:
    """Describe the tables in ``metadata`` (once; for PostgreSQL databases only)."""
    if DOCUMENTS in metadata.tables:
        return
    documents = Table(
        DOCUMENTS,
        metadata,
        Column("pub_id", Integer, primary_key=True, autoincrement=False),
        Column("title", Text, nullable=False),
        Column("subtitle", Text, nullable=False),
        Column("abstract", Text, nullable=False),
        Column("head", Text, nullable=False),
        Column("subjects", ARRAY(Text), nullable=False),
        Column("kind", Text, nullable=False),
        Column("language", Text, nullable=False),
        Column("year", Integer),
        Column("release_date", Date),
        Column("access", Text, nullable=False),
        Column("head_tsv", TSVECTOR, nullable=False),
        Column("meta_tsv", TSVECTOR, nullable=False),
        Column("body_tsv", TSVECTOR, nullable=False),
        Column("all_tsv", TSVECTOR, Computed("strip(head_tsv || meta_tsv || body_tsv)")),
        Index(f"ix_{DOCUMENTS}_all_tsv", "all_tsv", postgresql_using="gin"),
        Index(
            f"ix_{DOCUMENTS}_head_trgm",
            "head",
            postgresql_using="gin",
            postgresql_ops={"head": "gin_trgm_ops"},
        ),
    )
    pages = Table(
        PAGES,
        metadata,
        Column("pub_id", Integer, primary_key=True, autoincrement=False),
        Column("page", Integer, primary_key=True, autoincrement=False),
        Column("body", Text, nullable=False),
        Column("tsv", TSVECTOR, nullable=False),
    )
    for table in (documents, pages):
        event.listen(table, "after_create", DDL(STORAGE[table.name]))  # type: ignore[no-untyped-call]  # untyped upstream

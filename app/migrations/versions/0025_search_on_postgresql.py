"""The PostgreSQL search engine's tables and GIN indexes (PostgreSQL only).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 18:40:00

On PostgreSQL the catalogue's search can live in the database (``SEARCH_ENGINE`` auto
or postgres): a row per publication and per page with tsvectors of the project's own
Sastrawi analysis, a GIN index for words and a trigram index on titles (pg_trgm) for
typos. On SQLite the migration does nothing (the Whoosh engine is the only one there).
After upgrading, ``pst reindex`` fills the tables from the catalogue.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# The statements as written today (catalog.search.pg_tables.DDL may change later).
DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """CREATE TABLE search_documents (
        pub_id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        subtitle TEXT NOT NULL,
        abstract TEXT NOT NULL,
        head TEXT NOT NULL,
        subjects TEXT[] NOT NULL,
        kind TEXT NOT NULL,
        language TEXT NOT NULL,
        year INTEGER,
        release_date DATE,
        access TEXT NOT NULL,
        head_tsv TSVECTOR NOT NULL,
        meta_tsv TSVECTOR NOT NULL,
        body_tsv TSVECTOR NOT NULL,
        all_tsv TSVECTOR GENERATED ALWAYS AS (strip(head_tsv || meta_tsv || body_tsv)) STORED
    )""",
    "CREATE INDEX ix_search_documents_all_tsv ON search_documents USING gin (all_tsv)",
    # The operator class is named with the schema pg_trgm lives in: it may be another
    # schema than the one being migrated (one extension per database).
    "CREATE INDEX ix_search_documents_head_trgm ON search_documents "
    "USING gin (head {trgm}.gin_trgm_ops)",
    """CREATE TABLE search_pages (
        pub_id INTEGER NOT NULL,
        page INTEGER NOT NULL,
        body TEXT NOT NULL,
        tsv TSVECTOR NOT NULL,
        PRIMARY KEY (pub_id, page)
    )""",
    "CREATE INDEX ix_search_pages_tsv ON search_pages USING gin (tsv)",
)
DROP = ("DROP TABLE IF EXISTS search_pages", "DROP TABLE IF EXISTS search_documents")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    bind = op.get_bind()
    trgm = None
    for statement in DDL:
        if "{trgm}" in statement:
            trgm = trgm or bind.exec_driver_sql(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
            ).scalar_one()
            statement = statement.replace("{trgm}", f'"{trgm}"')
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DROP:
        op.execute(statement)

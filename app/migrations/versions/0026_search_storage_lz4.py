"""lz4 compression for the PostgreSQL search tables, page vectors kept in their rows.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 19:40:00

Ranking a hit's pages decompresses every matching page's vector once per ``@@`` and
``ts_rank`` call; with pglz and the vectors in the TOAST table that was most of a
query's time. lz4 decompresses about three times faster and ``STORAGE MAIN`` keeps a
page's vector in its row (see ``catalog.search.pg_tables``). Rows written before the
upgrade keep their old storage until they are written again: run ``pst reindex``.
On SQLite the migration does nothing.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

# The statements as written today (catalog.search.pg_tables.STORAGE may change later).
UPGRADE = (
    "ALTER TABLE search_documents ALTER COLUMN head_tsv SET COMPRESSION lz4, "
    "ALTER COLUMN meta_tsv SET COMPRESSION lz4, ALTER COLUMN body_tsv SET COMPRESSION lz4, "
    "ALTER COLUMN all_tsv SET COMPRESSION lz4",
    "ALTER TABLE search_pages ALTER COLUMN body SET COMPRESSION lz4, "
    "ALTER COLUMN tsv SET COMPRESSION lz4, ALTER COLUMN tsv SET STORAGE MAIN",
)
DOWNGRADE = (
    "ALTER TABLE search_documents ALTER COLUMN head_tsv SET COMPRESSION DEFAULT, "
    "ALTER COLUMN meta_tsv SET COMPRESSION DEFAULT, "
    "ALTER COLUMN body_tsv SET COMPRESSION DEFAULT, "
    "ALTER COLUMN all_tsv SET COMPRESSION DEFAULT",
    "ALTER TABLE search_pages ALTER COLUMN body SET COMPRESSION DEFAULT, "
    "ALTER COLUMN tsv SET COMPRESSION DEFAULT, ALTER COLUMN tsv SET STORAGE EXTENDED",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in UPGRADE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DOWNGRADE:
        op.execute(statement)

"""The PostgreSQL search drops the GIN index of its pages' vectors (PostgreSQL only).

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-08 00:30:00

No query asks it any more: a hit's pages and a phrase's pages are looked for among one
publication's own pages (the primary key), since the index found every page of the
corpus holding the words, tens of thousands each checked again. Keeping it up to date
was about a third of the database's time when indexing (see
``catalog.search.pg_tables``). On SQLite the migration does nothing.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_pages_tsv")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_search_pages_tsv ON search_pages USING gin (tsv)")

"""Series of publications: the editions of one yearly title, linked to each other.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 21:30:00

Adds ``series`` (a title and its folded ``key``, unique) and ``publications.series_id``
(nullable; a series deleted leaves its editions without one).
"""

import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_series_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("key", name=op.f("uq_series_key")),
    )
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_publications_series_id"), ["series_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_publications_series_id_series"),
            "series",
            ["series_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_publications_series_id_series"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_publications_series_id"))
        batch_op.drop_column("series_id")
    op.drop_table("series")

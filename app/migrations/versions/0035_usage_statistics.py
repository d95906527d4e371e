"""Usage statistics: COUNTER-style counts of views, online reads and downloads.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 21:30:00

Adds ``usage_salts`` (one random salt per WIB day, deleted when the day is over),
``usage_visits`` (today's unique item requests per hashed visitor, double clicks
filtered) and ``usage_months`` (the monthly totals the past days are rolled up into).
No table holds an address, a browser string or an account.
"""

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "usage_salts",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_usage_salts")),
    )
    op.create_table(
        "usage_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("visitor", sa.String(length=64), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("last_seen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_usage_visits_publication_id_publications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_visits")),
        sa.UniqueConstraint(
            "day", "publication_id", "action", "visitor", name=op.f("uq_usage_visits_day")
        ),
    )
    with op.batch_alter_table("usage_visits", schema=None) as batch_op:
        batch_op.create_index("ix_usage_visits_publication", ["publication_id"], unique=False)
    op.create_table(
        "usage_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("uniques", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_usage_months_publication_id_publications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_months")),
        sa.UniqueConstraint(
            "month", "publication_id", "action", name=op.f("uq_usage_months_month")
        ),
    )
    with op.batch_alter_table("usage_months", schema=None) as batch_op:
        batch_op.create_index("ix_usage_months_publication", ["publication_id"], unique=False)


def downgrade():
    with op.batch_alter_table("usage_months", schema=None) as batch_op:
        batch_op.drop_index("ix_usage_months_publication")
    op.drop_table("usage_months")
    with op.batch_alter_table("usage_visits", schema=None) as batch_op:
        batch_op.drop_index("ix_usage_visits_publication")
    op.drop_table("usage_visits")
    op.drop_table("usage_salts")

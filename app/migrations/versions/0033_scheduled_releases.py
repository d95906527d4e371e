"""Scheduled releases (Rencana Terbit) and versions of a publication's file.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 21:30:00

Adds to ``publications`` the release moment (``release_at``, UTC), a staff override of
its time of day (``release_time``, WIB) and ``release_pending`` (the after-release work
is still to do); existing publications get their release date at 11:00 WIB (04:00 UTC),
so one dated in the future is under embargo from now on, as it should have been. Adds
``publication_versions`` (one row per file a publication has had).
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from app.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

#: 11:00 WIB (UTC+7) on the release date, the default of CATALOG_RELEASE_TIME.
DEFAULT_OFFSET = timedelta(hours=4)


def upgrade():
    with op.batch_alter_table("publications") as batch_op:
        batch_op.add_column(sa.Column("release_time", sa.Time(), nullable=True))
        batch_op.add_column(sa.Column("release_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column(
                "release_pending", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.create_index("ix_publications_release_at", ["release_at"], unique=False)
        batch_op.create_index(
            "ix_publications_release_pending", ["release_pending"], unique=False
        )
    _backfill()
    op.create_table(
        "publication_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("original_key", sa.String(length=64), nullable=True),
        sa.Column("master_key", sa.String(length=64), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_publication_versions_publication_id_publications"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_publication_versions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_versions")),
        sa.UniqueConstraint(
            "publication_id", "number", name=op.f("uq_publication_versions_publication_id")
        ),
    )
    with op.batch_alter_table("publication_versions") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publication_versions_publication_id"), ["publication_id"], unique=False
        )


def _backfill():
    """Each dated publication's moment: its date at 11:00 WIB, computed here (SQLite and
    PostgreSQL spell date arithmetic differently); pending when still to come."""
    pubs = sa.table(
        "publications",
        sa.column("id", sa.Integer()),
        sa.column("release_date", sa.Date()),
        sa.column("release_at", UTCDateTime(timezone=True)),
        sa.column("release_pending", sa.Boolean()),
    )
    conn = op.get_bind()
    now = datetime.now(UTC)
    rows = conn.execute(
        sa.select(pubs.c.id, pubs.c.release_date).where(pubs.c.release_date.is_not(None))
    ).all()
    for pub_id, day in rows:
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + DEFAULT_OFFSET
        conn.execute(
            pubs.update()
            .where(pubs.c.id == pub_id)
            .values(release_at=moment, release_pending=moment > now)
        )


def downgrade():
    with op.batch_alter_table("publication_versions") as batch_op:
        batch_op.drop_index(batch_op.f("ix_publication_versions_publication_id"))
    op.drop_table("publication_versions")
    with op.batch_alter_table("publications") as batch_op:
        batch_op.drop_index("ix_publications_release_pending")
        batch_op.drop_index("ix_publications_release_at")
        batch_op.drop_column("release_pending")
        batch_op.drop_column("release_at")
        batch_op.drop_column("release_time")

"""Durable jobs: attempts, leases, submission and retry times.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 12:10:00

Adds to ``jobs``: ``attempts`` and ``max_attempts`` (runs begun and allowed),
``submitted_at`` (when the job was handed to the queue; NULL: the sweeper still has to),
``next_attempt_at`` (a retry waits for it) and ``lease_until`` (a running job's worker
renews it; once it passes the sweeper takes the worker for dead). Existing jobs count
as submitted once, with one attempt allowed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("max_attempts", sa.Integer(), server_default="1", nullable=False)
        )
        batch_op.add_column(
            sa.Column("submitted_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("next_attempt_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("lease_until", app.db.UTCDateTime(timezone=True), nullable=True)
        )
    jobs = sa.table(
        "jobs",
        sa.column("state", sa.String),
        sa.column("attempts", sa.Integer),
        sa.column("created_at", app.db.UTCDateTime()),
        sa.column("submitted_at", app.db.UTCDateTime()),
    )
    # Jobs that ran (or run) were handed over once; queued ones too, as far as we know.
    op.execute(jobs.update().where(jobs.c.state != "queued").values(attempts=1))
    op.execute(jobs.update().values(submitted_at=jobs.c.created_at))


def downgrade():
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("submitted_at")
        batch_op.drop_column("max_attempts")
        batch_op.drop_column("attempts")

"""Idempotent forms: one-time submission tokens, one open scan request per pages.

Revision ID: 0021
Revises: 0017
Create Date: 2026-12-07 12:00:00

Adds the table ``form_submissions`` (a form post's one-time token, UNIQUE, and the
object it made) and a partial unique index on the open scan requests of a reader for
the same pages of a publication. Duplicates made before (by concurrent posts) are
declined first, keeping the earliest open request, so that the index can be built.
Downloads gain the status ``abandoned`` (a plain string column: no schema change).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import app.db

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0017"
branch_labels = None
depends_on = None

_OPEN = "status IN ('open', 'processing')"


def upgrade():
    op.create_table(
        "form_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("object_ref", sa.String(length=64), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submissions")),
        sa.UniqueConstraint("token", name=op.f("uq_form_submissions_token")),
    )
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_submissions_created_at"), ["created_at"], unique=False
        )
    # Concurrent duplicates of the past: the earliest open request stays.
    op.execute(
        "UPDATE scan_requests SET status = 'declined' WHERE "
        + _OPEN
        + " AND id NOT IN (SELECT MIN(id) FROM scan_requests WHERE "
        + _OPEN
        + " GROUP BY user_id, publication_id, pages)"
    )
    with op.batch_alter_table("scan_requests", schema=None) as batch_op:
        batch_op.create_index(
            "uq_scan_requests_open",
            ["user_id", "publication_id", "pages"],
            unique=True,
            sqlite_where=sa.text(_OPEN),
            postgresql_where=sa.text(_OPEN),
        )


def downgrade():
    with op.batch_alter_table("scan_requests", schema=None) as batch_op:
        batch_op.drop_index("uq_scan_requests_open")
    with op.batch_alter_table("form_submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_submissions_created_at"))
    op.drop_table("form_submissions")

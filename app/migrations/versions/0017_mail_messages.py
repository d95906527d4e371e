"""The mail queue: every outgoing message stored with the change that caused it.

Revision ID: 0017
Revises: 0020
Create Date: 2026-12-07 12:00:00

Adds ``mail_messages`` (recipient, subject, the composed message until it is sent,
state pending/sent/failed, attempts, next attempt, give-up time, last error). Mail
already sent before this revision was not kept, so there is nothing to copy.
"""

import sqlalchemy as sa
from alembic import op

import app.db

# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("give_up_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_messages")),
    )
    with op.batch_alter_table("mail_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mail_messages_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index("ix_mail_messages_due", ["state", "next_attempt_at"], unique=False)


def downgrade():
    with op.batch_alter_table("mail_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_mail_messages_due")
        batch_op.drop_index(batch_op.f("ix_mail_messages_created_at"))
    op.drop_table("mail_messages")

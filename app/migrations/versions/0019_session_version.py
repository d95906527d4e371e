"""A session version per account: raising it ends every session and remember-me cookie.

Revision ID: 0019
Revises: 0021
Create Date: 2026-12-07 12:00:00

Existing accounts start at 1. Sessions and remember-me cookies issued before this
revision carry no version and are refused: everyone signs in once more after the upgrade.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")

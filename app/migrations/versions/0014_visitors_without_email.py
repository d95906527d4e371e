"""Visitors signed into the guest book without an email address.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=True)


def downgrade():
    # The older schema needs an address: give the email-less visitors an undeliverable
    # one (RFC 2606 ``.invalid``) rather than deleting their guest-book history.
    op.execute(
        "UPDATE users SET email = 'visitor-' || id || '@no-email.invalid' WHERE email IS NULL"
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=False)

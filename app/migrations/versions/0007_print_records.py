"""Catalogue records without a file: printed publications not yet digitised.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('original_key', existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column('master_key', existing_type=sa.String(length=64), nullable=True)


def downgrade():
    # Records without a file cannot survive the older schema.
    op.execute("DELETE FROM publications WHERE master_key IS NULL")
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.alter_column('master_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('original_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=False)

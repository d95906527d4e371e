"""Scan-on-demand pages are private to their reader: the scan is a blob of the request
(not a catalogue item), and a download may stamp it (downloads.scan_request_id).

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-07 09:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('scan_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scan_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('scan_pages', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('scan_size', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('downloads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scan_request_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_downloads_scan_request_id'), ['scan_request_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_downloads_scan_request_id_scan_requests'),
            'scan_requests', ['scan_request_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('downloads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_downloads_scan_request_id_scan_requests'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_downloads_scan_request_id'))
        batch_op.drop_column('scan_request_id')
    with op.batch_alter_table('scan_requests', schema=None) as batch_op:
        batch_op.drop_column('scan_size')
        batch_op.drop_column('scan_pages')
        batch_op.drop_column('scan_key')

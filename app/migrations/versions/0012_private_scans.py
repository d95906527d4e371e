"""Scan-on-demand pages are private to their reader: the scan is a blob of the request
(not a catalogue item), and a download may stamp it (downloads.scan_request_id).
Visitors registered at the desk who never set a password get the unusable password
hash ("!…") that marks an account without one, so registering online claims it.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-07 09:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = "0010"
branch_labels = None
depends_on = None


# Visitors the guest book registered (audit "desk.visitor_registered") who never
# signed in, reset or changed a password: their stored hash was of a random secret.
_UNCLAIMED = """
UPDATE users SET password_hash = '!' || CAST(id AS VARCHAR(20))
WHERE CAST(id AS VARCHAR(20)) IN (
    SELECT subject_id FROM audit_events
    WHERE action = 'desk.visitor_registered' AND subject_type = 'user'
      AND subject_id IS NOT NULL)
AND CAST(id AS VARCHAR(20)) NOT IN (
    SELECT subject_id FROM audit_events
    WHERE subject_type = 'user' AND subject_id IS NOT NULL
      AND action IN ('account.login', 'account.password_reset', 'account.password_changed'))
"""


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
    op.execute(_UNCLAIMED)


def downgrade():
    # Unusable hashes stay unusable under the older code (no password verifies them).
    with op.batch_alter_table('downloads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_downloads_scan_request_id_scan_requests'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_downloads_scan_request_id'))
        batch_op.drop_column('scan_request_id')
    with op.batch_alter_table('scan_requests', schema=None) as batch_op:
        batch_op.drop_column('scan_size')
        batch_op.drop_column('scan_pages')
        batch_op.drop_column('scan_key')

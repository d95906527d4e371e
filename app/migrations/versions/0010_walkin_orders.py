"""Walk-in sales: orders placed at the desk, who entered them, the desk ticket and visit;
the scan of a paper abstract of use.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 09:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('store_orders', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('channel', sa.String(length=10), server_default='online', nullable=False)
        )
        batch_op.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('desk_ticket_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('desk_visit_id', sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f('ix_store_orders_entered_by_id'), ['entered_by_id'], unique=False
        )
        batch_op.create_index(
            batch_op.f('ix_store_orders_desk_ticket_id'), ['desk_ticket_id'], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_store_orders_entered_by_id_users'),
            'users',
            ['entered_by_id'],
            ['id'],
            ondelete='SET NULL',
        )
    with op.batch_alter_table('store_abstracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scan_key', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('scan_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('scan_content_type', sa.String(length=120), nullable=True))


def downgrade():
    with op.batch_alter_table('store_abstracts', schema=None) as batch_op:
        batch_op.drop_column('scan_content_type')
        batch_op.drop_column('scan_name')
        batch_op.drop_column('scan_key')
    with op.batch_alter_table('store_orders', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_store_orders_entered_by_id_users'), type_='foreignkey'
        )
        batch_op.drop_index(batch_op.f('ix_store_orders_desk_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_store_orders_entered_by_id'))
        batch_op.drop_column('desk_visit_id')
        batch_op.drop_column('desk_ticket_id')
        batch_op.drop_column('entered_by_id')
        batch_op.drop_column('channel')

"""Store: the NTPN or bank reference of a confirmed payment; every abstract revision kept.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-07 09:10:00

"""
from alembic import op
import sqlalchemy as sa

import app.db  # noqa: F401 - column types such as app.db.UTCDateTime


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('store_payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reference', sa.String(length=40), nullable=True))

    op.create_table('store_abstract_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('method', sa.Text(), nullable=False),
    sa.Column('variables', sa.Text(), nullable=False),
    sa.Column('regions', sa.Text(), nullable=False),
    sa.Column('outputs', sa.Text(), nullable=False),
    sa.Column('completion_date', sa.Date(), nullable=False),
    sa.Column('submitted_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['store_orders.id'], name=op.f('fk_store_abstract_revisions_order_id_store_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_abstract_revisions')),
    sa.UniqueConstraint('order_id', 'revision', name=op.f('uq_store_abstract_revisions_order_id'))
    )
    with op.batch_alter_table('store_abstract_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_store_abstract_revisions_order_id'), ['order_id'], unique=False)


def downgrade():
    with op.batch_alter_table('store_abstract_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_store_abstract_revisions_order_id'))

    op.drop_table('store_abstract_revisions')
    with op.batch_alter_table('store_payments', schema=None) as batch_op:
        batch_op.drop_column('reference')

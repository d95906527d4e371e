"""Recommendations in person: files attached by the officer (covering letter, scanned
paper form) and the head's return to the officer.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 09:10:00

"""
from alembic import op
import sqlalchemy as sa

import app.db


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('advisory_recommendations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('head_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('head_returned_at', app.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('advisory_recommendations', schema=None) as batch_op:
        batch_op.alter_column('head_note', server_default=None)

    op.create_table('advisory_recommendation_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('blob_key', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['advisory_recommendations.id'], name=op.f('fk_advisory_recommendation_files_recommendation_id_advisory_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_advisory_recommendation_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisory_recommendation_files'))
    )
    with op.batch_alter_table('advisory_recommendation_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisory_recommendation_files_recommendation_id'), ['recommendation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('advisory_recommendation_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisory_recommendation_files_recommendation_id'))
    op.drop_table('advisory_recommendation_files')
    with op.batch_alter_table('advisory_recommendations', schema=None) as batch_op:
        batch_op.drop_column('head_returned_at')
        batch_op.drop_column('head_note')

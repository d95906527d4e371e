"""Authenticator secrets encrypted at rest, like ID numbers.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 21:45:00

``two_factor.secret`` held each person's TOTP secret in clear: anyone reading the
database (or a backup) could compute their codes. It now holds a Fernet token made
with the personal-data keys (:mod:`app.accounts.personal_data`: ``PST_PERSONAL_DATA_KEY``
or, unset, the one derived from ``SECRET_KEY``), so run the upgrade with the
configuration the app runs with. The downgrade writes the clear values back.
"""

import sqlalchemy as sa
from alembic import op
from flask import current_app

from app.accounts.personal_data import keyring_for

# revision identifiers, used by Alembic.
revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

_two_factor = sa.table("two_factor", sa.column("user_id", sa.Integer), sa.column("secret", sa.Text))


def _rewrite(convert):
    conn = op.get_bind()
    rows = conn.execute(sa.select(_two_factor.c.user_id, _two_factor.c.secret)).all()
    for row in rows:
        conn.execute(
            _two_factor.update()
            .where(_two_factor.c.user_id == row.user_id)
            .values(secret=convert(row.secret))
        )


def upgrade():
    with op.batch_alter_table("two_factor", schema=None) as batch_op:
        batch_op.alter_column(
            "secret", existing_type=sa.String(length=64), type_=sa.Text(), existing_nullable=False
        )
    _rewrite(keyring_for(current_app.config).encrypt)


def downgrade():
    _rewrite(keyring_for(current_app.config).decrypt)
    with op.batch_alter_table("two_factor", schema=None) as batch_op:
        batch_op.alter_column(
            "secret", existing_type=sa.Text(), type_=sa.String(length=64), existing_nullable=False
        )

"""ID numbers encrypted at rest, found by a keyed hash; the clear index dropped.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 19:30:00

``users.id_number`` held each NIK in clear, indexed. It now holds a Fernet token and
``users.id_number_hash`` an HMAC-SHA256 of the value for look-up (see
:mod:`app.accounts.personal_data`). The keys are the app's: ``PST_PERSONAL_DATA_KEY``
or, unset, the one derived from ``SECRET_KEY`` (the environment or the instance's
secret file) — so run the upgrade with the configuration the app runs with.
The downgrade writes the clear values back (with the same keys).
"""

import sqlalchemy as sa
from alembic import op
from flask import current_app

from app.accounts.personal_data import keyring_for

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

_users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("id_number", sa.Text),
    sa.column("id_number_hash", sa.String),
)


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_id_number"))
        batch_op.alter_column(
            "id_number", existing_type=sa.String(length=40), type_=sa.Text(), existing_nullable=True
        )
        batch_op.add_column(
            sa.Column(
                "id_number_hash",
                sa.String(length=64),
                server_default=sa.text("NULL"),
                nullable=True,
            )
        )
        batch_op.create_index(batch_op.f("ix_users_id_number_hash"), ["id_number_hash"])
    keys = keyring_for(current_app.config)
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_users.c.id, _users.c.id_number).where(_users.c.id_number.is_not(None))
    ).all()
    for row in rows:
        plain = row.id_number.strip()
        conn.execute(
            _users.update()
            .where(_users.c.id == row.id)
            .values(
                id_number=keys.encrypt(plain) if plain else None,
                id_number_hash=keys.lookup_hash(plain) if plain else None,
            )
        )


def downgrade():
    keys = keyring_for(current_app.config)
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_users.c.id, _users.c.id_number).where(_users.c.id_number.is_not(None))
    ).all()
    for row in rows:
        conn.execute(
            _users.update()
            .where(_users.c.id == row.id)
            .values(id_number=keys.decrypt(row.id_number))
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_id_number_hash"))
        batch_op.drop_column("id_number_hash")
        batch_op.alter_column(
            "id_number", existing_type=sa.Text(), type_=sa.String(length=40), existing_nullable=True
        )
        batch_op.create_index(batch_op.f("ix_users_id_number"), ["id_number"], unique=False)

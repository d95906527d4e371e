"""Enrolled kiosk devices and tickets' secret rating codes.

Revision ID: 0020
Revises: 0016
Create Date: 2026-12-07 12:15:00

Adds the table ``kiosk_devices`` (browsers a receptionist enrolled as the office kiosk:
the kiosk pages answer only them and the configured office networks) and
``desk_tickets.rating_code`` (the secret printed on a ticket that opens its rating at
the kiosk; the number alone no longer does). Tickets issued before have no code: they
are rated through their status page's link, as before.
"""

from alembic import op
import sqlalchemy as sa

from app.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kiosk_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("enrolled_by_id", sa.Integer(), nullable=True),
        sa.Column("enrolled_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("last_seen", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["enrolled_by_id"],
            ["users.id"],
            name=op.f("fk_kiosk_devices_enrolled_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["users.id"],
            name=op.f("fk_kiosk_devices_revoked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kiosk_devices")),
    )
    with op.batch_alter_table("desk_tickets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rating_code", sa.String(length=8), nullable=True))
        batch_op.create_unique_constraint(op.f("uq_desk_tickets_rating_code"), ["rating_code"])


def downgrade():
    with op.batch_alter_table("desk_tickets", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_desk_tickets_rating_code"), type_="unique")
        batch_op.drop_column("rating_code")
    op.drop_table("kiosk_devices")

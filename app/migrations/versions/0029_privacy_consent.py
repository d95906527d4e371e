"""Privacy notice versions and consents (UU 27/2022 on Personal Data Protection).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 21:45:00

Adds ``privacy_notice_versions`` (each published text of the privacy notice, in
Indonesian and English, with what changed; never edited) and ``privacy_consents`` (each
consent given to a version: when, through which channel, recorded by whom, whose;
append-only), and publishes version 1 (:mod:`app.accounts.notice_text`).
"""

from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

from app.db import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    versions = op.create_table(
        "privacy_notice_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("changes_id", sa.Text(), nullable=False),
        sa.Column("changes_en", sa.Text(), nullable=False),
        sa.Column("published_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_privacy_notice_versions_published_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notice_versions")),
        sa.UniqueConstraint("number", name=op.f("uq_privacy_notice_versions_number")),
    )
    op.create_table(
        "privacy_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column(
            "channel",
            sa.Enum(
                "registration",
                "kiosk",
                "receptionist",
                "reconsent",
                name="consent_channel",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=True),
        sa.Column("given_at", UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "user_id IS NOT NULL OR visit_id IS NOT NULL", name=op.f("ck_privacy_consents_subject")
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["privacy_notice_versions.id"],
            name=op.f("fk_privacy_consents_notice_id_privacy_notice_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_privacy_consents_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_privacy_consents_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_consents")),
    )
    with op.batch_alter_table("privacy_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_privacy_consents_notice_id"), ["notice_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_privacy_consents_user_id"), ["user_id"], unique=False)

    # Version 1, as the pages showed it before any version was stored.
    from app.accounts import notice_text

    op.bulk_insert(
        versions,
        [
            {
                "number": 1,
                "body_id": notice_text.FIRST_ID,
                "body_en": notice_text.FIRST_EN,
                "changes_id": notice_text.FIRST_CHANGES_ID,
                "changes_en": notice_text.FIRST_CHANGES_EN,
                "published_at": datetime.now(UTC),
                "published_by_id": None,
            }
        ],
    )


def downgrade():
    with op.batch_alter_table("privacy_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_privacy_consents_user_id"))
        batch_op.drop_index(batch_op.f("ix_privacy_consents_notice_id"))
    op.drop_table("privacy_consents")
    op.drop_table("privacy_notice_versions")

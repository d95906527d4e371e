"""Queue the job that makes the stamping plan of every master stored so far.

Revision ID: 0024
Revises: 0019
Create Date: 2026-12-07 15:30:00

From this revision the library makes a master's plan when the catalogue stores it;
masters stored before waited for their first download (0.8 s before the first byte).
The migration adds one queued, unsubmitted ``library.plan_masters`` job: the job row is
the outbox, so the first sweeper that runs after the upgrade submits it (Redis or the
embedded queue alike), and a worker plans the masters in the background. On an empty
database the job finds nothing to do.
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0019"
branch_labels = None
depends_on = None

JOB = "library.plan_masters"

jobs = sa.table(
    "jobs",
    sa.column("id", sa.String),
    sa.column("name", sa.String),
    sa.column("state", sa.String),
    sa.column("progress", sa.Integer),
    sa.column("params", sa.Text),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("attempts", sa.Integer),
    sa.column("max_attempts", sa.Integer),
)


def upgrade() -> None:
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # SQLite keeps naive UTC (app.db.UTCDateTime)
    op.bulk_insert(
        jobs,
        [
            {
                "id": uuid.uuid4().hex,
                "name": JOB,
                "state": "queued",
                "progress": 0,
                "params": "{}",
                "created_at": now,
                "attempts": 0,
                "max_attempts": 3,
            }
        ],
    )


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM jobs WHERE name = :name AND state = 'queued'").bindparams(name=JOB)
    )

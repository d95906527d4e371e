"""The migrations build exactly the models' schema (no forgotten revision)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db as _db


def test_models_match_migrations(app):
    with _db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"render_as_batch": True})
        diff = compare_metadata(context, _db.metadata)
    assert diff == [], f"models differ from the migrations; run `pst db migrate`: {diff}"

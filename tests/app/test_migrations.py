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


def test_desk_visitors_who_never_set_a_password_are_marked_unclaimed(app, session):
    """0012 gives accounts the guest book made, and nobody ever signed into, the
    unusable hash of an account without a password (so registering online claims them)."""
    import importlib

    from factories import user
    from sqlalchemy import text

    from app import audit
    from app.accounts.models import User

    migration = importlib.import_module("app.migrations.versions.0012_private_scans")
    unclaimed, used, online = (user(session) for _ in range(3))
    for person in (unclaimed, used):
        audit.record(
            session,
            "desk.visitor_registered",
            actor_id=None,
            subject_type="user",
            subject_id=person.id,
        )
    audit.record(
        session, "account.login", actor_id=used.id, subject_type="user", subject_id=used.id
    )
    session.commit()
    session.execute(text(migration._UNCLAIMED))
    session.commit()
    session.expire_all()
    assert not session.get(User, unclaimed.id).has_password
    assert session.get(User, used.id).has_password
    assert session.get(User, online.id).has_password

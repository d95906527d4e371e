"""Alembic environment: runs migrations on the app's engine and metadata.

Batch mode is on so that ALTERs work on SQLite; constraint names come from the
naming convention in :mod:`app.db`, so they match on every backend.
"""

from __future__ import annotations

import logging

from alembic import context
from flask import current_app

config = context.config
log = logging.getLogger("alembic.env")


def _db():  # type: ignore[no-untyped-def]
    return current_app.extensions["migrate"].db


def _metadata():  # type: ignore[no-untyped-def]
    return _db().metadata


def run_migrations_offline() -> None:
    url = str(_db().engine.url).replace("%", "%%")
    context.configure(
        url=url, target_metadata=_metadata(), literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(context_, revision, directives):  # type: ignore[no-untyped-def]
        # `pst db migrate` with no model change should not write an empty revision.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                log.info("No changes in schema detected.")

    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", skip_empty)
    options["render_as_batch"] = True
    with _db().engine.connect() as connection:
        context.configure(connection=connection, target_metadata=_metadata(), **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

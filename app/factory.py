"""The application factory. Building an app touches no disk, network or database."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from advisory import wiring as advisory_wiring
from app import api as api_wiring
from app import blobs, cli, config, errors, frame, i18n, jobs, logfilter, mail, pagecache, security
from app.accounts import passwords, personal_data
from app.db import tune_sqlite
from app.extensions import babel, csrf, db, limiter, login_manager, migrate
from catalog import wiring as catalog_wiring
from desk import wiring as desk_wiring
from library import wiring as library_wiring
from scanning import wiring as scanning_wiring
from store import wiring as store_wiring

MIGRATIONS = str(Path(__file__).parent / "migrations")


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    instance_path = os.environ.get("PST_INSTANCE_PATH") or None
    if test_config and test_config.get("INSTANCE_PATH"):
        instance_path = str(test_config["INSTANCE_PATH"])
    if instance_path:
        instance_path = os.path.abspath(instance_path)
    app = Flask("app", instance_path=instance_path, instance_relative_config=True)
    logfilter.install()  # before anything can log a NIK, a phone or a token
    config.load(app, test_config)
    passwords.configure(app.config["PASSWORD_HASH_COST"])  # process-wide: argon2 cost
    personal_data.init_app(app)  # the keys of the ID numbers stored encrypted
    api_wiring.configure(app)

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            tune_sqlite(engine, app.config["SQLITE_SYNCHRONOUS"])
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    limiter.init_app(app)
    pagecache.init_app(app)  # before the other before_request hooks: a hit skips them
    _init_login(app)
    errors.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    frame.init_app(app)  # base.html's header and footer, kept per kind of visitor
    mail.init_app(app)
    blobs.init_app(app)
    jobs.init_app(app)
    _register_blueprints(app)
    catalog_wiring.init_app(app)
    library_wiring.init_app(app)
    scanning_wiring.init_app(app)
    desk_wiring.init_app(app)
    store_wiring.init_app(app)
    advisory_wiring.init_app(app)
    api_wiring.init_app(app)
    _template_context(app)
    cli.register(app)
    return app


def _init_login(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from app import sessions

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")  # type: ignore[assignment]
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    sessions.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from flask_babel import lazy_gettext as _l

    from app import admin, health, mail_views, maintenance, web
    from app.accounts import oidc_views, privacy_views, rights_views, totp_views
    from app.accounts import retention as account_retention
    from app.accounts import views as accounts
    from app.accounts.erasure_models import ErasureRequest
    from app.accounts.models import Role
    from app.accounts.rights import readable
    from app.navigation import staff_link

    del maintenance, rights_views  # a job registration; routes joining accounts.bp
    for bp in (web.bp, accounts.bp, admin.bp, mail_views.bp, health.bp):
        app.register_blueprint(bp)
    totp_views.init_app(app)
    account_retention.register(app)
    oidc_views.init_app(app)
    privacy_views.init_app(app)  # the privacy notice, consent and asking again
    office = _l("Office")
    staff_link(app, office, _l("Accounts and roles"), "admin.users", Role.ADMIN)
    staff_link(app, office, _l("Background jobs"), "admin.job_list", Role.ADMIN)
    staff_link(app, office, _l("Audit log"), "admin.audit_events", Role.ADMIN)
    staff_link(
        app, office, _l("Erasure requests"), "accounts.erasure_queue", Role.ADMIN,
        description=_l("Personal data people asked to have erased"),
    )  # fmt: skip
    del ErasureRequest  # the table, for the metadata
    app.jinja_env.filters["readable"] = readable
    staff_link(app, office, _l("Outgoing mail"), "mail_admin.messages", Role.ADMIN)
    staff_link(
        app, office, _l("Retention of personal data"), "admin.retention_report", Role.ADMIN,
        description=_l("How long personal data is kept, and what is due now"),
    )  # fmt: skip


def _template_context(app: Flask) -> None:
    from app.accounts.forms import ROLE_CHOICES, LanguageForm
    from app.accounts.models import Role

    role_labels = {choice.value: choice.label for choice in ROLE_CHOICES}

    def role_label(role: Role) -> str:
        return str(role_labels.get(role.value, role.value))

    @app.context_processor
    def inject() -> dict[str, Any]:
        return {
            "office_name": app.config["OFFICE_NAME"],
            "language_form": LanguageForm,
            "Role": Role,
            "role_label": role_label,
        }

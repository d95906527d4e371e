"""The ``pst`` command: Flask's CLI on this app plus PST's own commands.

``pst serve`` runs the web server and a job worker in one process (embedded
default); ``pst worker`` runs workers alone (production, with Redis), each with a job
sweeper (``pst jobs sweep`` runs one pass); ``pst db
upgrade`` applies migrations; ``pst users create`` / ``pst tokens create`` make staff
accounts and API tokens; ``pst storage check`` verifies every stored blob; ``pst demo``
fills a fresh instance with the demo content of the ``demo`` package.

The commands are listed from a static table (``COMMANDS``) and imported only when one
runs, so ``pst --help`` builds no app and imports no feature (the target is half a
second, ``bench/startup.py``); a command that needs the app builds it itself
(``with_appcontext``). ``register`` still attaches every command to ``app.cli`` for
``flask --app``; a test checks that the table lists exactly what the app registers.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import signal
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

# Every command of ``pst`` besides Flask's own ``run``/``shell``/``routes``: its name, where
# it lives ("module:attribute", imported when the command runs) and its one-line help.
COMMANDS: dict[str, tuple[str, str]] = {
    "advisory": ("advisory.cli:advisory_cli", "Advisory services: consultations, recommendations."),
    "backup": ("app.backup.commands:backup_command", "Back up the database, blobs, keys and settings into FOLDER (new or empty)."),  # noqa: E501
    "catalog": ("catalog.cli:catalog_group", "Catalogue metadata in the shape of BPS's web API."),
    "config": ("app.cli:show_config", "Print the effective configuration (secrets masked)."),
    "db": ("flask_migrate.cli:db", "Perform database migrations."),
    "demo": ("app.cli:demo_command", "Fill an empty instance with demo content: generated BPS Provinsi Bengkulu publications, printed copies in the library and products in the store."),  # noqa: E501
    "desk": ("desk.cli:desk_cli", "The front desk: service calendar."),
    "ingest": ("catalog.cli:ingest_command", 'Add each FILE (a PDF) to the catalogue; print {"id", "pages", "sha256"} as JSON, one line per file.'),  # noqa: E501
    "jobs": ("app.cli:jobs", "Background jobs."),
    "library": ("library.cli:library_group", "Library maintenance."),
    "limiter": ("flask_limiter.commands:cli", "Flask-Limiter maintenance & utility commands"),
    "openapi": ("flask_smorest.spec:openapi_cli", "OpenAPI commands."),
    "privacy": ("app.accounts.commands:privacy", "Personal data: the keys of the ID numbers stored encrypted, and retention."),  # noqa: E501
    "reindex": ("catalog.cli:reindex_command", "Rebuild the search index from the database."),
    "restore": ("app.backup.commands:restore_command", "Restore the backup in FOLDER into this instance (stop the app first)."),  # noqa: E501
    "scan": ("scanning.cli:scan_command", 'Scan pages, recognise their text and add them to the catalogue; print the result as JSON ({"publication_id", "pages", ...}).'),  # noqa: E501
    "search": ("catalog.cli:search_command", "Search the catalogue."),
    "serve": ("app.cli:serve", "Run the web server and a job worker together (embedded defaults)."),
    "settings": ("app.cli:show_settings", "List every setting: PST_ name, type, default (secrets masked), meaning."),  # noqa: E501
    "storage": ("app.cli:storage", "Blob storage."),
    "store": ("store.cli:store_group", "The sales service."),
    "sweep-temp": ("app.tempfiles:sweep_temp_command", "Remove temporary folders that killed processes left behind."),  # noqa: E501
    "tokens": ("app.cli:tokens", "Manage personal API tokens."),
    "users": ("app.cli:users", "Manage accounts."),
    "watermark": ("library.cli:watermark_group", "Stamped downloads and leak tracing."),
    "worker": ("app.cli:worker", "Run background job workers until interrupted (production: one per host)."),  # noqa: E501
}  # fmt: skip

# Subcommands another package adds to a group when the app registers its commands.
GRAFTS: dict[str, tuple[str, ...]] = {
    "library": ("scanning.cli:privatise_scans_command",),
    "store": ("app.cli:store_demo_command",),
}

# The modules that declare settings: ``pst settings`` imports them instead of building
# the app (a test compares its list with the one of a built app).
SETTINGS_MODULES = (
    "app.config",
    "app.accounts.oidc_settings",
    "app.pagecache",
    "app.accounts.privacy_views",
    "catalog.wiring",
    "library.wiring",
    "scanning.batches",
    "desk.wiring",
    "store.wiring",
    "advisory.wiring",
)


def _create(*_args: Any) -> Any:
    from app.factory import create_app

    return create_app()


def _prepare() -> None:
    """Give the embedded defaults a folder and a stable secret before the app starts."""
    from app.config import prepare_instance

    instance = os.environ.get("PST_INSTANCE_PATH") or str(Path.cwd() / "instance")
    prepare_instance(Path(instance))
    os.environ.setdefault("PST_INSTANCE_PATH", instance)


def _load(target: str) -> click.Command:
    module, _, attribute = target.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{target} is not a click command")
    return command


class LazyGroup(FlaskGroup):
    """Flask's group whose PST commands come from ``COMMANDS``, imported when resolved.

    Unlike ``FlaskGroup`` it neither builds the app nor loads the plugin entry points to
    list or find a command; a name the table does not know falls back to both.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        if name not in COMMANDS:
            return super().get_command(ctx, name)
        command = _load(COMMANDS[name][0])
        if isinstance(command, click.Group):
            for graft in GRAFTS.get(name, ()):
                command.add_command(_load(graft))
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            # A stand-in carrying the table's help shortens it as the real one would.
            command = self.commands.get(name) or click.Command(name, help=COMMANDS[name][1])
            rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


cli = LazyGroup(
    create_app=_create,
    add_version_option=False,
    load_dotenv=False,
    help="PST: the integrated statistical service platform.",
)


def main() -> None:
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("app").setLevel(logging.INFO)
    _prepare()
    cli.main(prog_name="pst")


# --- users and tokens -------------------------------------------------------------------


@click.group()
def users() -> None:
    """Manage accounts."""


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name.")
@click.option(
    "--role",
    default="officer",
    show_default=True,
    type=click.Choice(["user", "receptionist", "officer", "subject_matter", "head", "admin"]),
)
@click.option(
    "--password",
    default=None,
    help="Password; read from standard input when omitted (never from history).",
)
@with_appcontext
def users_create(email: str, name: str, role: str, password: str | None) -> None:
    """Create a verified account with ROLE."""
    from app.accounts import services
    from app.accounts.errors import AccountError
    from app.accounts.models import Role
    from app.accounts.passwords import MIN_LENGTH
    from app.extensions import db

    if password is None:
        if sys.stdin.isatty():
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        else:
            password = sys.stdin.readline().rstrip("\n")
    if len(password) < MIN_LENGTH:
        raise click.ClickException(f"the password needs at least {MIN_LENGTH} characters")
    try:
        user = services.create_staff(
            db.session(),
            email=email,
            full_name=name,
            role=Role(role),
            password=password,
            actor_id=None,
        )
    except AccountError as exc:
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"created {user.email} ({user.role.value}), id {user.id}")


@click.group()
def tokens() -> None:
    """Manage personal API tokens."""


@tokens.command("create")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
@with_appcontext
def tokens_create(email: str, name: str) -> None:
    """Print a new API token for EMAIL (shown once; only its hash is kept)."""
    from app.accounts import services
    from app.extensions import db

    user = services.find_by_email(db.session(), email)
    if user is None:
        raise click.ClickException(f"no account with email {email}")
    _token, plain = services.create_api_token(db.session(), user, name)
    click.echo(plain)


# --- storage ---------------------------------------------------------------------------


@click.group()
def storage() -> None:
    """Blob storage."""


@storage.command("check")
@with_appcontext
def storage_check() -> None:
    """Report registered blobs that are missing or whose content no longer matches."""
    from app.blobs import check_blobs, current_store
    from app.extensions import db

    store = current_store()
    click.echo(f"checking {store.describe()} ...", err=True)
    report = check_blobs(db.session(), store)
    for key in report.missing:
        click.echo(f"missing  {key}")
    for key in report.corrupt:
        click.echo(f"corrupt  {key}")
    click.echo(
        f"{report.checked} checked, {len(report.missing)} missing, {len(report.corrupt)} corrupt"
    )
    if not report.ok:
        sys.exit(1)


@storage.command("sweep")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
@with_appcontext
def storage_sweep(dry_run: bool) -> None:
    """Remove abandoned work in progress: uploads whose job ended long ago, old batches."""
    from app import abandoned, clock
    from app.extensions import db
    from app.i18n import to_wib
    from app.uow import unit_of_work

    session = db.session()
    with unit_of_work(session):
        reports = abandoned.run(
            session, current_app.config, clock.now(), abandoned.rules(), dry_run=dry_run
        )
    verb = "would remove" if dry_run else "removed"
    for report in reports:
        if report.period is None or report.cutoff is None:
            click.echo(f"{report.name}: kept for good ({report.label})")
            continue
        items = report.found if dry_run else report.removed
        hours = int(report.period.total_seconds() // 3600)
        kept = f"{hours // 24} days" if hours % 24 == 0 else f"{hours} hours"
        cutoff = to_wib(report.cutoff).strftime("%Y-%m-%d %H:%M WIB")
        size = sum(item.size for item in items)
        click.echo(
            f"{report.name}: {kept}, before {cutoff}: {len(items)} {verb}, "
            f"{size} bytes ({report.label})"
        )
        for item in items:
            click.echo(f"  {item.what}")


# --- running ---------------------------------------------------------------------------


@click.command("worker")
@click.option("--workers", "-w", type=int, default=None, help="Worker threads.")
@with_appcontext
def worker(workers: int | None) -> None:
    """Run background job workers until interrupted (production: one per host)."""
    from app.jobs import queue
    from app.sweeper import Sweeper

    huey = queue().huey
    count = workers or int(current_app.config["JOBS_WORKERS"])
    consumer = huey.create_consumer(workers=count, worker_type="thread")
    # Recovers what a dead worker or an unreachable queue left behind, from the start.
    sweeper = Sweeper(current_app._get_current_object())  # type: ignore[attr-defined]
    sweeper.start()
    try:
        consumer.run()
    finally:
        sweeper.stop()


@click.group()
def jobs() -> None:
    """Background jobs."""


@jobs.command("sweep")
@with_appcontext
def jobs_sweep() -> None:
    """Recover jobs once: resubmit lost or unsubmitted ones, fail or rerun dead runs."""
    from app.extensions import db
    from app.sweeper import sweep

    report = sweep(db.session())
    click.echo(
        f"{len(report.requeued)} run again, {len(report.failed)} failed, "
        f"{len(report.submitted)} submitted, {len(report.unsubmitted)} not submitted"
    )
    if report.unsubmitted:
        sys.exit(1)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="Do not run a job worker in this process.")
def serve(host: str, port: int, no_worker: bool) -> None:
    """Run the web server and a job worker together (embedded defaults).

    This server speaks plain HTTP, so unless configured otherwise its cookies are not
    marked Secure (browsers would drop them); production runs gunicorn behind TLS.
    """
    from werkzeug.serving import make_server

    from app.factory import create_app

    # A fresh app: the one FlaskGroup loaded to list commands predates this setting.
    os.environ.setdefault("PST_COOKIE_SECURE", "0")
    app = create_app()
    from app.sweeper import Sweeper

    consumer = sweeper = None
    if not no_worker:
        consumer = app.extensions["pst.jobs"].huey.create_consumer(
            workers=int(app.config["JOBS_WORKERS"]), worker_type="thread"
        )
        consumer.start()
        sweeper = Sweeper(app)
        sweeper.start()
        # Huey's consumer takes SIGINT/SIGTERM for itself; this process is the web
        # server's, so both go back to stopping it (and the consumer with it below).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)
    server = make_server(host, port, app, threaded=True)
    import gc

    # What start-up made lives as long as the process: out of the collector's way (as
    # gunicorn.conf.py does after a worker loads the app), each collection is shorter.
    gc.freeze()
    click.echo(f"PST is serving on http://{host}:{server.server_port}/ (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if sweeper is not None:
            sweeper.stop()
        if consumer is not None:
            consumer.stop(graceful=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command("config")
@with_appcontext
def show_config() -> None:
    """Print the effective configuration (secrets masked)."""
    from app.config import public_settings

    click.echo(json.dumps(public_settings(current_app), indent=2, default=str))


# --- demo content -----------------------------------------------------------------------
# The demo package is imported only when these run: it is not part of the product, and
# no feature may import it.


@click.command("demo")
@click.option("--count", default=32, show_default=True, help="How many publications.")
@with_appcontext
def demo_command(count: int) -> None:
    """Fill an empty instance with demo content: generated BPS Provinsi Bengkulu
    publications, printed copies in the library and products in the store."""
    from demo.fill import fill

    fill(count)


@click.command("demo")
@with_appcontext
def store_demo_command() -> None:
    """Add the demo products and tariffs (idempotent)."""
    from demo.fill import fill_store

    fill_store()


@click.command("settings")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per setting.")
def show_settings(as_json: bool) -> None:
    """List every setting: PST_ name, type, default (secrets masked), meaning."""
    from app.settings import describe, registered

    for module in SETTINGS_MODULES:
        importlib.import_module(module)

    rows = describe(registered())
    if as_json:
        click.echo(json.dumps(rows, indent=2, default=str))
        return
    for row in rows:
        secret = " (secret)" if row["secret"] else ""
        click.echo(f"{row['env']}  [{row['type']}]  default: {row['default']!r}{secret}")
        click.echo(f"    {row['description']}")


def register(app: Flask) -> None:
    """Attach PST's commands to ``app.cli`` (so ``pst`` and ``flask --app`` both see them)."""
    from app.tempfiles import sweep_temp_command

    for command in (
        users,
        tokens,
        storage,
        jobs,
        worker,
        serve,
        show_config,
        show_settings,
        sweep_temp_command,
        demo_command,
    ):
        app.cli.add_command(command)
    # ``pst store demo`` sits in the store's group (registered by the feature before the
    # shell's commands).
    store_group = app.cli.commands.get("store")
    if isinstance(store_group, click.Group):
        store_group.add_command(store_demo_command)
    from app.backup.commands import register as register_backup  # pst backup / restore

    register_backup(app)
    from app.accounts.commands import register as register_privacy  # pst privacy rotate-key

    register_privacy(app)

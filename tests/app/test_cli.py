"""The ``pst`` command: users, tokens, storage check, and the real console script."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import Role, User
from app.blobs import current_store, save_blob


def _cli(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_users_create_with_password_from_stdin(app, session):
    result = _cli(
        app,
        "users",
        "create",
        "Petugas@Example.org",
        "--name",
        "Petugas Satu",
        "--role",
        "officer",
        input="sandi-petugas-123\n",
    )
    assert result.exit_code == 0, result.output
    person = session.scalar(select(User).where(User.email == "petugas@example.org"))
    assert person.role == Role.OFFICER and person.email_verified
    assert services.authenticate(session, "petugas@example.org", "sandi-petugas-123")
    assert "sandi-petugas-123" not in result.output


def test_users_create_and_sign_in_agree_on_addresses(app, client, session):
    """What ``pst users create`` accepts, the sign-in form accepts; what the form
    refuses, the command refuses too (with the form's words, nothing created)."""
    from helpers import submit

    refused = _cli(
        app, "users", "create", "officer@bps.test", "--name", "O", "--password", "x" * 12
    )
    assert refused.exit_code != 0 and "email" in refused.output.lower()
    assert session.scalar(select(User).where(User.email == "officer@bps.test")) is None
    form = submit(client, "/login", {"email": "officer@bps.test", "password": "x" * 12})
    assert 'id="email-error"' in form.get_data(as_text=True)

    made = _cli(app, "users", "create", "Officer@BPS.go.id", "--name", "O", "--password", "x" * 12)
    assert made.exit_code == 0, made.output
    signed_in = submit(client, "/login", {"email": "officer@bps.go.id", "password": "x" * 12})
    assert signed_in.status_code == 302


def test_users_create_refuses_duplicates_and_short_passwords(app, session):
    args = ["users", "create", "a@example.org", "--name", "A", "--role", "admin"]
    assert _cli(app, *args, "--password", "pendek").exit_code != 0
    assert _cli(app, *args, "--password", "cukup-panjang-1").exit_code == 0
    again = _cli(app, *args, "--password", "cukup-panjang-1")
    assert again.exit_code != 0
    assert "sudah" in again.output  # Indonesian, the office language, from the CLI too
    assert (
        _cli(
            app,
            "users",
            "create",
            "b@example.org",
            "--name",
            "B",
            "--role",
            "boss",
            "--password",
            "cukup-panjang-1",
        ).exit_code
        != 0
    )


def test_tokens_create_prints_a_working_token(app, session, client):
    _cli(
        app,
        "users",
        "create",
        "api@example.org",
        "--name",
        "API",
        "--role",
        "user",
        "--password",
        "cukup-panjang-1",
    )
    result = _cli(app, "tokens", "create", "api@example.org", "--name", "skrip")
    assert result.exit_code == 0
    token = result.output.strip()
    assert token.startswith("pst_")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json["email"] == "api@example.org"
    assert _cli(app, "tokens", "create", "nobody@example.org").exit_code != 0


def test_storage_check_reports_missing_and_corrupt(app, session, tmp_path):
    store = current_store()
    refs = []
    for i in range(3):
        path = tmp_path / f"{i}.bin"
        path.write_bytes(f"blob {i}".encode() * 100)
        refs.append(save_blob(session, store, path))
    session.commit()
    ok = _cli(app, "storage", "check")
    assert ok.exit_code == 0 and "3 checked, 0 missing, 0 corrupt" in ok.output
    store.delete(refs[0].key)
    blob_path = next(Path(store.root).rglob(refs[1].key))
    blob_path.write_bytes(b"tampered")
    bad = _cli(app, "storage", "check")
    assert bad.exit_code == 1
    assert f"missing  {refs[0].key}" in bad.output
    assert f"corrupt  {refs[1].key}" in bad.output


@pytest.mark.long
@pytest.mark.one_database("sqlite")  # its own fresh SQLite instance, whatever the run's
def test_console_script_end_to_end(tmp_path, database_url):
    """The installed ``pst`` entry point: migrate a fresh SQLite instance, add a user."""
    env = {**os.environ, "PST_INSTANCE_PATH": str(tmp_path / "inst")}
    env.pop("PST_DATABASE_URL", None)
    pst = [sys.executable, "-c", "from app.cli import main; main()"]
    upgrade = subprocess.run(
        [*pst, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
    )
    assert upgrade.returncode == 0, upgrade.stderr
    assert (tmp_path / "inst" / "pst.sqlite3").exists()
    assert (tmp_path / "inst" / "secret_key").exists()
    created = subprocess.run(
        [*pst, "users", "create", "admin@example.org", "--name", "Admin", "--role", "admin"],
        input="sandi-admin-123\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert created.returncode == 0, created.stderr
    token = subprocess.run(
        [*pst, "tokens", "create", "admin@example.org"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert token.stdout.strip().startswith("pst_")


@pytest.mark.long
def test_serve_runs_web_and_worker_until_interrupted(tmp_path):
    """``pst serve`` answers over HTTP with plain-HTTP cookies and stops on Ctrl+C."""
    import signal
    import urllib.request

    env = {**os.environ, "PST_INSTANCE_PATH": str(tmp_path / "inst")}
    env.pop("PST_DATABASE_URL", None)
    env.pop("PST_COOKIE_SECURE", None)
    pst = [sys.executable, "-c", "from app.cli import main; main()"]
    subprocess.run([*pst, "db", "upgrade"], env=env, capture_output=True, timeout=120, check=True)
    proc = subprocess.Popen(
        [*pst, "serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        seen = []
        for line in proc.stdout:  # the address line, after anything printed before it
            seen.append(line)
            if "serving on " in line:
                break
        else:
            pytest.fail(f"pst serve stopped before serving: {seen!r} {proc.stderr.read()!r}")
        url = line.split("serving on ", 1)[1].split()[0]
        with urllib.request.urlopen(url + "healthz", timeout=10) as response:  # noqa: S310
            assert response.status == 200
        with urllib.request.urlopen(url + "login", timeout=10) as response:  # noqa: S310
            cookie = response.headers["Set-Cookie"]
            assert cookie.startswith("pst_session=") and "Secure" not in cookie
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == 0


# --- start-up: ``pst`` lists its commands without building the app --------------------

# What ``pst --help`` must not import: the database layer, migrations, search, PDF tools.
HEAVY = ("sqlalchemy", "flask_migrate", "alembic", "whoosh", "reportlab", "pypdf", "PIL")
FEATURES = ("catalog", "library", "scanning", "store", "desk", "advisory", "demo")

_RUN_PST = """
import contextlib, io, json, sys
from app.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        main()
    except SystemExit:
        pass
print(json.dumps({"out": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _pst_in_subprocess(tmp_path, *args):
    import json

    env = {**os.environ, "PST_INSTANCE_PATH": str(tmp_path / "inst")}
    env.pop("PST_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", _RUN_PST, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result = json.loads(done.stdout)
    return result["out"], {name.split(".")[0] for name in result["modules"]}, result["modules"]


def test_help_lists_the_commands_without_building_the_app(tmp_path):
    from app.cli import COMMANDS

    out, packages, modules = _pst_in_subprocess(tmp_path, "--help")
    listed = out.split("Commands:", 1)[1]
    for name in (*COMMANDS, "routes", "run", "shell"):
        assert f"\n  {name} " in listed
    assert "Perform database migrations." in listed
    assert not packages & {*HEAVY, *FEATURES}, sorted(packages & {*HEAVY, *FEATURES})
    assert "app.factory" not in modules


def test_group_help_shows_subcommands_other_packages_add(tmp_path):
    """``pst store --help`` and ``pst library --help`` without the app still show the
    subcommands the shell and the scanning package add to those groups."""
    store_help, _, modules = _pst_in_subprocess(tmp_path, "store", "--help")
    assert "  demo " in store_help and "  expire " in store_help
    assert "app.factory" not in modules
    library_help, _, _ = _pst_in_subprocess(tmp_path, "library", "--help")
    assert "  privatise-scans " in library_help


def test_static_command_table_matches_what_the_app_registers(app):
    """The table ``pst`` lists from cannot drift from the commands a built app has: the
    same names, the same objects, the same one-line help."""
    from importlib import metadata

    from app.cli import COMMANDS, GRAFTS, _load, cli

    registered = set(app.cli.commands) | {
        ep.name for ep in metadata.entry_points(group="flask.commands")
    }
    assert set(COMMANDS) == registered
    assert set(cli.commands) == {"routes", "run", "shell"}  # Flask's own, built in
    for name, (target, help_text) in COMMANDS.items():
        real = app.cli.commands.get(name) or _load(target)
        assert _load(target) is real, name
        assert real.get_short_help_str(10_000) == help_text, name
    for group, targets in GRAFTS.items():
        assert {_load(target).name for target in targets} <= set(app.cli.commands[group].commands)


def test_settings_lists_every_setting_without_building_the_app(app, tmp_path):
    import json

    from app.settings import registered

    out, _, modules = _pst_in_subprocess(tmp_path, "settings", "--json")
    assert "app.factory" not in modules
    assert [row["name"] for row in json.loads(out)] == [s.name for s in registered()]

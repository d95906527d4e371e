"""Configuration layers: defaults -> instance config.py -> PST_* environment -> test mapping."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from app import create_app
from app.config import ConfigurationError, from_environ, prepare_instance


def test_embedded_defaults_live_in_the_instance_folder(tmp_path, monkeypatch):
    for name in ("PST_DATABASE_URL", "PST_STORAGE_URL", "PST_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PST_INSTANCE_PATH", str(tmp_path / "inst"))
    app = create_app()
    instance = Path(app.instance_path)
    assert instance == tmp_path / "inst"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'pst.sqlite3'}"
    assert app.config["STORAGE_URL"] == str(instance / "blobs")
    assert app.config["SEARCH_INDEX_PATH"] == str(instance / "search-index")
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["OFFICE_NAME"] == "BPS Provinsi Bengkulu"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "id"
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Jakarta"
    # The factory wrote nothing.
    assert not instance.exists()


def test_layers_override_in_order(tmp_path, monkeypatch):
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "config.py").write_text(
        'OFFICE_NAME = "dari berkas"\nMAIL_PORT = 2525\nOFFICE_EMAIL = "berkas@example.org"\n'
    )
    monkeypatch.setenv("PST_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("PST_OFFICE_NAME", "dari lingkungan")
    monkeypatch.setenv("PST_MAIL_PORT", "2626")
    app = create_app({"MAIL_PORT": 2727})
    assert app.config["OFFICE_EMAIL"] == "berkas@example.org"  # file over default
    assert app.config["OFFICE_NAME"] == "dari lingkungan"  # environment over file
    assert app.config["MAIL_PORT"] == 2727  # test mapping over everything


def test_environment_values_are_typed():
    found = from_environ(
        {
            "PST_MAIL_PORT": "25",
            "PST_COOKIE_SECURE": "false",
            "PST_DATABASE_URL": "postgresql://db/pst",
            "OTHER": "x",
        }
    )
    assert found == {"MAIL_PORT": 25, "COOKIE_SECURE": False, "DATABASE_URL": "postgresql://db/pst"}
    with pytest.raises(RuntimeError, match="PST_MAIL_PORT"):
        from_environ({"PST_MAIL_PORT": "dua lima"})


def test_production_urls(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "DATABASE_URL": "postgres://pst@db.internal/pst",
            "STORAGE_URL": "s3://pst-blobs/prod",
            "S3_ENDPOINT_URL": "http://127.0.0.1:9",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            "SECRET_KEY": "production-" + "x" * 40,
        }
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://pst@db.internal/pst"
    assert app.extensions["pst.storage"].describe() == "s3://pst-blobs/prod"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/3"


def test_prepare_instance_makes_a_stable_private_secret(tmp_path):
    instance = tmp_path / "inst"
    prepare_instance(instance)
    secret = (instance / "secret_key").read_text()
    prepare_instance(instance)
    assert (instance / "secret_key").read_text() == secret
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0
    app = create_app({"INSTANCE_PATH": str(instance)})
    assert app.config["SECRET_KEY"] == secret


def test_config_command_masks_secrets(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "sangat-rahasia",
            "MAIL_PASSWORD": "juga-rahasia",
        }
    )
    result = app.test_cli_runner().invoke(args=["config"])
    assert result.exit_code == 0
    assert "sangat-rahasia" not in result.output and "juga-rahasia" not in result.output
    assert "********" in result.output


def _without_pst_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("PST_"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize(
    "shape",
    [
        {"DATABASE_URL": "postgresql://pst@db.internal/pst"},
        {"REDIS_URL": "redis://127.0.0.1:6379/3"},
        {"ENV": "production"},
    ],
    ids=["postgresql", "redis", "env"],
)
def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch, shape):
    """Finding: "Without PST_SECRET_KEY each gunicorn worker silently uses its own key:
    5 of 6 logins fail." A key file in the instance folder does not count: it is one
    host's, and the other processes may not see it."""
    _without_pst_environment(monkeypatch)
    prepare_instance(tmp_path / "inst")
    with pytest.raises(ConfigurationError, match="PST_SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path / "inst"), **shape})
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst"), "SECRET_KEY": "k" * 48, **shape})
    assert app.config["SECRET_KEY"] == "k" * 48


def test_production_environment_variable_counts(tmp_path, monkeypatch):
    _without_pst_environment(monkeypatch)
    monkeypatch.setenv("PST_ENV", "production")
    with pytest.raises(ConfigurationError, match="PST_SECRET_KEY"):
        create_app({"INSTANCE_PATH": str(tmp_path)})
    monkeypatch.setenv("PST_SECRET_KEY", "s" * 48)
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"] == "s" * 48


_GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "3", "--bind", "127.0.0.1:0"]


def test_gunicorn_without_a_secret_key_refuses_to_start(tmp_path):
    """Three gunicorn workers on a production-shaped configuration and no key: the
    server stops with a message naming PST_SECRET_KEY instead of serving with three keys."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PST_")}
    env.update(
        PST_INSTANCE_PATH=str(tmp_path / "inst"),
        PST_DATABASE_URL="postgresql://pst@127.0.0.1:1/none",  # never reached
    )
    proc = subprocess.Popen(
        [*_GUNICORN, "app:create_app()"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _out, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
        pytest.fail("gunicorn served without PST_SECRET_KEY")
    assert proc.returncode != 0
    assert "PST_SECRET_KEY" in err


_RACER = """
import hashlib, secrets, sys, time
from pathlib import Path

import app.factory  # imported now, so that the race below is not spread by imports
from app import config, create_app

instance, go, delay, slow = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
if slow == "slow":  # this process takes long to make its key: the others must
    real = secrets.token_urlsafe  # not read a half-written file meanwhile

    def token(n):
        time.sleep(2)
        return real(n)

    secrets.token_urlsafe = token
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
time.sleep(delay)
config.prepare_instance(instance)
key = create_app({"INSTANCE_PATH": str(instance)}).config["SECRET_KEY"]
print(hashlib.sha256(key.encode()).hexdigest() if key else "EMPTY")
"""


@pytest.mark.long
def test_processes_preparing_one_instance_at_once_agree_on_its_key(tmp_path):
    """``pst serve`` and ``pst worker`` started together on a fresh instance: every
    process ends up with the one key in the file, never an empty or a private one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PST_")}
    instance, go = tmp_path / "inst", tmp_path / "go"
    racers = [("0", "slow"), ("0.2", "fast"), ("0.2", "fast"), ("0.4", "fast")]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(instance), str(go), delay, speed],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for delay, speed in racers
    ]
    for proc in procs:  # all imported and waiting: then they start together
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    go.touch()
    keys = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        keys.append(out.strip().splitlines()[-1])
    stored = hashlib.sha256((instance / "secret_key").read_text().strip().encode()).hexdigest()
    assert keys == [stored] * len(racers)
    assert [p.name for p in instance.iterdir()] == ["secret_key"]  # no temporary left


def test_remember_me_is_thirty_days_at_most(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k" * 48})
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)
    assert app.config["SESSION_IDLE_MINUTES"] == 480
    with pytest.raises(ConfigurationError, match="PST_REMEMBER_COOKIE_DAYS"):
        create_app({"INSTANCE_PATH": str(tmp_path), "REMEMBER_COOKIE_DAYS": 365})


def test_cheap_password_hashes_only_under_test(tmp_path):
    """The suite's cheap argon2 parameters are refused outside TESTING (a production
    start with them would store weak hashes); the suite's own hashes use them."""
    from app.accounts.passwords import hash_password, verify_password

    with pytest.raises(ConfigurationError, match="PST_PASSWORD_HASH_COST"):
        create_app({"INSTANCE_PATH": str(tmp_path), "PASSWORD_HASH_COST": "cheapest"})
    with pytest.raises(ConfigurationError, match="PST_PASSWORD_HASH_COST"):
        create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True, "PASSWORD_HASH_COST": "x"})
    create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True, "PASSWORD_HASH_COST": "cheapest"})
    cheap = hash_password("rahasia-kuat-123")
    assert ",t=1," in cheap and verify_password(cheap, "rahasia-kuat-123")
    create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k" * 48})  # the default
    assert "m=65536,t=3" in hash_password("rahasia-kuat-123")
    assert verify_password(cheap, "rahasia-kuat-123")  # hashes carry their parameters

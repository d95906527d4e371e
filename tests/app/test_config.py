"""Configuration layers: defaults -> instance config.py -> PST_* environment -> test mapping."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import create_app
from app.config import from_environ, prepare_instance


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

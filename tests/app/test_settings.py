"""The settings registry: every package's settings are declared, typed and described;
``PST_*`` values are parsed by their declared type, and secrets are never printed."""

from __future__ import annotations

import json
import os

import pytest

from app import create_app
from app.settings import ConfigurationError, Setting, registered


@pytest.fixture(autouse=True)
def _no_pst_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("PST_") and name != "PST_TEST_DATABASE_URL":
            monkeypatch.delenv(name)


def test_a_feature_list_setting_from_the_environment_is_a_list(tmp_path, monkeypatch):
    # Feature settings used to arrive as the raw string ("a.example, b.example").
    monkeypatch.setenv("PST_SCANNER_NET_HOSTS", "a.example, b.example")
    monkeypatch.setenv("PST_DESK_KIOSK_NETWORKS", "10.17.0.0/24")
    monkeypatch.setenv("PST_LIBRARY_PAGE_WIDTHS", "800,1200")
    monkeypatch.setenv("PST_STORE_PAYMENT_DAYS", "9")
    monkeypatch.setenv("PST_CATALOG_TIMEOUT_S", "12.5")
    monkeypatch.setenv("PST_DESK_APPOINTMENTS_OUTSIDE_HOURS", "yes")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SCANNER_NET_HOSTS"] == ["a.example", "b.example"]
    assert app.config["DESK_KIOSK_NETWORKS"] == ["10.17.0.0/24"]
    assert app.config["LIBRARY_PAGE_WIDTHS"] == [800, 1200]
    assert app.config["STORE_PAYMENT_DAYS"] == 9
    assert app.config["CATALOG_TIMEOUT_S"] == 12.5
    assert app.config["DESK_APPOINTMENTS_OUTSIDE_HOURS"] is True


def test_a_json_list_and_a_json_object_are_accepted(tmp_path, monkeypatch):
    monkeypatch.setenv("PST_DESK_KIOSK_NETWORKS", '["10.17.0.0/24", "10.18.0.0/24"]')
    monkeypatch.setenv("PST_DESK_STANDARD_MINUTES", '{"guestbook": 5}')
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["DESK_KIOSK_NETWORKS"] == ["10.17.0.0/24", "10.18.0.0/24"]
    assert app.config["DESK_STANDARD_MINUTES"] == {"guestbook": 5}


def test_the_test_mapping_still_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PST_SCANNER_OCR_WORKERS", "4")
    monkeypatch.setenv("PST_STORE_PAYMENT_DAYS", "9")
    app = create_app(
        {"INSTANCE_PATH": str(tmp_path), "SCANNER_OCR_WORKERS": 1, "STORE_PAYMENT_DAYS": 2}
    )
    assert app.config["SCANNER_OCR_WORKERS"] == 1
    assert app.config["STORE_PAYMENT_DAYS"] == 2


def test_instance_config_is_kept_and_the_environment_overrides_it(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("SCANNER_OCR_WORKERS = 3\nSTORE_PAYMENT_DAYS = 4\n")
    monkeypatch.setenv("PST_STORE_PAYMENT_DAYS", "5")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SCANNER_OCR_WORKERS"] == 3
    assert app.config["STORE_PAYMENT_DAYS"] == 5


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("PST_SCANNER_MAX_PAGES", "many", "a whole number"),
        ("PST_CATALOG_TIMEOUT_S", "soon", "a number"),
        ("PST_MAIL_USE_TLS", "perhaps", "true or false"),
        ("PST_LIBRARY_PAGE_WIDTHS", "900,wide", "a comma-separated list of whole numbers"),
        ("PST_DESK_HOURS", "[1]", "a JSON object"),
    ],
)
def test_a_value_that_does_not_parse_stops_the_start_in_one_line(
    tmp_path, monkeypatch, name, raw, expected
):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ConfigurationError) as caught:
        create_app({"INSTANCE_PATH": str(tmp_path)})
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(name) and expected in message


def test_a_secret_that_does_not_parse_is_not_echoed():
    secret = Setting("X_TOKEN", int, 1, "a test secret", secret=True)
    with pytest.raises(ConfigurationError) as caught:
        secret.parse("hunter2")
    assert "hunter2" not in str(caught.value)


def test_empty_unsets_an_optional_setting(tmp_path, monkeypatch):
    monkeypatch.setenv("PST_SCANNER_SANE_CONFIG_DIR", "")
    monkeypatch.setenv("PST_MAIL_SERVER", "")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SCANNER_SANE_CONFIG_DIR"] is None
    assert app.config["MAIL_SERVER"] is None


def test_every_package_declares_its_settings_described(tmp_path):
    create_app({"INSTANCE_PATH": str(tmp_path)})  # the features declare theirs as they plug in
    names = {setting.name for setting in registered()}
    for name in ("SECRET_KEY", "CATALOG_MAX_BYTES", "LIBRARY_DAILY_QUOTA", "SCANNER_DEVICES"):
        assert name in names
    for name in ("DESK_HOURS", "STORE_PAYMENT_DAYS", "ADVISORY_LETTER_KEY"):
        assert name in names
    assert all(setting.description for setting in registered())


def test_secrets_are_never_printed(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "STORE_STRIPE_SECRET_KEY": "sk_live_rahasia",
            "ADVISORY_LETTER_KEY": "kunci-surat",
        }
    )
    runner = app.test_cli_runner()
    shown = runner.invoke(args=["config"])
    assert shown.exit_code == 0
    assert "sk_live_rahasia" not in shown.output and "kunci-surat" not in shown.output
    values = json.loads(shown.output)
    assert values["STORE_STRIPE_SECRET_KEY"] == "********"
    assert values["STORE_PAYMENT_DAYS"] == 7
    listed = runner.invoke(args=["settings", "--json"])
    assert listed.exit_code == 0
    rows = {row["name"]: row for row in json.loads(listed.output)}
    assert rows["STORE_STRIPE_SECRET_KEY"]["secret"] is True
    assert rows["SCANNER_NET_HOSTS"]["type"] == "a comma-separated list"
    plain = runner.invoke(args=["settings"])
    assert "PST_STORE_PAYMENT_DAYS" in plain.output

"""``pst backup`` and ``pst restore``: the restore drill and the refusals.

The drill fills an instance (a publication with its master blob, a stamped download and
its service record, an order, an issued letter), backs it up with ``pst backup``,
restores it with ``pst restore`` into a new instance folder and a new database (a
second PostgreSQL database when the suite runs on PostgreSQL), then compares the two and
checks that the letter still verifies and the leaked copy is still identified. The
refusals (a tampered file, a missing file, a newer schema, another database kind, a
database that is not empty) must change nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from backupkit import cli as _cli
from backupkit import empty_url
from factories import make_pdf, user
from helpers import base_config
from sqlalchemy import inspect, select, text

from advisory.settings import settings_from as letter_settings
from app.backup.database import code_head
from app.blobs import current_store
from app.db import utcnow
from app.extensions import db as _db
from catalog import cataloguing
from catalog.ingest import Limits
from catalog.models import Publication
from desk.models import ServiceRecord
from library import downloads
from library import settings as library_settings
from library.models import Download
from storage import check_store
from store import orders
from store.models import Order, Product, ProductKind

__all__ = ["empty_url"]  # a fixture

LETTER_KEY = "kunci-surat-latihan-pemulihan-" + "k" * 16
#: Kept outside the backups, as an operator gives it: in the apps' configuration.
SIGNING_KEY = "kunci-tanda-tangan-cadangan-" + "s" * 24


@pytest.fixture
def source(app, make_app, tmp_path: Path, database_url: str) -> Any:
    """The instance to back up: the suite's database (``app`` empties it afterwards), its
    own folder with a ``config.py`` holding the letters' key, a secret key of its own."""
    instance = tmp_path / "source"
    instance.mkdir()
    (instance / "config.py").write_text(f"ADVISORY_LETTER_KEY = {LETTER_KEY!r}\n")
    config = {
        **base_config(instance, database_url),
        "SECRET_KEY": secrets.token_urlsafe(32),
        "BACKUP_SIGNING_KEY": SIGNING_KEY,
    }
    application = make_app(config)
    with application.app_context():
        yield application
        _db.session.remove()


def _restoring_app(
    make_app,
    instance: Path,
    url: str,
    secret: str | None = None,
    signing_key: str | None = SIGNING_KEY,
) -> Any:
    """An app on a new instance folder and database. On SQLite it runs on the embedded
    defaults (no SECRET_KEY given: the instance's key file serves); PostgreSQL needs the
    key set, as an operator sets PST_SECRET_KEY from the backup's keys.json. The signing
    key is the operator's own (the backup does not hold it)."""
    config = base_config(instance, url)
    config.pop("SECRET_KEY")
    config["BACKUP_SIGNING_KEY"] = signing_key
    if url.startswith("postgres"):
        config["SECRET_KEY"] = secret or "restoring-" + "x" * 40
    return make_app(config)


def _fill(application, tmp_path: Path) -> dict[str, Any]:
    """A publication with its master, a stamped download (its leaked copy kept), an
    order and an issued letter."""
    from advisory import letters
    from advisory.models import LetterKind
    from store.orders import Settings

    session = _db.session
    store = current_store()
    pdf = make_pdf(tmp_path / "p.pdf", ["Halaman satu penduduk", "Halaman dua kemiskinan"])
    publication = cataloguing.ingest(
        session,
        store,
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": "Statistik Kesejahteraan Rakyat Provinsi Bengkulu 2025"},
    )
    reader = user(session, full_name="Rina Pemulihan", email="rina.pulih@example.org")
    prepared = downloads.start_download(
        session,
        store,
        user=reader,
        publication=publication,
        office="BPS Provinsi Bengkulu",
        settings=library_settings.Settings(daily_quota=20),
        cache_dir=Path(application.instance_path) / "cache",
        now=utcnow(),
        ip="192.0.2.7",
        user_agent="pytest",
    )
    stamping = downloads.open_stamp(session, prepared, now=utcnow())
    data = b"".join(
        downloads.stream_download(
            prepared,
            stamping,
            lambda i, outcome: downloads.record_outcome(session, i, outcome, now=utcnow()),
        )
    )
    leaked = tmp_path / "bocor.pdf"
    leaked.write_bytes(data)

    from store.tariffs import upsert_tariff

    tariff = upsert_tariff(session, "PUB-CETAK", label="Publikasi cetak", amount=50_000)
    product = Product(
        kind=ProductKind.PRINTED,
        title=f"{publication.title} (cetak)",
        description="Buku tercetak.",
        tariff=tariff,
        publication_id=publication.id,
        stock=5,
        shipping_fee=20_000,
    )
    session.add(product)
    session.commit()
    order = orders.create_order(
        session,
        reader,
        [{"product_id": product.id, "quantity": 2}],
        settings=Settings(),
        shipping_address="Jl. Pembangunan No. 1, Kota Bengkulu",
        now=utcnow(),
    )
    session.commit()
    letter = letters.issue(
        session,
        store,
        letters.LetterContent(
            kind=LetterKind.RECOMMENDATION,
            recipient="Dinas Kesehatan Provinsi Bengkulu",
            title="Survei Status Gizi Balita 2027",
            issued_on=date(2026, 11, 25),
            signer_name="Ir. Kepala Kantor",
            signer_role="Kepala Badan Pusat Statistik Provinsi Bengkulu",
            rows=[("Judul kegiatan", "Survei Status Gizi Balita 2027")],
            details={"region": "Provinsi Bengkulu"},
            reference="R-000001",
        ),
        settings=letter_settings(application.config),
        actor_id=None,
    )
    session.commit()
    assert letters.verify(
        session, letter.number, letter.code, settings=letter_settings(application.config)
    ).genuine
    return {
        "leaked": leaked,
        "reader": reader.email,
        "order": order.code,
        "letter": (letter.number, letter.code),
        "publication": publication.id,
    }


def _snapshot() -> dict[str, Any]:
    """What must survive a restore, read through the current app."""
    session = _db.session
    store = current_store()
    return {
        "publications": [
            (p.id, p.title, p.sha256, p.master_key, p.page_count)
            for p in session.scalars(select(Publication).order_by(Publication.id))
        ],
        "orders": [
            (o.id, o.code, str(o.status), o.user_id, len(o.items))
            for o in session.scalars(select(Order).order_by(Order.id))
        ],
        "records": [
            (r.id, r.service_key)
            for r in session.scalars(select(ServiceRecord).order_by(ServiceRecord.id))
        ],
        "downloads": [
            (d.id, d.code, d.sha256)
            for d in session.scalars(select(Download).order_by(Download.id))
        ],
        "blobs": sorted(store.iter_sizes()),
    }


def test_restore_drill(source, make_app, tmp_path, empty_url, caplog):
    from advisory import letters

    caplog.set_level("DEBUG")

    filled = _fill(source, tmp_path)
    before = _snapshot()
    assert before["publications"] and before["orders"] and before["records"]
    assert len(before["blobs"]) >= 3  # the original, the master, the letter's PDF
    folder = tmp_path / "backup"
    made = _cli(source, "backup", folder)
    assert made.exit_code == 0, made.output
    assert "MANIFEST.json signed (HMAC-SHA256, key id " in made.output
    assert (folder / "MANIFEST.sig").is_file()
    _assert_key_nowhere(folder, made.output)
    # The backup holds secrets: only its owner may read it.
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.rglob("*") if p.is_file())
    manifest = json.loads((folder / "MANIFEST.json").read_text())
    assert manifest["database"] == _db.engine.dialect.name
    assert manifest["alembic_revision"] == code_head()
    assert manifest["created_wib"].endswith("WIB")
    keys = json.loads((folder / "keys.json").read_text())
    assert keys["SECRET_KEY"] == source.config["SECRET_KEY"]
    assert keys["ADVISORY_LETTER_KEY"] == LETTER_KEY
    # The ID numbers' key: derived from SECRET_KEY here, and keys.json says so.
    assert keys["PERSONAL_DATA_KEY"] is None and keys["PERSONAL_DATA_OLD_KEYS"] == []
    assert keys["id_numbers"].startswith("derived from SECRET_KEY")

    restored_instance = tmp_path / "restored"
    target = _restoring_app(make_app, restored_instance, empty_url, keys["SECRET_KEY"])
    with target.app_context():
        done = _cli(target, "restore", folder)
        assert done.exit_code == 0, done.output
        assert "signature: good (HMAC-SHA256" in done.output
        assert "restored the backup" in done.output and "NOT checked" not in done.output
        assert SIGNING_KEY not in done.output
    # The restored instance, started afresh as an operator would.
    restored = _restoring_app(make_app, restored_instance, empty_url, keys["SECRET_KEY"])
    with restored.app_context():
        assert restored.config["SECRET_KEY"] == source.config["SECRET_KEY"]
        assert restored.config["ADVISORY_LETTER_KEY"] == LETTER_KEY  # from config.py
        assert _snapshot() == before
        assert check_store(current_store(), [key for key, _ in before["blobs"]]).ok
        number, code = filled["letter"]
        assert letters.verify(
            _db.session, number, code, settings=letter_settings(restored.config)
        ).genuine
        traced = _cli(restored, "watermark", "identify", filled["leaked"])
        assert traced.exit_code == 0, traced.output
        found = json.loads(traced.output)["downloads"]
        assert [d["user"]["email"] for d in found] == [filled["reader"]]
        assert found[0]["publication"]["id"] == filled["publication"]
        # The search index was rebuilt from the restored database.
        hits = _cli(restored, "search", "kemiskinan", "--json")
        assert hits.exit_code == 0, hits.output
        assert filled["publication"] in [h["id"] for h in json.loads(hits.output)["hits"]]
        _db.session.remove()
    assert SIGNING_KEY not in caplog.text  # nor in the logs


def _assert_key_nowhere(folder: Path, *outputs: str) -> None:
    """The signing key is in no file of the backup and in none of the commands' output."""
    secret = SIGNING_KEY.encode()
    for path in folder.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path
    for output in outputs:
        assert SIGNING_KEY not in output
    settings = json.loads((folder / "settings.json").read_text())
    assert "BACKUP_SIGNING_KEY" not in settings["settings"]


def _resign(folder: Path, key: str = SIGNING_KEY) -> None:
    from app.backup import signature

    (folder / "MANIFEST.sig").unlink()
    signature.sign(folder, key)


# --- refusals -----------------------------------------------------------------------------


@pytest.fixture
def backup(source, tmp_path) -> Path:
    """A small backup: two blobs and the database."""
    from app.blobs import save_blob

    store = current_store()
    for content in (b"satu", b"dua"):
        save_blob(_db.session, store, _bytes(tmp_path, content))
    _db.session.commit()
    folder = tmp_path / "small-backup"
    made = _cli(source, "backup", folder)
    assert made.exit_code == 0, made.output
    return folder


def _bytes(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / f"blob-{content.decode()}"
    path.write_bytes(content)
    return path


def _refused(make_app, tmp_path, url, folder, *extra) -> str:
    """Restore ``folder`` into a new instance; it must fail and change nothing."""
    instance = tmp_path / "target"
    instance.mkdir(exist_ok=True)
    target = _restoring_app(make_app, instance, url)
    with target.app_context():
        engine = _db.engine
        tables_before = set(inspect(engine).get_table_names())
        result = _cli(target, "restore", folder, *extra)
        assert result.exit_code == 1, result.output
        assert set(inspect(engine).get_table_names()) == tables_before
        assert list(current_store().iter_keys()) == []
        assert not (instance / "config.py").exists()
        assert not (instance / "secret_key").exists()
        _db.session.remove()
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_a_tampered_file_is_refused(backup, make_app, tmp_path, empty_url):
    blob = next(p for p in (backup / "blobs").rglob("*") if p.is_file())
    blob.write_bytes(b"satu tapi lain")
    message = _refused(make_app, tmp_path, empty_url, backup)
    assert "damaged" in message and "not matching their SHA-256" in message
    assert blob.relative_to(backup).as_posix() in message


def test_a_file_changed_with_its_hash_is_refused(backup, make_app, tmp_path, empty_url):
    """Whoever can write the folder can change a file and its SHA-256 in the manifest
    together: the signature, made with a key the folder does not hold, refuses that."""
    blob = next(p for p in (backup / "blobs").rglob("*") if p.is_file())
    blob.write_bytes(b"satu tapi lain")
    path = backup / "MANIFEST.json"
    manifest = json.loads(path.read_text())
    name = blob.relative_to(backup).as_posix()
    manifest["files"][name] = {"sha256": hashlib.sha256(b"satu tapi lain").hexdigest(), "size": 14}
    path.write_text(json.dumps(manifest, indent=2))
    message = _refused(make_app, tmp_path, empty_url, backup)
    assert message == (
        "Error: the backup's signature does not match: MANIFEST.json was changed after the "
        "backup was made. Nothing was restored."
    )
    # Even an operator who allows unsigned backups does not get a badly signed one.
    message = _refused(make_app, tmp_path, empty_url, backup, "--allow-unsigned")
    assert "signature does not match" in message


def test_a_backup_signed_with_another_key_is_refused(backup, make_app, tmp_path, empty_url):
    other = "kunci-lain-yang-juga-cukup-panjang-" + "o" * 16
    _resign(backup, other)
    message = _refused(make_app, tmp_path, empty_url, backup)
    assert "signature does not match: it was signed with another key" in message
    assert other not in message and SIGNING_KEY not in message


def test_a_signed_backup_where_no_key_is_set_needs_the_flag(backup, make_app, tmp_path, empty_url):
    target = _restoring_app(make_app, tmp_path / "nokey", empty_url, signing_key=None)
    with target.app_context():
        refused = _cli(target, "restore", backup)
        assert refused.exit_code == 1
        assert "BACKUP_SIGNING_KEY is not set here" in refused.output
        assert "--allow-unsigned" in refused.output
        assert not inspect(_db.engine).get_table_names()
        done = _cli(target, "restore", backup, "--allow-unsigned")
        assert done.exit_code == 0, done.output
        assert "signed (key id" in done.output and "but not checked" in done.output
        assert "its signature NOT checked" in done.output
        _db.session.remove()


def test_an_unsigned_backup_restores_only_when_allowed(
    app, make_app, tmp_path, database_url, empty_url
):
    unsigned = make_app(base_config(tmp_path / "unsigned-source", database_url))
    with unsigned.app_context():
        folder = tmp_path / "unsigned-backup"
        made = _cli(unsigned, "backup", folder)
        assert made.exit_code == 0, made.output
        assert "warning: BACKUP_SIGNING_KEY is not set: this backup is NOT signed" in made.output
        _db.session.remove()
    assert not (folder / "MANIFEST.sig").exists()
    message = _refused(make_app, tmp_path, empty_url, folder)
    assert "is not signed (MANIFEST.sig is missing)" in message and "--allow-unsigned" in message
    target = _restoring_app(make_app, tmp_path / "target-unsigned", empty_url)
    with target.app_context():
        done = _cli(target, "restore", folder, "--allow-unsigned")
        assert done.exit_code == 0, done.output
        assert "warning: restoring an UNSIGNED backup" in done.output
        _db.session.remove()


def test_a_signing_key_inside_the_backup_is_refused(source, tmp_path):
    """config.py is copied into every backup: a signing key written there is refused."""
    config = Path(source.instance_path) / "config.py"
    config.write_text(config.read_text() + f"BACKUP_SIGNING_KEY = {SIGNING_KEY!r}\n")
    folder = tmp_path / "key-inside"
    result = _cli(source, "backup", folder)
    assert result.exit_code == 1
    assert "BACKUP_SIGNING_KEY is written in" in result.output
    assert "PST_BACKUP_SIGNING_KEY" in result.output and SIGNING_KEY not in result.output
    assert not folder.exists() or not any(folder.iterdir())


def test_a_short_signing_key_is_refused(source, tmp_path):
    source.config["BACKUP_SIGNING_KEY"] = "pendek"
    result = _cli(source, "backup", tmp_path / "short-key")
    assert result.exit_code == 1
    assert "BACKUP_SIGNING_KEY is too short" in result.output and "pendek" not in result.output


def test_a_tampered_database_is_refused(backup, make_app, tmp_path, empty_url):
    dump = next(backup.glob("database.*"))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    message = _refused(make_app, tmp_path, empty_url, backup)
    assert "damaged" in message and dump.name in message


def test_a_missing_file_is_refused(backup, make_app, tmp_path, empty_url):
    (backup / "keys.json").unlink()
    message = _refused(make_app, tmp_path, empty_url, backup)
    assert "damaged" in message and "1 missing (keys.json)" in message


def test_a_backup_of_a_newer_schema_is_refused(backup, make_app, tmp_path, empty_url):
    path = backup / "MANIFEST.json"
    manifest = json.loads(path.read_text())
    manifest["alembic_revision"] = "0099"
    path.write_text(json.dumps(manifest))
    _resign(backup)  # the operator's own change: past the signature
    message = _refused(make_app, tmp_path, empty_url, backup)
    assert "migration 0099, newer than this PST knows" in message


def test_a_backup_of_another_database_kind_is_refused(backup, make_app, tmp_path, empty_url):
    path = backup / "MANIFEST.json"
    manifest = json.loads(path.read_text())
    other = "sqlite" if manifest["database"] == "postgresql" else "postgresql"
    manifest["database"] = other
    path.write_text(json.dumps(manifest))
    _resign(backup)  # the operator's own change: past the signature
    message = _refused(make_app, tmp_path, empty_url, backup)
    assert f"holds a {other} database" in message and "not supported" in message


def test_a_folder_without_manifest_is_refused(backup, make_app, tmp_path, empty_url):
    (backup / "MANIFEST.json").unlink()
    message = _refused(make_app, tmp_path, empty_url, backup)
    assert "not a PST backup" in message


def test_restore_over_data_needs_force_and_confirmation(backup, source, tmp_path):
    """The source's own database is not empty: refused without --force; with it, a
    question, and "no" changes nothing."""
    count = _db.session.scalar(text("SELECT count(*) FROM blobs"))
    refused = _cli(source, "restore", backup)
    assert refused.exit_code == 1
    assert "not empty" in refused.output and "--force" in refused.output
    declined = _cli(source, "restore", backup, "--force", input="n\n")
    assert declined.exit_code == 1 and "Replace everything" in declined.output
    assert _db.session.scalar(text("SELECT count(*) FROM blobs")) == count


def test_forced_restore_replaces_everything(backup, source, tmp_path):
    """--force --yes over the instance's own database: what came after the backup goes."""
    from app.blobs import save_blob

    save_blob(_db.session, current_store(), _bytes(tmp_path, b"sesudah"))
    _db.session.commit()
    assert _db.session.scalar(text("SELECT count(*) FROM blobs")) == 3
    _db.session.remove()
    result = _cli(source, "restore", backup, "--force", "--yes")
    assert result.exit_code == 0, result.output
    assert _db.session.scalar(text("SELECT count(*) FROM blobs")) == 2
    assert _db.session.scalar(text("SELECT version_num FROM alembic_version")) == code_head()


def test_a_backup_of_an_older_schema_is_migrated(app, make_app, tmp_path, empty_url):
    from flask_migrate import upgrade

    old = _restoring_app(make_app, tmp_path / "old", empty_url)
    with old.app_context():
        upgrade(revision="0021")
        folder = tmp_path / "old-backup"
        made = _cli(old, "backup", folder)
        assert made.exit_code == 0, made.output
        assert json.loads((folder / "MANIFEST.json").read_text())["alembic_revision"] == "0021"
        restored = _cli(old, "restore", folder, "--force", "--yes")
        assert restored.exit_code == 0, restored.output
        assert "migrating from 0021" in restored.output
        version = _db.session.scalar(text("SELECT version_num FROM alembic_version"))
        assert version == code_head()
        _db.session.remove()


def test_backup_refuses_a_folder_that_is_not_empty(source, tmp_path):
    folder = tmp_path / "used"
    folder.mkdir()
    (folder / "something").write_text("x")
    result = _cli(source, "backup", folder)
    assert result.exit_code == 1 and "not empty" in result.output
    assert os.listdir(folder) == ["something"]


def test_a_key_given_in_the_environment_that_differs_is_reported(
    backup, make_app, tmp_path, empty_url, monkeypatch
):
    monkeypatch.setenv("PST_ADVISORY_LETTER_KEY", "kunci-lain")
    monkeypatch.setenv("PST_PERSONAL_DATA_KEY", "kunci-data-pribadi-" + "z" * 32)
    monkeypatch.setenv("PST_LIBRARY_DAILY_QUOTA", "7")
    target = _restoring_app(make_app, tmp_path / "target", empty_url)
    with target.app_context():
        result = _cli(target, "restore", backup)
        _db.session.remove()
    assert result.exit_code == 0, result.output
    assert "warning: ADVISORY_LETTER_KEY here is not the backup's: set PST_ADVISORY_LETTER_KEY" in (
        result.output
    )
    assert (
        "warning: PERSONAL_DATA_KEY here is not the backup's: unset PST_PERSONAL_DATA_KEY, "
        "or stored ID numbers cannot be read or found"
    ) in result.output
    assert "kunci-lain" not in result.output  # a secret is never printed
    assert "kunci-data-pribadi" not in result.output
    assert "warning: PST_LIBRARY_DAILY_QUOTA is 7 (backup: 20)" in result.output


def test_a_backup_that_fails_leaves_an_empty_folder(source, tmp_path, monkeypatch):
    """Without pg_dump on PostgreSQL: one line naming it, and no half backup."""
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("pg_dump is used on PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    folder = tmp_path / "failed"
    result = _cli(source, "backup", folder)
    assert result.exit_code == 1
    assert "Error: pg_dump is not installed" in result.output
    assert list(folder.iterdir()) == []

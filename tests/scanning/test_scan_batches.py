"""Scan batches on real SANE (the ``test`` backend): feeder batches, end of feed, jams,
cancel; page edits; the error messages an officer reads; devices and SANE config."""

from __future__ import annotations

import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale
from helpers import FakeClock
from PIL import Image
from test_scan_kit import SLOW, sane_dir, scan_config  # noqa: F401 - fixture

import scanning.batches
import scanning.errors
import scanning.pages
import scanning.store
from app import jobs
from app.db import utcnow
from app.extensions import db as _db
from app.jobs import Job
from scanning.settings import Settings, settings_from


@pytest.fixture
def config_overrides(sane_dir: str) -> dict[str, object]:  # noqa: F811
    return scan_config(sane_dir)


@pytest.fixture
def root(app) -> scanning.store.BatchRoot:
    return scanning.batches.scans_root()


def _settings(**values):
    return {"device": "test:0", "source": "adf", "mode": "gray", "resolution": 50, **values}


def _scan(session, root, batch_id, actor_id=None, replace=None, **values):
    job = scanning.batches.start_scan(
        session, root, batch_id, _settings(**values), actor_id=actor_id, replace=replace
    )
    session.expire_all()
    return session.get(Job, job.id)


def _new(root):
    batch = scanning.pages.create_batch(root, actor_id=None, target={"kind": "new"}, now=utcnow())
    return batch["id"]


def test_a_feeder_batch_scans_until_the_feeder_is_empty(session, root, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this test's own temporary folder
    batch_id = _new(root)

    record = _scan(session, root, batch_id)

    assert record.state == "done", record.message
    assert record.progress == 100 and record.result_data["pages"] == 10
    manifest = scanning.batches.load_batch(root, batch_id)
    assert len(manifest["pages"]) == 10  # the backend's feeder holds ten sheets
    first = manifest["pages"][0]
    assert root.exists(batch_id, first["file"])  # in the blob store, not on this host
    assert (first["width"], first["height"]) == (157, 196)  # 80 x 100 mm at 50 dpi
    body, rotation = scanning.pages.thumbnail(root, batch_id, first["id"])
    assert body[:2] == b"\xff\xd8" and rotation == 0
    assert not list(Path(tempfile.gettempdir()).glob("pst-scan-run-*"))  # cleaned up
    state = scanning.batches.batch_state(session, root, batch_id)
    assert state["scan"]["state"] == "done" and not state["scan"]["active"]
    assert state["error"] is None


def test_a_page_limit_and_an_a4_page_at_full_size(session, root):
    batch_id = _new(root)

    record = _scan(session, root, batch_id, pages=2, options={"x": "210", "y": "297"})

    assert record.state == "done", record.message
    pages = scanning.batches.load_batch(root, batch_id)["pages"]
    assert len(pages) == 2
    assert (pages[0]["width"], pages[0]["height"]) == (413, 584)  # A4 at 50 dpi, not clamped


def test_a_jam_keeps_the_pages_before_it_and_names_the_page(session, root):
    batch_id = _new(root)
    assert _scan(session, root, batch_id, pages=2).state == "done"

    # scanimage itself now and then hangs after the test backend's error status (seen
    # in CI); the stall timeout ends that run, and the jam is checked on one that ended.
    for _attempt in range(3):
        record = _scan(session, root, batch_id, options={"read-return-value": "SANE_STATUS_JAMMED"})
        if record.message != scanning.batches.scanner_message("timeout", 3):
            break

    assert record.state == "failed"
    assert record.message == scanning.batches.scanner_message("jammed", 3)  # the default locale
    manifest = scanning.batches.load_batch(root, batch_id)
    assert len(manifest["pages"]) == 2
    assert manifest["error"] == {"code": "jammed", "page": 3}
    assert scanning.batches.batch_state(session, root, batch_id)["error"] == record.message
    # The next scan clears the error.
    assert _scan(session, root, batch_id, pages=1).state == "done"
    assert scanning.batches.load_batch(root, batch_id)["error"] is None


def test_an_empty_feeder_is_told_to_the_officer(session, root):
    batch_id = _new(root)

    record = _scan(session, root, batch_id, options={"read-return-value": "SANE_STATUS_NO_DOCS"})

    assert record.state == "failed"
    assert record.message == scanning.batches.scanner_message("no_documents")


def test_cancel_stops_a_slow_scan(app, root):
    batch_id = _new(root)
    with scanning.batches.edit_batch(root, batch_id) as manifest:
        manifest["settings"] = scanning.batches.clean_settings(
            _settings(source="flatbed", resolution=300, options=SLOW)
        )
    timer = threading.Timer(0.5, scanning.batches.cancel_scan, args=(root, batch_id))
    timer.start()
    started = time.monotonic()
    with pytest.raises(scanning.batches.ScanningError) as caught:
        scanning.batches.run_scan(
            root,
            batch_id,
            config_dir=app.config["SCANNER_SANE_CONFIG_DIR"],
            settings=settings_from(app.config),
        )
    timer.cancel()
    assert time.monotonic() - started < 4.0
    assert caught.value.code == "cancelled"
    assert str(caught.value.message) == scanning.batches.scanner_message("cancelled", 1)
    assert not root.exists(batch_id, "cancel")
    assert scanning.batches.load_batch(root, batch_id)["pages"] == []


def test_rotate_reorder_delete_and_rescan(session, root):
    batch_id = _new(root)
    _scan(session, root, batch_id, pages=3)
    a, b, c = (p["id"] for p in scanning.batches.load_batch(root, batch_id)["pages"])

    scanning.pages.rotate_page(root, batch_id, b, 90)
    scanning.pages.rotate_page(root, batch_id, b, 90)
    scanning.pages.rotate_page(root, batch_id, c, -90)
    assert scanning.pages.move_page(root, batch_id, c, -5) == 0
    scanning.pages.delete_page(root, batch_id, a)
    pages = scanning.batches.load_batch(root, batch_id)["pages"]
    assert [(p["id"], p["rotation"]) for p in pages] == [(c, 270), (b, 180)]
    body, rotation = scanning.pages.thumbnail(root, batch_id, c)
    with Image.open(__import__("io").BytesIO(body)) as thumb:
        assert thumb.width > thumb.height  # turned a quarter: landscape now
    assert rotation == 270
    assert not [f for f in root.files_under(root.name(batch_id)) if a in f.name]

    record = _scan(session, root, batch_id, replace=b, source="flatbed")

    assert record.state == "done", record.message
    pages = scanning.batches.load_batch(root, batch_id)["pages"]
    assert len(pages) == 2 and pages[0]["id"] == c
    assert pages[1]["id"] != b and pages[1]["rotation"] == 0  # a fresh page in b's place
    options = scanning.batches.process_options(
        scanning.batches.load_batch(root, batch_id), Settings(ocr_languages="ind+eng"), None
    )
    assert options.rotations == {1: 270}  # only the page the officer turned
    with pytest.raises(scanning.batches.BatchNotFound):
        scanning.pages.rotate_page(root, batch_id, b, 90)


def test_a_second_scan_waits_for_the_first(session, root):
    batch_id = _new(root)
    busy = jobs.Job(id="f" * 32, name=scanning.batches.SCAN_JOB, state=jobs.RUNNING, params="{}")
    session.add(busy)
    session.commit()
    with scanning.batches.edit_batch(root, batch_id) as manifest:
        manifest["scan_job"] = busy.id
    with pytest.raises(scanning.batches.BatchBusy):
        scanning.batches.start_scan(session, root, batch_id, _settings(), actor_id=None)
    with pytest.raises(scanning.batches.BatchBusy):
        scanning.batches.finish_batch(session, root, batch_id, actor_id=None)


def test_concurrent_page_additions_are_not_lost(app, root, tmp_path):
    batch_id = _new(root)
    sources = []
    for n in range(8):
        path = tmp_path / f"p{n}.pgm"
        Image.new("L", (60, 80), 255 - n).save(path)
        sources.append(path)

    def add(path):
        with app.app_context():
            scanning.batches.add_page(root, batch_id, path, max_pages=1000)

    threads = [threading.Thread(target=add, args=(p,)) for p in sources]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(scanning.batches.load_batch(root, batch_id)["pages"]) == 8


def test_a_batch_holds_at_most_the_pages_it_is_given(root, tmp_path):
    batch_id = _new(root)
    first, second = tmp_path / "a.pgm", tmp_path / "b.pgm"
    Image.new("L", (60, 80), 200).save(first)
    Image.new("L", (60, 80), 100).save(second)
    scanning.batches.add_page(root, batch_id, first, max_pages=1)
    with pytest.raises(scanning.batches.BatchInvalid):
        scanning.batches.add_page(root, batch_id, second, max_pages=1)
    assert len(scanning.batches.load_batch(root, batch_id)["pages"]) == 1
    # The refused page's image and thumbnail were stored first, then dropped.
    assert len(root.files_under(root.name(batch_id, "pages"))) == 1
    assert len(root.files_under(root.name(batch_id, "thumbs"))) == 1


def test_a_batch_edit_is_stamped_by_the_apps_clock(app, root):
    # The root's clock is the app's (CLOCK): pruning compares the stamps with its moment.
    clock = FakeClock()
    app.config["CLOCK"] = clock
    batch_id = _new(root)
    with scanning.batches.edit_batch(root, batch_id):
        pass
    assert scanning.batches.load_batch(root, batch_id)["updated_at"] == clock.now.isoformat()
    clock.advance(days=13)
    assert _prune(root, clock() - timedelta(days=14)) == 0
    clock.advance(days=2)
    assert _prune(root, clock() - timedelta(days=14)) == 1


def _prune(root, cutoff) -> int:
    """Remove the batches untouched since before ``cutoff``; how many went."""
    session = _db.session
    found = scanning.batches.abandoned_batches(session, root, cutoff)
    return sum(
        scanning.batches.remove_abandoned_batch(session, root, item.handle, cutoff)
        for item in found
    )


def test_discard_and_prune(root):
    kept, old = _new(root), _new(root)
    scanning.pages.discard_batch(root, _new(root))
    with scanning.batches.edit_batch(root, old):
        pass
    later = utcnow() + timedelta(days=20)
    with scanning.batches.edit_batch(root, kept):
        pass
    assert len(scanning.pages.list_batches(root)) == 2
    assert _prune(root, later - timedelta(days=14)) == 2
    assert scanning.pages.list_batches(root) == []
    with pytest.raises(scanning.batches.BatchNotFound):
        scanning.batches.load_batch(root, "../../etc")


def test_settings_are_checked(root):
    with pytest.raises(scanning.batches.BatchInvalid):
        scanning.batches.clean_settings({"device": "--help"})
    with pytest.raises(scanning.batches.BatchInvalid):
        scanning.batches.clean_settings({"device": "test:0", "source": "drum"})
    with pytest.raises(scanning.batches.BatchInvalid):
        scanning.batches.clean_settings({"device": "test:0", "resolution": "9999"})


def test_messages_for_scanner_codes(app):
    with app.test_request_context(), force_locale("en"):
        assert scanning.batches.scanner_message("jammed", 4) == "Paper jammed at page 4"
        assert scanning.batches.scanner_message("jammed") == "Paper jammed"
        assert scanning.batches.scanner_message("something_new", 2) == "Scanning failed at page 2"
        import scanner.errors as errors

        codes = {
            cls.code
            for cls in vars(errors).values()
            if isinstance(cls, type) and issubclass(cls, errors.ScannerError)
        }
        assert codes - {"scanner_error"} <= set(scanning.errors.SCANNER_MESSAGES)


def test_devices_configured_first_then_discovered(app, sane_dir):  # noqa: F811
    config = {**app.config, "SCANNER_DEVICES": ("net:10.0.0.9:epson2:x|Epson di ruang baca",)}
    devices, error = scanning.batches.list_devices(config, app.instance_path, refresh=True)
    assert error is None
    assert devices[0].name == "net:10.0.0.9:epson2:x"
    assert sorted(d.name for d in devices[1:]) == ["pnm:0", "pnm:1", "test:0", "test:1"]
    assert devices[0].label == "Epson di ruang baca"


def test_net_hosts_are_written_into_a_private_sane_config(tmp_path):
    config_dir = scanning.batches.sane_config_dir(
        {"SCANNER_NET_HOSTS": ("scan.bps.local",), "SCANNER_BACKENDS": ("test",)}, str(tmp_path)
    )
    assert config_dir == f"{tmp_path / 'sane'}:"
    assert (tmp_path / "sane" / "dll.conf").read_text() == "test\nnet\n"
    assert "scan.bps.local" in (tmp_path / "sane" / "net.conf").read_text()
    assert scanning.batches.sane_config_dir({}, str(tmp_path)) is None

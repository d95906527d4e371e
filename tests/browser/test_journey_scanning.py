"""An officer scans hardcopy into the catalogue in a real browser, on real SANE.

Sign in → the scanning page → a new batch → the ``test`` scanner's feeder, grey,
150 dpi, 3 pages → Scan: the progress shows while the scan waits and runs, thumbnails
arrive as pages do (``scan.js`` polls), the page reloads with its controls once the scan
is done → turn page 1, move it down, delete page 3 → give a title → Finish: the OCR and
ingest job shows its progress and ends with a link → the publication page shows the
title. The PDF in the store has the two pages in the chosen order, the turned one on
its side.

Real SANE, no hardware: a private ``SANE_CONFIG_DIR`` enables the ``test`` backend (the
setup of ``tests/library/test_scan_kit.py``, which is not importable from here). Jobs
are not run inside the request (``JOBS_IMMEDIATE`` off): a worker thread runs them the
way ``pst worker`` does (:func:`app.jobs.execute`, a session of its own), and the
journey holds it back around the two submissions, so the browser always sees a scan and
an ingest that are still under way — otherwise both finish in about a second, before the
next page renders, and the polling would go untested.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import PASSWORD, user
from playwright.sync_api import expect
from pypdf import PdfReader
from sanekit import sane_config
from sqlalchemy import select
from sqlalchemy.orm import Session

import scanning.batches
from app import jobs
from app.accounts.models import Role
from app.blobs import current_store
from app.extensions import db
from catalog.models import Publication

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
TITLE = "Peta Grid Uji Pindaian Jelajah 2025"
SLOW = 60_000  # scanning, orientation detection
OCR = 120_000  # text recognition and ingest


@pytest.fixture(scope="session")
def sane_config_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return sane_config(tmp_path_factory.mktemp("sane-journey"), "test")


@pytest.fixture
def config_overrides(sane_config_dir: str) -> dict[str, Any]:
    return {
        "SCANNER_SANE_CONFIG_DIR": sane_config_dir,
        "SCANNER_OCR_WORKERS": 2,
        "JOBS_IMMEDIATE": False,
    }


class Worker:
    """Runs queued jobs in a thread, like ``pst worker``; :meth:`hold` keeps it idle."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.gate = threading.Lock()
        self.stopping = threading.Event()
        self.errors: list[BaseException] = []
        self.held = False  # by the test (the worker's own thread takes the gate too)
        self.thread = threading.Thread(target=self._run, name="journey-worker", daemon=True)

    def _run(self) -> None:
        with self.app.app_context():
            while not self.stopping.wait(0.2):
                with self.gate:
                    try:
                        with Session(db.engine) as session:
                            jobs.run_queued_here(session)
                    except Exception as exc:  # the fixture reports it
                        self.errors.append(exc)
                        return

    def hold(self) -> None:
        """Return once no job runs; none starts until :meth:`release`."""
        self.gate.acquire()
        self.held = True

    def release(self) -> None:
        self.held = False
        self.gate.release()


@pytest.fixture
def worker(app: Any) -> Iterator[Worker]:
    running = Worker(app)
    running.thread.start()
    yield running
    running.stopping.set()
    if running.held:  # a failed test may leave it held (locked() is also true mid-job)
        running.release()
    running.thread.join(timeout=OCR / 1000)
    assert not running.thread.is_alive(), "the job worker did not stop"
    assert not running.errors, running.errors


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.form button[type=submit], form.form input[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login"))


def _card_ids(page: Any) -> list[str]:
    return [li.get_attribute("id") for li in page.locator("ol[data-pages] > li.card").all()]


def _rotation(card: Any) -> int:
    match = re.search(r"[?&]r=(-?\d+)", card.locator("img").get_attribute("src"))
    assert match, "the thumbnail URL carries the page's rotation"
    return int(match.group(1))


def _expect_thumbnails_loaded(page: Any, count: int) -> None:
    images = page.locator("ol[data-pages] > li.card img")
    expect(images).to_have_count(count)
    for n in range(count):
        image = images.nth(n)
        image.scroll_into_view_if_needed()  # the server-rendered ones load lazily
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0, f"thumbnail {n + 1} is empty"


def test_officer_scans_edits_and_adds_to_catalogue(
    page: Any, live_server: str, app: Any, worker: Worker
) -> None:
    user(db.session, role=Role.OFFICER, email="pindai@example.org", full_name="Sari Pemindai")
    _sign_in(page, live_server, "pindai@example.org")

    # The scanning page: a new batch, its title given later.
    page.goto(f"{live_server}/staff/library/scan")
    expect(page.locator("section[aria-labelledby=batches-title] .empty")).to_be_visible()
    page.click("form[action$='/staff/scanning/new'] input[type=submit]")
    expect(page).to_have_url(re.compile(r"/staff/scanning/[0-9a-f-]+$"))
    batch_url = page.url
    expect(page.locator("[data-empty]")).to_be_visible()

    # The test scanner, its feeder, 3 grey pages at 150 dpi.
    form = page.locator("form[data-scan-form]")
    expect(form.locator("#device option[value='test:0']")).to_have_count(1)
    form.locator("#device").select_option("test:0")
    form.locator("#source").select_option("adf")
    form.locator("#mode").select_option("gray")
    form.locator("#resolution").select_option("150")
    form.locator("#pages").fill("3")
    worker.hold()
    form.locator("input[type=submit]").click()

    # Queued: the progress shows, scanning is not offered twice, no pages yet.
    expect(page).to_have_url(re.compile(re.escape(batch_url) + r"#pages$"))
    progress = page.locator("#scan-progress")
    expect(progress).to_be_visible()
    expect(page.locator("form[data-scan-form] input[type=submit]")).to_be_disabled()
    expect(page.locator("[data-count]")).to_have_text("0")
    expect(page.locator("ol[data-pages] > li.card")).to_have_count(0)
    worker.release()

    # Thumbnails arrive while the page polls; once the scan is done the page reloads
    # with the page controls, the progress at 100 % and hidden.
    expect(page.locator("ol[data-pages] > li.card")).to_have_count(3, timeout=SLOW)
    expect(page.locator("[data-count]")).to_have_text("3")
    expect(page.locator("ol[data-pages] .page-actions")).to_have_count(3, timeout=SLOW)
    expect(progress).to_be_hidden()
    expect(progress.locator("[data-progress-text]")).to_have_text("100%")
    expect(progress.locator("[data-progress]")).to_have_js_property("value", 100)
    expect(page.locator("[data-error]")).to_be_hidden()
    expect(page.locator("[data-empty]")).to_have_count(0)
    expect(page.locator("form[data-scan-form] input[type=submit]")).to_be_enabled()
    _expect_thumbnails_loaded(page, 3)
    assert page.locator("#device").input_value() == "test:0"  # the settings are kept
    assert page.locator("#source").input_value() == "adf"
    assert page.locator("#resolution").input_value() == "150"
    first, second, third = _card_ids(page)
    other = _rotation(page.locator(f"#{second}"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scanning-batch.png"), full_page=True)

    # Turn page 1 to the right: its thumbnail URL and caption follow.
    card = page.locator(f"#{first}")
    before = _rotation(card)
    card.locator("button[formaction$='/rotate-right']").click()
    turned = (before + 90) % 360
    expect(page.locator(f"#{first} img")).to_have_attribute(
        "src", re.compile(rf"[?&]r={turned}(&|$)")
    )
    if turned:
        expect(page.locator(f"#{first} p")).to_contain_text(f"{turned}°")
    _expect_thumbnails_loaded(page, 3)

    # Move it down, after the second page.
    page.locator(f"#{first} button[formaction$='/down']").click()
    expect(page.locator(f"ol[data-pages] > li.card:nth-child(2)#{first}")).to_be_visible()
    assert _card_ids(page) == [second, first, third]

    # Delete the third page, after confirming.
    asked: list[str] = []

    def confirm(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.accept()

    page.once("dialog", confirm)
    page.locator(f"#{third} button[formaction$='/delete']").click()
    expect(page.locator(f"#{third}")).to_have_count(0)
    assert asked == ["confirm"]
    expect(page.locator("[data-count]")).to_have_text("2")
    assert _card_ids(page) == [second, first]
    expect(page.locator(f"#{first} img")).to_have_attribute(
        "src", re.compile(rf"[?&]r={turned}(&|$)")
    )

    # Finish without a title: refused, nothing queued.
    finish = page.locator("form[action$='/finish']")
    finish.locator("input[type=submit]").click()
    expect(page.locator("form[action$='/finish'] #title")).to_have_attribute("aria-invalid", "true")
    assert (
        db.session.scalar(select(jobs.Job).where(jobs.Job.name == scanning.batches.INGEST_JOB))
        is None
    )

    # With a title: the job page shows the work queued, then its progress and the link.
    finish = page.locator("form[action$='/finish']")
    finish.locator("#title").fill(TITLE)
    finish.locator("#access").select_option("read_only")
    worker.hold()
    finish.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/staff/scanning/jobs/[0-9a-f]+$"))
    box = page.locator("#scan-job")
    expect(box).to_have_attribute("data-active", "1")
    expect(box.locator("[data-state]")).to_have_class(re.compile(r"\bstate-queued\b"))
    expect(box.locator("[data-done]")).to_be_hidden()
    expect(box.locator("[data-reload-note]")).to_be_visible()
    worker.release()

    expect(box.locator("[data-done]")).to_be_visible(timeout=OCR)
    expect(box.locator("[data-state]")).to_have_class(re.compile(r"\bstate-done\b"))
    expect(box.locator("[data-progress-text]")).to_have_text("100%")
    expect(box.locator("[data-reload-note]")).to_be_hidden()
    expect(page.locator(".flash-error")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "scanning-job-done.png"), full_page=True)

    box.locator("a[data-publication]").click()
    expect(page).to_have_url(re.compile(r"/publications/\d+$"))
    expect(page.locator("h1")).to_have_text(TITLE)

    # The batch is gone from the scanning page; its pages are in the catalogue.
    pub_id = int(page.url.rsplit("/", 1)[1])
    db.session.expire_all()
    publication = db.session.get(Publication, pub_id)
    assert publication is not None and publication.title == TITLE
    assert publication.page_count == 2
    assert publication.access.value == "read_only"
    with current_store().open(publication.original_key) as handle:
        pdf = PdfReader(io.BytesIO(handle.read()))
    wide = [float(p.mediabox.width) > float(p.mediabox.height) for p in pdf.pages]
    # The same grid on both sheets: the turned page lies the other way round.
    assert len(wide) == 2
    assert (wide[0] != wide[1]) == ((turned - other) % 180 == 90)
    page.goto(f"{live_server}/staff/library/scan")
    expect(page.locator("section[aria-labelledby=batches-title] .empty")).to_be_visible()

"""Browser fixtures: the app served on a real port and a headless Chromium.

The app comes from the ``app`` fixture of ``tests/conftest.py`` (migrated database,
tables emptied afterwards); :func:`live_server` serves it with Werkzeug in a daemon
thread. Chromium is Debian's (``/usr/bin/chromium``, or ``PST_CHROMIUM``), driven by
Playwright's sync API; a missing browser fails the tests unless ``PST_SKIP_BROWSER=1``.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("PST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ARTIFACTS = REPO / "test-artifacts" / "browser"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A conftest hook sees every collected item, so mark only the ones in this folder.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app on ``http://127.0.0.1:<free port>``; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Keep track of request threads, so that a request still running when the test ends
    # (a click the test did not wait for) finishes before the tables are emptied: once,
    # a registration landing after the clean-up left a user for the next test.
    server.daemon_threads = False
    server.block_on_close = True
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base_url  # links mailed outside a request point here too
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=10)
        for handler in list(getattr(server, "_threads", None) or []):
            handler.join(timeout=10)
        server.block_on_close = False  # never hang the suite on a request that will not end
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's chromium "
            "(apt-get install chromium chromium-driver) or set PST_CHROMIUM; "
            "set PST_SKIP_BROWSER=1 to skip the browser tests instead"
        )
        if os.environ.get("PST_SKIP_BROWSER") == "1":
            pytest.skip(message)
        pytest.fail(message, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def make_page(browser: Any, live_server: str) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh context; all are closed before the live server stops."""
    contexts: list[Any] = []

    def _make(width: int = 1280, height: int = 900, **options: Any) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="id-ID", **options
        )
        contexts.append(context)
        return context.new_page()

    yield _make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page: Callable[..., Any], request: pytest.FixtureRequest) -> Iterator[Any]:
    """A 1280×900 page; on a failed test a screenshot goes to ``test-artifacts/browser``."""
    pg = make_page()
    yield pg
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and not pg.is_closed():
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        from playwright.sync_api import Error as PlaywrightError

        with contextlib.suppress(PlaywrightError):  # must not hide the test's own failure
            pg.screenshot(path=str(ARTIFACTS / f"failed-{name}.png"), full_page=True)

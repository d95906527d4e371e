"""Which tests each database run of ``make test`` takes, and in what order.

``make test`` runs the suite twice at once, on SQLite and on PostgreSQL, with
``PST_TEST_SPLIT=1``. Every test that touches the database runs in both. A test whose
outcome cannot depend on the database runs in one of them only:

- a test that never asks for the database: no ``database_url`` among its fixtures (the
  ``app``, ``session``, ``client`` and ``make_app`` fixtures all need it). These are the
  libraries' tests (storage, watermark, scanner), PDF sanitising, stemming, the
  translation catalogue: they run in the SQLite run;
- a test marked ``one_database("sqlite")`` or ``one_database("postgresql")``: it uses
  the database only to hold its data, and the database-specific paths it passes
  through are each tested in both runs by other tests. The browser journeys (every step
  they click is an HTTP test of its own) run in the SQLite run; the form and API
  fuzzers, the ID-number walks of the API and the mail, and the documents rendered
  from any input run in the PostgreSQL run, whose types and lengths are the stricter
  (a value SQLite stores, PostgreSQL may refuse).

Without ``PST_TEST_SPLIT`` (running ``pytest`` by hand) every test runs.

The order: tests marked ``long`` (and the browser journeys) go first. pytest-xdist
hands out the first quarter of the tests in turn to its workers and the rest as they
free up; a one-minute walk left for the end keeps one worker busy while the other has
nothing left to do.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATABASES = ("sqlite", "postgresql")
#: Where the tests that never touch the database run.
NO_DATABASE_RUN = "sqlite"
#: Folders whose tests run in one database run only (see the module docstring).
FOLDERS = {"browser": "sqlite"}
HERE = Path(__file__).resolve().parent


def current_database() -> str:
    url = os.environ.get("PST_TEST_DATABASE_URL", "")
    return "postgresql" if url.startswith("postgres") else "sqlite"


def run_of(item: pytest.Item) -> str | None:
    """The one database run ``item`` belongs to, or ``None`` for both."""
    marker = item.get_closest_marker("one_database")
    if marker is not None:
        (name,) = marker.args
        if name not in DATABASES:
            raise pytest.UsageError(f"{item.nodeid}: one_database({name!r}): not in {DATABASES}")
        return str(name)
    folder = Path(item.path).resolve().relative_to(HERE).parts[0]
    if folder in FOLDERS:
        return FOLDERS[folder]
    if "database_url" not in getattr(item, "fixturenames", ()):
        return NO_DATABASE_RUN
    return None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "one_database(name): run in that database run of `make test` only "
        "(tests/database_runs.py says which tests may)",
    )
    config.addinivalue_line("markers", "long: a test of a minute or so; run first")


@pytest.hookimpl(trylast=True)  # after the folders' own conftests have marked theirs
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("PST_TEST_SPLIT"):
        here = current_database()
        kept, dropped = [], []
        for item in items:
            run = run_of(item)
            (kept if run in (None, here) else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept
    # Stable: the long tests (and the browser journeys, about 15 s each) first, each
    # group in its collected order.
    items.sort(key=lambda item: not any(map(item.get_closest_marker, ("long", "browser"))))

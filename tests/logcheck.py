"""The suite-wide check that no NIK or phone number of a test user reaches a log.

A handler on the root logger sees every record of the run (the root level is lowered
to INFO for it, SQLAlchemy's own loggers stay at WARNING so that no echo is switched
on) and keeps the lines that contain a value from :data:`factories.ISSUED`, written
with or without separators. ``conftest.pytest_sessionfinish`` fails the run if any.
"""

from __future__ import annotations

import logging
import os
import re

from factories import ISSUED

_SEPARATORS = re.compile(r"[\s.()-]")


def _needles(value: str) -> list[str]:
    digits = re.sub(r"\D", "", value)
    if len(digits) == 16:  # a NIK
        return [digits]
    # A phone: its national number, which every spelling (08…, 628…, +628…) contains.
    national = digits[1:] if digits.startswith("0") else digits.removeprefix("62")
    return [national] if len(national) >= 8 else []


class PersonalDataCatcher(logging.Handler):
    """Keeps each log line that shows a NIK or phone number handed out by the factories."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # a record that cannot be formatted shows nothing
            return
        flat = _SEPARATORS.sub("", text)
        for value in list(ISSUED):
            if any(needle in flat for needle in _needles(value)):
                test = os.environ.get("PYTEST_CURRENT_TEST", "?")
                self.found.append(f"{test}: {value!r} in {text[:300]!r}")
                return


_saved: dict[str, int] = {}


def start() -> PersonalDataCatcher:
    catcher = PersonalDataCatcher()
    root = logging.getLogger()
    _saved["root"] = root.level
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    quiet = logging.getLogger("sqlalchemy")
    if quiet.level == logging.NOTSET:
        quiet.setLevel(logging.WARNING)
    root.addHandler(catcher)
    return catcher


def stop(catcher: PersonalDataCatcher) -> list[str]:
    root = logging.getLogger()
    root.removeHandler(catcher)
    root.setLevel(_saved.get("root", logging.WARNING))
    return catcher.found

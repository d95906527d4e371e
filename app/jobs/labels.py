"""Jobs as staff read them: job names, progress steps and results in the reader's
language (the database keeps them in English)."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.jobs.models import (
    CANCELLED_BY_STAFF,
    GAVE_UP,
    INTERNAL_ERROR,
    RETRYING,
    WORKER_LOST,
    WORKER_LOST_RETRY,
)

#: The step names jobs report with their progress (kept in English in the database),
#: as staff read them.
STEP_LABELS = {
    "starting": _l("starting"),
    "checking": _l("checking the file"),
    "sanitising": _l("cleaning the PDF"),
    "storing": _l("storing the files"),
    "recognising text": _l("recognising text"),
    "fulfilling": _l("delivering to the reader"),
    "done": _l("done"),
    INTERNAL_ERROR: _l("internal error; see the server log"),
    WORKER_LOST: _l("the worker stopped while running this job"),
    WORKER_LOST_RETRY: _l("the worker stopped while running this job; it will run again"),
    RETRYING: _l("a temporary error; the job will run again"),
    GAVE_UP: _l("a temporary error persisted after the last attempt"),
    CANCELLED_BY_STAFF: _l("cancelled by an administrator"),
}
#: Names of the jobs the features register (app cannot import them: plain strings).
JOB_LABELS = {
    "storage.check": _l("Storage check"),
    "catalog.index": _l("Search index update"),
    "catalog.reindex": _l("Search index rebuild"),
    "catalog.ingest": _l("Publication upload"),
    "catalog.correct": _l("Corrected publication file"),
    "library.softcopy_ingest": _l("Softcopy for a request"),
    "library.scan": _l("Scanning"),
    "library.scan_ingest": _l("Processing scanned pages"),
    "library.plan_masters": _l("Stamping plans of stored masters"),
    "advisory.remind": _l("Advisory reminders"),
}
#: What a finished job's result holds, as a person reads it.
RESULT_LABELS = {
    "checked": _l("Files checked"),
    "missing": _l("Missing files"),
    "corrupt": _l("Damaged files"),
    "indexed": _l("Publications indexed"),
    "removed": _l("Removed from the index"),
    "documents": _l("Publications indexed"),
    "pages": _l("Pages"),
    "publication_id": _l("Publication"),
    "request_id": _l("Request"),
    "duplicate": _l("Already in the catalogue"),
    "batch_id": _l("Scan batch"),
    "sha256": _l("SHA-256"),
    "title": _l("Title"),
}
_PAGE_OF = re.compile(r"^page (\d+) of (\d+)$")
_PAGE = re.compile(r"^page (\d+)$")


def job_label(name: str) -> str:
    return str(JOB_LABELS.get(name, name))


def result_rows(result: Any) -> list[tuple[str, str]]:
    """A job's result as (label, value) rows instead of raw JSON: lists are joined (or
    "none"), booleans are yes/no."""
    if not isinstance(result, dict):
        return [(_("Result"), str(result))]
    rows = []
    for key, value in result.items():
        if isinstance(value, bool):
            shown = _("yes") if value else _("no")
        elif isinstance(value, list | tuple):
            shown = ", ".join(map(str, value)) if value else _("none")
        elif value is None:
            shown = "–"
        else:
            shown = str(value)
        rows.append((str(RESULT_LABELS.get(key, key.replace("_", " "))), shown))
    return rows


def step_label(message: str | None) -> str:
    """A job's progress message in the reader's language (unknown ones unchanged)."""
    if not message:
        return ""
    if message in STEP_LABELS:
        return str(STEP_LABELS[message])
    if match := _PAGE_OF.match(message):
        return _("page %(n)s of %(total)s", n=match[1], total=match[2])
    if match := _PAGE.match(message):
        return _("page %(n)s", n=match[1])
    return message

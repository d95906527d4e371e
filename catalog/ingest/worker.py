"""The sandboxed worker: ``python -m catalog.ingest.worker SRC WORK_DIR LIMITS_JSON [PARENT]``.

Run by ``sandbox.run_worker`` in a process of its own, under resource limits it
applies to itself before reading the file. It writes into WORK_DIR:

* ``master.pdf`` — the normalised PDF without active content;
* ``result.json`` — ``{"ok": {...}}`` or ``{"rejected": {"code", "params", "message"}}``;
* ``cover.png`` — the page-1 thumbnail, when it could be rendered.

``result.json`` is written twice on success: once with ``"cover": "pending"``
before the cover is rendered and once with the outcome, so that if the cover
rendering dies (memory, a crash in pdfium, the alarm below) the parent still has
everything else. Exit status: 0 done, 3 refused (see result.json), 4 out of memory,
5 orphaned.

The worker runs in a session of its own (its parent kills the whole group at the
deadline), so it would outlive a parent killed outright (``kill -9`` of ``pst worker``,
the OOM killer): it asks Linux first thing to kill it when its parent dies
(``PR_SET_PDEATHSIG``), and gives up at once when PARENT (the pid that started it) is
no longer its parent — the parent died before the request took effect.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import sys
import time
from pathlib import Path
from typing import Any

from .confine import apply_rlimits, configure_libraries
from .errors import Rejected
from .model import Limits
from .protocol import (
    COVER,
    EXIT_MEMORY,
    EXIT_OK,
    EXIT_ORPHANED,
    EXIT_REJECTED,
    MASTER,
    RESULT,
)

__all__ = ["die_with_parent", "main"]

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# Share of the wall-clock budget text extraction may use before it stops early
# (the rest of the pipeline is fast; the cover needs a little at the end).
_TEXT_SHARE = 0.6
_COVER_BUDGET_S = 15.0


def peak_rss() -> int:
    """Peak resident memory of this process since exec, in bytes.

    ``VmHWM`` rather than ``getrusage``: Linux folds the RSS of the process image
    replaced by exec (a copy of the parent, e.g. a 100 MiB web worker) into
    ``ru_maxrss``, so that figure says more about the parent than about the PDF.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=True), encoding="ascii")
    os.replace(tmp, path)


def _sanitise(src: Path, work_dir: Path, limits: Limits, started: float) -> None:
    # Imported here, after the limits are in place: importing pypdfium2 loads pdfium.
    from pypdf import PdfWriter

    from .cover import cover_guard
    from .document import count_pages, open_pdf, read_info, scan_streams
    from .outline import read_outline
    from .strip import drop_outline, strip_active_content
    from .text import extract_texts

    stats: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.monotonic()
        stats[name] = round(now - since, 3)
        return now

    removed: list[str] = []
    notes: list[str] = []
    reader = open_pdf(src, removed)
    pages = count_pages(reader, limits.max_pages)
    mark = lap("open_s", started)
    scan_streams(reader)
    mark = lap("scan_s", mark)
    info = read_info(reader)
    outline = read_outline(reader)
    if outline.looped:
        notes.append("the outline loops; it was read up to the loop")
    if outline.truncated:
        notes.append("the outline is too big or too deep; it was cut short")
    removed.extend(label for label in strip_active_content(reader) if label not in removed)
    if outline.looped and drop_outline(reader):
        removed.append("looping outline")
    guard = cover_guard(reader.pages[0], limits.max_image_pixels)

    master = work_dir / MASTER
    tmp = work_dir / (MASTER + ".tmp")
    writer = PdfWriter(clone_from=reader)
    with tmp.open("wb") as fh:
        writer.write(fh)
    os.replace(tmp, master)
    del writer, reader
    mark = lap("write_s", mark)

    text_deadline = started + limits.timeout_s * _TEXT_SHARE
    texts = extract_texts(master, pages, text_deadline)
    notes.extend(texts.notes)
    mark = lap("text_s", mark)

    result: dict[str, Any] = {
        "pages": pages,
        "page_texts": texts.texts,
        "outline": [[item.title, item.page, item.level] for item in outline.items],
        "info": info,
        "removed": removed,
        "notes": notes,
        "stats": stats,
        "master": MASTER,
        "cover": "pending",
    }
    stats["peak_rss_bytes"] = peak_rss()
    _write_json(work_dir / RESULT, {"ok": result})

    cover_note = guard
    if cover_note is None and limits.cover_width <= 0:
        cover_note = "covers are disabled"
    if cover_note is None:
        cover_note = _cover(master, work_dir / COVER, limits, started)
        lap("cover_s", mark)
    if cover_note is not None:
        notes.append(f"no cover: {cover_note}")
    result["cover"] = COVER if cover_note is None else None
    stats["peak_rss_bytes"] = peak_rss()
    _write_json(work_dir / RESULT, {"ok": result})


def _cover(master: Path, out: Path, limits: Limits, started: float) -> str | None:
    """Render the cover; return why there is none, never raise."""
    from .cover import render_cover

    # pdfium cannot be interrupted from Python, so the alarm keeps its default
    # action: the process dies, and the parent keeps the result without a cover.
    remaining = started + limits.timeout_s - time.monotonic()
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, max(0.5, min(_COVER_BUDGET_S, remaining - 0.5)))
    try:
        return render_cover(master, out, limits.cover_width)
    except MemoryError:
        return "drawing page 1 needed too much memory"
    except Exception as exc:  # a cover is decoration: no failure of it refuses the file
        return f"drawing page 1 failed ({type(exc).__name__})"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def die_with_parent(parent: int | None) -> bool:
    """Be killed with the process that started this one; False when it is gone already.

    Not in the parent's ``preexec_fn`` (unsafe in a threaded parent, see ``confine``):
    the worker asks for itself, then checks it was not orphaned before asking.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux: the deadline remains
        pass
    return parent is None or os.getppid() == parent


def main(argv: list[str]) -> int:
    """Entry point; returns the exit status described in the module docstring."""
    started = time.monotonic()
    if len(argv) not in (3, 4) or (len(argv) == 4 and not argv[3].isdigit()):
        print(
            "usage: python -m catalog.ingest.worker SRC WORK_DIR LIMITS_JSON [PARENT]",
            file=sys.stderr,
        )
        return 2
    if not die_with_parent(int(argv[3]) if len(argv) == 4 else None):
        return EXIT_ORPHANED
    src, work_dir, limits = Path(argv[0]), Path(argv[1]), Limits.from_json(argv[2])
    apply_rlimits(limits)
    configure_libraries(limits)
    try:
        _sanitise(src, work_dir, limits, started)
    except MemoryError:
        # Little memory is left: say it on stderr with preallocated bytes and go.
        os.write(2, b"MemoryError\n")
        return EXIT_MEMORY
    except Exception as exc:  # every failure becomes a verdict
        from .failures import to_rejected

        rejected = to_rejected(exc)
        if not isinstance(exc, Rejected):
            # The parent keeps the stderr tail for the log; the verdict stays short.
            import traceback

            traceback.print_exc(limit=8, file=sys.stderr)
        record = {**rejected.to_json(), "stats": {"peak_rss_bytes": peak_rss()}}
        _write_json(work_dir / RESULT, {"rejected": record})
        return EXIT_REJECTED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

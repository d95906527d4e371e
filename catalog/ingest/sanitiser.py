"""``sanitise()``: the cheap checks here, the parsing in the sandboxed worker, one verdict.

How a worker's end maps to the verdict:

* ``result.json`` says ``rejected`` (exit 3) → that ``Rejected``;
* ``result.json`` says ``ok`` → ``Sanitised``; if the cover was still ``pending``
  the worker died while rendering page 1 (memory, a pdfium crash, its alarm, or
  our deadline) and the result is kept without a cover instead of being refused
  or re-run: everything the catalogue needs was already on disk;
* killed at our deadline → ``timeout``; SIGXCPU (RLIMIT_CPU) → ``timeout`` (CPU);
* SIGXFSZ (RLIMIT_FSIZE: the rewritten PDF grew past its cap) → ``too_large``;
* exit 4, ``MemoryError`` on stderr or killed by any other signal → ``memory``
  (under RLIMIT_AS allocation failures in C code end in SIGSEGV/SIGABRT as
  often as in a Python ``MemoryError``);
* anything else → ``damaged``, with the stderr tail in ``Rejected.detail``.

``work_dir`` must belong to this call alone; on refusal the worker's files are
removed from it.
"""

from __future__ import annotations

import json
import logging
import signal
import time
from pathlib import Path
from typing import Any

from .errors import CODES, Rejected
from .model import Limits, OutlineItem, Sanitised
from .protocol import COVER, EXIT_MEMORY, EXIT_REJECTED, MASTER, RESULT
from .sandbox import WorkerRun, run_worker
from .sniff import precheck, sha256_of

__all__ = ["DEFAULT_LIMITS", "interpret", "sanitise"]

log = logging.getLogger(__name__)

DEFAULT_LIMITS = Limits()

_OUTPUTS = (MASTER, COVER, RESULT, MASTER + ".tmp", RESULT + ".tmp")


def _stats(run: WorkerRun) -> dict[str, float]:
    # wait4's peak includes the parent's image at fork time; the worker's own figure
    # (in result.json) replaces it whenever the worker lived to write one.
    return {
        "seconds": round(run.seconds, 3),
        "cpu_s": round(run.cpu_s, 3),
        "peak_rss_bytes": float(run.peak_rss),
    }


def _load_result(work_dir: Path) -> dict[str, Any] | None:
    try:
        loaded = json.loads((work_dir / RESULT).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def _str_list(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of strings")
    return list(value)


def _build(
    ok: dict[str, Any], work_dir: Path, sha: str, size: int, stats: dict[str, float]
) -> Sanitised:
    """``Sanitised`` from the worker's ``ok`` record, checking its shape on the way."""
    pages = ok["pages"]
    texts = _str_list(ok["page_texts"])
    if not isinstance(pages, int) or pages < 1 or len(texts) != pages:
        raise ValueError("page count and texts disagree")
    outline = [OutlineItem(title=str(t), page=int(p), level=int(lv)) for t, p, lv in ok["outline"]]
    info = {str(k): str(v) for k, v in dict(ok["info"]).items()}
    master = work_dir / MASTER
    if not master.is_file():
        raise ValueError("no master written")
    cover = work_dir / COVER if ok.get("cover") == COVER and (work_dir / COVER).is_file() else None
    stage_stats = {str(k): float(v) for k, v in dict(ok.get("stats", {})).items()}
    return Sanitised(
        master_path=master,
        cover_path=cover,
        pages=pages,
        page_texts=texts,
        outline=outline,
        info=info,
        sha256=sha,
        size=size,
        removed=_str_list(ok["removed"]),
        notes=_str_list(ok["notes"]),
        stats={**stats, **stage_stats},  # the worker's own peak memory beats wait4's
    )


def _verdict(run: WorkerRun, limits: Limits) -> Rejected:
    """The refusal for a worker that ended without a usable ``result.json``."""
    if run.timed_out:
        return Rejected("timeout", {"limit": _seconds(limits.timeout_s)})
    if run.returncode == -signal.SIGXCPU or (
        run.returncode == -signal.SIGKILL and run.cpu_s >= limits.cpu_s
    ):
        return Rejected("timeout", {"limit": limits.cpu_s, "why": "cpu"})
    if run.returncode == -signal.SIGXFSZ:  # RLIMIT_FSIZE: the master grew past 4x the cap
        return Rejected("too_large", {"size": limits.max_bytes * 4, "limit": limits.max_bytes})
    if run.returncode == EXIT_MEMORY or "MemoryError" in run.stderr_tail or run.returncode < 0:
        return Rejected("memory", {"limit": limits.memory_bytes})
    return Rejected(
        "damaged", {"cause": f"the reader stopped unexpectedly (exit {run.returncode})"}
    )


def _seconds(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _signal_name(returncode: int) -> str:
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def _clean(work_dir: Path) -> None:
    for name in _OUTPUTS:
        (work_dir / name).unlink(missing_ok=True)


def interpret(run: WorkerRun, work_dir: Path, limits: Limits, sha: str, size: int) -> Sanitised:
    """Turn a finished worker run and what it left in ``work_dir`` into the verdict."""
    stats = _stats(run)
    how = f"exit {run.returncode}" if run.returncode >= 0 else _signal_name(run.returncode)
    result = _load_result(work_dir)
    try:
        if result is not None and run.returncode == EXIT_REJECTED and "rejected" in result:
            raise _rejected_from(result["rejected"], run)
        if result is not None and isinstance(result.get("ok"), dict):
            ok = result["ok"]
            if ok.get("cover") == "pending":
                ok["cover"] = None
                died = f"no cover: the worker died drawing it ({how})"
                ok["notes"] = [*ok.get("notes", []), died]
            try:
                sanitised = _build(ok, work_dir, sha, size, stats)
            except (KeyError, TypeError, ValueError) as exc:
                raise Rejected(
                    "damaged", {"cause": "the reader produced no usable result"}, detail=str(exc)
                ) from exc
            (work_dir / RESULT).unlink(missing_ok=True)
            return sanitised
        rejected = _verdict(run, limits)
        rejected.detail = run.stderr_tail
        raise rejected
    except Rejected as exc:
        exc.stats = {**stats, **exc.stats}
        _clean(work_dir)
        raise


def sanitise(src: Path, work_dir: Path, limits: Limits = DEFAULT_LIMITS) -> Sanitised:
    """Check, normalise and read an uploaded PDF; raise ``Rejected`` if it must be refused."""
    started = time.monotonic()
    src, work_dir = Path(src).resolve(), Path(work_dir).resolve()
    if src.parent == work_dir and src.name in _OUTPUTS:
        raise ValueError(f"{src.name} in work_dir would be overwritten by the sanitiser")
    work_dir.mkdir(parents=True, exist_ok=True)
    _clean(work_dir)
    size = precheck(src, limits)
    sha = sha256_of(src)
    remaining = max(0.01, limits.timeout_s - (time.monotonic() - started))
    run = run_worker(src, work_dir, limits, remaining)
    log.info(
        "sanitise %s: exit %d in %.2f s, cpu %.2f s, peak %d MiB",
        src.name,
        run.returncode,
        run.seconds,
        run.cpu_s,
        run.peak_rss // 2**20,
    )
    return interpret(run, work_dir, limits, sha, size)


def _rejected_from(record: object, run: WorkerRun) -> Rejected:
    if not isinstance(record, dict) or record.get("code") not in CODES:
        return Rejected("damaged", {"cause": "the reader produced no usable result"})
    params = record.get("params")
    message = record.get("message")
    rejected = Rejected(
        str(record["code"]),
        params if isinstance(params, dict) else {},
        message=message if isinstance(message, str) else None,
        detail=run.stderr_tail,
    )
    stats = record.get("stats")
    if isinstance(stats, dict):
        rejected.stats = {str(k): float(v) for k, v in stats.items() if isinstance(v, int | float)}
    return rejected

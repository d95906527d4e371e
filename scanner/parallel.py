"""Running page jobs on a thread pool, in order, with progress and prompt stopping.

The work of a page happens in subprocesses (Tesseract) and in numpy/Pillow calls that
release the GIL, so threads are enough to fill the cores. Each job receives a stop
event: it is set when the caller cancels or another page fails, and the jobs hand it
to ``run_tool`` so running Tesseracts are killed instead of finishing for nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from scanner.errors import ProcessingCancelled

__all__ = ["ProgressCallback", "run_parallel"]

T = TypeVar("T")
ProgressCallback = Callable[[int, int], None]
_POLL_S = 0.1


def run_parallel(
    jobs: Sequence[Callable[[threading.Event], T]],
    *,
    workers: int,
    cancel: threading.Event | None = None,
    on_progress: ProgressCallback | None = None,
) -> list[T]:
    """Run ``jobs`` on ``workers`` threads; return their results in job order.

    ``on_progress(done, total)`` is called from the calling thread after each job. The
    first failure (or a cancel, as ``ProcessingCancelled``) stops the rest and is
    raised once the running jobs have stopped.
    """
    total = len(jobs)
    results: dict[int, T] = {}
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="scanner") as pool:
        index: dict[Future[T], int] = {pool.submit(job, stop): i for i, job in enumerate(jobs)}
        pending: set[Future[T]] = set(index)
        try:
            while pending:
                finished, pending = wait(pending, timeout=_POLL_S, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=index.__getitem__):
                    results[index[future]] = future.result()
                    if on_progress is not None:
                        on_progress(len(results), total)
                if cancel is not None and cancel.is_set() and pending:
                    raise ProcessingCancelled(page=len(results) + 1)
        except BaseException:
            stop.set()
            for future in pending:
                future.cancel()
            raise
    return [results[i] for i in range(total)]

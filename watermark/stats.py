"""Counters of the stamping paths, so that the application can watch fallbacks.

Process-wide and thread-safe. A fallback means a master the fast path could not use
(made before plans existed, changed since its plan, or of a shape ``analyse`` refuses);
the reasons say which, to decide whether masters should be re-made.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["StampStats", "fallback_count", "record", "reset_stats", "stats"]

_lock = threading.Lock()
_paths: Counter[str] = Counter()
_reasons: Counter[str] = Counter()


@dataclass(frozen=True)
class StampStats:
    """How many stampings took each path since start (or ``reset_stats``), and why
    the fallbacks happened."""

    fast: int = 0
    fallback: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


def record(path: str, reason: str | None) -> None:
    """Count one stamping."""
    with _lock:
        _paths[path] += 1
        if reason:
            _reasons[reason] += 1


def stats() -> StampStats:
    """A snapshot of the counters."""
    with _lock:
        return StampStats(_paths["fast"], _paths["fallback"], dict(_reasons))


def fallback_count() -> int:
    """How many stampings used the fallback."""
    with _lock:
        return _paths["fallback"]


def reset_stats() -> None:
    """Zero the counters (for tests and periodic reporting)."""
    with _lock:
        _paths.clear()
        _reasons.clear()

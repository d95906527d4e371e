"""Auditing a store: which expected blobs are missing and which no longer match their key."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from storage.base import BlobState, BlobStore, is_key

__all__ = ["CheckReport", "check_store"]


@dataclass(frozen=True)
class CheckReport:
    """The outcome of ``check_store``: how many keys were checked and which failed."""

    checked: int
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is missing and nothing is corrupt."""
        return not self.missing and not self.corrupt


def check_store(
    store: BlobStore,
    expected: Iterable[str] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> CheckReport:
    """Re-hash blobs and report the missing and corrupt ones.

    ``expected`` is the keys some database says should exist; ``None`` checks every
    key the store holds. Each distinct key is checked once, and ``progress`` (if
    given) receives the running count after each key.
    """
    keys = store.iter_keys() if expected is None else expected
    seen: set[str] = set()
    missing: list[str] = []
    corrupt: list[str] = []
    for key in keys:
        # Many rows may share one content-addressed blob; hashing it again proves nothing.
        if key in seen:
            continue
        seen.add(key)
        if not is_key(key):
            # A malformed key recorded in a database cannot name any stored blob.
            missing.append(key)
        else:
            state = store.verify(key)
            if state is BlobState.MISSING:
                missing.append(key)
            elif state is BlobState.CORRUPT:
                corrupt.append(key)
        if progress is not None:
            progress(len(seen))
    return CheckReport(checked=len(seen), missing=missing, corrupt=corrupt)

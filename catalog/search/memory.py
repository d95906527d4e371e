"""Keep freed memory for reuse instead of handing it back to the system (glibc only).

A query allocates a few megabytes of short-lived buffers (posting blocks, numpy arrays
of positions) and frees them at once. glibc serves allocations from 128 KiB up with
fresh ``mmap`` regions and returns freed memory at the top of the heap to the system,
so the next query pays a page fault for every 4 KiB it touches again: measured here,
building the phrase keys of a common word took 0.75 ms, of which 0.6 ms were page
faults. Raising the two thresholds keeps up to ``TRIM`` bytes of freed memory in the
process for the next query. Other C libraries are left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

_M_TRIM_THRESHOLD = -1  # from glibc's malloc.h
_M_MMAP_THRESHOLD = -3
MMAP = 32 * 1024 * 1024  # allocations below this come from the heap
TRIM = 64 * 1024 * 1024  # free memory kept at the top of the heap

_done = False
_lock = threading.Lock()


def keep_freed_memory() -> bool:
    """Tune glibc's malloc once per process; whether it was (False: not glibc)."""
    global _done
    with _lock:
        if _done:
            return True
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            mallopt = libc.mallopt
        except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
            return False
        mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        mallopt.restype = ctypes.c_int
        _done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM))
        return _done

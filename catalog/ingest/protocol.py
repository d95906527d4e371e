"""What the worker and its parent agree on: file names in the work dir, exit codes.

Kept apart from ``worker`` so the parent can use the names without importing the
worker module (which ``python -m`` then runs as ``__main__``).
"""

from __future__ import annotations

__all__ = [
    "COVER",
    "EXIT_MEMORY",
    "EXIT_OK",
    "EXIT_ORPHANED",
    "EXIT_REJECTED",
    "MASTER",
    "RESULT",
    "WORKER_MODULE",
]

WORKER_MODULE = "catalog.ingest.worker"

EXIT_OK = 0
EXIT_REJECTED = 3  # result.json holds {"rejected": {...}}
EXIT_MEMORY = 4  # a MemoryError reached the top
EXIT_ORPHANED = 5  # the parent was gone before the worker started: nobody waits for it

MASTER = "master.pdf"
COVER = "cover.png"
RESULT = "result.json"

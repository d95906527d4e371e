"""The exception tree of the storage package.

Every error a store raises derives from ``StorageError`` so callers can catch the
whole family in one place; the subclasses name the cases callers act on.
"""

from __future__ import annotations

__all__ = ["BlobNotFound", "BlobTooLarge", "InvalidKey", "StorageError"]


class StorageError(Exception):
    """Root of the package's exceptions; also raised when a backend is unusable."""


class BlobNotFound(StorageError):
    """No blob is stored under the requested key."""


class InvalidKey(StorageError):
    """The key is not a SHA-256 digest written as 64 lowercase hex characters."""


class BlobTooLarge(StorageError):
    """``put()`` received more bytes than its ``max_bytes`` allowed."""

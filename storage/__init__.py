"""Content-addressed blob storage: a local-filesystem store and an S3 store.

A plain library (no Flask, no other project package). Blobs are keyed by the
SHA-256 hex digest of their content; ``open_store`` builds a store from a URL and
``check_store`` audits one against the keys a database expects.
"""

from typing import TYPE_CHECKING, Any

from storage.base import BlobRef, BlobState, BlobStore, WorkFile
from storage.check import CheckReport, check_store
from storage.errors import BlobNotFound, BlobTooLarge, InvalidKey, StorageError
from storage.factory import open_store
from storage.local import LocalStore

if TYPE_CHECKING:
    from storage.s3 import S3Store

__all__ = [
    "BlobNotFound",
    "BlobRef",
    "BlobState",
    "BlobStore",
    "BlobTooLarge",
    "CheckReport",
    "InvalidKey",
    "LocalStore",
    "S3Store",
    "StorageError",
    "WorkFile",
    "check_store",
    "open_store",
]


def __getattr__(name: str) -> Any:
    # boto3 takes a noticeable part of a process's start: import it only when S3 is used.
    if name == "S3Store":
        from storage.s3 import S3Store

        return S3Store
    raise AttributeError(f"module 'storage' has no attribute {name!r}")

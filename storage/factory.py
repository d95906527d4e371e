"""Building a store from a configuration URL."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import unquote, urlsplit

from storage.base import BlobStore
from storage.errors import StorageError
from storage.local import LocalStore

__all__ = ["open_store"]

_S3_OPTIONS = frozenset(
    {
        "endpoint_url",
        "region_name",
        "access_key_id",
        "secret_access_key",
        "multipart_threshold",
        "multipart_chunksize",
        "addressing_style",
        "client",
    }
)
_USAGE = "use file:///absolute/path, an absolute path, or s3://bucket/optional/prefix"


def open_store(url: str, **options: Any) -> BlobStore:
    """A store for ``url``: ``file:///abs/path``, ``/abs/path`` or ``s3://bucket/prefix``.

    ``options`` are passed to ``S3Store``; options set to ``None`` count as absent,
    so unset configuration values can be passed straight through.
    """
    given = {name: value for name, value in options.items() if value is not None}
    # Error messages name the scheme only: a URL may carry credentials in its userinfo.
    if os.path.isabs(url) and "://" not in url:
        return _local(url, given)
    parts = urlsplit(url)
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise StorageError(f"storage URL must not carry a query, fragment or userinfo; {_USAGE}")
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise StorageError("file:// storage URL must name a local path (no host)")
        path = unquote(parts.path)
        if not os.path.isabs(path):
            raise StorageError(f"file:// storage URL needs an absolute path; {_USAGE}")
        return _local(path, given)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise StorageError(f"s3:// storage URL needs a bucket; {_USAGE}")
        unknown = sorted(set(given) - _S3_OPTIONS)
        if unknown:
            raise StorageError(f"unknown S3 storage options: {', '.join(unknown)}")
        from storage.s3 import S3Store  # boto3 only when S3 is used

        return S3Store(parts.netloc, unquote(parts.path).strip("/"), **given)
    scheme = parts.scheme or "(none)"
    raise StorageError(f"unsupported storage URL scheme {scheme!r:.20}; {_USAGE}")


def _local(path: str, options: dict[str, Any]) -> LocalStore:
    if options:
        raise StorageError(f"local storage takes no options: {', '.join(sorted(options))}")
    return LocalStore(path)

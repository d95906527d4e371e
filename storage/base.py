"""The store interface and the helpers every backend shares.

Blobs are content-addressed: a blob's key is the SHA-256 hex digest of its bytes,
so keys are validated strictly and content can always be re-checked against them.
"""

from __future__ import annotations

import abc
import contextlib
import enum
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from storage.errors import BlobNotFound, BlobTooLarge, InvalidKey, StorageError

__all__ = [
    "CHUNK_SIZE",
    "BlobRef",
    "BlobState",
    "BlobStore",
    "Source",
    "WorkFile",
    "copy_hashing",
    "fan_out",
    "hash_stream",
    "is_key",
    "open_source",
    "os_reason",
    "validate_key",
    "validate_work_name",
]

# Large enough to keep syscall and hashing overhead low, small enough that a
# put or verify never holds more than this much of a blob in memory at once.
CHUNK_SIZE = 1024 * 1024

_KEY_RE = re.compile(r"[0-9a-f]{64}")
# A work file's name: slash-separated parts of letters, digits, ".", "_" and "-", each
# starting with a letter or digit (so no "..", no hidden or absolute names).
_WORK_PART = r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}"
_WORK_NAME_RE = re.compile(rf"{_WORK_PART}(/{_WORK_PART}){{0,7}}")
#: Where work files live beside the blobs (a local store's folder, an S3 key prefix).
WORK_PREFIX = "work"

Source = BinaryIO | str | os.PathLike[str]


@dataclass(frozen=True)
class BlobRef:
    """What ``put()`` returns: the blob's key (its SHA-256 hex digest) and size in bytes."""

    key: str
    size: int


class BlobState(enum.Enum):
    """Outcome of re-hashing one stored blob."""

    OK = "ok"
    MISSING = "missing"
    CORRUPT = "corrupt"


def is_key(value: str) -> bool:
    """Whether ``value`` is exactly 64 lowercase hex characters."""
    # fullmatch rather than match with "$", which would also accept a trailing newline.
    return _KEY_RE.fullmatch(value) is not None


def validate_key(key: str) -> str:
    """Return ``key`` unchanged, or raise ``InvalidKey``; run before a key touches any path."""
    if not isinstance(key, str) or not is_key(key):
        # repr() and truncation keep hostile input from forging log lines.
        raise InvalidKey(f"not a sha256 hex key: {key!r:.80}")
    return key


def validate_work_name(name: str) -> str:
    """Return ``name`` unchanged, or raise ``InvalidKey``: a work file's name must be
    a relative path of plain parts (``scans/<id>/pages/<page>.png``)."""
    if not isinstance(name, str) or _WORK_NAME_RE.fullmatch(name) is None:
        raise InvalidKey(f"not a work file name: {name!r:.80}")
    return name


@dataclass(frozen=True)
class WorkFile:
    """A listed work file: its name, size in bytes and last change (epoch seconds)."""

    name: str
    size: int
    modified: float


def fan_out(key: str) -> tuple[str, str, str]:
    """The three path components of a validated key: ``ab``, ``cd`` and the key itself."""
    validate_key(key)
    return key[:2], key[2:4], key


@contextlib.contextmanager
def open_source(source: Source) -> Iterator[BinaryIO]:
    """Yield a readable binary stream for ``source``; only paths are opened (and closed) here."""
    if isinstance(source, str | os.PathLike):
        with open(os.fspath(source), "rb") as handle:
            yield handle
    else:
        # A caller's file object stays the caller's to close.
        yield source


def copy_hashing(source: BinaryIO, dest: BinaryIO, max_bytes: int | None = None) -> BlobRef:
    """Stream ``source`` into ``dest`` chunk by chunk, hashing as it goes.

    Raises ``BlobTooLarge`` as soon as more than ``max_bytes`` have arrived, and
    ``StorageError`` when writing to ``dest`` fails; what was written to ``dest`` by
    then is the caller's to discard.
    """
    if max_bytes is not None and max_bytes < 0:
        raise ValueError("max_bytes must not be negative")
    digest = hashlib.sha256()
    size = 0
    while True:
        want = CHUNK_SIZE
        if max_bytes is not None:
            # Ask for at most one byte past the limit: enough to detect an overflow
            # without pulling a further chunk from a possibly huge upload.
            want = min(want, max_bytes + 1 - size)
        chunk = source.read(want)
        if not chunk:
            break
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise BlobTooLarge(f"blob exceeds the limit of {max_bytes} bytes")
        digest.update(chunk)
        try:
            dest.write(chunk)
        except OSError as exc:
            # The store's side failed (e.g. disk full); a failing source is the caller's
            # and propagates unchanged from read() above.
            raise StorageError(f"writing blob data failed: {os_reason(exc)}") from exc
    return BlobRef(key=digest.hexdigest(), size=size)


def os_reason(exc: OSError) -> str:
    """The short reason of an ``OSError`` (e.g. "No space left on device"), without paths."""
    return exc.strerror or type(exc).__name__


def hash_stream(stream: BinaryIO) -> str:
    """SHA-256 hex digest of everything left in ``stream``, read chunk by chunk."""
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


class BlobStore(abc.ABC):
    """A content-addressed blob store; keys are SHA-256 hex digests of the content."""

    @abc.abstractmethod
    def put(self, source: Source, *, max_bytes: int | None = None) -> BlobRef:
        """Store the bytes of a binary file object or a path, streaming; idempotent.

        Raises ``BlobTooLarge`` (storing nothing) when more than ``max_bytes`` arrive.
        """

    @abc.abstractmethod
    def open(self, key: str) -> BinaryIO:
        """A streaming readable file object for the blob; raises ``BlobNotFound``."""

    @abc.abstractmethod
    def exists(self, key: str) -> bool:
        """Whether a blob is stored under ``key``."""

    @abc.abstractmethod
    def size(self, key: str) -> int:
        """The blob's size in bytes; raises ``BlobNotFound``."""

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Remove the blob; deleting an absent blob is not an error."""

    @abc.abstractmethod
    def iter_keys(self) -> Iterator[str]:
        """Every stored blob key."""

    def iter_sizes(self) -> Iterator[tuple[str, int]]:
        """Every stored blob key with its size in bytes, from a listing: nothing is read
        or re-hashed (a backup's manifest of a bucket too large to copy)."""
        for key in self.iter_keys():
            try:
                yield key, self.size(key)
            except BlobNotFound:
                continue  # deleted between the listing and the look

    @abc.abstractmethod
    def ping(self) -> None:
        """Cheap health check; raises ``StorageError`` with a short reason when unusable."""

    @abc.abstractmethod
    def url(self, key: str, *, expires: int = 300, filename: str | None = None) -> str | None:
        """A time-limited direct download URL, or ``None`` if the backend has none."""

    @abc.abstractmethod
    def describe(self) -> str:
        """Where the blobs live, e.g. ``local:/path`` or ``s3://bucket/prefix``; no secrets."""

    # --- work files ---------------------------------------------------------------------
    # Files of work in progress (a scan batch's pages, its manifest) that any host must
    # be able to continue: named by the caller, overwritten in place, deleted when the
    # work ends. They live apart from the content-addressed blobs, which never see them.

    @abc.abstractmethod
    def put_work(self, name: str, source: Source, *, max_bytes: int | None = None) -> int:
        """Store (or replace whole) the work file ``name``; return its size.

        Raises ``BlobTooLarge`` (storing nothing) when more than ``max_bytes`` arrive.
        """

    @abc.abstractmethod
    def open_work(self, name: str) -> BinaryIO:
        """A readable file object for the work file; raises ``BlobNotFound``."""

    @abc.abstractmethod
    def delete_work(self, name: str) -> None:
        """Remove the work file; an absent one is not an error."""

    @abc.abstractmethod
    def list_work(self, prefix: str) -> Iterator[WorkFile]:
        """Every work file whose name starts with ``prefix`` + ``/`` (any depth)."""

    @abc.abstractmethod
    def list_work_folders(self, prefix: str) -> Iterator[str]:
        """The names of the folders right under ``prefix`` (``scans`` → ``scans/b1``…),
        without listing what they hold."""

    def read_work(self, name: str) -> bytes:
        """The whole work file (for small ones: a manifest)."""
        with self.open_work(name) as stream:
            return stream.read()

    def work_exists(self, name: str) -> bool:
        try:
            self.open_work(name).close()
        except BlobNotFound:
            return False
        return True

    def local_path(self, key: str) -> Path | None:
        """The blob's file on this machine, for readers that need random access (the
        watermark's byte-range copying); ``None`` when the backend keeps no local file
        or the blob is absent. The file must be treated as read-only."""
        validate_key(key)
        return None

    def verify(self, key: str) -> BlobState:
        """Stream the blob back and re-hash it against its key."""
        try:
            stream = self.open(key)
        except BlobNotFound:
            return BlobState.MISSING
        with stream:
            actual = hash_stream(stream)
        return BlobState.OK if actual == key else BlobState.CORRUPT

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()}>"

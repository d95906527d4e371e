"""A blob store in an S3 bucket (AWS or any S3-compatible service).

Objects live at ``<prefix>/<ab>/<cd>/<key>``. A blob's key is its hash, known only
after the last byte has arrived, so ``put()`` spools the stream to a temporary file
on disk while hashing and uploads from there (multipart for large blobs).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO, Literal

import boto3.session
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
)

from storage.base import (
    CHUNK_SIZE,
    WORK_PREFIX,
    BlobRef,
    BlobStore,
    Source,
    WorkFile,
    copy_hashing,
    fan_out,
    is_key,
    validate_work_name,
)
from storage.base import open_source as _open_source
from storage.disposition import content_disposition
from storage.errors import BlobNotFound, StorageError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from botocore.response import StreamingBody
    from mypy_boto3_s3 import S3Client

__all__ = ["S3Store"]

_NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})
# S3 refuses presigned URLs valid for longer than seven days.
_MAX_EXPIRES = 7 * 24 * 3600
_CONTENT_TYPE = "application/octet-stream"

# Human reasons for the error codes an operator most often meets; anything else is
# reported by its code alone, which never carries a credential.
_REASONS = {
    "404": "not found",
    "NoSuchBucket": "bucket does not exist",
    "403": "access denied",
    "AccessDenied": "access denied",
    "InvalidAccessKeyId": "access key not recognised",
    "SignatureDoesNotMatch": "secret key does not match",
    "ExpiredToken": "credentials expired",
}


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _reason(exc: BaseException) -> str:
    """A short description of a boto error, free of credentials and request details."""
    if isinstance(exc, S3UploadFailedError) and exc.__context__ is not None:
        return _reason(exc.__context__)
    if isinstance(exc, ClientError):
        code = _code(exc)
        return _REASONS.get(code, f"error {code or 'unknown'}")
    if isinstance(exc, EndpointConnectionError):
        return "cannot connect to the endpoint"
    if isinstance(exc, NoCredentialsError):
        return "no credentials configured"
    return type(exc).__name__


class _BodyReader(io.RawIOBase):
    """A raw readable stream over a boto ``StreamingBody`` that closes the HTTP body."""

    def __init__(self, body: StreamingBody, where: str) -> None:
        super().__init__()
        self._body = body
        self._where = where

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._body.read(len(view))
        except BotoCoreError as exc:
            raise StorageError(f"{self._where}: read failed: {_reason(exc)}") from exc
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            # Releases the HTTP connection even when the caller stops reading early.
            self._body.close()
        super().close()


class S3Store(BlobStore):
    """Content-addressed blobs in an S3 bucket under an optional key prefix."""

    def __init__(
        self,
        bucket: str,
        prefix: str = "",
        *,
        endpoint_url: str | None = None,
        region_name: str | None = None,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        multipart_threshold: int = 8 * 1024 * 1024,
        multipart_chunksize: int = 8 * 1024 * 1024,
        addressing_style: Literal["auto", "virtual", "path"] | None = None,
        client: S3Client | None = None,
    ) -> None:
        if not bucket or "/" in bucket:
            raise StorageError("S3 store needs a bucket name without slashes")
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self._transfer = TransferConfig(
            multipart_threshold=multipart_threshold, multipart_chunksize=multipart_chunksize
        )
        if client is None:
            # Bounded timeouts, so ping() against an unreachable endpoint fails in
            # seconds instead of hanging a health check for minutes.
            config = Config(
                # Explicit: for presigned URLs botocore may otherwise fall back to
                # SigV2, which AWS has retired.
                signature_version="s3v4",
                connect_timeout=10,
                read_timeout=60,
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": addressing_style} if addressing_style else None,
            )
            # A private session: boto3's default session is shared and not thread-safe.
            client = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint_url,
                region_name=region_name,
                aws_access_key_id=access_key_id,
                aws_secret_access_key=secret_access_key,
                config=config,
            )
        self.client: S3Client = client

    def object_key(self, key: str) -> str:
        """The S3 object key a blob key is stored under (validates the key)."""
        path = "/".join(fan_out(key))
        return f"{self.prefix}/{path}" if self.prefix else path

    def _fail(self, action: str, exc: BaseException) -> StorageError:
        return StorageError(f"{self.describe()}: {action} failed: {_reason(exc)}")

    def put(self, source: Source, *, max_bytes: int | None = None) -> BlobRef:
        # On disk, not in memory: blobs may be far larger than RAM allows.
        with _open_source(source) as stream, tempfile.TemporaryFile() as spool:
            ref = copy_hashing(stream, spool, max_bytes)
            if self.exists(ref.key):
                return ref
            spool.seek(0)
            try:
                self.client.upload_fileobj(
                    spool,
                    self.bucket,
                    self.object_key(ref.key),
                    ExtraArgs={"ContentType": _CONTENT_TYPE, "Metadata": {"sha256": ref.key}},
                    Config=self._transfer,
                )
            except (ClientError, BotoCoreError, S3UploadFailedError) as exc:
                raise self._fail("upload", exc) from exc
        return ref

    def open(self, key: str) -> BinaryIO:
        name = self.object_key(key)
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=name)
        except ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                raise BlobNotFound(key) from None
            raise self._fail("get", exc) from exc
        except BotoCoreError as exc:
            raise self._fail("get", exc) from exc
        raw = _BodyReader(response["Body"], self.describe())
        return io.BufferedReader(raw, CHUNK_SIZE)

    def _head(self, key: str) -> int | None:
        """The object's size, or ``None`` when it does not exist."""
        name = self.object_key(key)
        try:
            response = self.client.head_object(Bucket=self.bucket, Key=name)
        except ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                return None
            raise self._fail("head", exc) from exc
        except BotoCoreError as exc:
            raise self._fail("head", exc) from exc
        return response["ContentLength"]

    def exists(self, key: str) -> bool:
        return self._head(key) is not None

    def size(self, key: str) -> int:
        size = self._head(key)
        if size is None:
            raise BlobNotFound(key)
        return size

    def delete(self, key: str) -> None:
        name = self.object_key(key)
        try:
            self.client.delete_object(Bucket=self.bucket, Key=name)
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("delete", exc) from exc

    def iter_keys(self) -> Iterator[str]:
        for key, _size in self.iter_sizes():
            yield key

    def iter_sizes(self) -> Iterator[tuple[str, int]]:
        # The listing carries every object's size: no HEAD request per blob.
        root = f"{self.prefix}/" if self.prefix else ""
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=root):
                for item in page.get("Contents", []):
                    parts = item.get("Key", "")[len(root) :].split("/")
                    # Only objects laid out exactly as put() writes them are blobs.
                    if len(parts) != 3:
                        continue
                    first, second, key = parts
                    if is_key(key) and first == key[:2] and second == key[2:4]:
                        yield key, int(item.get("Size", 0))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("list", exc) from exc

    def url(self, key: str, *, expires: int = 300, filename: str | None = None) -> str | None:
        if not 0 < expires <= _MAX_EXPIRES:
            raise ValueError(f"expires must be between 1 and {_MAX_EXPIRES} seconds")
        params = {"Bucket": self.bucket, "Key": self.object_key(key)}
        if filename is not None:
            params["ResponseContentDisposition"] = content_disposition(filename)
        try:
            return self.client.generate_presigned_url(
                "get_object", Params=params, ExpiresIn=expires
            )
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("presign", exc) from exc

    def ping(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as exc:
            code = _code(exc) if isinstance(exc, ClientError) else ""
            # head_bucket has no body, so a missing bucket only shows as a bare 404.
            reason = "bucket does not exist" if code == "404" else _reason(exc)
            raise StorageError(f"{self.describe()}: {reason}") from exc

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    # --- work files (``<prefix>/work/<name>``) ---------------------------------------

    def _work_root(self) -> str:
        return f"{self.prefix}/{WORK_PREFIX}/" if self.prefix else f"{WORK_PREFIX}/"

    def _work_key(self, name: str) -> str:
        return self._work_root() + validate_work_name(name)

    def put_work(self, name: str, source: Source, *, max_bytes: int | None = None) -> int:
        target = self._work_key(name)
        # Spooled first, so that a source over ``max_bytes`` stores nothing.
        with _open_source(source) as stream, tempfile.TemporaryFile() as spool:
            ref = copy_hashing(stream, spool, max_bytes)
            spool.seek(0)
            try:
                self.client.upload_fileobj(
                    spool,
                    self.bucket,
                    target,
                    ExtraArgs={"ContentType": _CONTENT_TYPE},
                    Config=self._transfer,
                )
            except (ClientError, BotoCoreError, S3UploadFailedError) as exc:
                raise self._fail("upload", exc) from exc
        return ref.size

    def open_work(self, name: str) -> BinaryIO:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._work_key(name))
        except ClientError as exc:
            if _code(exc) in _NOT_FOUND:
                raise BlobNotFound(name) from None
            raise self._fail("get", exc) from exc
        except BotoCoreError as exc:
            raise self._fail("get", exc) from exc
        return io.BufferedReader(_BodyReader(response["Body"], self.describe()), CHUNK_SIZE)

    def delete_work(self, name: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._work_key(name))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("delete", exc) from exc

    def list_work_folders(self, prefix: str) -> Iterator[str]:
        root = self._work_root()
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(
                Bucket=self.bucket, Prefix=self._work_key(prefix) + "/", Delimiter="/"
            ):
                for common in page.get("CommonPrefixes", []):
                    yield common.get("Prefix", "")[len(root) :].rstrip("/")
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("list", exc) from exc

    def list_work(self, prefix: str) -> Iterator[WorkFile]:
        root = self._work_root()
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self._work_key(prefix) + "/"):
                for item in page.get("Contents", []):
                    modified = item.get("LastModified")
                    yield WorkFile(
                        item.get("Key", "")[len(root) :],
                        int(item.get("Size", 0)),
                        modified.timestamp() if modified is not None else 0.0,
                    )
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("list", exc) from exc

"""Fixtures for the storage tests: local stores, and S3 stores over real HTTP to moto.

The S3 tests talk to moto's standalone server on a free localhost port, so the
whole boto3 stack (signing, HTTP, multipart, presigning) runs for real. AWS
settings from the environment are scrubbed so no real account can be reached.
"""

from __future__ import annotations

import io
import os
import random
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from storage import LocalStore, S3Store

REGION = "us-east-1"
ACCESS_KEY = "testing"
SECRET_KEY = "testing"
BUCKET = "pst-storage-tests"


def _scrub_aws_env(mp: pytest.MonkeyPatch) -> None:
    """Hide every AWS setting of the machine and point boto at dummy credentials."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            mp.delenv(name)
    mp.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    mp.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    mp.setenv("AWS_DEFAULT_REGION", REGION)
    mp.setenv("AWS_CONFIG_FILE", "/dev/null")
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    # A proxy from the environment must not intercept requests to the local server.
    mp.setenv("NO_PROXY", "127.0.0.1,localhost")
    mp.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every storage test runs with the scrubbed AWS environment."""
    _scrub_aws_env(monkeypatch)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def raw_client(endpoint: str) -> Any:
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """Base URL of a moto S3 server running for the whole session, with one bucket."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        # Session scope cannot use the function-scoped monkeypatch; scrub locally.
        with pytest.MonkeyPatch.context() as mp:
            _scrub_aws_env(mp)
            client = raw_client(endpoint)
            client.create_bucket(Bucket=BUCKET)
            client.close()
        yield endpoint
    finally:
        server.stop()


@pytest.fixture
def s3_raw(moto_endpoint: str) -> Iterator[Any]:
    """A plain boto3 client on the moto server, for arranging and inspecting objects."""
    client = raw_client(moto_endpoint)
    yield client
    client.close()


@pytest.fixture
def make_s3_store(moto_endpoint: str) -> Iterator[Any]:
    """Factory for S3Stores on the moto server; their clients are closed afterwards."""
    stores: list[S3Store] = []

    def make(bucket: str = BUCKET, prefix: str | None = None, **options: Any) -> S3Store:
        if prefix is None:
            # A fresh prefix per store keeps tests from seeing each other's blobs.
            prefix = f"t-{uuid.uuid4().hex[:12]}/blobs"
        store = S3Store(
            bucket,
            prefix,
            endpoint_url=moto_endpoint,
            region_name=REGION,
            access_key_id=ACCESS_KEY,
            secret_access_key=SECRET_KEY,
            **options,
        )
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.client.close()


@pytest.fixture
def s3_store(make_s3_store: Any) -> S3Store:
    store: S3Store = make_s3_store()
    return store


@pytest.fixture
def local_store(tmp_path: Path) -> LocalStore:
    return LocalStore(tmp_path / "blobs")


class GeneratedStream(io.RawIOBase):
    """A non-seekable raw stream of ``total`` pseudo-random bytes made on the fly.

    Holds one small piece at a time, so a store that buffered the whole upload would
    show up in a memory measurement. With ``fail_after`` it raises once that many
    bytes have been delivered, like a client disconnecting mid-upload.
    """

    PIECE = 64 * 1024

    def __init__(self, total: int, *, seed: int = 0, fail_after: int | None = None) -> None:
        super().__init__()
        self._rng = random.Random(seed)
        self._left = total
        self._delivered = 0
        self._fail_after = fail_after
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._fail_after is not None and self._delivered >= self._fail_after:
            raise ConnectionResetError("client went away")
        if not self._pending and self._left:
            take = min(self.PIECE, self._left)
            self._pending = self._rng.randbytes(take)
            self._left -= take
        view = memoryview(buffer).cast("B")
        count = min(len(view), len(self._pending))
        view[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        self._delivered += count
        return count

    @staticmethod
    def content(total: int, *, seed: int = 0) -> bytes:
        """The bytes a stream with these arguments yields (for small comparisons)."""
        rng = random.Random(seed)
        out = bytearray()
        while len(out) < total:
            out += rng.randbytes(min(GeneratedStream.PIECE, total - len(out)))
        return bytes(out)


@pytest.fixture
def generated_stream() -> type[GeneratedStream]:
    """The ``GeneratedStream`` class, handed out as a fixture so tests need no conftest import."""
    return GeneratedStream

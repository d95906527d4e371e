"""A moto S3 server over real HTTP on a free port of 127.0.0.1, with buckets made
(a plain module: the app's S3 tests, the multi-host kit and the backup tests share it)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from moto.server import ThreadedMotoServer


@contextmanager
def moto_s3(*buckets: str) -> Iterator[tuple[str, Any]]:
    """Start the server, create ``buckets``; yield its endpoint and a boto3 client."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    try:
        for bucket in buckets:
            client.create_bucket(Bucket=bucket)
        yield endpoint, client
    finally:
        client.close()
        server.stop()

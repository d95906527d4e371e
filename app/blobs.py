"""The blob store of this app and the registry of what it should hold.

Features store files through :func:`save_blob`, which streams into the configured
``storage`` backend and records the key in :class:`BlobRecord` in the caller's
transaction. ``pst storage check`` compares the registry with the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import BinaryIO

from flask import Flask, current_app
from sqlalchemy import BigInteger, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, UTCDateTime, utcnow
from storage import BlobRef, BlobStore, CheckReport, check_store, open_store


class BlobRecord(Base):
    __tablename__ = "blobs"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(120), default="application/octet-stream")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def make_store(app: Flask) -> BlobStore:
    cfg = app.config
    return open_store(
        cfg["STORAGE_URL"],
        endpoint_url=cfg.get("S3_ENDPOINT_URL"),
        region_name=cfg.get("S3_REGION"),
        access_key_id=cfg.get("S3_ACCESS_KEY_ID"),
        secret_access_key=cfg.get("S3_SECRET_ACCESS_KEY"),
    )


def init_app(app: Flask) -> None:
    app.extensions["pst.storage"] = make_store(app)


def current_store() -> BlobStore:
    store: BlobStore = current_app.extensions["pst.storage"]
    return store


def save_blob(
    session: Session,
    store: BlobStore,
    source: BinaryIO | str | os.PathLike[str],
    *,
    content_type: str = "application/octet-stream",
    max_bytes: int | None = None,
) -> BlobRef:
    """Stream ``source`` into ``store`` and register it (idempotent by content)."""
    ref = store.put(source, max_bytes=max_bytes)
    if session.get(BlobRecord, ref.key) is None:
        session.add(BlobRecord(key=ref.key, size=ref.size, content_type=content_type))
    return ref


def check_blobs(
    session: Session, store: BlobStore, *, progress: Callable[[int], None] | None = None
) -> CheckReport:
    """Every registered blob must exist in the store and still hash to its key."""
    keys = list(session.scalars(select(BlobRecord.key).order_by(BlobRecord.key)))
    return check_store(store, keys, progress=progress)

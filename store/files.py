"""Uploads of the store (Rp0 evidence, payment proofs, signed SPPD scans): sniffed, capped,
stored as blobs in the caller's transaction."""

from __future__ import annotations

from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.blobs import save_blob
from storage import BlobStore
from storage.errors import BlobTooLarge
from store.errors import BadUpload

KINDS = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
}


def sniff(stream: BinaryIO) -> tuple[str, str]:
    """The content type and extension of an upload by its first bytes: PDF, JPEG or PNG."""
    head = stream.read(16)
    stream.seek(0)
    for magic, kind in KINDS.items():
        if head.startswith(magic):
            return kind
    raise BadUpload()


def save_upload(
    session: Session, store: BlobStore, stream: BinaryIO, *, max_bytes: int
) -> tuple[str, str, str]:
    """Store an upload; ``(blob key, content type, extension)``."""
    content_type, ext = sniff(stream)
    try:
        ref = save_blob(session, store, stream, content_type=content_type, max_bytes=max_bytes)
    except BlobTooLarge:
        raise BadUpload(
            _l("The file is larger than %(n)s MiB.", n=max_bytes // (1024 * 1024))
        ) from None
    return ref.key, content_type, ext

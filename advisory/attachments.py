"""Files sent with consultation messages, treated as hostile.

An upload is accepted only when its extension is on the list *and* its first bytes
look like that kind of file (PDF, PNG, JPEG, Office zip or OLE containers, plain text
without NUL bytes); at most ``ADVISORY_MAX_FILES`` per message, each at most
``ADVISORY_MAX_FILE_BYTES`` (the blob store stops reading beyond it). The content type
served later is ours (from the extension), never the browser's, and every download is
sent as an attachment with ``nosniff``, so nothing uploaded runs in the site's origin.

The same checks take the documents an officer attaches to a recorded recommendation
request (:func:`attach_to_recommendation`): the covering letter and the scanned paper
FS3 form, as PDF, JPEG or PNG only.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from advisory.errors import AttachmentRejected
from advisory.models import (
    Attachment,
    Message,
    Recommendation,
    RecommendationFile,
    RecommendationFileKind,
)
from advisory.settings import Settings
from app.blobs import save_blob
from storage import BlobStore
from storage.errors import BlobTooLarge

#: extension -> (served content type, accepted leading bytes; None: text)
TYPES: dict[str, tuple[str, tuple[bytes, ...] | None]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    "csv": ("text/csv", None),
    "txt": ("text/plain", None),
}
ACCEPT = ",".join(f".{ext}" for ext in TYPES)
#: What a covering letter or a scanned paper form may be.
SCAN_TYPES = ("pdf", "jpg", "jpeg", "png")
SCAN_ACCEPT = ",".join(f".{ext}" for ext in SCAN_TYPES)


@dataclass
class Upload:
    """A file as received: its claimed name and a readable, seekable stream."""

    filename: str
    stream: BinaryIO


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MiB" if n >= 1024 * 1024 else f"{n / 1024:g} KiB"


def clean_filename(name: str) -> str:
    """A safe display and download name: no path, no control characters, 120 chars."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = re.sub(r"[\x00-\x1f\x7f\"<>:/|?*]+", "", name).strip(" .")
    return name[-120:] or "lampiran"


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _looks_like(head: bytes, magic: tuple[bytes, ...] | None) -> bool:
    if magic is None:
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multibyte character cut at the end of the sample is fine.
            return exc.start >= len(head) - 3
        return True
    return any(head.startswith(m) for m in magic)


def check(upload: Upload, allowed: Sequence[str] | None = None) -> tuple[str, str]:
    """(clean file name, content type) of an acceptable upload, else raise.

    ``allowed``: the extensions accepted here (default: every one of :data:`TYPES`)."""
    name = clean_filename(upload.filename)
    ext = _extension(name)
    if allowed is not None and ext not in allowed:
        raise AttachmentRejected(
            _l("%(name)s: this type of file is not accepted. Send PDF, JPEG or PNG.", name=name)
        )
    if ext not in TYPES:
        raise AttachmentRejected(
            _l(
                "%(name)s: this type of file is not accepted. "
                "Send PDF, images, Excel, Word, CSV or text.",
                name=name,
            )
        )
    content_type, magic = TYPES[ext]
    head = upload.stream.read(4096)
    upload.stream.seek(0)
    if not head:
        raise AttachmentRejected(_l("%(name)s is empty.", name=name))
    if not _looks_like(head, magic):
        raise AttachmentRejected(
            _l("%(name)s does not look like a .%(ext)s file.", name=name, ext=ext)
        )
    return name, content_type


def _save(
    session: Session,
    store: BlobStore,
    upload: Upload,
    name: str,
    content_type: str,
    max_bytes: int,
) -> Any:
    """Store a checked upload (at most ``max_bytes``); its blob reference."""
    try:
        return save_blob(
            session, store, upload.stream, content_type=content_type, max_bytes=max_bytes
        )
    except BlobTooLarge:
        raise AttachmentRejected(
            _l("%(name)s is larger than %(size)s.", name=name, size=_size(max_bytes))
        ) from None


def attach(
    session: Session,
    store: BlobStore,
    message: Message,
    uploads: Sequence[Upload],
    settings: Settings,
) -> list[Attachment]:
    """Check and store ``uploads`` as attachments of ``message`` (no commit); at most
    ``settings.max_files`` of at most ``settings.max_file_bytes`` each."""
    uploads = [u for u in uploads if u.filename]
    limit = settings.max_files
    if len(uploads) > limit:
        raise AttachmentRejected(_l("Attach at most %(n)s files to one message.", n=limit))
    checked = [(u, *check(u)) for u in uploads]  # all checked before any is stored
    stored: list[Attachment] = []
    for upload, name, content_type in checked:
        ref = _save(session, store, upload, name, content_type, settings.max_file_bytes)
        attachment = Attachment(
            blob_key=ref.key, filename=name, content_type=content_type, size=ref.size
        )
        message.attachments.append(attachment)
        stored.append(attachment)
    return stored


def attach_to_recommendation(
    session: Session,
    store: BlobStore,
    r: Recommendation,
    kind: RecommendationFileKind,
    upload: Upload,
    *,
    uploaded_by_id: int,
    now: datetime,
    max_bytes: int,
) -> RecommendationFile:
    """Check and store a covering letter or scanned paper form of ``r`` (no commit)."""
    if not upload.filename:
        raise AttachmentRejected(_l("Choose a file to attach."))
    name, content_type = check(upload, SCAN_TYPES)
    ref = _save(session, store, upload, name, content_type, max_bytes)
    item = RecommendationFile(
        kind=kind.value,
        blob_key=ref.key,
        filename=name,
        content_type=content_type,
        size=ref.size,
        uploaded_by_id=uploaded_by_id,
        created_at=now,
    )
    r.files.append(item)
    return item

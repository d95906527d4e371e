"""``MANIFEST.json``: what a backup folder holds, and the SHA-256 of every file in it.

The manifest is written last, so a folder without one is an interrupted backup. Restore
reads it and re-hashes every file it lists before anything is changed: one file missing,
or one byte different, and the whole backup is refused. Everything in the folder is
private (folders 0700, files 0600): it holds the database and the instance's secrets.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from app.backup.errors import BackupError

NAME = "MANIFEST.json"
#: The layout of a backup folder; a restore refuses any other.
FORMAT = 1
_CHUNK = 1024 * 1024
_FOLDER_MODE = 0o700
_FILE_MODE = 0o600

Progress = Callable[[str], None]


def quiet(_line: str) -> None:
    """A progress callback that says nothing."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int


@dataclass
class Manifest:
    """What ``MANIFEST.json`` says; ``files`` maps a relative path to its hash and size."""

    pst_version: str
    alembic_revision: str | None
    database: str
    created_utc: str
    created_wib: str
    storage: dict[str, Any]
    search_index: str
    files: dict[str, FileEntry] = field(default_factory=dict)
    format: int = FORMAT

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "pst_version": self.pst_version,
            "alembic_revision": self.alembic_revision,
            "database": self.database,
            "created_utc": self.created_utc,
            "created_wib": self.created_wib,
            "storage": self.storage,
            "search_index": self.search_index,
            "files": {
                path: {"sha256": entry.sha256, "size": entry.size}
                for path, entry in sorted(self.files.items())
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        try:
            files = {
                _safe_path(str(path)): FileEntry(str(entry["sha256"]), int(entry["size"]))
                for path, entry in data["files"].items()
            }
            return cls(
                format=int(data["format"]),
                pst_version=str(data["pst_version"]),
                alembic_revision=data["alembic_revision"],
                database=str(data["database"]),
                created_utc=str(data["created_utc"]),
                created_wib=str(data["created_wib"]),
                storage=dict(data["storage"]),
                search_index=str(data["search_index"]),
                files=files,
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BackupError(f"{NAME} is not a PST backup manifest") from None


def stamp(moment: datetime, wib: datetime) -> tuple[str, str]:
    """The two times a manifest shows: UTC and the office's WIB."""
    utc = moment.astimezone(UTC).isoformat(timespec="seconds")
    return utc, wib.strftime("%Y-%m-%d %H:%M:%S WIB")


def _safe_path(path: str) -> str:
    """A manifest path must stay inside the folder (a tampered manifest could name
    ``../../etc/passwd``)."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or path != pure.as_posix():
        raise ValueError(path)
    return path


# --- the folder -------------------------------------------------------------------------


def make_folder(folder: Path) -> None:
    """Create ``folder`` private (0700); an existing one must be empty."""
    if folder.exists():
        if not folder.is_dir() or any(folder.iterdir()):
            raise BackupError(f"{folder} exists and is not empty: choose a new folder")
    else:
        folder.mkdir(mode=_FOLDER_MODE, parents=True)
    os.chmod(folder, _FOLDER_MODE)


def make_subfolder(path: Path) -> None:
    for parent in reversed([path, *path.parents]):
        if not parent.exists():
            parent.mkdir(mode=_FOLDER_MODE)


def private_file(path: Path) -> BinaryIO:
    """A new file open for writing that only its owner can read (0600)."""
    make_subfolder(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE)
    return os.fdopen(fd, "wb")


def write_json(path: Path, data: Any) -> None:
    with private_file(path) as fh:
        fh.write(json.dumps(data, indent=2, ensure_ascii=False, default=str).encode())
        fh.write(b"\n")


def hash_file(path: Path) -> FileEntry:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return FileEntry(digest.hexdigest(), size)


def files_under(folder: Path) -> Iterator[str]:
    """Relative paths of every file below ``folder``, sorted."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix()


def write(folder: Path, manifest: Manifest) -> None:
    write_json(folder / NAME, manifest.to_json())


# --- reading and verifying --------------------------------------------------------------


def read(folder: Path) -> Manifest:
    path = folder / NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{folder} holds no {NAME}: not a PST backup, or one that did not finish"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError):
        raise BackupError(f"{path} cannot be read: the backup is damaged") from None
    manifest = Manifest.from_json(data)
    if manifest.format != FORMAT:
        raise BackupError(
            f"{path} is of backup format {manifest.format}; this PST reads format {FORMAT}"
        )
    return manifest


def verify(folder: Path, manifest: Manifest, progress: Progress = quiet) -> None:
    """Re-hash every listed file; refuse the backup if one is missing or differs."""
    missing: list[str] = []
    different: list[str] = []
    total = len(manifest.files)
    for n, (name, expected) in enumerate(sorted(manifest.files.items()), start=1):
        path = folder / name
        if not path.is_file():
            missing.append(name)
        elif path.stat().st_size != expected.size or hash_file(path) != expected:
            different.append(name)
        if n % 500 == 0 or n == total:
            progress(f"verified {n}/{total} files")
    if missing or different:
        parts = []
        if missing:
            parts.append(f"{len(missing)} missing ({_some(missing)})")
        if different:
            parts.append(f"{len(different)} not matching their SHA-256 ({_some(different)})")
        raise BackupError(
            f"the backup in {folder} is damaged: {'; '.join(parts)}. Nothing was restored."
        )


def _some(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")

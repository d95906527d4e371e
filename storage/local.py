"""A blob store on the local filesystem.

Blobs live at ``root/ab/cd/<key>``. Writes go to a temp file in ``root/tmp/`` (same
filesystem, so the final ``os.replace`` is atomic) and are fsynced before and after
the rename, so a crash leaves either the whole blob or nothing at its path.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from storage.base import (
    WORK_PREFIX,
    BlobRef,
    BlobStore,
    Source,
    WorkFile,
    copy_hashing,
    fan_out,
    is_key,
    open_source,
    os_reason,
    validate_work_name,
)
from storage.errors import BlobNotFound, StorageError

__all__ = ["LocalStore"]

# Requested modes; the process umask may narrow them further.
_DIR_MODE = 0o750
_FILE_MODE = 0o640
_TMP_DIR = "tmp"
_FAN_OUT_RE = re.compile(r"[0-9a-f]{2}")


def _fsync_dir(path: Path) -> None:
    """Make a rename or creation inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _ensure_dirs(leaf: Path) -> None:
    """Create ``leaf`` and its missing parents, fsyncing each new directory's parent."""
    missing: list[Path] = []
    current = leaf
    while not current.is_dir() and current != current.parent:
        missing.append(current)
        current = current.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            # A concurrent put may create the same directory first; that is fine.
            os.mkdir(directory, _DIR_MODE)
        _fsync_dir(directory.parent)


def _scan(directory: Path) -> list[os.DirEntry[str]]:
    """The entries of ``directory`` sorted by name; none if it does not exist."""
    try:
        with os.scandir(directory) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _fan_out_dirs(directory: Path) -> list[str]:
    # Only two-hex-char directories: this skips tmp/ and anything else that is not fan-out.
    return [
        entry.name
        for entry in _scan(directory)
        if _FAN_OUT_RE.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False)
    ]


class LocalStore(BlobStore):
    """Content-addressed blobs under a directory; ``root`` is created on first write."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        # No disk access here: building a store (e.g. from config) must be side-effect free.
        self.root = Path(os.fspath(root)).absolute()
        self._tmp = self.root / _TMP_DIR

    def _path(self, key: str) -> Path:
        first, second, name = fan_out(key)
        return self.root / first / second / name

    @contextlib.contextmanager
    def _os_errors(self, action: str) -> Iterator[None]:
        """Turn the store's own filesystem failures into ``StorageError``."""
        try:
            yield
        except OSError as exc:
            raise StorageError(f"{self.describe()}: {action} failed: {os_reason(exc)}") from exc

    def _new_temp(self) -> tuple[int, Path]:
        _ensure_dirs(self._tmp)
        while True:
            path = self._tmp / f"put-{secrets.token_hex(16)}"
            try:
                # O_EXCL: never write through a name someone else created.
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, _FILE_MODE)
            except FileExistsError:
                continue
            return fd, path

    def put(self, source: Source, *, max_bytes: int | None = None) -> BlobRef:
        # Opening the source comes first and outside _os_errors: its failures are the caller's.
        with open_source(source) as stream:
            with self._os_errors("write"):
                fd, temp = self._new_temp()
            try:
                with os.fdopen(fd, "wb") as out:
                    ref = copy_hashing(stream, out, max_bytes)
                    with self._os_errors("write"):
                        out.flush()
                        os.fsync(out.fileno())
                with self._os_errors("write"):
                    self._commit(temp, ref.key)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    temp.unlink()
                raise
        return ref

    def _commit(self, temp: Path, key: str) -> None:
        """Move a complete, fsynced temp file to the key's path, unless already stored."""
        final = self._path(key)
        if final.exists():
            # Same key means same bytes: keep the stored copy, store nothing twice.
            temp.unlink()
            return
        _ensure_dirs(final.parent)
        os.replace(temp, final)
        _fsync_dir(final.parent)

    def open(self, key: str) -> BinaryIO:
        path = self._path(key)
        try:
            return open(path, "rb")
        except FileNotFoundError:
            raise BlobNotFound(key) from None
        except OSError as exc:
            raise StorageError(f"{self.describe()}: open failed: {os_reason(exc)}") from exc

    def exists(self, key: str) -> bool:
        path = self._path(key)
        with self._os_errors("stat"):
            return path.is_file()

    def size(self, key: str) -> int:
        path = self._path(key)
        try:
            return path.stat().st_size
        except FileNotFoundError:
            raise BlobNotFound(key) from None
        except OSError as exc:
            raise StorageError(f"{self.describe()}: stat failed: {os_reason(exc)}") from exc

    def delete(self, key: str) -> None:
        path = self._path(key)
        # Empty fan-out directories stay: removing them could race a concurrent put.
        with self._os_errors("delete"):
            path.unlink(missing_ok=True)

    def iter_keys(self) -> Iterator[str]:
        with self._os_errors("listing"):
            for first in _fan_out_dirs(self.root):
                for second in _fan_out_dirs(self.root / first):
                    for entry in _scan(self.root / first / second):
                        name = entry.name
                        if (
                            is_key(name)
                            and name[:2] == first
                            and name[2:4] == second
                            and entry.is_file(follow_symlinks=False)
                        ):
                            yield name

    def ping(self) -> None:
        # Creates root and tmp/ when missing, then writes a real probe file:
        # os.access() says yes to root even where a write would fail.
        try:
            fd, probe = self._new_temp()
            os.close(fd)
            probe.unlink()
        except OSError as exc:
            raise StorageError(f"{self.describe()} is not writable: {os_reason(exc)}") from exc

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None

    def url(self, key: str, *, expires: int = 300, filename: str | None = None) -> str | None:
        fan_out(key)  # still reject a bad key, so callers behave the same on every backend
        return None

    def describe(self) -> str:
        return f"local:{self.root}"

    # --- work files (``root/work/<name>``) -------------------------------------------

    def _work_path(self, name: str) -> Path:
        return self.root / WORK_PREFIX / validate_work_name(name)

    def put_work(self, name: str, source: Source, *, max_bytes: int | None = None) -> int:
        final = self._work_path(name)
        with open_source(source) as stream:
            with self._os_errors("write"):
                fd, temp = self._new_temp()
            try:
                with os.fdopen(fd, "wb") as out:
                    ref = copy_hashing(stream, out, max_bytes)
                    with self._os_errors("write"):
                        out.flush()
                        os.fsync(out.fileno())
                with self._os_errors("write"):
                    _ensure_dirs(final.parent)
                    # Replaced whole: a reader sees the old file or the new, never half.
                    os.replace(temp, final)
                    _fsync_dir(final.parent)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    temp.unlink()
                raise
        return ref.size

    def open_work(self, name: str) -> BinaryIO:
        path = self._work_path(name)
        try:
            return open(path, "rb")
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise BlobNotFound(name) from None
        except OSError as exc:
            raise StorageError(f"{self.describe()}: open failed: {os_reason(exc)}") from exc

    def delete_work(self, name: str) -> None:
        path = self._work_path(name)
        with self._os_errors("delete"):
            path.unlink(missing_ok=True)
            # Empty folders of finished work go too (a racing put recreates its own).
            for parent in path.parents:
                if parent == self.root / WORK_PREFIX:
                    break
                try:
                    parent.rmdir()
                except OSError:
                    break

    def list_work_folders(self, prefix: str) -> Iterator[str]:
        top = self._work_path(prefix)
        with self._os_errors("listing"):
            for entry in _scan(top):
                if entry.is_dir(follow_symlinks=False):
                    yield f"{prefix}/{entry.name}"

    def list_work(self, prefix: str) -> Iterator[WorkFile]:
        top = self._work_path(prefix)
        base = self.root / WORK_PREFIX
        with self._os_errors("listing"):
            for folder, _dirs, files in os.walk(top):
                for file in sorted(files):
                    path = Path(folder) / file
                    try:
                        stat = path.stat()
                    except FileNotFoundError:
                        continue
                    yield WorkFile(path.relative_to(base).as_posix(), stat.st_size, stat.st_mtime)

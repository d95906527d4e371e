"""The blobs of a backup: copied from a local store, listed (key, size, SHA-256) for S3.

Blobs are content-addressed (a blob's key is the SHA-256 of its bytes), so a copy is
checked as it is made: a stored blob that no longer hashes to its key is reported and
left out, never saved as if it were good. A bucket may hold terabytes: it is listed, not
copied (the bucket's own versioning keeps old objects), and restore compares the list
with the bucket, reporting what is missing or of another size instead of copying.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from app.backup.errors import BackupError
from app.backup.manifest import FileEntry, Manifest, Progress, private_file, quiet, write_json
from storage import BlobNotFound, BlobStore, LocalStore
from storage.base import copy_hashing, is_key

FOLDER = "blobs"
LISTING = "blobs.json"
COPIED = "copied"
LISTED = "listed"
_EVERY = 200


@dataclass
class Saved:
    """What :func:`save` did: how blobs were kept, how many, and the files it wrote."""

    how: str
    count: int = 0
    size: int = 0
    files: dict[str, FileEntry] = field(default_factory=dict)
    corrupt: list[str] = field(default_factory=list)


def save(store: BlobStore, folder: Path, progress: Progress = quiet) -> Saved:
    """Copy a local store's blobs into ``folder/blobs``; list any other store's."""
    if isinstance(store, LocalStore):
        return _copy(store, folder, progress)
    return _list(store, folder, progress)


def _copy(store: LocalStore, folder: Path, progress: Progress) -> Saved:
    saved = Saved(COPIED)
    for key in store.iter_keys():
        name = _blob_name(key)
        dest = folder / name
        try:
            source = store.open(key)
        except BlobNotFound:
            continue  # deleted since the listing (an in-progress file finished)
        with source, private_file(dest) as out:
            ref = copy_hashing(source, out)
        if ref.key != key:
            dest.unlink()
            saved.corrupt.append(key)
            progress(f"blob {key} no longer matches its SHA-256: not saved")
            continue
        saved.files[name] = FileEntry(ref.key, ref.size)
        saved.count += 1
        saved.size += ref.size
        if saved.count % _EVERY == 0:
            progress(f"blobs: {saved.count} copied ({_mib(saved.size)})")
    progress(f"blobs: {saved.count} copied ({_mib(saved.size)})")
    return saved


def _list(store: BlobStore, folder: Path, progress: Progress) -> Saved:
    saved = Saved(LISTED)
    rows = []
    for key, size in store.iter_sizes():
        # The key is the SHA-256 of the object's bytes (the store refuses any other).
        rows.append({"key": key, "size": size, "sha256": key})
        saved.count += 1
        saved.size += size
        if saved.count % (_EVERY * 10) == 0:
            progress(f"blobs: {saved.count} listed")
    write_json(folder / LISTING, {"store": store.describe(), "blobs": rows})
    progress(f"blobs: {saved.count} listed in {LISTING} ({_mib(saved.size)}), not copied")
    return saved


def _blob_name(key: str) -> str:
    return f"{FOLDER}/{key[:2]}/{key[2:4]}/{key}"


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


# --- restoring ----------------------------------------------------------------------------


def check_copies(manifest: Manifest) -> None:
    """Every copied blob's name must be its SHA-256 (a renamed file is damage too)."""
    for name, entry in manifest.files.items():
        parts = PurePosixPath(name).parts
        if parts[0] != FOLDER:
            continue
        if len(parts) != 4 or not is_key(parts[3]) or entry.sha256 != parts[3]:
            raise BackupError(
                f"the backup is damaged: {name} is not named by its SHA-256. Nothing was restored."
            )


def expected(folder: Path, manifest: Manifest) -> list[tuple[str, int]]:
    """The blobs the backup knows of, with their sizes."""
    if manifest.storage.get("saved") == LISTED:
        data = json.loads((folder / LISTING).read_text(encoding="utf-8"))
        return [(str(row["key"]), int(row["size"])) for row in data["blobs"]]
    return [
        (PurePosixPath(name).name, entry.size)
        for name, entry in sorted(manifest.files.items())
        if name.startswith(FOLDER + "/")
    ]


@dataclass(frozen=True)
class Comparison:
    missing: list[str]
    different: list[str]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.different


def compare(store: BlobStore, wanted: list[tuple[str, int]]) -> Comparison:
    """Which of ``wanted`` the store lacks, or holds with another size (one listing)."""
    present = dict(store.iter_sizes())
    missing = [key for key, _size in wanted if key not in present]
    different = [key for key, size in wanted if key in present and present[key] != size]
    return Comparison(missing, different)


def put_copies(
    store: BlobStore, folder: Path, manifest: Manifest, progress: Progress = quiet
) -> int:
    """Put every copied blob of the backup into ``store`` (what it holds already stays)."""
    present = dict(store.iter_sizes())
    names = [name for name in sorted(manifest.files) if name.startswith(FOLDER + "/")]
    added = 0
    for n, name in enumerate(names, start=1):
        key = PurePosixPath(name).name
        if present.get(key) != manifest.files[name].size:
            ref = store.put(folder / name)
            if ref.key != key:  # verified moments ago; a file changed since is damage
                raise BackupError(f"{name} changed while it was restored")
            added += 1
        if n % _EVERY == 0:
            progress(f"blobs: {n}/{len(names)} restored")
    progress(f"blobs: {len(names)} in the backup, {added} put into {store.describe()}")
    return added

"""Backing up and restoring an instance: ``pst backup DIR`` and ``pst restore DIR``.

A backup folder holds the database (``pg_dump --format=custom``, or SQLite's online
backup), the blobs (copied from a local store; a manifest of keys, sizes and SHA-256 for
S3), the keys and settings in effect, and ``MANIFEST.json`` with the SHA-256 of every
file. Restore verifies all of it before it changes anything. The search index is not
saved: restore rebuilds it. Feature-free: the services here take explicit inputs and
know no feature (the index rebuild is the ``catalog.reindex`` job, named, not imported).
"""

from app.backup.errors import BackupError

__all__ = ["BackupError"]

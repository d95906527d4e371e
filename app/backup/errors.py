"""The one error of backup and restore: a refusal with a single line saying why."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore refused or failed; ``message`` is the line to show the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

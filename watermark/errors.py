"""The exception tree of the watermark package.

Every error the package raises derives from ``WatermarkError``, so a caller catches
the whole family in one place. ``analyse`` raises ``Unsupported`` for a master the fast
path cannot use as it is; the stamping functions answer it with the fallback.
"""

from __future__ import annotations

__all__ = [
    "EncryptedPdfError",
    "InvalidMarkError",
    "NotAPdfError",
    "PlanError",
    "StaleMasterError",
    "UnreadablePdfError",
    "Unsupported",
    "WatermarkError",
]


class WatermarkError(Exception):
    """Root of the package's exceptions."""


class NotAPdfError(WatermarkError):
    """The input does not start like a PDF file, or is empty."""


class UnreadablePdfError(WatermarkError):
    """The input looks like a PDF but is truncated or too broken to stamp every page."""


class EncryptedPdfError(UnreadablePdfError):
    """The input needs a password to be read."""


class InvalidMarkError(WatermarkError, ValueError):
    """A ``Mark`` field is unusable (naive datetime, malformed download code, ...)."""


class PlanError(WatermarkError):
    """A stored plan cannot be read back (bad JSON, wrong format version, bad values)."""


class StaleMasterError(WatermarkError):
    """The master changed under its plan while it was being copied.

    Raised by a stream that has already sent bytes; ``stamp_pdf`` retries with the
    fallback, an HTTP response can only be cut short.
    """


class Unsupported(WatermarkError):
    """The fast path cannot use this master as it is; the message says why."""

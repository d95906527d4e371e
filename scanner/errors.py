"""The exception tree of the scanner package.

Every error derives from ``ScannerError``. Each class carries a stable ``code`` (for
example ``"jammed"``) that the application layer uses as the message id of its own,
translated text, plus ``page`` — the 1-based page the problem happened on, where one
applies — so an officer can be told "Kertas macet di halaman 4" while this library
stays free of i18n. The English ``str()`` of an error is only a default for logs.

Scan errors also carry the pages already written (``pages``): after a jam at page 4
the first three pages are intact and the officer only re-feeds the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

__all__ = [
    "AccessDenied",
    "CoverOpen",
    "DeviceBusy",
    "DeviceIOError",
    "DeviceNotFound",
    "ImageError",
    "ImageTooLarge",
    "NoDocuments",
    "OcrError",
    "OcrTimeout",
    "PaperJam",
    "ProcessingCancelled",
    "ScanCancelled",
    "ScanError",
    "ScanTimeout",
    "ScannerCrashed",
    "ScannerError",
    "ToolMissing",
    "UnsupportedSetting",
]


class ScannerError(Exception):
    """Root of the package's exceptions.

    ``code`` is the stable message id; ``message_with_page`` / ``message_without_page``
    are the English defaults, formatted with ``{page}``; ``detail`` keeps the tool's
    own words (a stderr tail) for the log, never for the officer.
    """

    code: ClassVar[str] = "scanner_error"
    message_with_page: ClassVar[str] = "Scanning or text recognition failed at page {page}"
    message_without_page: ClassVar[str] = "Scanning or text recognition failed"

    def __init__(
        self,
        message: str | None = None,
        *,
        page: int | None = None,
        pages: Sequence[Path] = (),
        detail: str = "",
        status: int | None = None,
    ) -> None:
        self.page = page
        self.pages: tuple[Path, ...] = tuple(pages)
        self.detail = detail
        self.status = status
        if message is None:
            if page is None:
                message = self.message_without_page
            else:
                message = self.message_with_page.format(page=page)
        self.message = message
        super().__init__(message)

    @property
    def message_id(self) -> str:
        """The id the application translates; the same as ``code``."""
        return self.code

    def params(self) -> dict[str, object]:
        """Values for the translated message's placeholders."""
        return {} if self.page is None else {"page": self.page}


class ToolMissing(ScannerError):
    """``scanimage`` or ``tesseract`` is not installed on this server."""

    code = "tool_missing"
    message_with_page = "A required program is not installed"
    message_without_page = "A required program is not installed"


# --- scanning -------------------------------------------------------------------------


class ScanError(ScannerError):
    """The scanner or its driver failed; also the class of unmapped ``scanimage`` exits."""

    code = "scan_failed"
    message_with_page = "Scanning failed at page {page}"
    message_without_page = "Scanning failed"


class DeviceNotFound(ScanError):
    """The device name does not open (unplugged, switched off, wrong name)."""

    code = "device_not_found"
    message_with_page = "The scanner could not be opened"
    message_without_page = "The scanner could not be opened"


class UnsupportedSetting(ScanError):
    """The device has no value for a requested setting (for example no feeder)."""

    code = "unsupported_setting"
    message_with_page = "The scanner does not support this setting"
    message_without_page = "The scanner does not support this setting"


class ScanCancelled(ScanError):
    """The scan was cancelled, by the caller or on the device (exit status 2)."""

    code = "cancelled"
    message_with_page = "Scanning was cancelled at page {page}"
    message_without_page = "Scanning was cancelled"


class DeviceBusy(ScanError):
    """Another program is using the scanner (exit status 3)."""

    code = "busy"
    message_with_page = "The scanner is busy"
    message_without_page = "The scanner is busy"


class PaperJam(ScanError):
    """The document feeder jammed (exit status 6)."""

    code = "jammed"
    message_with_page = "Paper jammed at page {page}"
    message_without_page = "Paper jammed"


class NoDocuments(ScanError):
    """The document feeder is empty (exit 7, or exit 0 with no page written)."""

    code = "no_documents"
    message_with_page = "The document feeder is empty"
    message_without_page = "The document feeder is empty"


class CoverOpen(ScanError):
    """The scanner cover is open (exit status 8)."""

    code = "cover_open"
    message_with_page = "The scanner cover is open"
    message_without_page = "The scanner cover is open"


class DeviceIOError(ScanError):
    """Communication with the device failed (exit status 9)."""

    code = "io_error"
    message_with_page = "Communication with the scanner failed at page {page}"
    message_without_page = "Communication with the scanner failed"


class AccessDenied(ScanError):
    """The device refused access (exit status 11), typically missing permissions."""

    code = "access_denied"
    message_with_page = "Access to the scanner was denied"
    message_without_page = "Access to the scanner was denied"


class ScannerCrashed(ScanError):
    """``scanimage`` died from a signal: the driver crashed, the application did not."""

    code = "crashed"
    message_with_page = "The scanner driver stopped unexpectedly at page {page}"
    message_without_page = "The scanner driver stopped unexpectedly"


class ScanTimeout(ScanError):
    """The scan ran longer than allowed and was stopped."""

    code = "timeout"
    message_with_page = "The scanner did not finish in time (page {page})"
    message_without_page = "The scanner did not answer in time"


# --- images and OCR -------------------------------------------------------------------


class ImageError(ScannerError):
    """A page image cannot be read or written."""

    code = "image_invalid"
    message_with_page = "The image of page {page} cannot be read"
    message_without_page = "The page image cannot be read"


class ImageTooLarge(ImageError):
    """A page image exceeds the pixel or byte limit (a decompression bomb, say)."""

    code = "image_too_large"
    message_with_page = "The image of page {page} is too large"
    message_without_page = "The page image is too large"


class OcrError(ScannerError):
    """Tesseract failed on a page."""

    code = "ocr_failed"
    message_with_page = "Text recognition failed on page {page}"
    message_without_page = "Text recognition failed"


class OcrTimeout(OcrError):
    """Tesseract took longer than allowed on a page and was stopped."""

    code = "ocr_timeout"
    message_with_page = "Text recognition took too long on page {page}"
    message_without_page = "Text recognition took too long"


class ProcessingCancelled(ScannerError):
    """Cleanup and OCR were cancelled by the caller."""

    code = "processing_cancelled"
    message_with_page = "Processing was cancelled at page {page}"
    message_without_page = "Processing was cancelled"

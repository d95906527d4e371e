"""Errors of the scanning services, and the one place scanner failures become
officer-friendly, translated text (:func:`scanner_message`)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import Conflict, NotFound
from library.errors import LibraryError

#: Scanner error codes -> (message with the page, message without). The one place where
#: the scanner package's codes become words for the officer.
SCANNER_MESSAGES: dict[str, tuple[Any, Any]] = {
    "jammed": (_l("Paper jammed at page %(page)s"), _l("Paper jammed")),
    "no_documents": (
        _l("The document feeder is empty. Put the pages in the feeder and scan again."),
        _l("The document feeder is empty. Put the pages in the feeder and scan again."),
    ),
    "cover_open": (
        _l("The scanner cover is open (page %(page)s). Close it and scan again."),
        _l("The scanner cover is open. Close it and scan again."),
    ),
    "busy": (
        _l("The scanner is busy with another scan. Wait for it to finish."),
        _l("The scanner is busy with another scan. Wait for it to finish."),
    ),
    "cancelled": (_l("Scanning was cancelled at page %(page)s"), _l("Scanning was cancelled")),
    "io_error": (
        _l("Communication with the scanner failed at page %(page)s. Check the cable."),
        _l("Communication with the scanner failed. Check the cable."),
    ),
    "access_denied": (
        _l("The server may not use this scanner (access denied)."),
        _l("The server may not use this scanner (access denied)."),
    ),
    "crashed": (
        _l("The scanner driver stopped unexpectedly at page %(page)s"),
        _l("The scanner driver stopped unexpectedly"),
    ),
    "timeout": (
        _l("The scanner stopped answering at page %(page)s"),
        _l("The scanner did not answer in time"),
    ),
    "device_not_found": (
        _l("The scanner could not be found. Is it switched on and connected?"),
        _l("The scanner could not be found. Is it switched on and connected?"),
    ),
    "unsupported_setting": (
        _l("The scanner does not support these settings (for example no document feeder)."),
        _l("The scanner does not support these settings (for example no document feeder)."),
    ),
    "scan_failed": (_l("Scanning failed at page %(page)s"), _l("Scanning failed")),
    "tool_missing": (
        _l("Scanning or text recognition is not installed on this server."),
        _l("Scanning or text recognition is not installed on this server."),
    ),
    "image_invalid": (
        _l("The image of page %(page)s cannot be read"),
        _l("A page image cannot be read"),
    ),
    "image_too_large": (
        _l("The image of page %(page)s is too large"),
        _l("A page image is too large"),
    ),
    "ocr_failed": (
        _l("Text recognition failed on page %(page)s"),
        _l("Text recognition failed"),
    ),
    "ocr_timeout": (
        _l("Text recognition took too long on page %(page)s"),
        _l("Text recognition took too long"),
    ),
    "processing_cancelled": (
        _l("Processing was cancelled at page %(page)s"),
        _l("Processing was cancelled"),
    ),
}


def scanner_message(code: str, page: int | None = None) -> str:
    """The officer's words for a scanner error ``code`` (in the current locale)."""
    with_page, without = SCANNER_MESSAGES.get(code, SCANNER_MESSAGES["scan_failed"])
    if page is None:
        return str(without)
    return str(with_page) % {"page": page}


class ScanningError(LibraryError):
    """A scanner or OCR failure, told in the officer's words."""

    status = 502

    def __init__(self, code: str, page: int | None = None) -> None:
        self.code, self.page = code, page
        super().__init__(_LazyScannerMessage(code, page), code=code, page=page)


class _LazyScannerMessage:
    """Translated when shown, so a job's message follows the locale of who reads it."""

    def __init__(self, code: str, page: int | None) -> None:
        self.code, self.page = code, page

    def __str__(self) -> str:
        return scanner_message(self.code, self.page)


class BatchNotFound(LibraryError, NotFound):
    message = _l("This scan batch does not exist any more.")


class BatchBusy(LibraryError, Conflict):
    message = _l("This batch is being scanned or processed. Wait until it is finished.")


class BatchInvalid(LibraryError):
    status = 422


class PageConflict(LibraryError, Conflict):
    message = _l("This page number already holds a different image.")

"""The catalogue's exceptions, mapped to HTTP by :mod:`app.errors`."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from app.errors import Conflict, Forbidden, NotFound, PSTError


class CatalogError(PSTError):
    """Root of the catalogue's exception tree."""


class PublicationNotFound(CatalogError, NotFound):
    message = _l("No such publication.")


class UploadNotFound(CatalogError, NotFound):
    message = _l("No such upload.")


class NotYourUpload(CatalogError, Forbidden):
    message = _l("Only the officer who uploaded the file, or an administrator, may do this.")


class UploadDone(CatalogError, Conflict):
    message = _l("This upload is in the catalogue already; withdraw the publication instead.")


class DuplicatePublication(CatalogError, Conflict):
    message = _l("This file is already in the catalogue.")

    def __init__(self, existing_id: int) -> None:
        super().__init__(
            _l("This file is already in the catalogue (publication %(id)s).", id=existing_id)
        )
        self.existing_id = existing_id


class AlreadyDigitised(CatalogError, Conflict):
    """A softcopy was offered for a publication that already has one."""

    message = _l("This publication already has a digital copy.")


class IngestRejected(CatalogError):
    """A file refused by the ingest checks; ``code`` is stable, the message translated."""

    status = 422

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        self.code = code
        self.params = params or {}
        super().__init__(rejection_message(code, self.params))


def _mib(value: Any) -> str:
    try:
        return f"{int(value) / (1024 * 1024):.0f}"
    except (TypeError, ValueError):
        return "?"


def rejection_message(code: str, params: dict[str, Any]) -> Any:
    """One line, in the reader's language, saying what is wrong with the file."""
    p = params
    messages = {
        "not_pdf": _l("The file is not a PDF."),
        "empty": _l("The file is empty or has no pages."),
        "too_large": _l("The file is larger than %(limit)s MiB.", limit=_mib(p.get("limit"))),
        "too_many_pages": _l(
            "The PDF has %(pages)s pages; the limit is %(limit)s.",
            pages=p.get("pages", "?"),
            limit=p.get("limit", "?"),
        ),
        "password": _l(
            "The PDF needs a password to open. Remove the password and upload it again."
        ),
        "damaged": _l("The PDF is damaged and cannot be read."),
        "timeout": _l("Processing the PDF took too long; the file is too complex."),
        "memory": _l("Processing the PDF needed too much memory; the file is too complex."),
        "bomb": _l("The PDF contains data that expands beyond the safe limit."),
    }
    return messages.get(code, _l("The PDF could not be processed."))


class AccessChangeRefused(CatalogError, Conflict):
    """Another feature objects to the new access policy (see ``app.events.access_changing``)."""

    def __init__(self, reasons: list[Any]) -> None:
        super().__init__(" ".join(str(r) for r in reasons))
        self.reasons = reasons


class SeriesNotFound(CatalogError, NotFound):
    message = _l("No such series.")

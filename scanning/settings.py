"""The scanning services' settings, read once at the edge and handed to services.

Views, the API, the CLI and the jobs (:mod:`scanning.wiring`) build a :class:`Settings`
from the app's configuration (:func:`settings_from`) and pass it in; the services
themselves never read ``current_app.config`` (the values are declared with their
defaults in :mod:`scanning.batches`). The scanner discovery settings (``SCANNER_DEVICES``,
the SANE configuration) stay a mapping handed to :func:`scanning.batches.list_devices`:
they only choose the device, on the host that asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from catalog.ingest import Limits
from catalog.uploads import limits_from_config


@dataclass(frozen=True)
class Settings:
    """What scanning, editing and ingesting a batch need from the configuration."""

    #: Most pages in one scan batch.
    max_pages: int = 1000
    #: Detect each scanned page's orientation as it arrives.
    auto_orient: bool = True
    #: Tesseract's languages and processes in parallel (0: one per core).
    ocr_languages: str = "ind+eng"
    ocr_workers: int = 0
    #: The language of the title a reader's private scan is given.
    locale: str = "id"
    #: What the catalogue's ingest of the scanned PDF may use.
    limits: Limits = field(default_factory=Limits)


def settings_from(config: Mapping[str, Any]) -> Settings:
    """The settings of an app's configuration (``SCANNER_*``, the catalogue's limits)."""
    return Settings(
        max_pages=int(config["SCANNER_MAX_PAGES"]),
        auto_orient=bool(config["SCANNER_AUTO_ORIENT"]),
        ocr_languages=str(config.get("SCANNER_OCR_LANGUAGES") or "ind+eng"),
        ocr_workers=int(config.get("SCANNER_OCR_WORKERS") or 0),
        locale=str(config.get("DEFAULT_LOCALE") or "id"),
        limits=limits_from_config(config),
    )

"""The advisory services' settings, read once at the edge and handed to services.

Views, the API, the CLI and jobs build a :class:`Settings` from the app's configuration
(:func:`settings_from`) and pass it in; the services themselves never read the app's
configuration (the values are declared with their defaults in :mod:`advisory.wiring`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Settings:
    """What the advisory services need from the configuration (defaults: the SOPs')."""

    #: SOP-1-03: a consultation or data request is answered within N working days.
    consultation_days: int = 3
    #: SOP-1-04: the recommendation letter within N days of the complete form ...
    recommendation_days: int = 30
    #: ... counted as "calendar" or "working" days.
    recommendation_day_kind: str = "calendar"
    #: Remind the people handling a request when this many working days are left.
    remind_working_days: int = 1
    #: Attachments of one consultation message, and the size of each.
    max_files: int = 5
    max_file_bytes: int = 10 * 1024 * 1024
    #: The duplicate-survey check lists activities scoring at least this (0–1).
    duplicate_threshold: float = 0.4
    #: Letter numbers (Python format: ``seq``, ``year``, ``month``, ``month_roman``).
    letter_pattern: str = "B-{seq:03d}/1700/PS.000/{year}"
    data_letter_pattern: str = "B-{seq:03d}/1700/PST.100/{year}"
    #: The key of the letters' verification codes (see :func:`letter_key`). Empty in a
    #: hand-built Settings: signing then refuses rather than use a guessable key. Kept
    #: out of the repr, so a logged Settings never shows it.
    letter_key: bytes = field(default=b"", repr=False)
    #: The letterhead: the office, the place before a letter's date, the address.
    letter_office: str = "Provinsi Bengkulu"
    letter_place: str = "Bengkulu"
    office_address: str = "Jl. Adam Malik Km. 8, Kota Bengkulu · pst1700@bps.go.id"
    #: The signer's title on a recommendation letter (empty: the head of the office).
    letter_signer_role: str = ""
    #: The office's name, the author of the PDFs.
    office_name: str = "BPS Provinsi Bengkulu"


def letter_key(config: Mapping[str, Any]) -> bytes:
    """``ADVISORY_LETTER_KEY``, else a key derived from ``SECRET_KEY``."""
    configured = config.get("ADVISORY_LETTER_KEY")
    if configured:
        return str(configured).encode()
    # A key of its own, derived from the app's secret: a letter code never doubles as
    # (or reveals anything about) a session or form signature.
    secret = str(config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"pst.advisory.letter-code.v1", hashlib.sha256).digest()


def settings_from(config: Mapping[str, Any]) -> Settings:
    """The settings of an app's configuration (``ADVISORY_*``)."""
    return Settings(
        consultation_days=int(config["ADVISORY_CONSULTATION_DAYS"]),
        recommendation_days=int(config["ADVISORY_RECOMMENDATION_DAYS"]),
        recommendation_day_kind=str(config["ADVISORY_RECOMMENDATION_DAY_KIND"]).lower(),
        remind_working_days=int(config["ADVISORY_REMIND_WORKING_DAYS"]),
        max_files=int(config["ADVISORY_MAX_FILES"]),
        max_file_bytes=int(config["ADVISORY_MAX_FILE_BYTES"]),
        duplicate_threshold=float(config["ADVISORY_DUPLICATE_THRESHOLD"]),
        letter_pattern=str(config["ADVISORY_LETTER_PATTERN"]),
        data_letter_pattern=str(config["ADVISORY_DATA_LETTER_PATTERN"]),
        letter_key=letter_key(config),
        letter_office=str(config["ADVISORY_LETTER_OFFICE"]),
        letter_place=str(config["ADVISORY_LETTER_PLACE"]),
        office_address=str(config["ADVISORY_OFFICE_ADDRESS"]),
        letter_signer_role=str(config["ADVISORY_LETTER_SIGNER_ROLE"] or ""),
        office_name=str(config["OFFICE_NAME"]),
    )

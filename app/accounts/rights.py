"""The registry of personal data (UU 27/2022): what each feature holds about a person.

A person may download everything PST holds about them and ask for it to be erased.
The accounts kernel knows the profile; each feature knows its own tables. So each
feature's wiring registers a :class:`PersonalDataSection` (:func:`register_section`):
``export`` gives that feature's records of a person as plain JSON values, ``erase``
removes or replaces the personal values in them while keeping what the law asks the
office to keep (orders, invoices, receipts, service records, letters, the audit trail),
so that kept records still add up. The kernel never imports a feature: it runs whatever
is registered (:func:`sections`).

``tables`` names the tables a section covers: a test walks the metadata and fails when a
table that points at a person (a ``user_id`` column) is covered by no section.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy.orm import Session

from app.accounts.models import User

_KEY = "pst.personal_data_sections"


@dataclass(frozen=True)
class Erasing:
    """What a section needs to erase a person: the account (already anonymised), the
    pseudonym that replaces their name, the values they were known by (to scrub from
    free text the person or staff typed: a name in a note, an address in a mail) and
    the moment."""

    user: User
    pseudonym: str
    identifiers: tuple[str, ...]
    now: datetime

    def scrub(self, text: str | None) -> str | None:
        """``text`` with every identifier replaced by the pseudonym (any case)."""
        return scrub(text, self.identifiers, self.pseudonym)


class PersonalDataSection(Protocol):
    """One feature's share of a person's data."""

    #: A stable key: the section's name in the JSON export.
    key: str
    #: The heading of the section on the readable page (a lazy translated string).
    title: Any
    #: The tables this section exports and erases.
    tables: tuple[str, ...]

    def export(self, session: Session, user: User) -> dict[str, Any]:
        """Every record of ``user``: ``{name: [rows as dicts]}`` in plain JSON values."""
        ...

    def erase(self, session: Session, erasing: Erasing) -> None:
        """Remove or anonymise ``erasing.user``'s personal values (never commits)."""
        ...


@dataclass(frozen=True)
class Section:
    """A :class:`PersonalDataSection` made of two functions (what wirings register)."""

    key: str
    title: Any
    tables: tuple[str, ...]
    exporter: Callable[[Session, User], dict[str, Any]]
    eraser: Callable[[Session, Erasing], None] = field(default=lambda _s, _e: None)

    def export(self, session: Session, user: User) -> dict[str, Any]:
        return self.exporter(session, user)

    def erase(self, session: Session, erasing: Erasing) -> None:
        self.eraser(session, erasing)


def register_section(app: Flask, section: PersonalDataSection) -> None:
    """Add a feature's section to ``app``'s export and erasure (once per key)."""
    registered: dict[str, PersonalDataSection] = app.extensions.setdefault(_KEY, {})
    if section.key in registered:
        raise ValueError(f"personal data section {section.key!r} registered twice")
    registered[section.key] = section


def sections(app: Flask | None = None) -> list[PersonalDataSection]:
    """The sections registered on ``app`` (the current app by default), in order."""
    found: dict[str, PersonalDataSection] = (app or current_app).extensions.get(_KEY, {})
    return list(found.values())


def scrub(text: str | None, needles: Iterable[str], replacement: str) -> str | None:
    """``text`` with each of ``needles`` (case-insensitive) replaced by ``replacement``."""
    if not text:
        return text
    for needle in sorted({n for n in needles if n and len(n) >= 3}, key=len, reverse=True):
        text = re.sub(re.escape(needle), replacement, text, flags=re.IGNORECASE)
    return text


def plain(value: Any) -> Any:
    """A column value as JSON: dates as ISO text, enums as their value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row(obj: Any, *columns: str) -> dict[str, Any]:
    """``obj``'s ``columns`` (all mapped columns when none are named) as plain values."""
    names = columns or tuple(c.key for c in obj.__table__.columns)
    return {name: plain(getattr(obj, name)) for name in names}


# --- the readable page ------------------------------------------------------------------

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def readable_labels() -> dict[str, Any]:
    """Headings of the readable page for the export's keys (a key without one is shown
    with spaces for underscores)."""
    from flask_babel import lazy_gettext as _l

    return {
        "account": _l("Account and profile"),
        "profile": _l("Profile"),
        "api_tokens": _l("API tokens"),
        "two_factor": _l("Two-factor sign-in"),
        "erasure_requests": _l("Erasure requests"),
        "audit_events": _l("Events recorded about your account"),
        "appointments": _l("Appointments"),
        "guest_book_visits": _l("Guest book visits"),
        "queue_tickets": _l("Queue numbers"),
        "service_records": _l("Services received"),
        "ikm_ratings": _l("Service ratings (IKM)"),
        "downloads": _l("Downloads"),
        "download_rights": _l("Download rights"),
        "reading_requests": _l("Reading-room requests"),
        "softcopy_requests": _l("Softcopy requests"),
        "scan_requests": _l("Scan requests"),
        "orders": _l("Orders"),
        "consultations": _l("Consultations and data requests"),
        "recommendations": _l("Recommendation requests"),
    }


def readable(value: Any) -> str:
    """A value of the export as a person reads it: times in WIB, days written out,
    stored codes with spaces, nothing for empty."""
    from flask_babel import gettext as _

    from app.i18n import format_day, format_wib

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        if _ISO_DATETIME.match(value):
            return format_wib(datetime.fromisoformat(value))
        if _ISO_DATE.match(value):
            return format_day(date.fromisoformat(value))
        if re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)+", value):
            return value.replace("_", " ")
    return str(value)

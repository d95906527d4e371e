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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy.orm import Session

from app.accounts.models import User

_KEY = "pst.personal_data_sections"

#: A stored value in words, given the value and the record holding it (or None).
ValueWords = Callable[[Any, Mapping[str, Any]], Any]


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

    @property
    def key(self) -> str:
        """A stable key: the section's name in the JSON export."""

    @property
    def title(self) -> Any:
        """The heading of the section on the readable page (a lazy translated string)."""

    @property
    def tables(self) -> tuple[str, ...]:
        """The tables this section exports and erases."""

    @property
    def labels(self) -> Mapping[str, Any]:
        """Headings of its keys on the readable page (``{"queue_tickets": _l("Queue
        numbers")}``)."""

    @property
    def values(self) -> Mapping[str, Mapping[str, Any] | ValueWords]:
        """Words for its stored values, per key or ``records.key`` (``{"orders.status":
        {"paid": _l("paid")}}``), or a function of the value and its record."""

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
    labels: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, Any] | ValueWords] = field(default_factory=dict)

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


#: Headings shared by every section (a section's own ``labels`` come first).
def _common_labels() -> dict[str, Any]:
    from flask_babel import lazy_gettext as _l

    return {
        "id": _l("Number"), "email": _l("Email"), "full_name": _l("Full name"),
        "phone": _l("Phone number"), "id_type": _l("Identity document"),
        "id_number": _l("Identity number"), "institution": _l("Institution"),
        "institution_kind": _l("Type of institution"), "occupation": _l("Occupation"),
        "education": _l("Highest education"), "gender": _l("Gender"),
        "birth_year": _l("Year of birth"), "locale": _l("Language"), "role": _l("Role"),
        "active": _l("Can sign in"), "email_verified_at": _l("Email address confirmed"),
        "last_login_at": _l("Last sign-in"), "created_at": _l("Created"),
        "updated_at": _l("Last changed"), "status": _l("Status"), "title": _l("Title"),
        "note": _l("Note"), "channel": _l("Channel"), "service": _l("Service"),
        "code": _l("Code"), "name": _l("Name"), "reason": _l("Reason"),
        "requested_at": _l("Asked on"), "closed_at": _l("Closed"), "at": _l("When"),
        "action": _l("Action"), "ip": _l("Network address (IP)"),
        "user_agent": _l("Browser"), "subject_type": _l("Kind of record"),
        "subject_id": _l("Record number"), "prefix": _l("Prefix"),
        "last_used_at": _l("Last use"), "revoked_at": _l("Revoked"),
        "enabled": _l("Turned on"), "confirmed_at": _l("Confirmed"),
        "submitted_at": _l("Sent"), "purpose": _l("Purpose"), "answer": _l("Answer"),
        "publication": _l("Publication"), "publication_id": _l("Publication number"),
        "kind": _l("Kind"), "reference": _l("Reference"), "number": _l("Number"),
        "outcome": _l("Outcome"), "comment": _l("Comment"),
        "account": _l("Account and profile"), "profile": _l("Profile"),
        "api_tokens": _l("API tokens"), "two_factor": _l("Two-factor sign-in"),
        "erasure_requests": _l("Erasure requests"),
        "consents": _l("Consents to the privacy notice"),
        "notice_version": _l("Notice version"), "given_at": _l("Given"),
        "visit_id": _l("Guest-book visit"),
        "sso_identities": _l("Single sign-on identities"), "issuer": _l("Provider"),
        "subject": _l("Identity at the provider"),
        "audit_events": _l("Events recorded about your account"),
    }  # fmt: skip


def _account_values() -> dict[str, Any]:
    from app.accounts.consent_models import channel_labels
    from app.accounts.forms import (
        EDUCATION_CHOICES,
        GENDER_CHOICES,
        ID_TYPE_CHOICES,
        INSTITUTION_CHOICES,
        ROLE_CHOICES,
    )
    from app.audit import action_label
    from app.audit_log import object_label

    def choices(items: Any) -> dict[str, Any]:
        return {c.value: c.label for c in items}

    return {
        "id_type": choices(ID_TYPE_CHOICES),
        "institution_kind": choices(INSTITUTION_CHOICES),
        "education": choices(EDUCATION_CHOICES),
        "gender": choices(GENDER_CHOICES),
        "role": choices(ROLE_CHOICES),
        "locale": {"id": "Bahasa Indonesia", "en": "English"},
        "consents.channel": {c.value: label for c, label in channel_labels().items()},
        "audit_events.action": lambda value, _record: action_label(value),
        "audit_events.subject_type": lambda value, _record: object_label(value),
    }


#: A node of the readable page: ``{"pairs": [(heading, node)]}`` (a record),
#: ``{"items": [node]}`` (a list of records) or text.
Node = dict[str, list[Any]] | str


def readable_sections(
    export: Mapping[str, Any], registered: Iterable[PersonalDataSection]
) -> list[tuple[str, Node]]:
    """The export as a person reads it: each section under its title, keys under their
    headings, stored values in words (times in WIB, days written out)."""
    common = _common_labels()
    by_key = {s.key: s for s in registered}
    out: list[tuple[str, Node]] = []
    for key, content in export["sections"].items():
        section = by_key.get(key)
        labels = {**common, **(section.labels if section else {})}
        values = {**_account_values(), **(section.values if section else {})}
        out.append((str(export["section_titles"][key]), _node(content, "", labels, values)))
    return out


def _node(value: Any, context: str, labels: Mapping[str, Any], values: Mapping[str, Any]) -> Node:
    if isinstance(value, Mapping):
        return {"pairs": [
            (
                str(labels.get(k, k.replace("_", " "))),
                _node(v, k, labels, values)
                if isinstance(v, Mapping | list)
                else _value(v, context, k, values, value),
            )
            for k, v in value.items()
        ]}  # fmt: skip
    if isinstance(value, list):
        return {"items": [_node(item, context, labels, values) for item in value]}
    return readable(value)


def _value(
    value: Any, context: str, key: str, values: Mapping[str, Any], record: Mapping[str, Any]
) -> str:
    words = values.get(f"{context}.{key}", values.get(key))
    if words is not None and value is not None:
        found = words(value, record) if callable(words) else words.get(value)
        if found is not None:
            return str(found)
    return readable(value)


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

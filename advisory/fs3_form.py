"""The FS3 form's fields (SOP-1-04): cleaning what a page or the API sends, and what a
submission still lacks. No session, no transaction: :mod:`advisory.recommendations`
applies the result."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from advisory.errors import InvalidInput
from advisory.labels import FS3_LABELS
from advisory.models import FS3_FIELDS, FS3_REQUIRED, Design, Recommendation, Recurrence

_TEXT_LIMITS = {
    "organiser": 200,
    "contact_name": 120,
    "contact_phone": 32,
    "contact_email": 254,
    "manager_name": 120,
    "manager_position": 120,
    "title": 300,
    "topic": 120,
    "frequency": 40,
}
FREQUENCIES = ("monthly", "quarterly", "semester", "yearly", "multi_year", "other")


def clean_fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The FS3 fields of ``raw`` (a form's or the API's data), trimmed and typed; fields
    not in ``raw`` are left out, so a draft can be saved in parts."""
    data: dict[str, Any] = {}
    for name in FS3_FIELDS:
        if name not in raw:
            continue
        value = raw[name]
        if name in ("period_start", "period_end"):
            if isinstance(value, str):
                try:
                    value = date.fromisoformat(value) if value.strip() else None
                except ValueError:
                    raise InvalidInput(
                        _l("%(field)s is not a date.", field=FS3_LABELS[name])
                    ) from None
            data[name] = value if isinstance(value, date) else None
        elif name == "sample_size":
            if value in (None, ""):
                data[name] = None
            else:
                try:
                    number = int(value)
                except (TypeError, ValueError):
                    raise InvalidInput(_l("The sample size must be a whole number.")) from None
                if not 0 < number <= 1_000_000_000:
                    raise InvalidInput(_l("The sample size must be a whole number.")) from None
                data[name] = number
        else:
            text = str(value or "").strip()
            if name == "recurrence" and text and text not in {r.value for r in Recurrence}:
                raise InvalidInput(_l("Choose one-off or recurring."))
            if name == "design" and text and text not in {d.value for d in Design}:
                raise InvalidInput(_l("Choose longitudinal or cross-section."))
            if name == "frequency" and text and text not in FREQUENCIES:
                raise InvalidInput(_l("Choose a frequency from the list."))
            data[name] = text[: _TEXT_LIMITS.get(name, 5000)]
    return data


def missing_fields(r: Recommendation) -> list[str]:
    """Required fields still empty (a recurring activity also needs its frequency)."""
    missing = [name for name in FS3_REQUIRED if getattr(r, name) in (None, "")]
    if r.recurrence == Recurrence.RECURRING.value and not r.frequency:
        missing.append("frequency")
    return missing


def missing_labels(r: Recommendation) -> list[Any]:
    """The names of :func:`missing_fields`, for pages."""
    return [FS3_LABELS[name] for name in missing_fields(r)]


def check_period(r: Recommendation) -> None:
    """The schedule must not end before it starts."""
    if r.period_start and r.period_end and r.period_end < r.period_start:
        raise InvalidInput(_l("The schedule ends before it starts."))

"""Translatable names of the store's stored words that pages show (Rp0 claims, the notes
the order history keeps in machine form), so no raw value reaches a page."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from store.models import ZeroRate

ZERO_RATE_LABELS = {
    ZeroRate.NONE: _l("no claim"),
    ZeroRate.CLAIMED: _l("claimed, awaiting the officer"),
    ZeroRate.GRANTED: _l("granted"),
    ZeroRate.REFUSED: _l("refused"),
}
PROVIDER_LABELS = {
    "manual": _l("manual payment"),
    "waiver": _l("Rp0, no payment"),
    "stripe": _l("Card (Stripe)"),
}
AREA_LEVEL_LABELS = {
    "province": _l("province"),
    "regency": _l("regency/city"),
    "district": _l("district"),
}

_PACKAGE = re.compile(r"item \d+ \((\d+)/(\d+)\)")
_SPPD = re.compile(r"SPPD v(\d+) sha256=\w+")


def zero_rate_label(value: ZeroRate | str | None) -> Any:
    try:
        return ZERO_RATE_LABELS[ZeroRate(value or "none")]
    except ValueError:
        return value


def area_level_label(value: str | None) -> Any:
    return AREA_LEVEL_LABELS.get(value or "", value)


def event_note(action: str, note: str | None) -> Any:
    """The note of an order event as a person reads it. Officers' own words (reasons,
    tracking numbers, billing codes) pass unchanged; the notes the services write in
    machine form (a payment method, a provider, download counts) become words."""
    from store.wiring import METHOD_LABELS

    if not note:
        return None
    if action == "payment_requested" and note in METHOD_LABELS:
        return METHOD_LABELS[note]
    if action == "paid" and note in PROVIDER_LABELS:
        return PROVIDER_LABELS[note]
    if action == "fulfilled" and note.startswith("order "):
        return None  # the order's own code, already the page's title
    if action == "package_downloaded" and (m := _PACKAGE.fullmatch(note)):
        return _("download %(n)s of %(max)s", n=m.group(1), max=m.group(2))
    if action == "agreement_accepted" and (m := _SPPD.fullmatch(note)):
        return _("SPPD version %(v)s", v=m.group(1))
    return note

"""Language, time zone and money: Indonesian first, English on request; WIB; Rupiah.

The language comes from, in order: an explicit choice stored in a cookie (the switch
in the header), the signed-in person's preference, then the office default
(Indonesian). Browsers' Accept-Language is deliberately not consulted: the office
serves Indonesian first, and the switch is one click away.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from flask import Flask, current_app, has_request_context, request
from flask_babel import format_datetime, get_locale
from flask_login import current_user

LOCALES = ("id", "en")
LOCALE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
LANG_COOKIE = "pst_lang"
WIB = ZoneInfo("Asia/Jakarta")


def select_locale() -> str:
    if not has_request_context():  # CLI, workers: the office language
        return str(current_app.config["DEFAULT_LOCALE"])
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LOCALES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return str(current_user.locale)
    return str(current_app.config["DEFAULT_LOCALE"])


def current_locale() -> str:
    return str(get_locale() or current_app.config["DEFAULT_LOCALE"])


def to_wib(moment: datetime) -> datetime:
    """The same instant on the office's clock (naive values are taken as UTC)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(WIB)


def format_rupiah(amount: int | None, locale: str | None = None) -> str:
    """Whole Rupiah as written in Indonesia: ``Rp12.500``; English groups with commas."""
    if amount is None:
        return ""
    loc = locale or current_locale()
    digits = format_decimal(abs(int(amount)), format="#,##0", locale=loc)
    return ("-" if amount < 0 else "") + "Rp" + digits


def format_wib(moment: datetime | None, fmt: str = "medium") -> str:
    """A timestamp in WIB with the zone named, e.g. ``25 Nov 2026 09.30 WIB``."""
    if moment is None:
        return ""
    return f"{format_datetime(moment, fmt)} WIB"


def format_day(day: date | datetime | None) -> str:
    from flask_babel import format_date

    if day is None:
        return ""
    if isinstance(day, datetime):
        day = to_wib(day).date()
    return str(format_date(day, "long"))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["wib"] = format_wib
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.globals["LOCALES"] = LOCALES
    app.jinja_env.globals["LOCALE_NAMES"] = LOCALE_NAMES
    app.jinja_env.globals["current_locale"] = current_locale

"""Language, time zone and money: Indonesian first, English on request; WIB; Rupiah.

The language comes from, in order: an explicit choice stored in a cookie (the switch
in the header), the signed-in person's preference, then the office default
(Indonesian). Browsers' Accept-Language is deliberately not consulted: the office
serves Indonesian first, and the switch is one click away.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from flask import Flask, current_app, has_request_context, request
from flask.globals import _cv_app
from flask_babel import format_date, format_datetime, format_time, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

LOCALES = ("id", "en")
LOCALE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
LANG_COOKIE = "pst_lang"
WIB = ZoneInfo("Asia/Jakarta")
_CATALOGUES = "pst.translations"  # app.extensions: Babel locale -> its merged catalogue


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


def format_number(value: float | Decimal | int | None, places: int | None = None) -> str:
    """A number as the reader writes it: ``81,48`` in Indonesian, ``81.48`` in English.
    ``places`` fixes the decimals shown (rounded half even by Babel), else as many as the
    value has (up to three)."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * places if places else "") if places is not None else None
    return str(format_decimal(value, format=pattern, locale=current_locale()))


def format_size(size: int | None) -> str:
    """A file size in MB (as BPS shows them), with the reader's decimal mark: ``0,02 MB``."""
    if size is None:
        return ""
    return f"{format_number(size / (1024 * 1024), 2)} MB"


def format_wib(moment: datetime | None, fmt: str = "medium") -> str:
    """A timestamp in WIB with the zone named, e.g. ``25 Nov 2026 09.30 WIB``. The usual
    ("medium") form gives hours and minutes: seconds ("08.00.00 WIB") mean nothing to a
    visitor told when the service reopens."""
    if moment is None:
        return ""
    if fmt == "medium":
        return f"{format_date(moment, 'medium')} {format_time(moment, 'short')} WIB"
    return f"{format_datetime(moment, fmt)} WIB"


def format_day(day: date | datetime | str | None) -> str:
    """A day written out in the reader's language (``1 Februari 2027``); an ISO string
    (as stored in JSON, e.g. a recommendation's versions) is read first."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            return day
        day = parsed
    if isinstance(day, datetime):
        day = to_wib(day).date()
    locale = get_locale()
    if locale is None:
        return str(format_date(day, "long"))
    return _long_day(day, locale)


@lru_cache(maxsize=4096)
def _long_day(day: date, locale: Locale) -> str:
    # What Flask-Babel's format_date(day, "long") gives for a date (no time zone to
    # apply), kept: a list page writes a few dozen dates, each 25 µs to format.
    return str(babel_format_date(day, "long", locale=locale))


# --- translations in templates ---------------------------------------------------------
#
# Flask-Babel's template ``_()`` finds the catalogue anew for every string (g, the
# domain, the locale, the cache key: about 10 µs) and Jinja's wrappers add two dynamic
# calls; a page translates 30-70 strings. These do the same with the catalogue looked
# up once per locale, and honour ``force_locale`` (mail rendered in the recipient's
# language), which replaces the locale on the same Babel state the memo reads.


def _catalogue() -> Any:
    """The current locale's catalogue, as Flask-Babel's ``get_translations()``."""
    ctx = _cv_app.get(None)
    if ctx is not None:
        locale = getattr(getattr(ctx.g, "_flask_babel", None), "babel_locale", None)
        if locale is not None:
            memo: dict[Locale, Any] = ctx.app.extensions[_CATALOGUES]
            found = memo.get(locale)
            if found is None:
                found = memo[locale] = get_translations()
            return found
    return get_translations()  # also sets the locale on the Babel state for next time


def quick_gettext(string: str) -> str:
    """``gettext(string)`` for code that writes HTML instead of a template (publication
    cards, the search facets), the catalogue looked up once per locale as the
    templates' ``_`` does. Import it as ``gettext`` so that extraction finds the
    strings."""
    text: str = _catalogue().ugettext(string)
    return text


def quick_ngettext(singular: str, plural: str, num: int) -> str:
    """``ngettext`` likewise (``%(num)d`` filled in); import it as ``ngettext``."""
    text: str = _catalogue().ungettext(singular, plural, num)
    return text % {"num": num}


@pass_context
def template_gettext(context: Context, string: str, **variables: Any) -> str:
    """Jinja's new-style ``gettext``: translated, escaped when autoescaping, and always
    ``%``-formatted (so a literal percent sign is written ``%%`` in every message)."""
    text = _catalogue().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - a message of our own catalogue, as Jinja does
    return text % variables


@pass_context
def template_ngettext(
    context: Context, singular: str, plural: str, num: int, **variables: Any
) -> str:
    variables.setdefault("num", num)
    text = _catalogue().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - a message of our own catalogue, as Jinja does
    return text % variables


def init_app(app: Flask) -> None:
    """Filters and globals for templates; call after Flask-Babel's ``init_app``, whose
    template ``gettext``/``ngettext``/``_`` these replace with the same behaviour."""
    app.extensions[_CATALOGUES] = {}
    app.jinja_env.globals.update(
        gettext=template_gettext, _=template_gettext, ngettext=template_ngettext
    )
    app.jinja_env.filters["rupiah"] = format_rupiah
    app.jinja_env.filters["wib"] = format_wib
    app.jinja_env.filters["day"] = format_day
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.globals["LOCALES"] = LOCALES
    app.jinja_env.globals["LOCALE_NAMES"] = LOCALE_NAMES
    app.jinja_env.globals["current_locale"] = current_locale

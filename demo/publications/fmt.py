"""Number formatting and small seeded helpers: rupiah, roman numerals, ISSN, working days."""

from __future__ import annotations

import datetime as dt
import random
import zlib


def _rng(*parts: object) -> random.Random:
    """A generator seeded from ``parts`` — stable across runs and Python versions."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311 - demo data


def _fmt(value: float | None, decimals: int = 0, lang: str = "id") -> str:
    """Format a number BPS-style: ``1.234,5`` in Indonesian, ``1,234.5`` in English."""
    if value is None:
        return "-"
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _big(value: float, lang: str = "id") -> str:
    """``2,09 juta`` / ``292,1 ribu`` (or ``2.09 million``) for a count of people or tons."""
    if value >= 1e12:
        word, scaled, dec = ("triliun", "trillion"), value / 1e12, 2
    elif value >= 1e9:
        word, scaled, dec = ("miliar", "billion"), value / 1e9, 2
    elif value >= 1e6:
        word, scaled, dec = ("juta", "million"), value / 1e6, 2
    elif value >= 1e3:
        word, scaled, dec = ("ribu", "thousand"), value / 1e3, 2
    else:
        return _fmt(value, 0, lang)
    return f"{_fmt(scaled, dec, lang)} {word[0] if lang == 'id' else word[1]}"


def _rupiah(value: float, lang: str = "id") -> str:
    if value >= 1e6:
        return f"Rp{_big(value, lang)}"
    return f"Rp{_fmt(value, 0, lang)}"


def _roman(number: int) -> str:
    table = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in table:
        while number >= value:
            out += letters
            number -= value
    return out


def _issn(key: str) -> str:
    """A syntactically valid ISSN (check digit included) derived from ``key``."""
    crc = zlib.crc32(key.encode())
    prefix = ("2088", "2302", "2527", "0215", "2086", "2614")[crc % 6]
    digits = prefix + f"{(crc >> 4) % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return f"{digits[:4]}-{digits[4:]}{'X' if check == 10 else check}"


def _working_day(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day

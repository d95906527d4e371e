"""Download codes: short, random, typo-resistant identifiers of one download.

A code is 10 symbols of Crockford's base-32 alphabet: 9 random symbols (45 bits) and
a Luhn mod-32 check symbol, which catches every single-symbol error and most swaps of
neighbours — and lets ``find_codes`` ignore strings that only look like codes. Codes
are printed as two groups of five (``7K2M9-QX4TB``); reading accepts either form,
lowercase, and Crockford's look-alikes (I and L for 1, O for 0).
"""

from __future__ import annotations

import re
import secrets

__all__ = ["CODE_LENGTH", "format_code", "is_valid_code", "new_code", "normalise_code"]

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 10
_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s-]+")


def _luhn_total(symbols: str, double_first: bool) -> int:
    """Luhn mod 32 over ``symbols`` read from the right."""
    total, double = 0, double_first
    for symbol in reversed(symbols):
        addend = _VALUE[symbol] * (2 if double else 1)
        total += addend // 32 + addend % 32
        double = not double
    return total


def _check_symbol(body: str) -> str:
    return ALPHABET[-_luhn_total(body, double_first=True) % 32]


def new_code() -> str:
    """A fresh random download code, e.g. ``7K2M9QX4TB`` (10 symbols, no separator)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH - 1))
    return body + _check_symbol(body)


def normalise_code(text: str) -> str | None:
    """The canonical form of ``text`` if it is a valid code, else ``None``."""
    code = _SEPARATORS.sub("", text).upper().translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or any(symbol not in _VALUE for symbol in code):
        return None
    return code if _luhn_total(code, double_first=False) % 32 == 0 else None


def is_valid_code(text: str) -> bool:
    """Whether ``text`` is a canonical code (10 symbols, right check symbol)."""
    return normalise_code(text) == text


def format_code(code: str) -> str:
    """``7K2M9QX4TB`` -> ``7K2M9-QX4TB``, the form printed on the page."""
    return f"{code[:5]}-{code[5:]}"

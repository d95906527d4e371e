"""Bounds on what a request may carry, checked before any view or service runs.

- Path segments declared ``<int:...>`` match only numbers a database id column can
  hold (1 … 2**31-1): a longer number is an unknown page (404), not an overflow in the
  database driver (500).
- A JSON body is parsed once here: more than :data:`MAX_JSON_DEPTH` levels of nesting
  is refused (Python's parser would overflow its stack on 50,000 levels), and every
  value is checked: strings at most :data:`MAX_JSON_STRING` characters and free of
  control characters other than tab and line breaks, integers within what an
  ``INTEGER`` column holds, no ``NaN`` or ``Infinity``. A refusal is a problem document
  naming the field (``errors.json.<path>``), as flask-smorest reports its own field
  messages.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, Map, ValidationError

from app.errors import PSTError

#: The largest value of a 32-bit signed ``INTEGER`` column (every id column is one).
MAX_INT = 2**31 - 1
MAX_JSON_DEPTH = 64
#: Far more than any text field takes (the longest forms allow 5,000 characters), far
#: less than a body may hold.
MAX_JSON_STRING = 100_000

#: C0 controls except tab, LF and CR; DEL; C1 controls. Nobody types them, and a line
#: break may still be refused by the field itself (single-line fields).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: The same, with tab and line breaks: for single-line fields (a CR/LF in a title would
#: end a mail header).
CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class IdConverter(IntegerConverter):
    """``<int:...>`` bounded to what an id column holds; anything else does not match."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = MAX_INT,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> Any:
        # Checked before int(): Python refuses to parse numbers over 4,300 digits with a
        # ValueError, which would be a 500.
        if len(value) > len(str(MAX_INT)):
            raise ValidationError()
        return super().to_python(value)


class JsonTooDeep(PSTError):
    status = 400
    message = _l("The JSON body is nested too deeply.")


class JsonValueRefused(PSTError):
    """One value of a JSON body is out of bounds; ``field`` names it (dotted path)."""

    status = 422


def _too_long() -> Any:
    return _l("This text is too long (at most %(n)s characters).", n=MAX_JSON_STRING)


def _control() -> Any:
    return _l("This text contains a control character. Remove it and send again.")


def _out_of_range() -> Any:
    return _l("This number is out of range.")


def _check(value: Any, path: str, depth: int) -> None:
    if depth > MAX_JSON_DEPTH:
        raise JsonTooDeep()
    if isinstance(value, str):
        if len(value) > MAX_JSON_STRING:
            raise JsonValueRefused(_too_long(), field=path or "_body")
        if CONTROL.search(value):
            raise JsonValueRefused(_control(), field=path or "_body")
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not -MAX_INT <= value <= MAX_INT:
            raise JsonValueRefused(_out_of_range(), field=path or "_body")
    elif isinstance(value, float):
        if not math.isfinite(value) or abs(value) > MAX_INT:
            raise JsonValueRefused(_out_of_range(), field=path or "_body")
    elif isinstance(value, dict):
        for key, item in value.items():
            if len(key) > 200 or CONTROL_OR_BREAK.search(key):
                raise JsonValueRefused(_control(), field=path or "_body")
            _check(item, f"{path}.{key}" if path else key, depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}.{index}" if path else str(index), depth + 1)


def _refuse_unbounded_json() -> None:
    if request.method in ("GET", "HEAD", "OPTIONS") or not request.is_json:
        return
    body = request.get_data(cache=True)
    if not body:
        return
    try:
        data = json.loads(body)
    except RecursionError:  # tens of thousands of "[": the parser's own stack overflowed
        raise JsonTooDeep() from None
    except ValueError:  # malformed: the view's parser answers 400 with its own message
        return
    _check(data, "", 1)


def install_converters(app: Flask) -> None:
    """Call before any blueprint is registered: rules bind their converter when added."""
    app.url_map.converters["int"] = IdConverter


def init_app(app: Flask) -> None:
    install_converters(app)
    app.before_request(_refuse_unbounded_json)

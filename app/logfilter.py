"""No personal data in logs: NIKs, phone numbers, API tokens, two-factor secrets and the
secret part of reset, verification and rating links are masked in every log record.

:func:`install` puts :class:`PersonalDataFilter` on every handler of the root logger
and wraps the log record factory, so that handlers added later (gunicorn's, a test
runner's) see masked records too. Masking happens once per record: the message is
formatted with its arguments, masked, and stored back without arguments; a traceback
is formatted and masked the same way (a database error quotes its values).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

MASK = "[hidden]"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # The secret part of links mailed to people (reset, verification, rating, ticket):
    # whoever reads the log could otherwise use them.
    (
        re.compile(r"(/(?:password/reset|verify|desk/rate|desk/ticket)/)[^\s/?#\"'<>]+"),
        r"\1" + MASK,
    ),
    (re.compile(r"(?i)(bearer\s+)[^\s,;\"']+"), r"\1" + MASK),
    (re.compile(r"pst_[A-Za-z0-9_-]{8,}"), "pst_" + MASK),
    # A two-factor secret: in an authenticator address, or a database error's parameters.
    (re.compile(r"(secret=)[A-Za-z2-7]+"), r"\1" + MASK),
    (re.compile(r"""(['"]secret['"]:\s*['"])[A-Za-z2-7]+"""), r"\1" + MASK),
    # ... or a positional one (SQLite's): 32 base32 letters (totp.new_secret's length).
    (re.compile(r"(?<![A-Za-z0-9])[A-Z2-7]{32}(?![A-Za-z0-9])"), MASK),
    # A NIK (16 digits), also written in groups.
    (re.compile(r"(?<![\w.])\d{4}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{4}(?![\w])"), MASK),
    # Indonesian mobile numbers: 08…, 628…, +628…, with or without separators.
    (re.compile(r"(?<![\w+])(?:\+?62[ .-]?|0)8\d{1,3}(?:[ .-]?\d){6,10}(?![\w])"), MASK),
]


def mask(text: str) -> str:
    """``text`` with every NIK, phone number, token and link secret replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask ``record`` in place (once) and return it."""
    if getattr(record, "_pst_masked", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: leave it to the handler to report
        return record
    record.msg = mask(message)
    record.args = ()
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    record._pst_masked = True
    return record


class PersonalDataFilter(logging.Filter):
    """A handler filter that masks personal data and lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_FILTER = PersonalDataFilter()


def _masking_factory(previous: Callable[..., logging.LogRecord]) -> Callable[..., Any]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(previous(*args, **kwargs))

    factory._pst_masking = True  # type: ignore[attr-defined]
    return factory


def install() -> None:
    """Mask every record from now on (idempotent: the factory calls it per app)."""
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
    current = logging.getLogRecordFactory()
    if not getattr(current, "_pst_masking", False):
        logging.setLogRecordFactory(_masking_factory(current))

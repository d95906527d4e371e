"""Letter numbers: the office's pattern (``ADVISORY_LETTER_PATTERN`` for
recommendations, ``ADVISORY_DATA_LETTER_PATTERN`` for data requests; Python format
fields ``seq``, ``year``, ``month``, ``month_roman``) and a gapless sequence per kind and
year.

The sequence is taken by an ``UPDATE … RETURNING`` on a counter row: the row stays
locked until the letter's transaction ends, so two approvals at once get consecutive
numbers and a failure rolls its number back (no gaps). A unique constraint is the
safety net.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from advisory.models import LetterCounter, LetterKind
from advisory.settings import Settings
from app.numbering import take_next

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def pattern(settings: Settings, kind: LetterKind) -> str:
    """The number pattern of a kind of letter."""
    if kind == LetterKind.RECOMMENDATION:
        return settings.letter_pattern
    return settings.data_letter_pattern


def format_number(pattern: str, seq: int, issued_on: date) -> str:
    return pattern.format(
        seq=seq,
        year=issued_on.year,
        month=issued_on.month,
        month_roman=ROMAN[issued_on.month - 1],
    )


def next_seq(session: Session, kind: LetterKind, year: int) -> int:
    """Take the next sequence number of ``kind`` in ``year`` (locks the counter row)."""
    return take_next(session, LetterCounter, {"kind": kind, "year": year})

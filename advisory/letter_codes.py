"""A letter's verification code, and checking a letter against it.

The letter carries a code, an HMAC-SHA256 (key: :attr:`Settings.letter_key
<advisory.settings.Settings.letter_key>` — ``ADVISORY_LETTER_KEY``, else derived from
``SECRET_KEY``) over its number, recipient, title and issue date, truncated to 80 bits
and written in base32 (``ABCD-EFGH-IJKL-MNOP``). The QR code on the letter opens
``/letters/verify/<number>?c=<code>``; the public page recomputes the code from the
database row and compares in constant time, so a changed digit of the number or code,
a forged number, or a row altered after issue all fail. Only a correct code reveals what
the genuine letter says (number, date, recipient, title), for the holder to compare with
the paper. The PDF's SHA-256 is kept too: the page can check that a file is byte for
byte the one issued.

A typed number is looked up regardless of case (``b-001/…`` finds ``B-001/…``): people
copy numbers from paper.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date
from typing import IO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from advisory.models import Letter
from advisory.settings import Settings
from app.urls import external_url

CODE_BYTES = 10  # 80 bits: 16 base32 characters
_CODE_CHARS = re.compile(r"[^A-Z2-7]")


def _canonical(number: str, recipient: str, title: str, issued_on: date) -> bytes:
    parts = (" ".join(number.split()), " ".join(recipient.split()), " ".join(title.split()))
    return "\x1f".join((*parts, issued_on.isoformat())).encode()


def letter_code(
    settings: Settings, number: str, recipient: str, title: str, issued_on: date
) -> str:
    if not settings.letter_key:
        # A Settings built by hand has no key: never sign with an empty (guessable) one.
        raise ValueError("no letter key: build the settings with settings_from()")
    mac = hmac.new(
        settings.letter_key, _canonical(number, recipient, title, issued_on), hashlib.sha256
    )
    return base64.b32encode(mac.digest()[:CODE_BYTES]).decode()


def normalise_code(code: str | None) -> str:
    """What a person may type: any case, with dashes or spaces; 0/1 read as O/I."""
    raw = (code or "").upper().replace("0", "O").replace("1", "I")
    return _CODE_CHARS.sub("", raw)[:32]


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def verify_url(letter: Letter) -> str:
    return external_url("advisory.verify_letter", number=letter.number, c=letter.code)


@dataclass(frozen=True)
class Verification:
    status: str  # genuine | unknown | mismatch
    letter: Letter | None  # only when genuine

    @property
    def genuine(self) -> bool:
        return self.status == "genuine"


def verify(session: Session, number: str, code: str | None, *, settings: Settings) -> Verification:
    """Is there a letter with this number whose content signs to ``code``?"""
    number = " ".join((number or "").split())[:80]
    letter = (
        session.scalar(select(Letter).where(func.upper(Letter.number) == number.upper()).limit(1))
        if number
        else None
    )
    if letter is None:
        return Verification("unknown", None)
    expected = letter_code(
        settings, letter.number, letter.recipient, letter.title, letter.issued_on
    )
    given = normalise_code(code)
    if not given or not hmac.compare_digest(expected, given):
        return Verification("mismatch", None)
    return Verification("genuine", letter)


def file_matches(letter: Letter, stream: IO[bytes], max_bytes: int) -> bool:
    """Whether the uploaded bytes are exactly the issued PDF (hashed, never parsed)."""
    digest = hashlib.sha256()
    read = 0
    while chunk := stream.read(64 * 1024):
        read += len(chunk)
        if read > max_bytes:
            return False
        digest.update(chunk)
    return hmac.compare_digest(digest.hexdigest(), letter.pdf_sha256)

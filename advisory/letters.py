"""Numbered, verifiable letters: the recommendation letter (*surat rekomendasi kegiatan
statistik*, SOP-1-04) and the data request letter (*surat permintaan data*, SOP-1-03).

:func:`issue` numbers a letter (:mod:`advisory.letter_numbers`), signs it with its
verification code (:mod:`advisory.letter_codes`), draws it
(:mod:`advisory.letter_drawing`) and stores the PDF in the blob store, all in the
caller's transaction. The head previews a recommendation letter before approving
(:func:`preview`: marked, unnumbered, never stored).

The names other modules use from the three parts are importable from here too.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from advisory.errors import LetterNotFound, LetterNotIssued
from advisory.letter_codes import Verification as Verification
from advisory.letter_codes import display_code as display_code
from advisory.letter_codes import file_matches as file_matches
from advisory.letter_codes import letter_code
from advisory.letter_codes import verify as verify
from advisory.letter_codes import verify_url as verify_url
from advisory.letter_drawing import PREVIEW_NUMBER as PREVIEW_NUMBER
from advisory.letter_drawing import LetterContent as LetterContent
from advisory.letter_drawing import render_pdf as render_pdf
from advisory.letter_numbers import format_number, next_seq, pattern
from advisory.models import Letter, LetterKind
from advisory.settings import Settings
from app.blobs import save_blob
from storage import BlobStore

log = logging.getLogger(__name__)


def get_letter(session: Session, letter_id: int) -> Letter:
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise LetterNotFound()
    return letter


def issue(
    session: Session,
    store: BlobStore,
    content: LetterContent,
    *,
    settings: Settings,
    actor_id: int | None,
    consultation_id: int | None = None,
    recommendation_id: int | None = None,
) -> Letter:
    """Number, sign, draw and store a letter (no commit: the caller's transaction).

    Raises :class:`LetterNotIssued` when the letter cannot be drawn or stored (logged):
    the caller rolls back, which returns the number, and the action may be retried."""
    seq = next_seq(session, content.kind, content.issued_on.year)
    number = format_number(pattern(settings, content.kind), seq, content.issued_on)
    code = letter_code(settings, number, content.recipient, content.title, content.issued_on)
    letter = Letter(
        kind=content.kind,
        year=content.issued_on.year,
        seq=seq,
        number=number,
        code=code,
        recipient=content.recipient[:300],
        title=content.title[:300],
        issued_on=content.issued_on,
        details=json.dumps(content.details, ensure_ascii=False, sort_keys=True, default=str),
        signer_name=content.signer_name[:120],
        consultation_id=consultation_id,
        recommendation_id=recommendation_id,
        issued_by_id=actor_id,
    )
    # The stored row is what verification trusts: draw the PDF from the same values.
    try:
        pdf = render_pdf(
            content, number=number, code=code, url=verify_url(letter), settings=settings
        )
        ref = save_blob(session, store, io.BytesIO(pdf), content_type="application/pdf")
    except SQLAlchemyError:
        raise
    except Exception as exc:
        log.exception("letter %s (%s) could not be drawn or stored", number, content.reference)
        raise LetterNotIssued() from exc
    letter.pdf_key = ref.key
    letter.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    letter.pdf_size = len(pdf)
    session.add(letter)
    session.flush()
    return letter


def preview(content: LetterContent, settings: Settings) -> bytes:
    """The letter as it will be issued, marked as a preview, without a number or code.

    Nothing is stored and the counter is not touched: numbers stay gapless however
    often the head looks."""
    return render_pdf(content, number=None, code=None, url=None, settings=settings)


def attachment(letter: Letter) -> tuple[str, str, bytes]:
    """The letter as a mail attachment: (file name, type, the stored PDF's bytes)."""
    from app.blobs import current_store

    with current_store().open(letter.pdf_key) as fh:
        return filename(letter), "application/pdf", fh.read()


def filename(letter: Letter) -> str:
    stem = (
        "Surat-Rekomendasi" if letter.kind == LetterKind.RECOMMENDATION else "Surat-Permintaan-Data"
    )
    safe = re.sub(r"[^A-Za-z0-9.-]+", "-", letter.number).strip("-")
    return f"{stem}-{safe}.pdf"

"""Numbered, verifiable letters: the recommendation letter (*surat rekomendasi kegiatan
statistik*, SOP-1-04) and the data request letter (*surat permintaan data*, SOP-1-03).

**Numbers** follow the office's pattern (``ADVISORY_LETTER_PATTERN`` for
recommendations, ``ADVISORY_DATA_LETTER_PATTERN`` for data requests; Python format
fields ``seq``, ``year``, ``month``, ``month_roman``), with a sequence per kind and
year taken by an ``UPDATE … RETURNING`` on a counter row: the row stays locked until
the letter's transaction ends, so two approvals at once get consecutive numbers and a
failure rolls its number back (no gaps). A unique constraint is the safety net.

**Verification**: the letter carries a code, an HMAC-SHA256 (key: ``ADVISORY_LETTER_KEY``,
else derived from ``SECRET_KEY``) over its number, recipient, title and issue date,
truncated to 80 bits and written in base32 (``ABCD-EFGH-IJKL-MNOP``). The QR code on
the letter opens ``/letters/verify/<number>?c=<code>``; the public page recomputes the
code from the database row and compares in constant time, so a changed digit of the
number or code, a forged number, or a row altered after issue all fail. Only a correct
code reveals what the genuine letter says (number, date, recipient, title), for the
holder to compare with the paper. The PDF's SHA-256 is kept too: the page can check
that a file is byte for byte the one issued.

A typed number is looked up regardless of case (``b-001/…`` finds ``B-001/…``): people
copy numbers from paper.

PDFs are drawn with reportlab in Indonesian, with the fonts, dates and text handling
of :mod:`app.pdf` (DejaVu Sans embedded, so the text can be extracted again; any typed
value escaped; long values flow onto further pages), and stored in the blob store. The
head previews a recommendation letter before approving (:func:`preview`: marked, unnumbered, never
stored). :func:`styles`, :func:`letterhead` and :func:`document` are shared with the
blank FS3 form (:mod:`advisory.blank_form`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any, BinaryIO

from flask import current_app
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from advisory.errors import LetterNotFound, LetterNotIssued
from advisory.models import Letter, LetterCounter, LetterKind
from app import documents as kit
from app import pdf
from app.blobs import save_blob
from app.numbering import take_next
from app.pdf import FONT, FONT_BOLD, tanggal
from app.urls import external_url
from storage import BlobStore

log = logging.getLogger(__name__)

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
CODE_BYTES = 10  # 80 bits: 16 base32 characters
_CODE_CHARS = re.compile(r"[^A-Z2-7]")

PATTERN_KEYS = {
    LetterKind.RECOMMENDATION: "ADVISORY_LETTER_PATTERN",
    LetterKind.DATA_REQUEST: "ADVISORY_DATA_LETTER_PATTERN",
}


# --- numbers ----------------------------------------------------------------------------


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


# --- codes ------------------------------------------------------------------------------


def _key() -> bytes:
    configured = current_app.config.get("ADVISORY_LETTER_KEY")
    if configured:
        return str(configured).encode()
    # A key of its own, derived from the app's secret: a letter code never doubles as
    # (or reveals anything about) a session or form signature.
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"pst.advisory.letter-code.v1", hashlib.sha256).digest()


def _canonical(number: str, recipient: str, title: str, issued_on: date) -> bytes:
    parts = (" ".join(number.split()), " ".join(recipient.split()), " ".join(title.split()))
    return "\x1f".join((*parts, issued_on.isoformat())).encode()


def letter_code(number: str, recipient: str, title: str, issued_on: date) -> str:
    mac = hmac.new(_key(), _canonical(number, recipient, title, issued_on), hashlib.sha256)
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


def verify(session: Session, number: str, code: str | None) -> Verification:
    """Is there a letter with this number whose content signs to ``code``?"""
    number = " ".join((number or "").split())[:80]
    letter = (
        session.scalar(select(Letter).where(func.upper(Letter.number) == number.upper()).limit(1))
        if number
        else None
    )
    if letter is None:
        return Verification("unknown", None)
    expected = letter_code(letter.number, letter.recipient, letter.title, letter.issued_on)
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


def get_letter(session: Session, letter_id: int) -> Letter:
    letter = session.get(Letter, letter_id)
    if letter is None:
        raise LetterNotFound()
    return letter


# --- issuing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterContent:
    """What a letter says besides its number: the caller fills it, :func:`issue` numbers,
    signs, draws and stores it."""

    kind: LetterKind
    recipient: str  # to whom (the organiser or the requester)
    title: str  # the activity or the data asked for
    issued_on: date
    signer_name: str
    signer_role: str
    rows: Sequence[tuple[str, str]]  # the table of particulars
    details: dict[str, Any]  # shown on the verification page
    reference: str  # the request's own reference (R-… or K-…)
    address: str = ""


def issue(
    session: Session,
    store: BlobStore,
    content: LetterContent,
    *,
    actor_id: int | None,
    consultation_id: int | None = None,
    recommendation_id: int | None = None,
) -> Letter:
    """Number, sign, draw and store a letter (no commit: the caller's transaction).

    Raises :class:`LetterNotIssued` when the letter cannot be drawn or stored (logged):
    the caller rolls back, which returns the number, and the action may be retried."""
    pattern = str(current_app.config[PATTERN_KEYS[content.kind]])
    seq = next_seq(session, content.kind, content.issued_on.year)
    number = format_number(pattern, seq, content.issued_on)
    code = letter_code(number, content.recipient, content.title, content.issued_on)
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
        pdf = render_pdf(content, number=number, code=code, url=verify_url(letter))
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


def preview(content: LetterContent) -> bytes:
    """The letter as it will be issued, marked as a preview, without a number or code.

    Nothing is stored and the counter is not touched: numbers stay gapless however
    often the head looks."""
    return render_pdf(content, number=None, code=None, url=None)


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


# --- drawing ----------------------------------------------------------------------------


def styles() -> dict[str, ParagraphStyle]:
    """The advisory documents' paragraph styles (DejaVu Sans, registered once)."""
    pdf.register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13.5)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5),
        "kop": ParagraphStyle(
            "kop", parent=body, fontName=FONT_BOLD, fontSize=13, leading=16, alignment=1
        ),
        "kop2": ParagraphStyle("kop2", parent=body, fontSize=8.5, leading=11, alignment=1),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=12, leading=16, alignment=1
        ),
        "center": ParagraphStyle("center", parent=body, alignment=1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        "cellb": ParagraphStyle("cellb", parent=body, fontName=FONT_BOLD, fontSize=9, leading=11.5),
        "sign": ParagraphStyle("sign", parent=body, fontName=FONT_BOLD),
    }


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """Plain text (escaped; line breaks kept; see :func:`app.pdf.markup`) as a paragraph."""
    return pdf.para(text, style)


_p = para


def document(buffer: BinaryIO, *, title: str, subject: str) -> SimpleDocTemplate:
    """The advisory documents' A4 page (margins, metadata, reproducible bytes)."""
    return kit.a4_document(
        buffer,
        title=title,
        author=str(current_app.config["OFFICE_NAME"]),
        subject=subject,
        margins=(22 * mm, 22 * mm, 12 * mm, 12 * mm),
        invariant=True,
    )


def letterhead(st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The office's letterhead (*kop surat*) with its double rule."""
    cfg = current_app.config
    return kit.letterhead(
        [
            ("BADAN PUSAT STATISTIK", st["kop"]),
            (str(cfg["ADVISORY_LETTER_OFFICE"]).upper(), st["kop"]),
            (str(cfg["ADVISORY_OFFICE_ADDRESS"]), st["kop2"]),
        ]
    )


PREVIEW_NUMBER = "(nomor diberikan saat surat disetujui)"
PREVIEW_MARK = "PRATINJAU — BUKAN SURAT RESMI"


def _preview_mark(canvas: Any, doc: Any) -> None:
    """Every page of a preview says so: a line at the top and a diagonal mark."""
    width, height = A4
    canvas.saveState()
    canvas.setFont(FONT_BOLD, 9)
    canvas.setFillColor(colors.HexColor("#b00020"))
    canvas.drawCentredString(width / 2, height - 7 * mm, PREVIEW_MARK)
    canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.12))
    canvas.setFont(FONT_BOLD, 64)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, 0, "PRATINJAU")
    canvas.restoreState()


def _no_mark(canvas: Any, doc: Any) -> None:
    """The first page of an issued letter: nothing beyond its letterhead."""


def render_pdf(
    content: LetterContent, *, number: str | None, code: str | None, url: str | None
) -> bytes:
    """The letter as PDF bytes (reproducible: same content, same bytes).

    Without a number it is the head's preview: the same letter, marked "PRATINJAU" on
    every page, with a placeholder instead of the number and of the QR code."""
    cfg = current_app.config
    preview = number is None
    st = styles()
    buffer = io.BytesIO()
    shown_number = number or PREVIEW_NUMBER
    doc = document(buffer, title=shown_number, subject=content.title)
    office = str(cfg["ADVISORY_LETTER_OFFICE"])
    place = str(cfg["ADVISORY_LETTER_PLACE"])
    story: list[Flowable] = letterhead(st)
    is_rec = content.kind == LetterKind.RECOMMENDATION
    if is_rec:
        head = Table(
            [
                [
                    _p("Nomor", st["body"]),
                    _p(f": {shown_number}", st["body"]),
                    _p(f"{place}, {tanggal(content.issued_on)}", st["body"]),
                ],
                [_p("Lampiran", st["body"]), _p(": -", st["body"]), ""],
                [_p("Hal", st["body"]), _p(": Rekomendasi Kegiatan Statistik", st["body"]), ""],
            ],
            colWidths=[22 * mm, 84 * mm, 54 * mm],
        )
        head.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        story += [head, Spacer(1, 5 * mm)]
        story += [
            _p("Yth.", st["body"]),
            _p(content.recipient, st["body"]),
            _p(content.address or "di Tempat", st["body"]),
            Spacer(1, 3 * mm),
            _p(
                "Menindaklanjuti permohonan rekomendasi kegiatan statistik nomor "
                f"{content.reference} yang diajukan melalui layanan Pelayanan Statistik "
                "Terpadu (PST), dan berdasarkan Undang-Undang Nomor 16 Tahun 1997 tentang "
                f"Statistik, dengan ini Badan Pusat Statistik {office} memberikan "
                "rekomendasi atas rancangan kegiatan statistik sebagai berikut:",
                st["body"],
            ),
        ]
    else:
        story += [
            _p("SURAT PERMINTAAN DATA", st["title"]),
            _p(f"Nomor: {shown_number}", st["center"]),
            Spacer(1, 5 * mm),
            _p(
                "Permintaan data berikut telah diterima oleh Pelayanan Statistik Terpadu "
                f"(PST) Badan Pusat Statistik {office} dan akan diproses sesuai "
                "kesepakatan di bawah ini:",
                st["body"],
            ),
        ]
    story.append(Spacer(1, 3 * mm))
    # One small table per piece of each value (app.pdf.facts): an objective of 5,000
    # characters continues on the next page, and laying it out stays fast.
    rows: list[tuple[str, object]] = list(content.rows)
    table = pdf.facts(rows, st["cellb"], st["cell"], (48 * mm, 112 * mm), grid=True, shade=True)
    story += [*table, Spacer(1, 4 * mm)]
    if is_rec:
        story.append(
            _p(
                "Rekomendasi ini diberikan agar kegiatan statistik tidak tumpang tindih dengan "
                "kegiatan statistik lain dan memenuhi kaidah statistik. Penyelenggara diminta "
                "menyampaikan hasil kegiatan statistik tersebut kepada Badan Pusat Statistik "
                "sesuai ketentuan peraturan perundang-undangan. Demikian surat rekomendasi ini "
                "dibuat untuk dipergunakan sebagaimana mestinya.",
                st["body"],
            )
        )
    else:
        story.append(
            _p(
                "Data akan disampaikan paling lambat pada tanggal penyelesaian di atas melalui "
                "layanan PST. Data yang diterima hanya digunakan sesuai keperluan yang "
                "dinyatakan dan sumbernya dicantumkan sebagai Badan Pusat Statistik.",
                st["body"],
            )
        )
    story.append(Spacer(1, 4 * mm))
    signature: list[Flowable] = (
        [] if is_rec else [_p(f"{place}, {tanggal(content.issued_on)}", st["body"])]
    )
    signature += [
        _p(content.signer_role + ",", st["body"]),
        Spacer(1, 12 * mm),
        _p(content.signer_name, st["sign"]),
    ]
    if preview or not code or not url:
        qr: Flowable = _Box(
            26 * mm, 26 * mm, "Kode QR verifikasi dicetak saat surat terbit", st["small"]
        )
        verify_text = _p(
            "Pratinjau untuk Kepala: nomor surat dan kode verifikasi diberikan saat surat "
            "disetujui. Pratinjau ini bukan surat resmi.",
            st["small"],
        )
    else:
        qr = kit.qr_drawing(url, 26 * mm)
        verify_text = _p(
            "Keaslian surat ini dapat diperiksa dengan memindai kode QR atau membuka "
            f"{url.split('?')[0]} dengan kode verifikasi {display_code(code)}.",
            st["small"],
        )
    foot = Table([[qr, signature], [verify_text, ""]], colWidths=[66 * mm, 94 * mm])
    foot.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("SPAN", (0, 1), (1, 1)),
            ]
        )
    )
    story.append(KeepTogether([foot]))
    # Later pages (long FS3 answers) say which letter and page they are.
    footer = pdf.page_footer(shown_number, y=6 * mm)

    def later(canvas: Any, doc: Any) -> None:
        footer(canvas, doc)
        if preview:
            _preview_mark(canvas, doc)

    doc.build(story, onFirstPage=_preview_mark if preview else _no_mark, onLaterPages=later)
    return buffer.getvalue()


class _Box(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """A framed empty square with a caption (where the QR code will be)."""

    def __init__(self, width: float, height: float, caption: str, style: ParagraphStyle):
        super().__init__()
        self.width, self.height = width, height
        self.caption = para(caption, ParagraphStyle("boxcap", parent=style, alignment=1))

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setDash(2, 2)
        self.canv.rect(0, 0, self.width, self.height)
        self.canv.setDash()
        _w, h = self.caption.wrap(self.width - 4 * mm, self.height)
        self.caption.drawOn(self.canv, 2 * mm, (self.height - h) / 2)

"""Drawing a letter: the recommendation letter and the data request letter as PDF, and
the page, styles and letterhead the advisory documents share.

PDFs are drawn with reportlab in Indonesian, with the fonts, dates and text handling
of :mod:`app.pdf` (DejaVu Sans embedded, so the text can be extracted again; any typed
value escaped; long values flow onto further pages). The head's preview of a
recommendation letter is the same letter, marked, without a number or code.
:func:`styles`, :func:`letterhead` and :func:`document` are shared with the blank FS3
form (:mod:`advisory.blank_form`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, BinaryIO

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

from advisory.letter_codes import display_code
from advisory.models import LetterKind
from advisory.settings import Settings
from app import documents as kit
from app import pdf
from app.pdf import FONT, FONT_BOLD, tanggal


@dataclass(frozen=True)
class LetterContent:
    """What a letter says besides its number: the caller fills it,
    :func:`advisory.letters.issue` numbers, signs, draws and stores it."""

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


def document(
    buffer: BinaryIO, *, title: str, subject: str, settings: Settings
) -> SimpleDocTemplate:
    """The advisory documents' A4 page (margins, metadata, reproducible bytes)."""
    return kit.a4_document(
        buffer,
        title=title,
        author=settings.office_name,
        subject=subject,
        margins=(22 * mm, 22 * mm, 12 * mm, 12 * mm),
        invariant=True,
    )


def letterhead(st: dict[str, ParagraphStyle], settings: Settings) -> list[Flowable]:
    """The office's letterhead (*kop surat*) with its double rule."""
    return kit.letterhead(
        [
            ("BADAN PUSAT STATISTIK", st["kop"]),
            (settings.letter_office.upper(), st["kop"]),
            (settings.office_address, st["kop2"]),
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
    content: LetterContent,
    *,
    number: str | None,
    code: str | None,
    url: str | None,
    settings: Settings,
) -> bytes:
    """The letter as PDF bytes (reproducible: same content, same bytes).

    Without a number it is the head's preview: the same letter, marked "PRATINJAU" on
    every page, with a placeholder instead of the number and of the QR code."""
    preview = number is None
    st = styles()
    buffer = io.BytesIO()
    shown_number = number or PREVIEW_NUMBER
    doc = document(buffer, title=shown_number, subject=content.title, settings=settings)
    office = settings.letter_office
    place = settings.letter_place
    story: list[Flowable] = letterhead(st, settings)
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

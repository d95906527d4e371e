"""The printed queue ticket: a PDF sized for 58 mm or 80 mm thermal paper, with the
number in large type, a QR code to the number's live status page (whose token is
secret) and the ticket's secret rating code, which the kiosk asks for to rate the service.

Text goes through :mod:`app.pdf` (DejaVu Sans, escaped, fallback fonts) and wraps
within the paper; the page grows with its text (a long office name never runs off the
bottom), as thermal paper is cut after the ticket anyway."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable

from app import pdf as pdf_text
from app.documents import qr_drawing
from app.pdf import FONT, FONT_BOLD, FONT_ITALIC, para

WIDTHS_MM = (58, 80)
#: Printable width inside the paper (thermal heads leave a margin each side).
_MARGIN_MM = {58: 4, 80: 6}


@dataclass(frozen=True)
class TicketText:
    office: str
    service: str
    number: str
    issued: str  # e.g. "25-11-2026 09:30 WIB"
    ahead: str  # e.g. "3 people ahead of you"
    status_url: str
    scan_hint: str  # e.g. "Scan to follow your number"
    footer: str  # e.g. "After the service, please rate us."
    rating_code: str = ""  # e.g. "Rating code: KM7C-4XPA" (the kiosk asks for it)


def _styles(width_mm: int) -> dict[str, ParagraphStyle]:
    pdf_text.register_fonts()
    scale = max(width_mm / 80, 0.85)
    base = ParagraphStyle("t", fontName=FONT, alignment=TA_CENTER, fontSize=8 * scale)
    return {
        "office": ParagraphStyle("o", parent=base, fontName=FONT_BOLD, fontSize=9 * scale),
        "service": ParagraphStyle("s", parent=base, fontSize=8.5 * scale),
        "line": ParagraphStyle("l", parent=base, fontSize=8 * scale),
        "small": ParagraphStyle("h", parent=base, fontSize=7.5 * scale),
        "footer": ParagraphStyle("f", parent=base, fontName=FONT_ITALIC, fontSize=7.5 * scale),
    }


def _number_style(number: str, inner: float, width_mm: int) -> ParagraphStyle:
    """The number as large as fits on one line (a long number gets smaller type)."""
    size = 40 * width_mm / 80
    shown = pdf_text.shown(number)
    while size > 8 and stringWidth(shown, FONT_BOLD, size) > inner:
        size -= 1
    return ParagraphStyle(
        "n", fontName=FONT_BOLD, fontSize=size, leading=size * 1.15, alignment=TA_CENTER
    )


def ticket_pdf(text: TicketText, width_mm: int = 80) -> bytes:
    """The ticket as one page of ``width_mm`` paper, as long as its text needs: every
    line wraps within the paper (a word wider than it is split) and nothing is cut."""
    if width_mm not in WIDTHS_MM:
        raise ValueError(f"paper width must be one of {WIDTHS_MM}")
    page_w = width_mm * mm
    inner = (width_mm - 2 * _MARGIN_MM[width_mm]) * mm
    qr_size = min(inner, 38 * mm * max(width_mm / 80, 0.8))
    st = _styles(width_mm)
    parts: list[tuple[Flowable, float]] = [
        (para(text.office, st["office"]), 1.5),
        (para(text.service, st["service"]), 2 * mm),
        (para(text.number, _number_style(text.number, inner, width_mm)), 3 * mm),
        (para(text.issued, st["line"]), 1),
        (para(text.ahead, st["line"]), 2 * mm),
        (qr_drawing(text.status_url, qr_size), 2 * mm),
        (para(text.scan_hint, st["small"]), 1),
        (para(text.footer, st["footer"]), 1 * mm),
    ]
    if text.rating_code:
        parts.append((para(text.rating_code, st["office"]), 0))
    heights = [part.wrap(inner, 10_000)[1] for part, _gap in parts]
    # At least the paper's usual length; longer when the text needs it (never cut).
    page_h = max(
        (120 if width_mm == 80 else 105) * mm,
        6 * mm + sum(heights) + sum(gap for _part, gap in parts) + 6 * mm,
    )
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(page_w, page_h))
    pdf.setTitle(pdf_text.one_line(f"{text.number} — {text.service}"))
    y = page_h - 6 * mm
    for (part, after), height in zip(parts, heights, strict=True):
        y -= height
        if isinstance(part, Drawing):
            renderPDF.draw(part, pdf, (page_w - qr_size) / 2, y)
        else:
            part.drawOn(pdf, (page_w - inner) / 2, y)
        y -= after
    pdf.showPage()
    pdf.save()
    return out.getvalue()

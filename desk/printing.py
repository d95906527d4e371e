"""The printed queue ticket: a PDF sized for 58 mm or 80 mm thermal paper, with the
number in large type, a QR code to the number's live status page (whose token is
secret) and the ticket's secret rating code, which the kiosk asks for to rate the service."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

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


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if stringWidth(trial, font, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def ticket_pdf(text: TicketText, width_mm: int = 80) -> bytes:
    if width_mm not in WIDTHS_MM:
        raise ValueError(f"paper width must be one of {WIDTHS_MM}")
    page_w = width_mm * mm
    inner = (width_mm - 2 * _MARGIN_MM[width_mm]) * mm
    scale = width_mm / 80
    qr_size = min(inner, 38 * mm * max(scale, 0.8))
    page_h = (120 if width_mm == 80 else 105) * mm
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(page_w, page_h))
    pdf.setTitle(f"{text.number} — {text.service}")
    y = page_h - 6 * mm

    def centred(line: str, font: str, size: float, gap: float) -> None:
        nonlocal y
        for part in _wrap(line, font, size, inner):
            y -= size
            pdf.setFont(font, size)
            pdf.drawCentredString(page_w / 2, y, part)
            y -= gap

    centred(text.office, "Helvetica-Bold", 9 * max(scale, 0.85), 1.5)
    centred(text.service, "Helvetica", 8.5 * max(scale, 0.85), 1.5)
    y -= 2 * mm
    size = 40 * scale
    while stringWidth(text.number, "Helvetica-Bold", size) > inner:
        size -= 1
    centred(text.number, "Helvetica-Bold", size, 3 * mm)
    centred(text.issued, "Helvetica", 8 * max(scale, 0.85), 1)
    centred(text.ahead, "Helvetica", 8 * max(scale, 0.85), 2 * mm)

    widget = QrCodeWidget(text.status_url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    y -= qr_size
    renderPDF.draw(drawing, pdf, (page_w - qr_size) / 2, y)
    y -= 2 * mm
    centred(text.scan_hint, "Helvetica", 7.5 * max(scale, 0.85), 1)
    centred(text.footer, "Helvetica-Oblique", 7.5 * max(scale, 0.85), 1)
    if text.rating_code:
        y -= 1 * mm
        centred(text.rating_code, "Helvetica-Bold", 9 * max(scale, 0.85), 1)
    pdf.showPage()
    pdf.save()
    return out.getvalue()

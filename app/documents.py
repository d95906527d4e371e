"""The document kit: what every PDF that PST draws with reportlab is built from.

:mod:`app.pdf` turns typed text into something reportlab draws safely (fonts with a
fallback for every script, escaped markup, Indonesian dates ``tanggal``/``waktu``, long
values in pieces). This module adds the rest of a document, once for the store's
invoices, receipts and SPPD, the advisory's letters and forms and the desk's tickets:

* money the Indonesian way — :func:`rupiah` (``Rp1.250.000``) and :func:`terbilang`
  (the amount in words on a receipt);
* the letterhead (*kop surat*) with its double rule — :func:`letterhead`;
* a QR code of a given size — :func:`qr_drawing`;
* long text that flows across pages — :func:`flowing` (a paragraph taller than a page
  is a reportlab ``LayoutError``; in pieces it goes on on the next page);
* the A4 page and the bytes — :func:`a4_document` and :func:`render`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.shapes import Drawing, Path
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from app import pdf
from app.pdf import MONTHS, para, register_fonts, tanggal, waktu

__all__ = [
    "MONTHS",
    "DoubleRule",
    "a4_document",
    "flowing",
    "letterhead",
    "para",
    "qr_drawing",
    "register_fonts",
    "render",
    "rupiah",
    "tanggal",
    "terbilang",
    "waktu",
]

PageCallback = Callable[[Any, Any], None]

# --- money ------------------------------------------------------------------------------


def rupiah(amount: int) -> str:
    """An amount in rupiah as documents print it: ``Rp1.250.000`` (dots group digits)."""
    return "Rp" + f"{int(amount):,}".replace(",", ".")


_UNITS = (
    "",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def terbilang(n: int) -> str:
    """A whole number in Indonesian words (for the receipt): 12500 → dua belas ribu lima ratus."""
    n = int(n)
    if n == 0:
        return "nol"
    if n < 0:
        return "minus " + terbilang(-n)
    if n < 12:
        return _UNITS[n]
    if n < 20:
        return _UNITS[n - 10] + " belas"
    if n < 100:
        return (_UNITS[n // 10] + " puluh " + (terbilang(n % 10) if n % 10 else "")).strip()
    if n < 200:
        return ("seratus " + (terbilang(n - 100) if n > 100 else "")).strip()
    if n < 1000:
        return (_UNITS[n // 100] + " ratus " + (terbilang(n % 100) if n % 100 else "")).strip()
    if n < 2000:
        return ("seribu " + (terbilang(n - 1000) if n > 1000 else "")).strip()
    for size, word in ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")):
        if n >= size:
            head, rest = divmod(n, size)
            return (terbilang(head) + f" {word} " + (terbilang(rest) if rest else "")).strip()
    return str(n)  # pragma: no cover


# --- parts of a page --------------------------------------------------------------------


class DoubleRule(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """The double line under a letterhead (thick over thin), the width of the frame."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 3

    def draw(self) -> None:
        self.canv.setLineWidth(1.4)
        self.canv.line(0, 2.5, self.width, 2.5)
        self.canv.setLineWidth(0.5)
        self.canv.line(0, 0, self.width, 0)


def letterhead(
    lines: Sequence[tuple[object, ParagraphStyle]], *, rule: bool = True
) -> list[Flowable]:
    """The office's heading: its ``(text, style)`` lines, then the double rule of a
    letter (*kop surat*) or, with ``rule=False``, just a gap before the title."""
    out: list[Flowable] = [para(text, style) for text, style in lines]
    if rule:
        return [*out, Spacer(1, 2 * mm), DoubleRule(), Spacer(1, 4 * mm)]
    return [*out, Spacer(1, 6 * mm)]


#: The quiet zone around a QR code, in modules (the standard asks for four).
QR_BORDER = 4


def qr_modules(url: str) -> list[list[bool]]:
    """The dark (True) and light modules of the QR code of ``url``, error correction M,
    top row first."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    return [[bool(dark) for dark in row] for row in code.modules]


def qr_drawing(url: str, size: float = 30 * mm) -> Drawing:
    """A QR code of ``url`` (error correction M) as a ``size`` × ``size`` drawing.

    The dark runs of each row are one path, not a shape each: reportlab's own
    ``QrCodeWidget`` makes a rectangle object per run (about 1,300 for a long status
    link) and computes the code twice (once for its bounds), which made a kiosk ticket
    take seconds to draw and its content stream slow to read.
    """
    modules = qr_modules(url)
    box = size / (len(modules) + 2 * QR_BORDER)
    path = Path(fillColor=colors.black, strokeColor=None, strokeWidth=0)
    for r, row in enumerate(modules):
        top = size - (r + QR_BORDER) * box
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            left, right = (start + QR_BORDER) * box, (c + QR_BORDER) * box
            path.moveTo(left, top)
            path.lineTo(right, top)
            path.lineTo(right, top - box)
            path.lineTo(left, top - box)
            path.closePath()
    drawing = Drawing(size, size)
    drawing.add(path)
    return drawing


def flowing(text: object, style: ParagraphStyle, *, size: int = pdf.CHUNK) -> list[Flowable]:
    """Typed text of any length as paragraphs that go on across pages: cleaned and cut
    into pieces (at line breaks, sentences or spaces; see :func:`app.pdf.chunks`),
    each a paragraph no taller than a page."""
    return [para(piece, style) for piece in pdf.chunks(text, size)]


# --- the document -----------------------------------------------------------------------


def a4_document(
    buffer: BinaryIO,
    *,
    title: str,
    author: str,
    subject: str = "",
    margins: tuple[float, float, float, float] = (20 * mm, 20 * mm, 18 * mm, 18 * mm),
    lang: str | None = None,
    invariant: bool = False,
) -> SimpleDocTemplate:
    """An A4 document writing into ``buffer``: margins (left, right, top, bottom),
    metadata, and with ``invariant`` the same bytes for the same content."""
    register_fonts()
    left, right, top, bottom = margins
    # Only what is given: reportlab's defaults stay for the rest (same bytes as before).
    extra: dict[str, Any] = {"lang": lang} if lang else {}
    if subject:
        extra["subject"] = subject
    if invariant:
        extra["invariant"] = True
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=title,
        author=author,
        **extra,
    )


def render(
    flowables: Sequence[Flowable],
    *,
    title: str,
    author: str,
    footer: str | None = None,
    on_first: PageCallback | None = None,
    on_later: PageCallback | None = None,
    **options: Any,
) -> bytes:
    """The PDF bytes of ``flowables`` on A4 (``options`` as for :func:`a4_document`).
    ``footer`` writes "``footer`` — halaman N" on every page; ``on_first`` and
    ``on_later`` draw anything else on the first and the following pages."""
    buffer = io.BytesIO()
    doc = a4_document(buffer, title=title, author=author, **options)
    stamp = pdf.page_footer(footer) if footer is not None else None

    def page(callback: PageCallback | None) -> PageCallback:
        def draw(canvas: Any, doc: Any) -> None:
            if callback is not None:
                callback(canvas, doc)
            if stamp is not None:
                stamp(canvas, doc)

        return draw

    doc.build(list(flowables), onFirstPage=page(on_first), onLaterPages=page(on_later))
    return buffer.getvalue()

"""Canvas drawing: covers, back cover, running headers and footers, the logo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
)

from demo.publications import content as dc
from demo.publications.fmt import _rng
from demo.publications.style import (
    BPS_BLUE,
    BPS_GREEN,
    BPS_ORANGE,
    BRS_BAND,
    GREY,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
)


class _Drawing:
    """Canvas callbacks of ``_Renderer`` (a mixin): covers, headers, footers."""

    plan: dict[str, Any]
    meta: dict[str, Any]
    lang: str
    key: str
    colour: Any
    accent: Any

    def draw_cover(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        m = self.meta
        canv.saveState()
        w, h = PAGE_W, PAGE_H
        canv.setFillColor(colors.white)
        canv.rect(0, 0, w, h, stroke=0, fill=1)
        # top strip: catalogue numbers
        canv.setFillColor(GREY)
        canv.setFont("Helvetica", 8.5)
        canv.drawString(MARGIN_X, h - 40, f"Katalog: {m['kat_no']}")
        canv.drawString(MARGIN_X, h - 52, f"Nomor Publikasi: {m['pub_no']}")
        if m["issn"]:
            canv.drawString(MARGIN_X, h - 64, f"ISSN: {m['issn']}")
        canv.drawRightString(w - MARGIN_X, h - 40, dc.WEBSITE.removeprefix("https://"))
        # the band
        band_top, band_bottom = h * 0.80, h * 0.30
        canv.setFillColor(self.colour)
        canv.rect(0, band_bottom, w, band_top - band_bottom, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFillAlpha(0.10)
        bars = _rng(self.key, "cover")
        for i in range(14):
            bh = bars.uniform(40, 210)
            canv.rect(w * 0.45 + i * 22, band_bottom, 15, bh, stroke=0, fill=1)
        canv.circle(w * 0.92, band_top - 30, 120, stroke=0, fill=1)
        canv.circle(w * 0.05, band_bottom + 20, 70, stroke=0, fill=1)
        canv.setFillAlpha(1)
        canv.setFillColor(self.accent)
        canv.rect(0, band_top, w, 10, stroke=0, fill=1)
        canv.rect(0, band_bottom - 5, w * 0.62, 5, stroke=0, fill=1)
        # title
        canv.setFillColor(colors.white)
        size = 30 if len(m["title"]) < 45 else 25 if len(m["title"]) < 80 else 21
        lines = simpleSplit(m["title"], "Helvetica-Bold", size, w - 2 * MARGIN_X - 20)
        y = band_top - 70
        canv.setFont("Helvetica-Bold", size)
        for line in lines:
            canv.drawString(MARGIN_X + 6, y, line)
            y -= size * 1.18
        sub = m["subtitle"] or (m["title_en"] if m["title_en"] != m["title"] else "")
        if sub:
            canv.setFont("Helvetica-Oblique", 13)
            for line in simpleSplit(sub, "Helvetica-Oblique", 13, w - 2 * MARGIN_X - 20):
                y -= 4
                canv.drawString(MARGIN_X + 6, y, line)
                y -= 16
        canv.setFont("Helvetica-Bold", 64)
        canv.setFillColor(self.accent)
        canv.drawRightString(
            w - MARGIN_X,
            band_bottom + 24,
            str(self.plan["year"]) if self.plan["month"] == 0 else m["period"],
        )
        # publisher block
        _logo(canv, MARGIN_X, 70, 44)
        canv.setFillColor(self.colour)
        canv.setFont("Helvetica-Bold", 15)
        canv.drawString(MARGIN_X + 58, 98, dc.PUBLISHER if self.lang == "id" else dc.PUBLISHER_EN)
        canv.setFont("Helvetica", 9)
        canv.setFillColor(GREY)
        canv.drawString(MARGIN_X + 58, 82, dc.ADDRESS)
        canv.drawString(MARGIN_X + 58, 70, dc.WEBSITE)
        canv.restoreState()

    def draw_back(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setFillColor(self.colour)
        canv.rect(0, 0, PAGE_W, PAGE_H, stroke=0, fill=1)
        canv.setFillColor(self.accent)
        canv.rect(0, PAGE_H * 0.35, PAGE_W, 6, stroke=0, fill=1)
        _logo(canv, PAGE_W / 2 - 30, PAGE_H * 0.35 - 110, 60)
        canv.setFillColor(colors.white)
        canv.setFont("Helvetica-Bold", 16)
        canv.drawCentredString(PAGE_W / 2, PAGE_H * 0.35 - 140, dc.PUBLISHER)
        canv.setFont("Helvetica", 10)
        canv.drawCentredString(PAGE_W / 2, PAGE_H * 0.35 - 160, dc.ADDRESS)
        canv.drawCentredString(
            PAGE_W / 2, PAGE_H * 0.35 - 174, f"Homepage: {dc.WEBSITE}   E-mail: bps1700@bps.go.id"
        )
        canv.setFont("Helvetica-Bold", 22)
        canv.drawCentredString(PAGE_W / 2, PAGE_H * 0.62, "DATA MENCERDASKAN BANGSA")
        canv.setFont("Helvetica", 10)
        canv.drawCentredString(
            PAGE_W / 2, PAGE_H * 0.62 - 22, "Statistik berkualitas untuk Indonesia maju"
        )
        canv.restoreState()

    def draw_body(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        page = doc.page
        short = _short(self.meta["title"])
        canv.setStrokeColor(self.colour)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, PAGE_H - MARGIN_TOP + 14, PAGE_W - MARGIN_X, PAGE_H - MARGIN_TOP + 14)
        canv.setFont("Helvetica-Oblique", 7.5)
        canv.setFillColor(GREY)
        canv.drawRightString(PAGE_W - MARGIN_X, PAGE_H - MARGIN_TOP + 18, short)
        canv.drawString(
            MARGIN_X, PAGE_H - MARGIN_TOP + 18, "Badan Pusat Statistik Provinsi Bengkulu"
        )
        # footer: page number in a box at the outer edge
        canv.line(MARGIN_X, MARGIN_BOTTOM - 14, PAGE_W - MARGIN_X, MARGIN_BOTTOM - 14)
        x = PAGE_W - MARGIN_X - 26 if page % 2 else MARGIN_X
        canv.setFillColor(self.colour)
        canv.rect(x, MARGIN_BOTTOM - 36, 26, 16, stroke=0, fill=1)
        canv.setFillColor(colors.white)
        canv.setFont("Helvetica-Bold", 8.5)
        canv.drawCentredString(x + 13, MARGIN_BOTTOM - 31, str(page))
        canv.setFillColor(GREY)
        canv.setFont("Helvetica", 7.5)
        other = MARGIN_X if page % 2 else PAGE_W - MARGIN_X
        text = _short(self.meta["title"])
        if page % 2:
            canv.drawString(other, MARGIN_BOTTOM - 30, text)
        else:
            canv.drawRightString(other, MARGIN_BOTTOM - 30, text)
        canv.restoreState()

    def draw_brs_front(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        top = PAGE_H - BRS_BAND
        canv.setFillColor(self.colour)
        canv.rect(0, top, PAGE_W, BRS_BAND, stroke=0, fill=1)
        canv.setFillColor(self.accent)
        canv.rect(0, top - 5, PAGE_W, 5, stroke=0, fill=1)
        _logo(canv, MARGIN_X, top + 40, 42)
        canv.setFillColor(colors.white)
        canv.setFont("Helvetica-Bold", 11)
        canv.drawString(MARGIN_X + 54, top + 74, "BADAN PUSAT STATISTIK PROVINSI BENGKULU")
        canv.setFont("Helvetica-Bold", 20)
        canv.drawString(MARGIN_X + 54, top + 50, "BERITA RESMI STATISTIK")
        release = dt.date.fromisoformat(self.meta["rl_date"])
        canv.setFont("Helvetica", 9.5)
        canv.drawString(
            MARGIN_X + 54,
            top + 34,
            f"No. {self.plan['brs_no']}, "
            f"{release.day} {dc.MONTHS[release.month - 1]} {release.year}",
        )
        canv.restoreState()
        self.draw_footer_only(canv, doc)

    def draw_footer_only(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setStrokeColor(self.colour)
        canv.line(MARGIN_X, MARGIN_BOTTOM - 14, PAGE_W - MARGIN_X, MARGIN_BOTTOM - 14)
        canv.setFont("Helvetica", 7.5)
        canv.setFillColor(GREY)
        canv.drawString(
            MARGIN_X, MARGIN_BOTTOM - 30, f"Berita Resmi Statistik No. {self.plan['brs_no']}"
        )
        canv.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 30, str(doc.page))
        canv.restoreState()

    # -- assembly --


def _short(title: str, limit: int = 72) -> str:
    """``title`` cut at a word boundary for running heads and footers."""
    if len(title) <= limit:
        return title
    return title[: title.rindex(" ", 0, limit)] + " …"


def _logo(canv: Canvas, x: float, y: float, size: float) -> None:
    """Three slanted tiles in BPS blue, green and orange — a stand-in for the BPS logo."""
    canv.saveState()
    tile = size * 0.42
    for dx, dy, colour in (
        (0, tile * 1.05, BPS_BLUE),
        (tile * 1.05, tile * 1.05, BPS_GREEN),
        (tile * 0.5, 0, BPS_ORANGE),
    ):
        canv.setFillColor(colour)
        path = canv.beginPath()
        px, py = x + dx, y + dy
        path.moveTo(px + tile * 0.25, py)
        path.lineTo(px + tile, py)
        path.lineTo(px + tile * 0.75, py + tile)
        path.lineTo(px, py + tile)
        path.close()
        canv.drawPath(path, stroke=0, fill=1)
    canv.restoreState()

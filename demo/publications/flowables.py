"""Custom flowables, paragraph styles, labels and the document template."""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
)

from demo.publications.style import FRAME_W, GREY

# --- flowables --------------------------------------------------------------------------


class _Marker(Flowable):  # type: ignore[misc]
    """Zero-size flowable carrying outline entries; the doc template bookmarks them."""

    def __init__(self, entries: list[tuple[str, str, int]]) -> None:
        super().__init__()
        self.outline_entries = entries
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        return None


class _ChapterBanner(Flowable):  # type: ignore[misc]
    """A coloured block with the chapter number and title, as BPS books open chapters."""

    def __init__(self, number: int, title: str, label: str, colour: Any, accent: Any) -> None:
        super().__init__()
        self.number, self.title, self.label = number, title, label
        self.colour, self.accent = colour, accent
        self.width, self.height = FRAME_W, 300

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (self.width, self.height)

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFillColor(self.colour)
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFillAlpha(0.12)
        for i in range(9):
            h = 40 + (i * 37) % 150
            c.rect(self.width - 230 + i * 24, 0, 16, h, stroke=0, fill=1)
        c.circle(self.width - 40, self.height - 30, 90, stroke=0, fill=1)
        c.setFillAlpha(1)
        c.setFillColor(self.accent)
        c.rect(0, self.height - 8, self.width, 8, stroke=0, fill=1)
        c.setFillColor(colors.white)
        c.setFont("Helvetica-Bold", 16)
        c.drawString(28, self.height - 60, f"{self.label} {self.number}")
        c.setFont("Helvetica-Bold", 90)
        c.setFillAlpha(0.25)
        c.drawRightString(self.width - 24, 40, f"{self.number:02d}")
        c.setFillAlpha(1)
        c.setFont("Helvetica-Bold", 28)
        y = self.height - 110
        for line in simpleSplit(self.title.upper(), "Helvetica-Bold", 28, self.width - 80):
            c.drawString(28, y, line)
            y -= 34
        c.restoreState()


# --- styles -----------------------------------------------------------------------------


_FONTS = {"": "Helvetica", "B": "Helvetica-Bold", "I": "Helvetica-Oblique"}

# Paragraph styles: name -> (font, size, leading, other attributes). A ``textColor`` of
# None stands for the publication's own colour.
_STYLES: dict[str, tuple[str, float, float, dict[str, Any]]] = {
    "body": ("", 10, 14.5, {"alignment": TA_JUSTIFY, "spaceAfter": 7, "firstLineIndent": 18}),
    "h1": ("B", 17, 22, {"textColor": None, "spaceAfter": 12, "alignment": TA_CENTER}),
    "h2": ("B", 12.5, 16, {"textColor": None, "spaceBefore": 4, "spaceAfter": 8}),
    "caption": ("B", 9.5, 12.5, {"alignment": TA_CENTER, "spaceAfter": 1}),
    "caption_en": ("I", 8.5, 11, {"alignment": TA_CENTER, "textColor": GREY, "spaceAfter": 4}),
    "unit": ("I", 7.5, 9, {"alignment": TA_RIGHT, "textColor": GREY}),
    "source": ("I", 7.5, 9.5, {"textColor": GREY, "spaceBefore": 4, "spaceAfter": 10}),
    "cell": ("", 7.8, 9.4, {}),
    "cellh": ("B", 7.6, 9.2, {"alignment": TA_CENTER, "textColor": colors.white}),
    "box": ("", 9.5, 13.5, {"alignment": TA_LEFT, "leftIndent": 10, "bulletIndent": 0}),
    "small": ("", 9, 13, {}),
    "toc": ("", 10, 13, {}),
    "tocb": ("B", 10, 13, {}),
}


def _styles(colour: Any) -> dict[str, ParagraphStyle]:
    """The paragraph styles of a publication whose headings are in ``colour``."""
    styles = {}
    for name, (font, size, leading, extra) in _STYLES.items():
        attrs = {key: colour if value is None else value for key, value in extra.items()}
        styles[name] = ParagraphStyle(
            name, fontName=_FONTS[font], fontSize=size, leading=leading, **attrs
        )
    return styles


# --- rendering --------------------------------------------------------------------------

_LABELS = {
    "id": {
        "table": "Tabel",
        "figure": "Gambar",
        "source": "Sumber",
        "chapter": "BAB",
        "foreword": "KATA PENGANTAR",
        "contents": "DAFTAR ISI",
        "notes": "PENJELASAN TEKNIS",
        "page": "Halaman",
        "highlights": "Ringkasan",
        "symbols": "Diagram Simbol",
    },
    "en": {
        "table": "Table",
        "figure": "Figure",
        "source": "Source",
        "chapter": "CHAPTER",
        "foreword": "FOREWORD",
        "contents": "CONTENTS",
        "notes": "TECHNICAL NOTES",
        "page": "Page",
        "highlights": "Highlights",
        "symbols": "Symbols",
    },
}


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    """Doc template that turns ``_Marker`` entries into bookmarks and outline entries."""

    def afterFlowable(self, flowable: Flowable) -> None:
        for title, key, level in getattr(flowable, "outline_entries", ()):
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)

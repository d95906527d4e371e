"""What every document of PST shares: the fonts, the Indonesian date, and the one
place that turns text someone typed into something reportlab draws safely (and the
plain-text files of a data package wrap).

Documents print what forms accepted: up to 5,000 characters of anything. So text never
goes into a ``Paragraph`` raw (its mini-markup breaks on ``<`` and ``&``); control
characters and lone surrogates are dropped; runs of blank lines are folded into one
(5,000 newlines would otherwise be a hundred empty pages); and each character is drawn
with a font that has it:

* DejaVu Sans (embedded) for Latin, Greek, Cyrillic, Arabic, Hebrew and symbols;
* Adobe's Chinese and Korean fonts (reportlab's built-in CID fonts, which every PDF
  reader supplies) for Han, kana and Hangul, so such names stay readable and searchable;
* anything else (most emoji, scripts DejaVu lacks) becomes U+FFFD "�" rather than an
  invisible glyph; invisible format characters (zero-width, direction marks) are
  dropped. Right-to-left text is drawn in its stored order (no bidi reordering).

Words longer than a line are split (``splitLongWords``). Label-and-value tables are
built by :func:`facts`: one small table per piece of each value, so a value of 5,000
characters flows onto further pages, and laying it out stays linear (reportlab re-wraps
a whole table at every page break: one big table of long values took seconds a page).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from app.i18n import WIB

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT, FONT_BOLD, FONT_ITALIC = "PSTDejaVuSans", "PSTDejaVuSans-Bold", "PSTDejaVuSans-Oblique"
CJK_FONT = "STSong-Light"  # Adobe-GB1: Han ideographs, kana, CJK punctuation, full width
HANGUL_FONT = "HYSMyeongJo-Medium"  # Adobe-Korea1
REPLACEMENT = "\ufffd"

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF))
_CJK = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),  # extension A
    (0x4E00, 0x9FFF),  # unified ideographs
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full and half width forms
)


def register_fonts() -> None:
    """Register the documents' fonts once per process (idempotent)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_ITALIC, str(FONT_DIR / "DejaVuSans-Oblique.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC)
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    pdfmetrics.registerFont(UnicodeCIDFont(HANGUL_FONT))


@cache
def _dejavu() -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(FONT)
    return frozenset(font.face.charToGlyph)


def _in(ranges: tuple[tuple[int, int], ...], code: int) -> bool:
    return any(low <= code <= high for low, high in ranges)


def font_for(char: str) -> str | None:
    """The font that draws ``char`` (None for none: it is dropped or replaced)."""
    code = ord(char)
    if char in "\n\t " or code in _dejavu():
        return FONT
    if _in(_CJK, code):
        return CJK_FONT
    if _in(_HANGUL, code):
        return HANGUL_FONT
    return None


def clean(text: object) -> str:
    """The text with what no document should draw removed: control characters, lone
    surrogates and noncharacters; line breaks made ``\\n``, tabs spaces, trailing
    spaces gone and runs of blank lines folded into one."""
    if text is None:
        return ""
    value = _NEWLINES.sub("\n", str(text)).replace("\t", " ")
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if char == "\n" or category not in ("Cc", "Cs", "Co", "Cn"):
            kept.append(char)
    value = "\n".join(line.rstrip() for line in "".join(kept).split("\n"))
    return _BLANK_RUNS.sub("\n\n", value).strip("\n")


def one_line(text: object) -> str:
    """:func:`clean` text on one line (for a heading or a field of a plain-text file)."""
    return " ".join(clean(text).split())


def wrap_lines(text: str, width: int = 78) -> str:
    """Plain text with every line at most ``width`` characters: long lines are wrapped
    under their own indentation (plus two), words longer than a line are split."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))][: width // 2]
        out += textwrap.wrap(
            line.strip(),
            width,
            initial_indent=indent,
            subsequent_indent=indent + "  ",
            break_long_words=True,
            break_on_hyphens=False,
        ) or [""]
    return "\n".join(out)


def _runs(text: str) -> list[tuple[str, str]]:
    """``clean(text)`` as (font, characters) runs, what no font has replaced."""
    runs: list[tuple[str, list[str]]] = []
    for char in clean(text):
        font = font_for(char)
        if font is None:
            if unicodedata.category(char) in ("Cf", "Mn", "Me"):
                continue  # invisible, or a mark whose base is drawn anyway
            font, char = FONT, REPLACEMENT
        if runs and runs[-1][0] == font:
            runs[-1][1].append(char)
        else:
            runs.append((font, [char]))
    return [(font, "".join(chars)) for font, chars in runs]


def shown(text: object) -> str:
    """The text as a document draws it (for the plain-text files and the tests)."""
    return "".join(chars for _font, chars in _runs(str(text) if text is not None else ""))


def markup(text: object) -> str:
    """Paragraph markup drawing ``text`` literally: escaped, line breaks kept, each
    character in a font that has it."""
    parts = []
    for font, chars in _runs(str(text) if text is not None else ""):
        body = escape(chars).replace("\n", "<br/>")
        parts.append(body if font == FONT else f'<font name="{font}">{body}</font>')
    return "".join(parts)


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """Plain text as a paragraph (see :func:`markup`)."""
    return Paragraph(markup(text), style)


def tanggal(day: date | datetime | None) -> str:
    """A date the Indonesian way: ``25 November 2026`` (moments in WIB)."""
    if day is None:
        return "-"
    if isinstance(day, datetime):
        day = day.astimezone(WIB).date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def waktu(moment: datetime | None) -> str:
    """A moment the Indonesian way: ``25 November 2026 pukul 09.30 WIB``."""
    if moment is None:
        return "-"
    local = moment.astimezone(WIB)
    return f"{tanggal(local)} pukul {local:%H.%M} WIB"


def page_footer(label: str, *, y: float = 8 * mm) -> Callable[[Any, Any], None]:
    """A page callback writing ``label — halaman N`` small at the foot of the page, so a
    document that flows onto further pages says on each which document and page it is."""
    text = f"{one_line(label)[:120]} — halaman "

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawCentredString(doc.pagesize[0] / 2, y, shown(text + str(doc.page)))
        canvas.restoreState()

    return draw


CHUNK = 700  # characters of a value per table row piece (a few lines)
LINES = 12  # and line breaks at most


def chunks(text: object, size: int = CHUNK) -> list[str]:
    """:func:`clean` text in pieces of about ``size`` characters and at most ``LINES``
    line breaks, cut at a line break, else after a sentence, else at a space, else
    anywhere (a word longer than a piece)."""
    value = clean(text)
    pieces: list[str] = []
    while len(value) > size or value.count("\n", 0, size) > LINES:
        many = -1
        for _ in range(LINES):  # after at most LINES line breaks: a piece fits a page
            many = value.find("\n", many + 1)
        cut = many if 0 < many < size else value.rfind("\n", size // 2, size)
        if cut < 0:  # else after a sentence: the piece's early line end reads as such
            cut = value.rfind(". ", size // 2, size - 1)
            cut = cut + 1 if cut >= 0 else -1
        if cut < 0:
            cut = value.rfind(" ", size // 2, size)
        if cut < 0:
            cut = size
        pieces.append(value[:cut].strip("\n"))
        value = value[cut:].lstrip(" \n")
    return [*pieces, value] if value or not pieces else pieces


def facts(
    rows: list[tuple[str, object]] | list[list[str]],
    label: ParagraphStyle,
    value: ParagraphStyle,
    widths: tuple[float, float],
    *,
    grid: bool = False,
    shade: bool = False,
) -> list[Flowable]:
    """A two-column table of labels and values as flowables that break across pages
    anywhere, with optional grid lines (drawn so the pieces of a value look like one
    cell) and a shaded label column."""
    line = (0.4, colors.HexColor("#777777"))
    out: list[Flowable] = []
    for name, text in rows:
        pieces = chunks("-" if text is None or clean(text) == "" else text)
        for i, piece in enumerate(pieces):
            cells = [[para(name, label) if i == 0 else "", para(piece, value)]]
            table = Table(cells, colWidths=list(widths), splitInRow=1)
            style: list[tuple[object, ...]] = [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2 if i == 0 else 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 if i == len(pieces) - 1 else 0),
            ]
            if shade:
                style.append(("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0")))
            if grid:
                style += [
                    ("LINEBEFORE", (0, 0), (-1, -1), *line),
                    ("LINEAFTER", (0, 0), (-1, -1), *line),
                ]
                if i == 0:
                    style.append(("LINEABOVE", (0, 0), (-1, 0), *line))
                if i == len(pieces) - 1:
                    style.append(("LINEBELOW", (0, -1), (-1, -1), *line))
            table.setStyle(TableStyle(style))
            out.append(table)
    return out

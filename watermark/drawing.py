"""What the stamp draws, and the other per-download objects: XMP packet and file ID.

The stamp is a Form XObject drawn in reader space (see ``geometry``): a semi-transparent
line of text across the visible area's diagonal, a footer at its bottom at a constant
size, and an invisible line carrying the download code for ``find_codes``. All of it is
real text in Helvetica, so it can be searched, extracted and survives re-distilling.
"""

from __future__ import annotations

import math

from .helvetica import text_width
from .mark import Mark, pdf_literal, win_ansi

__all__ = [
    "FONT_OBJECT",
    "GSTATE_OBJECT",
    "TEXT_MARKER",
    "file_id",
    "form_object",
    "stream_object",
    "xmp_object",
]

FONT_OBJECT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
# The diagonal is see-through: 20 % opaque ink over the page.
GSTATE_OBJECT = b"<< /Type /ExtGState /ca 0.2 /CA 0.2 >>"
# Precedes the code in the invisible text; ``find_codes`` looks for it (and for the
# footer's "Kode unduhan") so that code-like words of the publication are not reported.
TEXT_MARKER = "PSTWM"
XMP_NAMESPACE = "https://bengkulu.bps.go.id/ns/pst/1.0/"

FOOTER_SIZE = 7.0  # points, on every page whatever its size
_FOOTER_LEADING = 8.5
_FOOTER_BASELINE = 9.0  # last footer line, above the bottom of the visible area
_SIDE_MARGIN = 12.0
_DIAGONAL_SHARE = 0.7  # of the diagonal's length the line of text may use
_DIAGONAL_MAX = 48.0
_SEPARATOR = " · "


def _num(value: float) -> bytes:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return b"0" if text in ("-0", "") else text.encode()


def _nums(*values: float) -> bytes:
    return b" ".join(_num(v) for v in values)


def _footer_lines(mark: Mark, width: float) -> tuple[list[bytes], float]:
    """The footer's lines (WinAnsi) and their size, packed to fit ``width``."""
    who = f"Diunduh oleh {mark.name}" + (f" ({mark.email})" if mark.email else "")
    parts = [win_ansi(p) for p in (f"{who} pada {mark.when}", mark.office)]
    parts.append(win_ansi(f"Kode unduhan {mark.printed_code}"))
    parts = [p for p in parts if p]
    room = max(width - 2 * _SIDE_MARGIN, width * 0.9)
    joiner = _SEPARATOR.encode("cp1252")  # not win_ansi: that trims the spaces
    lines: list[bytes] = []
    for part in parts:
        joined = lines[-1] + joiner + part if lines else part
        if lines and text_width(joined, FOOTER_SIZE) <= room:
            lines[-1] = joined
        else:
            lines.append(part)
    widest = max(text_width(line, FOOTER_SIZE) for line in lines)
    # Smaller only on pages too narrow for the longest part (a name of 120 characters
    # on a label-sized page): everywhere else the footer keeps its size.
    return lines, FOOTER_SIZE * min(1.0, room / widest) if widest else FOOTER_SIZE


def form_content(mark: Mark, width: float, height: float) -> bytes:
    """The stamp's drawing for a visible area of ``width`` x ``height`` (reader space)."""
    out = [b"q"]
    diagonal = win_ansi(_SEPARATOR.join(p for p in (mark.name, mark.email, mark.when) if p))
    length = math.hypot(width, height)
    units = text_width(diagonal, 1.0)
    if units:
        size = min(_DIAGONAL_MAX, _DIAGONAL_SHARE * length / units)
        cos, sin = width / length, height / length
        # Start so that the line is centred on the page, baseline a third of the
        # size below the diagonal (that centres the capitals on it).
        half, drop = units * size / 2, size * 0.35
        x = width / 2 - half * cos + drop * sin
        y = height / 2 - half * sin - drop * cos
        out += [
            b"/PSTG gs 0.55 0.05 0.05 rg",
            b"BT /PSTF " + _num(size) + b" Tf " + _nums(cos, sin, -sin, cos, x, y) + b" Tm",
            pdf_literal(diagonal) + b" Tj ET",
        ]
    out += [b"Q q 0.2 0.2 0.2 rg"]
    lines, size = _footer_lines(mark, width)
    for row, line in enumerate(lines):
        x = max(0.0, (width - text_width(line, size)) / 2)
        y = _FOOTER_BASELINE + (len(lines) - 1 - row) * _FOOTER_LEADING * size / FOOTER_SIZE
        out.append(b"BT /PSTF " + _num(size) + b" Tf " + _nums(x, y) + b" Td ")
        out.append(pdf_literal(line) + b" Tj ET")
    # Render mode 3: drawn nowhere, extracted by every text tool.
    marker = f"{TEXT_MARKER} {mark.code}".encode()
    out.append(b"BT 3 Tr /PSTF 4 Tf " + _nums(2, max(0.0, height - 6)) + b" Td ")
    out.append(pdf_literal(marker) + b" Tj ET Q")
    return b"\n".join(out) + b"\n"


def stream_object(num: int, extra: bytes, data: bytes) -> bytes:
    """``num 0 obj`` holding a stream of ``data`` (``extra``: more dictionary entries)."""
    entries = extra + b" " if extra else b""
    head = b"%d 0 obj\n<< %s/Length %d >>\nstream\n" % (num, entries, len(data))
    return head + data + b"\nendstream\nendobj\n"


def form_object(
    num: int,
    mark: Mark,
    width: float,
    height: float,
    matrix: tuple[float, float, float, float, float, float],
    font: int,
    gstate: int,
) -> bytes:
    """The stamp's Form XObject for one placement, as object ``num``."""
    extra = b"/Type /XObject /Subtype /Form /BBox [%s] /Matrix [%s] " % (
        _nums(0, 0, width, height),
        _nums(*matrix),
    )
    extra += b"/Resources << /Font << /PSTF %d 0 R >> /ExtGState << /PSTG %d 0 R >> >>" % (
        font,
        gstate,
    )
    return stream_object(num, extra, form_content(mark, width, height))


def xmp_object(num: int, mark: Mark) -> bytes:
    """An XMP packet carrying the download code (and only it: no personal data)."""
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'<rdf:Description rdf:about="" xmlns:pst="{XMP_NAMESPACE}">\n'
        f"<pst:DownloadCode>{mark.code}</pst:DownloadCode>\n"
        "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    ).encode()
    return stream_object(num, b"/Type /Metadata /Subtype /XML", packet)


def file_id(mark: Mark) -> bytes:
    """The trailer's ``/ID``: 16 bytes, ``PSTWM:`` and the code (readers keep /ID[0])."""
    return f"{TEXT_MARKER}:{mark.code}".encode()

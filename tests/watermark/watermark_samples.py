"""Hand-written PDFs for the watermark tests, one page per shape the stamp must handle.

Written byte by byte (classic xref, one revision) so that every shape reaches the fast
path as it is: pypdf would flatten inherited attributes on the way. Each page draws
``Seite N`` so that a test can tell the pages apart. Imported as
``watermark_samples`` (this folder is on sys.path for its tests).
"""

from __future__ import annotations

import os
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

CORPUS = Path(
    os.environ.get("PST_SHARED_CORPUS") or Path(__file__).resolve().parents[3] / "shared" / "corpus"
)
REFERENCE = CORPUS / "reference"
REAL = CORPUS / "real"
HOSTILE = CORPUS / "pdf"


def build_pdf(bodies: list[bytes], trailer: bytes = b"", header: bytes = b"%PDF-1.4") -> bytes:
    """Objects 1..n from their bodies, a classic xref table, a trailer (/Root 1 0 R)."""
    out = bytearray(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (num, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def stream(data: bytes, compress: bool = True) -> bytes:
    """A stream object's body (Flate-compressed unless told otherwise)."""
    if compress:
        data = zlib.compress(data)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def label(number: int, x: float = 100, y: float = 100) -> bytes:
    return b"BT /F1 14 Tf %g %g Td (Seite %d) Tj ET\n" % (x, y, number)


@dataclass
class Doc:
    """A PDF under construction: catalog 1, root Pages 2, font 3, then whatever is added."""

    bodies: list[bytes] = field(
        default_factory=lambda: [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"",  # the root Pages node, written by ``build``
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    kids: list[int] = field(default_factory=list)
    root_extra: bytes = b""

    def add(self, body: bytes) -> int:
        self.bodies.append(body)
        return len(self.bodies)

    def reserve(self) -> int:
        return self.add(b"")

    def set(self, num: int, body: bytes) -> None:
        self.bodies[num - 1] = body

    def page(self, extra: bytes, parent: int = 2, kid: bool = True) -> int:
        num = self.add(b"<< /Type /Page /Parent %d 0 R %s >>" % (parent, extra))
        if kid:
            self.kids.append(num)
        return num

    def build(self, count: int | None = None) -> bytes:
        kids = b" ".join(b"%d 0 R" % k for k in self.kids)
        self.set(
            2,
            b"<< /Type /Pages /Kids [%s] /Count %d %s >>"
            % (kids, count if count is not None else len(self.kids), self.root_extra),
        )
        return build_pdf(self.bodies)


FONT_RES = b"/Resources << /Font << /F1 3 0 R >> >>"


@dataclass(frozen=True)
class Shape:
    """What a sample page should look like to the reader."""

    number: int
    what: str
    width: float  # of the visible area as displayed
    height: float


def shapes_pdf() -> tuple[bytes, list[Shape]]:
    """One page per shape, and what each should look like."""
    doc = Doc()
    shapes: list[Shape] = []

    def simple(n: int, what: str, box: bytes, w: float, h: float, content: bytes = b"") -> None:
        contents = doc.add(stream(content or label(n, 200, 300)))
        doc.page(b"%s %s /Contents %d 0 R" % (box, FONT_RES, contents))
        shapes.append(Shape(n, what, w, h))

    simple(1, "portrait", b"/MediaBox [0 0 595 842]", 595, 842)
    simple(
        2,
        "rotate 90, offset boxes",
        b"/MediaBox [100 200 712 992] /CropBox [150 250 662 942] /Rotate 90",
        692,
        512,
        label(2, 250, 400),
    )
    simple(
        3,
        "rotate 180, negative origin",
        b"/MediaBox [-300 -400 295 442] /Rotate 180",
        595,
        842,
        label(3, -100, 0),
    )
    simple(
        4,
        "rotate 270, crop offset",
        b"/MediaBox [0 0 595 842] /CropBox [40 60 555 800] /Rotate 270",
        740,
        515,
    )
    simple(5, "landscape", b"/MediaBox [0 0 842 595]", 842, 595)
    simple(6, "rotate -90 (is 270)", b"/MediaBox [0 0 595 842] /Rotate -90", 842, 595)
    simple(7, "rotate 450 (is 90)", b"/MediaBox [0 0 595 842] /Rotate 450", 842, 595)
    # Inherited MediaBox, Rotate and Resources from an intermediate Pages node.
    node = doc.reserve()
    contents = doc.add(stream(label(8, 100, 100)))
    inner = doc.page(b"/Contents %d 0 R" % contents, parent=node, kid=False)
    doc.set(
        node,
        b"<< /Type /Pages /Parent 2 0 R /Kids [%d 0 R] /Count 1 "
        b"/MediaBox [0 0 842 595] /Rotate 90 %s >>" % (inner, FONT_RES),
    )
    doc.kids.append(node)
    shapes.append(Shape(8, "inherited MediaBox, Rotate 90, Resources", 595, 842))
    # Unbalanced content: a scaled and clipped state left open...
    simple(
        9,
        "unclosed q with cm and clip",
        b"/MediaBox [0 0 595 842]",
        595,
        842,
        label(9) + b"q 0.1 0 0 0.1 300 300 cm 0 0 50 50 re W n q 1 0 0 1 5 5 cm\n",
    )
    # ... more Q than q after a transformation ...
    simple(
        10,
        "extra Q",
        b"/MediaBox [0 0 595 842]",
        595,
        842,
        b"q " + label(10) + b"Q Q Q 3 0 0 3 0 0 cm\n",
    )
    # ... and a text object never closed.
    simple(
        11,
        "unclosed BT",
        b"/MediaBox [0 0 595 842]",
        595,
        842,
        b"q 2 0 0 2 0 0 cm BT /F1 14 Tf 50 50 Td (Seite 11) Tj\n",
    )
    # A content array whose q/Q balance spans streams, and a content array by reference.
    first = doc.add(stream(b"q 0.5 0 0 0.5 0 0 cm\n"))
    second = doc.add(stream(label(12, 200, 400), compress=False))
    doc.page(b"/MediaBox [0 0 595 842] %s /Contents [%d 0 R %d 0 R]" % (FONT_RES, first, second))
    shapes.append(Shape(12, "content array, unbalanced across streams", 595, 842))
    array = doc.add(b"[%d 0 R]" % doc.add(stream(label(13))))
    doc.page(b"/MediaBox [0 0 595 842] %s /Contents %d 0 R" % (FONT_RES, array))
    shapes.append(Shape(13, "content array by reference", 595, 842))
    # Two pages sharing one content stream and one indirect resources dictionary
    # (with an indirect /XObject dictionary) but shaped differently.
    image = doc.add(
        b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream"
    )
    xobjects = doc.add(b"<< /Im0 %d 0 R >>" % image)
    shared_res = doc.add(b"<< /Font << /F1 3 0 R >> /XObject %d 0 R >>" % xobjects)
    shared = doc.add(stream(b"q 50 0 0 50 300 500 cm /Im0 Do Q " + label(0)))
    doc.page(b"/MediaBox [0 0 595 842] /Resources %d 0 R /Contents %d 0 R" % (shared_res, shared))
    doc.page(b"/MediaBox [0 0 842 595] /Resources %d 0 R /Contents %d 0 R" % (shared_res, shared))
    shapes.append(Shape(14, "shared content and indirect resources", 595, 842))
    shapes.append(Shape(15, "shared content and indirect resources, landscape", 842, 595))
    # A blank page: no resources, no contents.
    doc.page(b"/MediaBox [0 0 300 300]")
    shapes.append(Shape(16, "blank, no resources, no contents", 300, 300))
    return doc.build(), shapes


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# The mark the tests stamp with (shared by the fixtures and the tests).
NAME = "Siti Rahmawati"
EMAIL = "siti.rahmawati@example.co.id"
CODE = "7K2M9QX4TA"  # a valid code (its check symbol is A)
ISSUED = datetime(2026, 11, 25, 7, 3, tzinfo=UTC)  # 14:03 WIB


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return self.x1 - self.x0 > self.y1 - self.y0

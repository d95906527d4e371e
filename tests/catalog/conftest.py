"""Fixtures for the sanitiser tests: small PDFs built on the fly, and the shared corpus.

The well-formed PDFs come from reportlab (real text, real bookmarks), the hostile
ones from pypdf (scripts, attachments, encryption) or are written byte by byte
(bombs, loops) where no library would produce them.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

SHARED = Path(__file__).resolve().parents[3] / "shared"
CORPUS = SHARED / "corpus"

# A word that appears on exactly one page each, to check text lands on the right page.
PAGE_WORDS = ("alpha", "bravo", "charlie")
OUTLINE = (("Bab 1 Pendahuluan", 1, 0), ("Bagian 1.1 Metode", 2, 1), ("Bab 2 Hasil", 3, 0))
INFO = {"Title": "Statistik Daerah Bengkulu", "Author": "BPS Provinsi Bengkulu"}


def build_publication(path: Path, pages: int = 3) -> Path:
    """A small publication: one known word per page, three bookmarks, a docinfo title."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle(INFO["Title"])
    pdf.setAuthor(INFO["Author"])
    pdf.setSubject("Publikasi uji")
    for number in range(1, pages + 1):
        word = PAGE_WORDS[(number - 1) % len(PAGE_WORDS)]
        pdf.setFont("Helvetica", 14)
        pdf.drawString(72, 760, f"Halaman {number} kata {word}")
        pdf.rect(72, 400, 300, 200, fill=1)
        pdf.bookmarkPage(f"p{number}")
        for title, page, level in OUTLINE:
            if page == number:
                pdf.addOutlineEntry(title, f"p{number}", level=level)
        pdf.showPage()
    pdf.save()
    return path


def add_active_content(src: Path, dst: Path) -> Path:
    """``src`` plus every kind of active content the sanitiser must remove, and one URI link."""
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.add_attachment("invoice.exe", b"MZ\x90\x00 not really a program")
    js = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1;")}
    )
    # A document-level script in the /Names tree (what pypdf's deprecated add_js made).
    names = writer._root_object["/Names"]
    names[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hello"), writer._add_object(js)])}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(js)
    writer._root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): js})
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js})

    def annotation(subtype: str, action: DictionaryObject | None) -> DictionaryObject:
        annot = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject(subtype),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 72, 144, 96)]),
            }
        )
        if action is not None:
            annot[NameObject("/A")] = action
        return annot

    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    uri = DictionaryObject(
        {
            NameObject("/S"): NameObject("/URI"),
            NameObject("/URI"): TextStringObject("https://bengkulu.bps.go.id/"),
        }
    )
    annots = [
        annotation("/Link", launch),
        annotation("/Link", uri),
        annotation("/FileAttachment", None),
    ]
    page[NameObject("/Annots")] = ArrayObject(writer._add_object(a) for a in annots)
    with dst.open("wb") as fh:
        writer.write(fh)
    return dst


def encrypt(src: Path, dst: Path, user_password: str, owner_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(src))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    with dst.open("wb") as fh:
        writer.write(fh)
    return dst


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from object bodies (object 1 is the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)} {extra} >>\nstream\n".encode() + data + b"\nendstream"


def deflated_zeros(size: int) -> bytes:
    """``size`` zero bytes, deflated, built 1 MiB at a time (a bomb costs no memory here)."""
    packer = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    parts = [packer.compress(chunk) for _ in range(size >> 20)]
    parts.append(packer.flush())
    return b"".join(parts)


def one_page(contents: bytes, resources: str = "<< >>") -> list[bytes]:
    """Catalog, pages, page and its content stream (objects 1-4)."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        f"/Resources {resources} >>".encode(),
        contents,
    ]


@pytest.fixture
def work_dir(tmp_path: Path) -> Path:
    return tmp_path / "work"


@pytest.fixture(scope="session")
def pub_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_publication(tmp_path_factory.mktemp("pdf") / "publication.pdf")


@pytest.fixture(scope="session")
def hostile_pdf(tmp_path_factory: pytest.TempPathFactory, pub_pdf: Path) -> Path:
    return add_active_content(pub_pdf, tmp_path_factory.mktemp("pdf") / "hostile.pdf")


@pytest.fixture
def encrypted_pdf(tmp_path: Path, pub_pdf: Path) -> Callable[[str, str], Path]:
    def make(user_password: str, owner_password: str) -> Path:
        return encrypt(pub_pdf, tmp_path / "encrypted.pdf", user_password, owner_password)

    return make


@pytest.fixture(scope="session")
def flate_bomb_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page whose 200 kB content stream inflates to 200 MB."""
    contents = stream(deflated_zeros(200 << 20), "/Filter /FlateDecode")
    path = tmp_path_factory.mktemp("pdf") / "flate-bomb.pdf"
    path.write_bytes(raw_pdf(one_page(contents)))
    return path


@pytest.fixture(scope="session")
def image_bomb_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A page drawing a 20000x20000 8-bit image (400 MB decoded) stored in 400 kB."""
    image = stream(
        deflated_zeros(20000 * 20000),
        "/Type /XObject /Subtype /Image /Width 20000 /Height 20000 "
        "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
    )
    objects = one_page(
        stream(b"q 500 0 0 500 40 40 cm /Im0 Do Q"), "<< /XObject << /Im0 5 0 R >> >>"
    )
    path = tmp_path_factory.mktemp("pdf") / "image-bomb.pdf"
    path.write_bytes(raw_pdf([*objects, image]))
    return path


@pytest.fixture(scope="session")
def outline_loop_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One page whose two bookmarks point at each other through /Next."""
    objects = one_page(stream(b"BT /F1 12 Tf 72 720 Td (loop) Tj ET"))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /Outlines 5 0 R >>"
    objects += [
        b"<< /Type /Outlines /First 6 0 R /Last 7 0 R /Count 2 >>",
        b"<< /Title (A) /Parent 5 0 R /Next 7 0 R /Dest [3 0 R /Fit] >>",
        b"<< /Title (B) /Parent 5 0 R /Next 6 0 R /Prev 6 0 R /Dest [3 0 R /Fit] >>",
    ]
    path = tmp_path_factory.mktemp("pdf") / "outline-loop.pdf"
    path.write_bytes(raw_pdf(objects))
    return path


@pytest.fixture
def make_raw_pdf() -> Callable[[list[bytes]], bytes]:
    return raw_pdf

"""The document kit (app/documents.py): every part renders whatever a form accepts —
odd Unicode, markup characters, 5,000 characters with no space — and long text goes
on to a second page instead of failing the document."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from odd_text import PROPERTY, Timer, head_of, longest, odd_text, read_pdf
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from app import documents as kit
from app import pdf


def _styles() -> dict[str, ParagraphStyle]:
    kit.register_fonts()
    body = ParagraphStyle("body", fontName=pdf.FONT, fontSize=10, leading=13.5)
    return {"body": body, "kop": ParagraphStyle("kop", parent=body, fontName=pdf.FONT_BOLD)}


def _letter(head: str, text: str, url: str) -> bytes:
    st = _styles()
    story = [
        *kit.letterhead([("BADAN PUSAT STATISTIK", st["kop"]), (head, st["body"])]),
        kit.para(f"Bengkulu, {kit.tanggal(date(2026, 3, 1))}", st["body"]),
        *kit.flowing(text, st["body"]),
        kit.qr_drawing(url, 26 * mm),
        kit.para(f"Jumlah {kit.rupiah(1_250_000)} ({kit.terbilang(1_250_000)})", st["body"]),
    ]
    return kit.render(story, title=head, author="BPS", footer=head, lang="id", invariant=True)


def test_money_and_dates_the_indonesian_way() -> None:
    assert kit.rupiah(0) == "Rp0"
    assert kit.rupiah(1_250_000) == "Rp1.250.000"
    assert kit.terbilang(2_012_500) == "dua juta dua belas ribu lima ratus"
    assert kit.terbilang(-5) == "minus lima"
    assert kit.tanggal(date(2026, 8, 17)) == "17 Agustus 2026"
    assert len(kit.MONTHS) == 12


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_every_amount_reads_in_words(n: int) -> None:
    words = kit.terbilang(n)
    assert words and words == " ".join(words.split())  # no double or stray spaces
    assert kit.rupiah(n).replace("Rp", "").replace(".", "") == str(n)


def test_a_letter_with_every_part_renders_and_is_reproducible() -> None:
    first = _letter("Kantor A", "Isi surat singkat.", "https://pst.example/v?c=ABC")
    assert first == _letter("Kantor A", "Isi surat singkat.", "https://pst.example/v?c=ABC")
    pages, text = read_pdf(first)
    assert pages == 1
    assert "BADANPUSATSTATISTIK" in text and "1Maret2026" in text and "Rp1.250.000" in text


def test_long_text_flows_to_a_second_page() -> None:
    for kind in ("words", "word", "lines", "cjk", "markup"):
        value = longest(5000, kind) * 2  # two fields' worth: more than one page
        with Timer(30):
            pages, text = read_pdf(_letter("Kantor", value, "https://pst.example/v"))
        assert pages >= 2, kind
        assert head_of(value) in text
        assert "halaman2" in text  # the footer names the later page


@PROPERTY
@given(head=odd_text(200), body=odd_text(5000), url=st.text(min_size=1, max_size=300))
def test_any_typed_text_renders(head: str, body: str, url: str) -> None:
    with Timer(30):
        pages, text = read_pdf(_letter(head, body, url))
    assert pages >= 1
    assert head_of(body) in text


def test_a_qr_code_has_the_size_asked_for() -> None:
    drawing = kit.qr_drawing("https://pst.example/" + "x" * 500, 30 * mm)
    assert isinstance(drawing, Drawing)
    assert (drawing.width, drawing.height) == (30 * mm, 30 * mm)


@pytest.mark.parametrize("url", ["https://pst.example/t/A1", "https://pst.example/" + "x" * 380])
def test_a_qr_code_draws_exactly_its_modules(url: str) -> None:
    """Rasterised, the drawing is dark at the centre of every dark module and light at
    every light one (the quiet zone included), row 0 at the top."""
    import pypdfium2 as pdfium
    from reportlab.graphics import renderPDF

    size = 60 * mm
    modules = kit.qr_modules(url)
    count = len(modules) + 2 * kit.QR_BORDER
    pdf_bytes = renderPDF.drawToString(kit.qr_drawing(url, size))
    scale = count * 6 / size  # six pixels per module
    image = pdfium.PdfDocument(pdf_bytes)[0].render(scale=scale).to_pil().convert("L")
    cell = image.width / count
    for r in range(count):
        for c in range(count):
            inside = (
                kit.QR_BORDER <= r < count - kit.QR_BORDER
                and kit.QR_BORDER <= c < count - kit.QR_BORDER
            )
            dark = inside and modules[r - kit.QR_BORDER][c - kit.QR_BORDER]
            pixel = image.getpixel((int((c + 0.5) * cell), int((r + 0.5) * cell)))
            assert (pixel < 128) == dark, (r, c, pixel)


def test_the_qr_modules_are_reportlabs_own() -> None:
    """The same code reportlab's QR widget draws (same encoder, level M)."""
    from reportlab.graphics.barcode.qr import QrCodeWidget

    widget = QrCodeWidget("https://pst.example/t/A1", barLevel="M")
    widget.qr.make()
    assert kit.qr_modules("https://pst.example/t/A1") == [
        [bool(m) for m in row] for row in widget.qr.modules
    ]

"""The documents' shared text handling (app.pdf): what any typed value becomes before
reportlab sees it (issue 15, item 4)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from odd_text import PROPERTY, odd_text, squeeze
from reportlab.platypus.paraparser import ParaParser

from app import pdf


def test_markup_is_escaped_and_control_characters_dropped():
    assert pdf.markup("<b>a & b</b>") == "&lt;b&gt;a &amp; b&lt;/b&gt;"
    assert pdf.markup("a\x00b\x1b\x7fc") == "abc"
    assert pdf.markup("a\r\nb\n\n\n\n\nc") == "a<br/>b<br/><br/>c"
    assert pdf.clean("x\ud800y") == "xy"  # a lone surrogate (JSON can carry one)
    assert pdf.markup("\u4e2d") == f'<font name="{pdf.CJK_FONT}">\u4e2d</font>'
    assert pdf.shown("\u0e44") == pdf.REPLACEMENT  # Thai: no font has it, shown as such
    assert pdf.tanggal(None) == "-"


@PROPERTY
@given(text=odd_text(5000))
def test_any_text_parses_as_paragraph_markup(text):
    style = pdf.ParagraphStyle("t", fontName=pdf.FONT)
    pdf.register_fonts()
    parser = ParaParser()
    _style, fragments, _bullets = parser.parse(pdf.markup(text), style)
    assert fragments is not None, parser.errors


@PROPERTY
@given(text=odd_text(5000), size=st.integers(min_value=20, max_value=900))
def test_pieces_hold_the_whole_text_and_fit_a_page(text, size):
    pieces = pdf.chunks(text, size)
    assert squeeze("".join(pieces)) == squeeze(pdf.clean(text))
    for piece in pieces:
        assert len(piece) <= size and piece.count("\n") <= pdf.LINES


def test_plain_text_lines_wrap_under_their_indentation():
    text = pdf.wrap_lines("    Variabel: " + "kata " * 40 + "W" * 100, 40)
    lines = text.split("\n")
    assert all(len(line) <= 40 for line in lines)
    assert lines[0].startswith("    Variabel:") and lines[1].startswith("      ")
    assert squeeze(text) == squeeze("Variabel:" + "kata" * 40 + "W" * 100)

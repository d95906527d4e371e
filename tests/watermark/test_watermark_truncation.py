"""The output is a full rewrite: no cut of it at an earlier ``%%EOF`` gives back a readable
document with an unstamped page, and no unstamped page object is left in it, not even
one outside the page tree."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from watermark_samples import Doc, label, stream, write

from watermark import Mark, analyse, stamp_pdf

EOF_IN_IMAGE = b"\x00\x01%%EOF\n\x02" * 4


def awkward_master() -> tuple[bytes, int]:
    """A master with ``%%EOF`` inside stream data (a content comment and image bytes),
    and a page object left outside the page tree; returns it and that page's number."""
    doc = Doc()
    resources = b"/Resources << /Font << /F1 3 0 R >> /XObject << /Im0 %d 0 R >> >>"
    image = doc.add(
        b"<< /Type /XObject /Subtype /Image /Width %d /Height 1 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream"
        % (len(EOF_IN_IMAGE), len(EOF_IN_IMAGE), EOF_IN_IMAGE)
    )
    for number in (1, 2, 3):
        body = label(number) + b"% an unlucky comment: %%EOF\nq 40 0 0 40 300 300 cm /Im0 Do Q\n"
        contents = doc.add(stream(body, compress=False))
        doc.page(b"/MediaBox [0 0 595 842] %s /Contents %d 0 R" % (resources % image, contents))
    orphan_contents = doc.add(stream(label(99), compress=False))
    orphan = doc.page(
        b"/MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R"
        % orphan_contents,
        kid=False,
    )
    return doc.build(), orphan


def updated(data: bytes, num: int, body: bytes) -> bytes:
    """``data`` plus an incremental update that replaces object ``num`` by ``body``."""
    prev = int(data[data.rindex(b"startxref") :].split()[1])
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    offset = len(data)
    out = data + b"%d 0 obj\n%s\nendobj\n" % (num, body)
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (num, offset)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size,
        prev,
        xref,
    )
    return out


def readable_pages(data: bytes) -> list[str] | None:
    """The text of each page pypdf (lenient) can read from ``data``, None if none."""
    try:
        pages = list(PdfReader(io.BytesIO(data), strict=False).pages)
    except Exception:
        return None
    texts = []
    for page in pages:
        try:
            texts.append(page.extract_text())
        except Exception:  # a page cut off in the middle: unreadable, so not a leak
            texts.append("7K2M9-QX4TA")
    return texts or None


def qpdf_pages(data: bytes, tmp_path: Path) -> list[str] | None:
    """The text of each page once qpdf has reconstructed ``data``, None if it cannot."""
    cut, fixed = write(tmp_path / "cut.pdf", data), tmp_path / "fixed.pdf"
    fixed.unlink(missing_ok=True)
    done = subprocess.run(["qpdf", str(cut), str(fixed)], capture_output=True)
    if done.returncode not in (0, 3) or not fixed.exists():
        return None
    text = subprocess.run(["pdftotext", "-q", str(fixed), "-"], capture_output=True, text=True)
    return [t for t in text.stdout.split("\f")[:-1] if t.strip()] or None


def cuts(data: bytes) -> list[bytes]:
    """``data`` cut after each ``%%EOF`` but the last."""
    return [data[: m.end()] + b"\n" for m in re.finditer(rb"%%EOF", data)][:-1]


def test_no_cut_at_an_earlier_eof_reads_as_an_unstamped_document(
    tmp_path: Path, mark: Mark
) -> None:
    data, _ = awkward_master()
    # A second revision changes page 1: the master now holds two readable documents...
    master_data = updated(data, 5, stream(label(1) + b"(REVISI 2) Tj\n", compress=False))
    master = write(tmp_path / "master.pdf", master_data)
    unstamped = [readable_pages(cut) for cut in cuts(master_data)]
    assert any(pages and "Seite 1" in pages[0] for pages in unstamped)  # the test bites
    out = tmp_path / "out.pdf"
    result = stamp_pdf(master, out, mark)
    assert (result.path, result.pages) == ("fallback", 3)
    stamped = out.read_bytes()
    assert len(cuts(stamped)) >= 4  # the content comments and the image: cut points remain
    for prefix in cuts(stamped):
        for pages in (readable_pages(prefix), qpdf_pages(prefix, tmp_path)):
            for text in pages or []:
                assert "7K2M9-QX4TA" in text


@pytest.fixture
def stamped(tmp_path: Path, mark: Mark) -> tuple[Path, int]:
    data, orphan = awkward_master()
    master = write(tmp_path / "master.pdf", data)
    plan = analyse(master)
    assert plan.orphan_pages == 1
    out = tmp_path / "out.pdf"
    assert stamp_pdf(master, out, mark, plan=plan).path == "fast"
    return out, orphan


def test_pages_outside_the_tree_are_stamped_too(stamped: tuple[Path, int]) -> None:
    out, orphan = stamped
    reader = PdfReader(out)
    page_objects = [
        int(m.group(1))
        for m in re.finditer(rb"(\d+) 0 obj\n<< /Type /Page /Parent", out.read_bytes())
    ]
    assert orphan in page_objects and len(page_objects) == 4
    for num in page_objects:
        contents = reader.get_object(num)["/Contents"]
        head, tail = contents[0].get_object(), contents[-1].get_object()
        assert head.get_data() == b"q\n"
        assert re.search(rb"/PSTwm\d+ Do", tail.get_data()), num

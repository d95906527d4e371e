"""Reading the download code back from a leaked file, after the rewrites it may have gone
through: qpdf (plain and with object streams), pypdf, and Ghostscript's pdfwrite."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from watermark_samples import CODE, Doc, label, shapes_pdf, stream, write

from watermark import Mark, find_codes, new_code, scan_codes, stamp_pdf


@pytest.fixture(scope="module")
def leaked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("leak")
    data, _ = shapes_pdf()
    mark = Mark("Siti Rahmawati", "siti@example.co.id", datetime.now(UTC), CODE)
    stamp_pdf(write(root / "master.pdf", data), root / "stamped.pdf", mark)
    return root / "stamped.pdf"


def qpdf(src: Path, dst: Path) -> None:
    subprocess.run(["qpdf", str(src), str(dst)], check=True)


def qpdf_object_streams(src: Path, dst: Path) -> None:
    subprocess.run(["qpdf", "--object-streams=generate", str(src), str(dst)], check=True)


def pypdf_clone(src: Path, dst: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(src))
    with dst.open("wb") as fh:
        writer.write(fh)


def ghostscript(src: Path, dst: Path) -> None:
    if shutil.which("gs") is None:
        pytest.skip("Ghostscript is not installed")
    subprocess.run(
        ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
         f"-sOutputFile={dst}", str(src)],
        check=True,
        capture_output=True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("rewrite", "channels"),
    [
        (qpdf, {"id", "xmp", "text"}),
        (qpdf_object_streams, {"id", "xmp", "text"}),
        (pypdf_clone, {"id", "xmp", "text"}),
        (ghostscript, {"text"}),  # pdfwrite drops /ID and the XMP; the text survives
    ],
    ids=["qpdf", "qpdf-object-streams", "pypdf", "ghostscript"],
)
def test_the_code_survives_rewriting(
    rewrite: Callable[[Path, Path], None],
    channels: set[str],
    leaked: Path,
    tmp_path: Path,
    texts: Callable[[Path], list[str]],
) -> None:
    out = tmp_path / "rewritten.pdf"
    rewrite(leaked, out)
    found = scan_codes(out)
    assert {name for name, codes in found.items() if codes == [CODE]} == channels, found
    assert find_codes(out) == [CODE]
    assert all("7K2M9-QX4TA" in t for t in texts(out))  # the visible footer, every page


def test_a_file_of_two_downloads_names_both(leaked: Path, tmp_path: Path) -> None:
    other_code = new_code()
    data, _ = shapes_pdf()
    other = tmp_path / "other.pdf"
    mark = Mark("Budi", "budi@example.com", datetime.now(UTC), other_code)
    stamp_pdf(write(tmp_path / "m.pdf", data), other, mark)
    writer = PdfWriter()
    for src in (leaked, other):
        writer.append(PdfReader(src), pages=(0, 2))
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as fh:
        writer.write(fh)
    assert set(find_codes(mixed)) == {CODE, other_code}


def test_code_like_words_of_a_publication_are_not_reported(tmp_path: Path) -> None:
    doc = Doc()
    words = (
        b"BT /F1 10 Tf 50 700 Td (Kode unduhan 7K2M9-QX4TB) Tj ET "  # wrong check symbol
        b"BT /F1 10 Tf 50 650 Td (Nomor katalog 7K2M9QX4TA) Tj ET "  # valid, but no marker
        b"BT /F1 10 Tf 50 600 Td (PSTWM ABCDEFGHIJ) Tj ET "
    )
    contents = doc.add(stream(label(1) + words))
    doc.page(b"/MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
             b"/Contents %d 0 R" % contents)  # fmt: skip
    plain = write(tmp_path / "plain.pdf", doc.build())
    assert find_codes(plain) == []
    assert scan_codes(plain) == {"id": [], "xmp": [], "text": []}

"""The fallback and what sends a master to it: masters the fast path cannot use, plans
that do not match, masters changed under their plan; and bad input, which raises the
package's errors. None of it may produce a broken file."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from watermark_samples import CODE, NAME, Doc, build_pdf, label, shapes_pdf, stream, write

from watermark import (
    EncryptedPdfError,
    Mark,
    NotAPdfError,
    Plan,
    PlanError,
    StaleMasterError,
    UnreadablePdfError,
    Unsupported,
    WatermarkError,
    analyse,
    fallback_count,
    find_codes,
    stamp_chunks,
    stamp_pdf,
    stats,
)


def stamped_everywhere(path: Path, texts: Callable[[Path], list[str]], pages: int) -> None:
    found = texts(path)
    assert len(found) == pages
    assert all(NAME in " ".join(t.split()) and "7K2M9-QX4TA" in t for t in found)


@pytest.fixture
def small_master(tmp_path: Path, reference_masters: dict[str, Path]) -> Path:
    return reference_masters["50p"]


def test_a_master_with_object_streams_falls_back_counted_and_correct(
    small_master: Path,
    tmp_path: Path,
    mark: Mark,
    texts: Callable[[Path], list[str]],
    check: Callable[[Path], None],
) -> None:
    packed = tmp_path / "packed.pdf"
    subprocess.run(
        ["qpdf", "--object-streams=generate", str(small_master), str(packed)], check=True
    )
    with pytest.raises(Unsupported, match="xref stream"):
        analyse(packed)
    out = tmp_path / "out.pdf"
    result = stamp_pdf(packed, out, mark)
    assert result.path == "fallback"
    assert result.reason is not None and "xref stream" in result.reason
    assert fallback_count() == 1
    assert stats().reasons == {result.reason: 1}
    check(out)
    stamped_everywhere(out, texts, 50)


def test_an_incrementally_updated_master_falls_back_and_keeps_no_old_revision(
    tmp_path: Path, mark: Mark, texts: Callable[[Path], list[str]], check: Callable[[Path], None]
) -> None:
    doc = Doc()
    contents = doc.add(stream(label(1, 100, 700) + b"BT /F1 14 Tf 100 600 Td (ALTERTEXT) Tj ET"))
    page = doc.page(
        b"/MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
        b"/Contents %d 0 R" % contents
    )
    first = doc.build()
    # Revision 2 replaces the page's content: the old text must vanish from the output.
    new_content = label(1, 100, 700) + b"BT /F1 14 Tf 100 600 Td (NEUTEXT) Tj ET"
    xref_at = first.rindex(b"startxref")
    prev = int(first[xref_at:].split()[1])
    update = bytearray(first)
    offset = len(update)
    update += b"%d 0 obj\n%s\nendobj\n" % (contents, stream(new_content))
    xref = len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (contents, offset)
    update += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        page + 1,
        prev,
        xref,
    )
    master = write(tmp_path / "updated.pdf", bytes(update))
    out = tmp_path / "out.pdf"
    result = stamp_pdf(master, out, mark)
    assert (result.path, result.reason) == ("fallback", "incremental update (/Prev)")
    check(out)
    data = out.read_bytes()
    assert data.count(b"%%EOF") == 1
    assert b"ALTERTEXT" not in data
    (text,) = texts(out)
    assert "NEUTEXT" in text and NAME in text


def test_a_plan_for_another_master_falls_back(
    reference_masters: dict[str, Path],
    tmp_path: Path,
    mark: Mark,
    texts: Callable[[Path], list[str]],
    check: Callable[[Path], None],
) -> None:
    data, shapes = shapes_pdf()
    other = write(tmp_path / "shapes.pdf", data)
    plan = analyse(reference_masters["50p"])
    out = tmp_path / "out.pdf"
    result = stamp_pdf(other, out, mark, plan=plan)
    assert (result.path, result.reason) == ("fallback", "the plan does not match the master")
    assert result.pages == len(shapes)
    check(out)
    stamped_everywhere(out, texts, len(shapes))


def test_a_known_digest_that_differs_from_the_plans_falls_back(
    small_master: Path, tmp_path: Path, mark: Mark
) -> None:
    plan = analyse(small_master)
    assert plan.fingerprint.size == small_master.stat().st_size
    result = stamp_pdf(small_master, tmp_path / "a.pdf", mark, plan=plan, master_sha256="0" * 64)
    assert result.path == "fallback"
    ok = stamp_pdf(
        small_master, tmp_path / "b.pdf", mark, plan=plan, master_sha256=plan.fingerprint.sha256
    )
    assert ok.path == "fast"


def changed_in_the_middle(master: Path, dst: Path) -> Path:
    """The master with one page object's bytes altered, same size, same head and tail."""
    data = bytearray(master.read_bytes())
    at = data.index(b"/Type /Page\n", len(data) // 2)
    data[at : at + 11] = b"/Type /Page"[::-1]  # same length, garbage
    return write(dst, bytes(data))


def test_a_master_changed_under_its_plan_is_caught_while_streaming(
    small_master: Path,
    tmp_path: Path,
    mark: Mark,
    texts: Callable[[Path], list[str]],
) -> None:
    plan = analyse(small_master)
    changed = changed_in_the_middle(small_master, tmp_path / "changed.pdf")
    assert plan.fingerprint.matches(io.BytesIO(changed.read_bytes()))  # the cheap check passes
    with stamp_chunks(changed, mark, plan) as chunks:
        assert chunks.path == "fast"
        with pytest.raises(StaleMasterError):
            b"".join(chunks)
    # stamp_pdf starts again with the fallback and writes a whole file.
    out = tmp_path / "out.pdf"
    result = stamp_pdf(changed, out, mark, plan=plan)
    assert result.path == "fallback"
    assert result.reason is not None and result.reason.startswith("the plan does not match")
    assert result.bytes_written == out.stat().st_size
    assert all("7K2M9-QX4TA" in t for t in texts(out))


def test_a_stale_plan_written_to_a_file_object_is_rewound(
    small_master: Path, tmp_path: Path, mark: Mark
) -> None:
    plan = analyse(small_master)
    changed = changed_in_the_middle(small_master, tmp_path / "changed.pdf")
    sink = io.BytesIO()
    sink.write(b"prefix")
    result = stamp_pdf(changed, sink, mark, plan=plan)
    assert result.path == "fallback"
    assert sink.getvalue()[:6] == b"prefix"
    assert len(sink.getvalue()) == 6 + result.bytes_written
    assert find_codes(io.BytesIO(sink.getvalue()[6:])) == [CODE]


def test_plans_round_trip_and_garbage_is_refused(small_master: Path) -> None:
    plan = analyse(small_master)
    assert Plan.from_json(plan.to_json()) == plan
    for bad in (
        "",
        "[]",
        "{}",
        '{"format": 99}',
        plan.to_json().replace('"objects":"', '"objects":"!'),
    ):
        with pytest.raises(PlanError):
            Plan.from_json(bad)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", NotAPdfError),
        (b"oops\n", NotAPdfError),
        (b"<html><body>not a pdf</body></html>", NotAPdfError),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", UnreadablePdfError),
    ],
    ids=["empty", "oops", "html", "cut"],
)
def test_bad_input_raises_the_packages_error(
    data: bytes, error: type[WatermarkError], tmp_path: Path, mark: Mark
) -> None:
    src = write(tmp_path / "bad.pdf", data)
    out = tmp_path / "out.pdf"
    with pytest.raises(error):
        stamp_pdf(src, out, mark)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]  # no temporary file left behind


def test_a_truncated_master_is_refused_with_or_without_its_plan(
    small_master: Path, tmp_path: Path, mark: Mark
) -> None:
    plan = analyse(small_master)
    data = small_master.read_bytes()
    cut = write(tmp_path / "cut.pdf", data[: len(data) * 2 // 3])
    for given in (plan, None):
        with pytest.raises(UnreadablePdfError, match="cut short"):
            stamp_pdf(cut, tmp_path / "out.pdf", mark, plan=given)
    with pytest.raises(NotAPdfError):
        find_codes(write(tmp_path / "x.pdf", b"GIF89a"))


def test_a_master_that_needs_a_password_is_refused(tmp_path: Path, mark: Mark) -> None:
    data, _ = shapes_pdf()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="rahasia", owner_password="pemilik", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(EncryptedPdfError):
        stamp_pdf(locked, tmp_path / "out.pdf", mark)


def test_an_empty_owner_password_is_opened_and_the_output_not_encrypted(
    tmp_path: Path, mark: Mark, texts: Callable[[Path], list[str]]
) -> None:
    data, shapes = shapes_pdf()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="", owner_password="pemilik", algorithm="RC4-128")
    sealed = tmp_path / "sealed.pdf"
    with sealed.open("wb") as fh:
        writer.write(fh)
    out = tmp_path / "out.pdf"
    result = stamp_pdf(sealed, out, mark)
    assert (result.path, result.reason) == ("fallback", "encrypted")
    assert not PdfReader(out).is_encrypted
    assert len(texts(out)) == len(shapes)


def test_odd_but_valid_layouts_take_the_fast_path(tmp_path: Path, mark: Mark) -> None:
    """What pypdf never writes but the fast path still handles: an indirect /Length,
    a stream holding 'endstream' in its data, strings holding 'endobj'."""
    content = b"BT /F1 12 Tf 72 72 Td (endobj endstream \\) ) Tj ET % endstream\n"
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R /Note (endobj) >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Length 5 0 R >>\nstream\n" + content + b"\nendstream",
        b"%d" % len(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    src = write(tmp_path / "odd.pdf", build_pdf(bodies))
    result = stamp_pdf(src, tmp_path / "out.pdf", mark)
    assert (result.path, result.pages) == ("fast", 1)


def test_a_huge_trailer_size_does_not_make_a_huge_xref(
    tmp_path: Path, mark: Mark, check: Callable[[Path], None]
) -> None:
    data, shapes = shapes_pdf()
    size = int(data.rsplit(b"/Size ", 1)[1].split()[0])
    src = write(tmp_path / "big-size.pdf", data.replace(b"/Size %d " % size, b"/Size 999999999 "))
    out = tmp_path / "out.pdf"
    result = stamp_pdf(src, out, mark)
    assert (result.path, result.pages) == ("fast", len(shapes))
    assert result.bytes_written < len(data) + 50_000  # not a line per number up to 10^9
    check(out)

"""Streaming: the first bytes leave before the master is read, the length is known up
front, chunks stay bounded and memory flat as masters grow, files are released."""

from __future__ import annotations

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest
from watermark_samples import build_pdf

from watermark import Mark, analyse, stamp_chunks, stamp_pdf
from watermark.writer import CHUNK


class CountingFile(io.FileIO):
    """A file that counts the bytes read from it."""

    read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        data = super().read(size)
        self.read_bytes += len(data)
        return data


def image_master(path: Path, megabytes: int) -> Path:
    """A master of ``megabytes`` one-megabyte pages of random (incompressible) grey."""
    side = 1024
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    for i in range(megabytes):
        page, contents, image = len(bodies) + 1, len(bodies) + 2, len(bodies) + 3
        kids.append(b"%d 0 R" % page)
        draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
        bodies += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>" % (image, contents),
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw),
            b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Length %d >>\nstream\n%s\nendstream"
            % (side, side, side * side, os.urandom(side * side)),
        ]
        del i
    bodies[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    path.write_bytes(build_pdf(bodies))
    return path


def test_first_chunk_leaves_before_the_master_is_read(
    reference_masters: dict[str, Path], mark: Mark, tmp_path: Path
) -> None:
    master = reference_masters["500p"]
    plan = analyse(master)
    size = master.stat().st_size
    with CountingFile(master, "r") as fh, stamp_chunks(fh, mark, plan) as stream:
        assert stream.path == "fast"
        chunks = iter(stream)
        first = next(chunks)
        assert first.startswith(b"%PDF-1.4\n")
        assert fh.read_bytes <= 2 * 64 * 1024  # only the plan's fingerprint so far
        rest = list(chunks)
    assert fh.read_bytes >= size - 2000  # then the master, once
    output = first + b"".join(rest)
    assert len(output) == stream.length  # announced before the first byte
    assert len(rest) >= 2
    # The stream and stamp_pdf give the same bytes for the same mark and plan.
    out = tmp_path / "out.pdf"
    result = stamp_pdf(master, out, mark, plan=plan)
    assert out.read_bytes() == output
    assert result.sha256 == hashlib.sha256(output).hexdigest()


@pytest.mark.parametrize("megabytes", [4, 24])
def test_memory_stays_flat_as_masters_grow(megabytes: int, mark: Mark, tmp_path: Path) -> None:
    master = image_master(tmp_path / "big.pdf", megabytes)
    plan = analyse(master)
    tracemalloc.start()
    try:
        longest = total = 0
        with stamp_chunks(master, mark, plan) as stream:
            for chunk in stream:
                longest = max(longest, len(chunk))
                total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total == stream.length > megabytes * 1024 * 1024
    assert longest <= CHUNK
    assert peak < 3 * CHUNK, peak  # a chunk or two in flight, whatever the size


def test_an_abandoned_stream_releases_the_master(
    reference_masters: dict[str, Path], mark: Mark
) -> None:
    master = reference_masters["50p"]
    plan = analyse(master)
    stream = stamp_chunks(master, mark, plan)
    chunks = iter(stream)
    next(chunks)
    chunks.close()  # what a WSGI server does when the client goes away
    stream.close()
    with stamp_chunks(master, mark, plan) as unused:
        assert unused.pages == 50
    # No ResourceWarning for an unclosed master: warnings fail this suite.

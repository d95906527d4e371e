"""Fixtures for the watermark tests: a mark, masters made like the ingest makes them,
and helpers that look at a stamped file through poppler, qpdf and pdfium.

The shared corpus (reference publications, real-world files, hostile files) is found
beside the repository or through ``PST_SHARED_CORPUS``; tests that need it are skipped
when it is absent. The helpers are fixtures, since this folder's conftest module name
is shared with the other folders'.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from watermark_samples import CODE, EMAIL, ISSUED, NAME, REFERENCE, Word

import watermark
from watermark import Mark


@pytest.fixture(autouse=True)
def _tools() -> None:
    for tool in ("qpdf", "pdftotext"):
        if shutil.which(tool) is None:  # pragma: no cover - scripts/system-deps installs them
            pytest.skip(f"{tool} is not installed")


@pytest.fixture
def mark() -> Mark:
    return Mark(name=NAME, email=EMAIL, issued_at=ISSUED, code=CODE)


@pytest.fixture(autouse=True)
def _fresh_stats() -> None:
    watermark.reset_stats()


def clone(src: Path, dst: Path) -> Path:
    """A master as ``catalog/ingest/worker.py`` writes it: a pypdf clone."""
    writer = PdfWriter(clone_from=PdfReader(src))
    with dst.open("wb") as fh:
        writer.write(fh)
    return dst


@pytest.fixture(scope="session")
def reference_masters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """pypdf clones of the reference publications (50 and 500 pages)."""
    if not (REFERENCE / "publication-50p.pdf").exists():
        pytest.skip("the shared corpus is not available")
    root = tmp_path_factory.mktemp("masters")
    return {
        name: clone(REFERENCE / f"publication-{name}.pdf", root / f"master-{name}.pdf")
        for name in ("50p", "500p")
    }


_WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)</word>'
)


def page_words(path: Path) -> list[list[Word]]:
    """Every page's words with boxes, in display orientation (rotation applied), top-left
    origin, relative to the CropBox: what the reader sees."""
    html = subprocess.run(
        ["pdftotext", "-q", "-bbox", "-cropbox", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = html.split("<page ")[1:]
    return [
        [Word(m[4], float(m[0]), float(m[1]), float(m[2]), float(m[3])) for m in _WORD.findall(p)]
        for p in pages
    ]


def page_texts(path: Path) -> list[str]:
    """Every page's text by pdftotext (pages split at form feeds)."""
    out = subprocess.run(
        ["pdftotext", "-q", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return out.split("\f")[:-1]


def qpdf_check(path: Path) -> None:
    """``qpdf --check`` finds no error and no warning."""
    done = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def words() -> Callable[[Path], list[list[Word]]]:
    return page_words


@pytest.fixture
def texts() -> Callable[[Path], list[str]]:
    return page_texts


@pytest.fixture
def check() -> Callable[[Path], None]:
    return qpdf_check


@pytest.fixture
def make_master() -> Callable[[Path, Path], Path]:
    return clone

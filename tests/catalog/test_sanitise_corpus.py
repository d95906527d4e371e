"""The sanitiser against the shared corpus of real-world and hostile PDFs (``../shared``).

Every file must end, within a minute and with the default limits, in either a
``Sanitised`` with at least one page or a ``Rejected`` whose message is one short
line. The whole corpus runs once per session, two files at a time (the machine
has two cores); the outcome table is printed with ``-s`` and on failure.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from catalog.ingest import Limits, Rejected, Sanitised, check_image, sanitise

SHARED = Path(__file__).resolve().parents[3] / "shared"
CORPUS = SHARED / "corpus"
FOLDERS = ("pdf", "real", "reference")
FILES = sorted(p for folder in FOLDERS for p in (CORPUS / folder).glob("*.pdf"))
IMAGES = sorted((CORPUS / "images").glob("*")) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(
    not FILES, reason=f"the shared corpus is not checked out at {CORPUS}"
)

PER_FILE_S = 60.0

# Outcomes that must not change: "ok" or a refusal code. MANIFEST.tsv says what
# each file exercises; these are the ones with a single right answer.
EXPECTED = {
    "pypdf__r6-user-password.pdf": "password",
    "qpdf__enc-R3-V2-U-view-O-master.pdf": "password",
    "005-libreoffice-writer-password-libreoffice-writer-password.pdf": "password",
    "pypdf__r6-empty-password.pdf": "ok",
    "qpdf__enc-R2-V1-O-master.pdf": "ok",
    "syn__many-pages-20000.pdf": "too_many_pages",
    "publication-500p.pdf": "ok",
    "publication-50p.pdf": "ok",
    "pysamples__habibi.html.pdf": "not_pdf",
    "pysamples__smile.png.pdf": "not_pdf",
    "qpdf__bad1.pdf": "not_pdf",
    "qpdf__empty.pdf": "empty",
    "syn__flate-bomb-content-300MB.pdf": "bomb",
    "syn__flate-double-chain-bomb-1GB.pdf": "bomb",
    "syn__lzw-bomb-300MB.pdf": "bomb",
    "syn__huge-declared-length.pdf": "bomb",
    "qpdf__pages-loop.pdf": "damaged",
    "syn__deep-page-tree-5000.pdf": "damaged",
    "syn__outline-next-cycle.pdf": "ok",
    "syn__xref-prev-self-loop.pdf": "ok",
    "pdfjs__poppler-67295-0.pdf": "ok",
    "pdfjs__attachment.pdf": "ok",
    "pdfjs__doc_actions.pdf": "ok",
    "pdfjs__issue17846.pdf": "ok",
    "syn__image-20000x20000-gray8.pdf": "ok",
}


@dataclass(frozen=True)
class Outcome:
    name: str
    result: Sanitised | Rejected
    seconds: float

    @property
    def code(self) -> str:
        return self.result.code if isinstance(self.result, Rejected) else "ok"

    def row(self) -> str:
        stats = self.result.stats
        rss = stats.get("peak_rss_bytes", 0) / 2**20
        detail = (
            f"pages={self.result.pages}" if isinstance(self.result, Sanitised) else str(self.result)
        )
        return f"{self.name[:46]:46} {self.code:15} {self.seconds:6.2f}s {rss:6.0f} MiB  {detail}"


def _run(src: Path, root: Path) -> Outcome:
    started = time.monotonic()
    work_dir = root / src.stem
    try:
        result: Sanitised | Rejected = sanitise(src, work_dir, Limits())
    except Rejected as exc:
        result = exc
    return Outcome(src.name, result, time.monotonic() - started)


class Outcomes(dict[str, Outcome]):
    """Each file sanitised on first use, once per worker: pytest-xdist deals this
    module's tests to several workers, and sanitising the whole corpus up front made
    every worker do all of it."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __missing__(self, name: str) -> Outcome:
        outcome = self[name] = _run(BY_NAME[name], self.root)
        print(outcome.row())
        return outcome


BY_NAME = {p.name: p for p in FILES}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Outcomes:
    return Outcomes(tmp_path_factory.mktemp("corpus"))


@pytest.mark.parametrize("src", FILES, ids=[p.name for p in FILES])
def test_every_file_ends_cleanly(outcomes: dict[str, Outcome], src: Path) -> None:
    outcome = outcomes[src.name]
    assert outcome.seconds < PER_FILE_S
    if isinstance(outcome.result, Sanitised):
        assert outcome.result.pages >= 1
        assert len(outcome.result.page_texts) == outcome.result.pages
        assert outcome.result.master_path.is_file()
    else:
        message = str(outcome.result)
        assert message
        assert "\n" not in message
        assert len(message) < 200
        assert "Traceback" not in message


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED.items()))
def test_known_outcomes(outcomes: dict[str, Outcome], name: str, expected: str) -> None:
    assert outcomes[name].code == expected, outcomes[name].row()


def test_reference_publication(outcomes: dict[str, Outcome]) -> None:
    result = outcomes["publication-500p.pdf"].result
    assert isinstance(result, Sanitised)
    assert result.pages == 500
    assert all(text.strip() for text in result.page_texts)
    assert "Halaman 250" in result.page_texts[249]
    assert result.cover_path is not None
    assert outcomes["publication-500p.pdf"].seconds < 10


def test_active_content_leaves(outcomes: dict[str, Outcome]) -> None:
    attachment = outcomes["pdfjs__attachment.pdf"].result
    assert isinstance(attachment, Sanitised)
    assert "EmbeddedFiles" in attachment.removed
    assert b"/EmbeddedFile" not in attachment.master_path.read_bytes()
    launch = outcomes["pdfjs__issue17846.pdf"].result
    assert isinstance(launch, Sanitised)
    assert "Launch action" in launch.removed


def test_cpu_limit(tmp_path: Path) -> None:
    src = CORPUS / "pdf" / "syn__many-pages-20000.pdf"
    with pytest.raises(Rejected) as info:
        sanitise(src, tmp_path / "work", Limits(max_pages=30_000, cpu_s=1))
    assert info.value.code == "timeout"
    assert str(info.value) == "processing used more than 1 s of CPU time"


@pytest.mark.parametrize("image", IMAGES, ids=[p.name for p in IMAGES])
def test_image_bombs_are_refused_fast(image: Path) -> None:
    started = time.monotonic()
    with pytest.raises(Rejected) as info:
        check_image(image)
    assert info.value.code == "bomb"
    assert time.monotonic() - started < 2

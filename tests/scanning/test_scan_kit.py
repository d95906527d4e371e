"""Shared pieces of the scanning tests (imported by the other ``test_scan_*`` modules).

Real SANE, no hardware: a private ``SANE_CONFIG_DIR`` enables the ``test`` backend
(feeder batches, end of feed, jams through ``read-return-value``, slow scans) and the
``pnm`` backend, which "scans" a PNM file: rendered Indonesian text pages go through
the real ``scanimage`` -> cleanup -> Tesseract -> PDF -> catalogue.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from imagekit import PARAGRAPHS, text_page
from sanekit import sane_config

#: The scanning tests' pages are shorter cards than :func:`imagekit.text_page` draws by
#: default: quicker through the pnm backend and Tesseract, with room for five lines.
CARD_IN = (7.0, 4.0)
# Each buffer waits 200 ms and reads are 1 byte: a 300 dpi page takes seconds.
SLOW = {
    "read-limit": "yes",
    "read-limit-size": "1",
    "read-delay": "yes",
    "read-delay-duration": "200000",
}


@pytest.fixture(scope="session")
def sane_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return sane_config(tmp_path_factory.mktemp("sane-scan"), "test", "pnm")


def scan_config(sane_dir: str) -> dict[str, object]:
    return {"SCANNER_SANE_CONFIG_DIR": sane_dir, "SCANNER_OCR_WORKERS": 2}


def write_pages(folder: Path, count: int = 3, **kwargs: object) -> list[Path]:
    """``count`` text pages as PGM files, the input of the ``pnm`` backend."""
    folder.mkdir(parents=True, exist_ok=True)
    kwargs = {"size_in": CARD_IN, **kwargs}
    paths = []
    for n in range(count):
        path = folder / f"source-{n + 1}.pgm"
        text_page(PARAGRAPHS[n % len(PARAGRAPHS)], **kwargs).save(path)  # type: ignore[arg-type]
        paths.append(path)
    return paths


def pnm_settings(source: Path, *, resolution: int = 200) -> dict[str, object]:
    return {
        "device": "pnm:0",
        "source": "flatbed",
        "mode": "gray",
        "resolution": resolution,
        "options": {"filename": str(source)},
    }


def normalise(text: str) -> str:
    return " ".join(text.split())


def char_accuracy(expected: str, got: str) -> float:
    """1 - (Levenshtein distance / length of ``expected``), whitespace normalised."""
    a, b = normalise(expected), normalise(got)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return 1.0 - previous[-1] / max(1, len(a))


def test_char_accuracy_counts_edits() -> None:
    assert char_accuracy("Bengkulu  kota", "Bengkulu kota") == 1.0
    assert char_accuracy("abcd", "abxd") == 0.75

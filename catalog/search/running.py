"""Running headers and footers: lines a publication repeats at the top or bottom of most
of its pages (its title, "Provinsi Bengkulu Dalam Angka 2024", "Halaman 12", the page
number), left out of what the engines index for its pages.

Such a line matches a search on nearly every page, so it used to win the snippet (the
title highlighted at the top of page 6 instead of the sentence that holds the words)
and made the "found on page" list a list of every page. Both engines index
:func:`body_pages` instead of the raw page texts, so snippets, page hits and the page
search inside a publication never see those lines; the catalogue keeps the full text
(``PublicationPage.text``) for the reader's text of a page.

Cheap: one pass over the lines at the edges of each page, digits folded so that
"Halaman 6" and "Halaman 7" count as the same line.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

#: Lines at each end of a page that may be a running header or footer.
EDGE_LINES = 3
#: Publications with fewer pages with text have no running lines (a leaflet's title on
#: its two pages is the text).
MIN_PAGES = 5
#: A line runs when it sits at the edge of at least this share of the pages with text
#: (two-sided printing alternates two headers, each on about half the pages).
SHARE = 0.4
_DIGITS = re.compile(r"\d+")


def _key(line: str) -> str:
    """A line as it is compared: spaces collapsed, lower case, each number as ``#``."""
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def _edges(lines: list[str]) -> list[int]:
    """Indices of the first and last ``EDGE_LINES`` lines of a page that hold text; none
    on a page of one line (that line is the page's text, not a header over it)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) < 2:
        return []
    if len(filled) <= 2 * EDGE_LINES:
        return filled
    return filled[:EDGE_LINES] + filled[-EDGE_LINES:]


def running_lines(pages: Sequence[str]) -> set[str]:
    """The keys (see ``_key``) of the lines running through ``pages``."""
    counts: Counter[str] = Counter()
    with_text = 0
    for page in pages:
        if not page.strip():
            continue
        with_text += 1
        lines = page.splitlines()
        counts.update({_key(lines[i]) for i in _edges(lines)})
    if with_text < MIN_PAGES:
        return set()
    least = max(3, math.ceil(SHARE * with_text))
    return {key for key, n in counts.items() if n >= least and key}


def body_pages(pages: Sequence[str]) -> list[str]:
    """``pages`` without their running headers and footers (one text per page still)."""
    running = running_lines(pages)
    if not running:
        return list(pages)
    out = []
    for page in pages:
        lines = page.splitlines()
        drop = {i for i in _edges(lines) if _key(lines[i]) in running}
        out.append(
            "\n".join(line for i, line in enumerate(lines) if i not in drop) if drop else page
        )
    return out

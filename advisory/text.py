"""Words of a text for matching: lower case, letters and digits, no stop words.

Shared by the FAQ search and the duplicate-survey check. Deliberately simple (no
stemming): titles of surveys repeat their key words literally.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[0-9a-zà-ÿ]+")
_YEAR = re.compile(r"(19|20)[0-9]{2}")  # years say when, not what: the period compares them

#: Indonesian and English words that say nothing about a survey's subject.
STOP = frozenset(
    """
    dan atau di ke dari yang untuk pada dengan dalam oleh serta ini itu sebagai adalah
    tahun provinsi kabupaten kota kecamatan desa survei survey sensus kegiatan statistik
    data studi penelitian pendataan tentang terhadap bagi tingkat se tersebut akan
    the of and in for on to a an by with from at study statistics year
    apa bagaimana berapa mana kapan siapa saya kami mohon bisa minta tolong ada
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def words(text: str | None) -> set[str]:
    """The distinct content words of ``text`` (2+ characters, "-nya" dropped, no years)."""
    found = set()
    for word in _WORD.findall((text or "").lower()):
        if word.endswith("nya") and len(word) > 5:
            word = word[:-3]
        if len(word) >= 2 and word not in STOP and not _YEAR.fullmatch(word):
            found.add(word)
    return found


def overlap(a: set[str], b: set[str]) -> float:
    """Overlap coefficient |A∩B| / min(|A|, |B|): 1.0 when one contains the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))

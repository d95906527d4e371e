"""Static content for the demo publications: plain data, no logic.

Everything here is plain data: the regencies and districts of Bengkulu, the list of
publications (titles, catalogue numbers, release dates, chapters) and the Indonesian
sentence templates that chapters are written from. The numbers are invented but sized
like the real ones (about 2.1 million people, inflation of 1–4 %, poverty near 14 %).
"""

from __future__ import annotations

from typing import Any

from demo.publications.content.boilerplate import (
    FOREWORD,
    FOREWORD_EN,
    GENERIC_SENTENCES,
    GENERIC_SENTENCES_EN,
    SYMBOLS,
    TECHNICAL_NOTES,
)
from demo.publications.content.classifications import (
    AGE_GROUPS,
    AGE_SHARES,
    BRS_HIGHLIGHT_KEYS,
    CPI_GROUPS,
    EXPENDITURE,
    INDUSTRIES,
)
from demo.publications.content.place import (
    ADDRESS,
    MONTHS,
    MONTHS_EN,
    PROVINCE,
    PROVINCE_EN,
    PUBLISHER,
    PUBLISHER_EN,
    RAINFALL,
    REGION_TRAITS,
    REGIONS,
    WEBSITE,
    region_label,
)
from demo.publications.content.series_compendia import DALAM_ANGKA_CHAPTERS, SERIES_COMPENDIA
from demo.publications.content.series_topical import (
    INFLATION_MONTHS,
    INFLATION_SERIES,
    SERIES_TOPICAL,
)
from demo.publications.content.topics_economy import TOPICS_ECONOMY
from demo.publications.content.topics_people import TOPICS_PEOPLE

SERIES: tuple[dict[str, Any], ...] = (*SERIES_COMPENDIA, *SERIES_TOPICAL)
TOPICS: dict[str, dict[str, Any]] = {**TOPICS_PEOPLE, **TOPICS_ECONOMY}

__all__ = [
    "ADDRESS",
    "AGE_GROUPS",
    "AGE_SHARES",
    "BRS_HIGHLIGHT_KEYS",
    "CPI_GROUPS",
    "DALAM_ANGKA_CHAPTERS",
    "EXPENDITURE",
    "FOREWORD",
    "FOREWORD_EN",
    "GENERIC_SENTENCES",
    "GENERIC_SENTENCES_EN",
    "INDUSTRIES",
    "INFLATION_MONTHS",
    "INFLATION_SERIES",
    "MONTHS",
    "MONTHS_EN",
    "PROVINCE",
    "PROVINCE_EN",
    "PUBLISHER",
    "PUBLISHER_EN",
    "RAINFALL",
    "REGIONS",
    "REGION_TRAITS",
    "SERIES",
    "SERIES_COMPENDIA",
    "SERIES_TOPICAL",
    "SYMBOLS",
    "TECHNICAL_NOTES",
    "TOPICS",
    "TOPICS_ECONOMY",
    "TOPICS_PEOPLE",
    "WEBSITE",
    "region_label",
]

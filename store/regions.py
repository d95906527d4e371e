"""Regions a buyer may choose: the province and its regencies and city (BPS domain codes)."""

from __future__ import annotations

PROVINCE = ("1700", "Provinsi Bengkulu")

REGENCIES: tuple[tuple[str, str], ...] = (
    ("1701", "Kabupaten Bengkulu Selatan"),
    ("1702", "Kabupaten Rejang Lebong"),
    ("1703", "Kabupaten Bengkulu Utara"),
    ("1704", "Kabupaten Kaur"),
    ("1705", "Kabupaten Seluma"),
    ("1706", "Kabupaten Mukomuko"),
    ("1707", "Kabupaten Lebong"),
    ("1708", "Kabupaten Kepahiang"),
    ("1709", "Kabupaten Bengkulu Tengah"),
    ("1771", "Kota Bengkulu"),
)

NAMES = dict((PROVINCE, *REGENCIES))


def name(code: str) -> str:
    return NAMES.get(code, code)


def choices_for(coverage: str | None) -> list[tuple[str, str]]:
    """Regions on offer for a coverage level: the whole province, or each regency."""
    if coverage == "regency":
        return list(REGENCIES)
    return [PROVINCE]

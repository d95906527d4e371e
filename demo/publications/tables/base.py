"""The table record and context every table builder shares."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from demo.publications.facts import _Area
from demo.publications.words import _en

AUGUST = ("Agustus ", "August ")  # Sakernas tables are for August
PROJECTION = "BPS, Proyeksi Penduduk Interim 2020–2050"


@dataclass
class _TableData:
    caption: str
    caption_en: str
    stub: str
    columns: list[str]
    rows: Sequence[tuple[str, Sequence[float | None]]]
    decimals: list[int]
    total: tuple[str, Sequence[float | None]] | None = None
    unit: str = ""
    source: str = "BPS Provinsi Bengkulu"


@dataclass
class _Ctx:
    """What table and chart builders need: area, year, facts and a seeded generator."""

    area: _Area
    province: _Area
    year: int
    month: int
    facts: dict[str, Any]
    rng: random.Random
    lang: str

    @property
    def p(self) -> int:
        return self.year - 1

    def local(self) -> tuple[str, list[str]]:
        return self.area.unit_label, self.area.units

    def where(self) -> str:
        return f"di {self.area.name}"


def _jitter(rng: random.Random, value: float, spread: float = 0.05) -> float:
    return value * rng.uniform(1 - spread, 1 + spread)


def _years(ctx: _Ctx, n: int = 5, variant: int = 0) -> list[int]:
    end = ctx.p - variant
    return list(range(end - n + 1, end + 1))


def _trend(
    ctx: _Ctx, items: Sequence[tuple[str, float]], years: list[int], rate: float, spread: float
) -> list[tuple[str, list[float | None]]]:
    """Rows of ``items`` over ``years``: each value grows by ``rate`` a year, jittered."""
    return [
        (name, [_jitter(ctx.rng, v * (1 + rate * (y - years[-1])), spread) for y in years])
        for name, v in items
    ]


def _totals(
    rows: Sequence[tuple[str, Sequence[float | None]]], n: int | None = None
) -> list[float]:
    """Column sums of ``rows`` (the first ``n`` columns, all by default); blanks count as 0."""
    width = len(rows[0][1]) if n is None else n
    return [sum(r[1][i] or 0 for r in rows) for i in range(width)]


def _yearly(
    ctx: _Ctx,
    years: list[int],
    captions: tuple[str, str],
    stub: str,
    rows: Sequence[tuple[str, Sequence[float | None]]],
    *,
    decimals: int = 2,
    total: tuple[str, Sequence[float | None]] | None = None,
    unit: str = "",
    source: str = "BPS Provinsi Bengkulu",
    month: tuple[str, str] = ("", ""),
) -> _TableData:
    """A table with one column a year; captions end in the area and the span of years."""
    span = f"{years[0]}–{years[-1]}"
    return _TableData(
        f"{captions[0]} {ctx.where()}, {month[0]}{span}",
        f"{captions[1]}, {month[1]}{span}",
        stub,
        [str(y) for y in years],
        rows,
        [decimals] * len(years),
        total,
        unit=unit,
        source=source,
    )


def _for_year(
    ctx: _Ctx,
    variant: int,
    captions: tuple[str, str],
    stub: str,
    columns: list[str],
    rows: Sequence[tuple[str, Sequence[float | None]]],
    decimals: list[int],
    *,
    total: tuple[str, Sequence[float | None]] | None = None,
    unit: str = "",
    source: str = "BPS Provinsi Bengkulu",
) -> _TableData:
    """A table for one year, the data year less ``variant``, which ends both captions."""
    year = ctx.p - variant
    return _TableData(
        f"{captions[0]}, {year}",
        f"{captions[1]}, {year}",
        stub,
        columns,
        rows,
        decimals,
        total,
        unit=unit,
        source=source,
    )


def _by_unit(
    ctx: _Ctx,
    variant: int,
    captions: tuple[str, str],
    columns: list[str],
    rows: Sequence[tuple[str, Sequence[float | None]]],
    decimals: list[int],
    *,
    total: Sequence[float | None] | None = None,
    unit: str = "",
    source: str = "BPS Provinsi Bengkulu",
) -> _TableData:
    """A table of the area's units with their total, for the data year less ``variant``.

    ``captions`` may name ``{label}``, ``{label_en}`` (Kabupaten/Kota or Kecamatan) and
    ``{where}``; the year is appended. ``total`` defaults to the column sums.
    """
    label = ctx.area.unit_label
    names = {"label": label, "label_en": _en(label), "where": ctx.where()}
    return _for_year(
        ctx,
        variant,
        (captions[0].format(**names), captions[1].format(**names)),
        label,
        columns,
        rows,
        decimals,
        total=(ctx.area.name, _totals(rows) if total is None else total),
        unit=unit,
        source=source,
    )

"""Tables on consumer prices and farmers' terms of trade."""

from __future__ import annotations

from demo.publications import content as dc
from demo.publications.facts import _inflation
from demo.publications.tables.base import (
    _Ctx,
    _TableData,
    _trend,
    _yearly,
    _years,
)


def _t_cpi_groups(ctx: _Ctx, variant: int) -> _TableData:
    if ctx.month:
        year, month = ctx.year, ctx.month - 1 - variant
    else:  # books show December of the data year
        year, month = ctx.p, 11 - variant
    if month < 0:
        month += 12
        year -= 1
    mname = dc.MONTHS[month] if ctx.lang == "id" else dc.MONTHS_EN[month]
    infl = _inflation(ctx.facts.get("seed", 0), year)
    head_yoy, head_mtm, ihk = infl["yoy"][month], infl["mtm"][month], infl["ihk"][month]
    raw_weights = (34.0, 4.2, 16.9, 4.1, 3.3, 12.2, 5.6, 1.9, 5.9, 7.8, 4.1)
    weights = [w * 100 / sum(raw_weights) for w in raw_weights]
    yoy = [
        head_yoy + (ctx.rng.uniform(0.5, 2.5) if i == 0 else ctx.rng.uniform(-1.8, 1.2))
        for i in range(len(weights))
    ]
    mtm = [
        head_mtm + (ctx.rng.uniform(-0.3, 0.9) if i == 0 else ctx.rng.uniform(-0.4, 0.3))
        for i in range(len(weights))
    ]
    # Shift every group so the weighted contributions add up to the headline figures.
    dy = head_yoy - sum(y * w for y, w in zip(yoy, weights, strict=True)) / 100
    dm = head_mtm - sum(m * w for m, w in zip(mtm, weights, strict=True)) / 100
    rows: list[tuple[str, list[float | None]]] = []
    for g, w, y, m in zip(dc.CPI_GROUPS, weights, yoy, mtm, strict=True):
        now = ctx.rng.uniform(102.0, 112.0)
        y, m = y + dy, m + dm
        rows.append((g, [now / (1 + m / 100), now, m, y, y * w / 100]))
    return _TableData(
        f"Inflasi Year on Year (y-on-y) Provinsi Bengkulu Menurut Kelompok Pengeluaran, "
        f"{mname} {year} (2022=100)",
        f"Year-on-Year Inflation of Bengkulu Province by Expenditure Group, {mname} {year} "
        f"(2022=100)",
        "Kelompok Pengeluaran",
        [
            "IHK Bulan Lalu",
            f"IHK {mname} {year}",
            "Inflasi m-to-m (%)",
            "Inflasi y-on-y (%)",
            "Andil y-on-y (%)",
        ],
        rows,
        [2, 2, 2, 2, 2],
        ("Umum", [ihk / (1 + head_mtm / 100), ihk, head_mtm, head_yoy, head_yoy]),
        source="BPS, Survei Harga Konsumen",
    )


def _t_cpi_monthly(ctx: _Ctx, variant: int) -> _TableData:
    year = ctx.year - variant if ctx.month else ctx.p - variant
    infl = _inflation(ctx.facts.get("seed", 0), year)
    last = ctx.month if ctx.month and variant == 0 else 12
    rows = []
    for m in range(last):
        rows.append(
            (
                ctx.facts["months"][m],
                [
                    infl["ihk"][m],
                    infl["mtm"][m],
                    infl["ytd"][m],
                    infl["yoy"][m],
                    infl["yoy"][m] + ctx.rng.uniform(-0.6, 0.6),
                ],
            )
        )
    return _TableData(
        f"IHK dan Inflasi Provinsi Bengkulu Menurut Bulan, {year} (2022=100)",
        f"Consumer Price Index and Inflation of Bengkulu Province by Month, {year} (2022=100)",
        "Bulan",
        [
            "IHK",
            "Inflasi m-to-m (%)",
            "Inflasi y-to-d (%)",
            "Inflasi y-on-y (%)",
            "y-on-y Mukomuko (%)",
        ],
        rows,
        [2, 2, 2, 2, 2],
        source="BPS, Survei Harga Konsumen",
    )


def _t_ntp_monthly(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    base = float(ctx.facts["ntp_raw"])
    for m in range(12):
        it = ctx.rng.uniform(160, 175) + m * 0.8
        ntp = base + ctx.rng.uniform(-7, 7)
        rows.append(
            (ctx.facts["months"][m], [it, it / ntp * 100, ntp, ntp * ctx.rng.uniform(1.0, 1.08)])
        )
    return _TableData(
        f"Indeks Harga yang Diterima Petani (It), Indeks Harga yang Dibayar Petani (Ib), NTP, "
        f"dan NTUP Provinsi Bengkulu Menurut Bulan, {ctx.p - variant} (2018=100)",
        f"Farmer Terms of Trade by Month, {ctx.p - variant} (2018=100)",
        "Bulan",
        ["It", "Ib", "NTP", "NTUP"],
        rows,
        [2, 2, 2, 2],
        source="BPS, Survei Harga Perdesaan",
    )


def _t_ntp_subsector(ctx: _Ctx, variant: int) -> _TableData:
    subs = [
        ("Tanaman Pangan", 104.0),
        ("Hortikultura", 112.0),
        ("Tanaman Perkebunan Rakyat", 182.0),
        ("Peternakan", 104.5),
        ("Perikanan", 101.2),
    ]
    years = _years(ctx, 5, variant)
    return _yearly(
        ctx,
        years,
        (
            "Rata-Rata Nilai Tukar Petani Menurut Subsektor",
            "Average Farmer Terms of Trade by Subsector",
        ),
        "Subsektor",
        _trend(ctx, subs, years, 0.03, 0.03),
        source="BPS, Survei Harga Perdesaan",
    )

"""Tables on regional GDP, human development, housing and consumption."""

from __future__ import annotations

from demo.publications import content as dc
from demo.publications.tables.base import (
    _Ctx,
    _for_year,
    _jitter,
    _TableData,
    _totals,
    _yearly,
    _years,
)


def _t_pdrb_lu(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    total_last = 91500.0 * (ctx.facts["pop_raw"] / 2.1e6 if ctx.area.code != "17" else 1.0)
    rows = []
    for code, name, share, growth in dc.INDUSTRIES:
        last = total_last * share / 100 * ctx.rng.uniform(0.96, 1.04)
        rows.append(
            (
                f"{code}. {name}",
                [last / (1 + (growth + 3.0) / 100) ** (years[-1] - y) for y in years],
            )
        )
    tot = [sum(r[1][i] or 0 for r in rows) for i in range(len(years))]
    return _TableData(
        f"PDRB Atas Dasar Harga Berlaku Menurut Lapangan Usaha {ctx.where()}, "
        f"{years[0]}–{years[-1]}",
        f"GRDP at Current Market Prices by Industry, {years[0]}–{years[-1]}",
        "Lapangan Usaha",
        [
            str(y) if y < years[-1] - 1 else f"{y}*" if y == years[-1] - 1 else f"{y}**"
            for y in years
        ],
        rows,
        [2] * len(years),
        ("PDRB", tot),
        unit="(miliar rupiah)",
        source="BPS Provinsi Bengkulu",
    )


def _t_pdrb_growth(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    rows = []
    for code, name, _share, growth in dc.INDUSTRIES:
        vals: list[float | None] = []
        for y in years:
            g = growth + ctx.rng.uniform(-1.5, 1.5)
            if y == 2020:
                g = growth - ctx.rng.uniform(3, 9)
            vals.append(g)
        rows.append((f"{code}. {name}", vals))
    gdp = [
        (-0.02 if y == 2020 else 3.2 if y == 2021 else 4.3) + ctx.rng.uniform(-0.3, 0.3)
        for y in years
    ]
    return _yearly(
        ctx,
        years,
        (
            "Laju Pertumbuhan PDRB Atas Dasar Harga Konstan 2010 Menurut Lapangan Usaha",
            "Growth Rate of GRDP at 2010 Constant Prices by Industry",
        ),
        "Lapangan Usaha",
        rows,
        total=("PDRB", gdp),
        unit="(persen)",
    )


def _t_pdrb_share(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    rows = [
        (f"{code}. {name}", [_jitter(ctx.rng, share, 0.03) for _ in years])
        for code, name, share, _growth in dc.INDUSTRIES
    ]
    return _yearly(
        ctx,
        years,
        (
            "Distribusi Persentase PDRB Atas Dasar Harga Berlaku Menurut Lapangan Usaha",
            "Percentage Distribution of GRDP at Current Prices by Industry",
        ),
        "Lapangan Usaha",
        rows,
        total=("PDRB", [100.0] * len(years)),
        unit="(persen)",
    )


def _t_pdrb_region(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u, pop in zip(prov.units, prov.pops, strict=True):
        mult = 1.35 if u == "Kota Bengkulu" else ctx.rng.uniform(0.75, 1.05)
        adhb = 91500 * pop / 2.1e6 * mult
        rows.append((u, [adhb, adhb * 0.63, ctx.rng.uniform(3.4, 5.2), adhb * 1e9 / pop / 1e6]))
    tot = [sum(r[1][0] or 0 for r in rows), sum(r[1][1] or 0 for r in rows), 4.28, 44.1]
    return _for_year(
        ctx,
        variant,
        (
            "PDRB, Laju Pertumbuhan, dan PDRB per Kapita Menurut Kabupaten/Kota di Provinsi "
            "Bengkulu",
            "GRDP, Growth Rate and GRDP per Capita by Regency/Municipality",
        ),
        "Kabupaten/Kota",
        ["ADHB (miliar Rp)", "ADHK 2010 (miliar Rp)", "Pertumbuhan (%)", "Per Kapita (juta Rp)"],
        rows,
        [2, 2, 2, 2],
        total=(dc.PROVINCE, tot),
    )


def _t_pdrb_exp(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    rows = [
        (
            name,
            [
                91500
                * share
                / 100
                / (1 + (growth + 3) / 100) ** (years[-1] - y)
                * ctx.rng.uniform(0.98, 1.02)
                for y in years
            ],
        )
        for name, share, growth in dc.EXPENDITURE
    ]
    return _yearly(
        ctx,
        years,
        (
            "PDRB Atas Dasar Harga Berlaku Menurut Pengeluaran",
            "GRDP at Current Prices by Expenditure",
        ),
        "Komponen Pengeluaran",
        rows,
        total=("PDRB", _totals(rows)),
        unit="(miliar rupiah)",
    )


def _t_pdrb_exp_growth(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    rows = [
        (n, [g + ctx.rng.uniform(-2, 2) - (6 if y == 2020 else 0) for y in years])
        for n, _s, g in dc.EXPENDITURE
    ]
    return _yearly(
        ctx,
        years,
        (
            "Laju Pertumbuhan PDRB Atas Dasar Harga Konstan 2010 Menurut Pengeluaran",
            "Growth of GRDP at 2010 Constant Prices by Expenditure",
        ),
        "Komponen Pengeluaran",
        rows,
        unit="(persen)",
    )


def _t_ipm_series(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 6, variant)
    rows = []
    ipm_last = float(ctx.facts["ipm_raw"])
    for y in years:
        back = years[-1] - y
        rows.append(
            (
                str(y),
                [
                    69.9 + 0.2 * (6 - back) + ctx.rng.uniform(-0.05, 0.05),
                    13.2 + 0.08 * (6 - back),
                    8.6 + 0.09 * (6 - back),
                    10600 + 170 * (6 - back) + ctx.rng.uniform(-40, 40),
                    ipm_last - 0.62 * back,
                ],
            )
        )
    return _TableData(
        f"Komponen Indeks Pembangunan Manusia {ctx.where()}, {years[0]}–{years[-1]}",
        f"Human Development Index Components, {years[0]}–{years[-1]}",
        "Tahun",
        ["UHH (tahun)", "HLS (tahun)", "RLS (tahun)", "Pengeluaran (ribu Rp)", "IPM"],
        rows,
        [2, 2, 2, 0, 2],
        source="BPS, Indeks Pembangunan Manusia",
    )


def _t_ipm_region(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u, tr in zip(prov.units, prov.traits, strict=True):
        ipm = _jitter(ctx.rng, tr["ipm"], 0.005) - 0.6 * variant
        rows.append(
            (u, [ipm * 0.96 + ctx.rng.uniform(-1, 1), ipm / 5.4, ipm / 8.0, ipm * 150, ipm])
        )
    return _for_year(
        ctx,
        variant,
        (
            "Indeks Pembangunan Manusia dan Komponennya Menurut Kabupaten/Kota di Provinsi "
            "Bengkulu",
            "Human Development Index and its Components by Regency/Municipality",
        ),
        "Kabupaten/Kota",
        ["UHH (tahun)", "HLS (tahun)", "RLS (tahun)", "Pengeluaran (ribu Rp)", "IPM"],
        rows,
        [2, 2, 2, 0, 2],
        source="BPS, Indeks Pembangunan Manusia",
    )


def _t_housing(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u in prov.units:
        city = u == "Kota Bengkulu"
        rows.append(
            (
                u,
                [
                    ctx.rng.uniform(88, 97) if city else ctx.rng.uniform(70, 92),
                    ctx.rng.uniform(88, 96) if city else ctx.rng.uniform(68, 88),
                    ctx.rng.uniform(99.0, 100.0) if city else ctx.rng.uniform(96.5, 99.8),
                    ctx.rng.uniform(62, 75) if city else ctx.rng.uniform(80, 92),
                ],
            )
        )
    return _for_year(
        ctx,
        variant,
        (
            "Persentase Rumah Tangga Menurut Akses Air Minum Layak, Sanitasi Layak, Listrik, dan "
            "Status Kepemilikan Rumah Milik Sendiri Menurut Kabupaten/Kota",
            "Percentage of Households by Access to Safe Water, Sanitation, Electricity and Home "
            "Ownership",
        ),
        "Kabupaten/Kota",
        ["Air Minum Layak", "Sanitasi Layak", "Listrik", "Milik Sendiri"],
        rows,
        [2, 2, 2, 2],
        unit="(persen)",
        source="BPS, Susenas Maret",
    )


def _t_consumption(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u in prov.units:
        food = ctx.rng.uniform(650, 820) * (1.15 if u == "Kota Bengkulu" else 1)
        nonfood = food * (
            ctx.rng.uniform(1.05, 1.3) if u == "Kota Bengkulu" else ctx.rng.uniform(0.7, 0.95)
        )
        rows.append(
            (
                u,
                [
                    food * 1000,
                    nonfood * 1000,
                    (food + nonfood) * 1000,
                    food / (food + nonfood) * 100,
                ],
            )
        )
    return _for_year(
        ctx,
        variant,
        (
            "Rata-Rata Pengeluaran per Kapita Sebulan Menurut Kelompok Barang dan Kabupaten/Kota "
            "di Provinsi Bengkulu",
            "Average Monthly per Capita Expenditure by Commodity Group and Regency/Municipality",
        ),
        "Kabupaten/Kota",
        ["Makanan (Rp)", "Bukan Makanan (Rp)", "Jumlah (Rp)", "Porsi Makanan (%)"],
        rows,
        [0, 0, 0, 2],
        source="BPS, Susenas Maret",
    )

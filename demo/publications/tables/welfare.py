"""Tables on education, health and poverty."""

from __future__ import annotations

from demo.publications.tables.base import (
    _by_unit,
    _Ctx,
    _for_year,
    _jitter,
    _TableData,
    _totals,
    _yearly,
    _years,
)
from demo.publications.words import _en


def _t_edu_school(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    rows = []
    for u, pop in zip(units, ctx.area.pops, strict=True):
        sd = max(1, round(pop / 1500 * ctx.rng.uniform(0.85, 1.15)))
        smp = max(1, round(sd * ctx.rng.uniform(0.3, 0.45)))
        sma = max(1, round(sd * ctx.rng.uniform(0.12, 0.22)))
        murid = pop * 0.11 * ctx.rng.uniform(0.9, 1.1)
        guru = murid / ctx.rng.uniform(12, 17)
        rows.append((u, [float(sd), float(smp), float(sma), murid, guru]))
    tot = _totals(rows, 5)
    return _TableData(
        f"Jumlah Sekolah, Murid, dan Guru Sekolah Dasar Menurut {label} {ctx.where()}, "
        f"{ctx.p - variant}/{ctx.p - variant + 1}",
        f"Number of Schools, Pupils and Teachers by {_en(label)}, "
        f"{ctx.p - variant}/{ctx.p - variant + 1}",
        label,
        ["SD", "SMP", "SMA/SMK", "Murid SD", "Guru SD"],
        rows,
        [0, 0, 0, 0, 0],
        (ctx.area.name, tot),
        source="Kementerian Pendidikan Dasar dan Menengah, Data Pokok Pendidikan",
    )


def _t_edu_participation(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    base = [
        ("APS 7–12 tahun", 99.4),
        ("APS 13–15 tahun", 96.2),
        ("APS 16–18 tahun", 77.5),
        ("APS 19–23 tahun", 31.5),
        ("APK SD", 106.0),
        ("APK SMP", 91.0),
        ("APK SMA", 88.5),
        ("APM SD", 97.8),
        ("APM SMP", 79.6),
        ("APM SMA", 64.2),
    ]
    rows = [
        (
            name,
            [
                min(
                    100.0 if "APS" in name else 130.0,
                    v - 0.4 * (ctx.p - y) + ctx.rng.uniform(-0.5, 0.5),
                )
                for y in years
            ],
        )
        for name, v in base
    ]
    return _yearly(
        ctx,
        years,
        (
            "Angka Partisipasi Sekolah (APS), Angka Partisipasi Kasar (APK), dan Angka "
            "Partisipasi Murni (APM)",
            "School Participation, Gross and Net Enrollment Ratios",
        ),
        "Indikator",
        rows,
        unit="(persen)",
        source="BPS, Survei Sosial Ekonomi Nasional (Susenas) Maret",
    )


def _t_edu_attainment(ctx: _Ctx, variant: int) -> _TableData:
    levels = [
        ("Tidak/Belum Pernah Sekolah", 2.1),
        ("Tidak Tamat SD", 9.8),
        ("SD/Sederajat", 24.6),
        ("SMP/Sederajat", 21.0),
        ("SMA/Sederajat", 30.5),
        ("Perguruan Tinggi", 12.0),
    ]
    rows = []
    for name, v in levels:
        urban = v * (0.6 if name.startswith(("Tidak", "SD")) else 1.3)
        rural = v * (1.2 if name.startswith(("Tidak", "SD")) else 0.85)
        rows.append((name, [_jitter(ctx.rng, urban, 0.05), _jitter(ctx.rng, rural, 0.05), v]))
    return _for_year(
        ctx,
        variant,
        (
            f"Persentase Penduduk Berumur 15 Tahun ke Atas Menurut Pendidikan Tertinggi yang "
            f"Ditamatkan dan Daerah Tempat Tinggal {ctx.where()}",
            "Population Aged 15 and Over by Educational Attainment and Area",
        ),
        "Pendidikan Tertinggi",
        ["Perkotaan", "Perdesaan", "Perkotaan + Perdesaan"],
        rows,
        [2, 2, 2],
        unit="(persen)",
        source="BPS, Susenas Maret",
    )


def _t_health_facilities(ctx: _Ctx, variant: int) -> _TableData:
    units = ctx.area.units
    rows = []
    for u, pop in zip(units, ctx.area.pops, strict=True):
        rs = float(round(pop / 90000 * ctx.rng.uniform(0.6, 1.4)))
        pk = float(max(1, round(pop / 11500 * ctx.rng.uniform(0.8, 1.2))))
        klinik = float(round(pop / 9000 * ctx.rng.uniform(0.3, 1.6)))
        posy = float(round(pop / 620 * ctx.rng.uniform(0.85, 1.15)))
        rows.append((u, [rs, pk, klinik, posy]))
    return _by_unit(
        ctx,
        variant,
        (
            "Jumlah Rumah Sakit, Puskesmas, Klinik, dan Posyandu Menurut {label} {where}",
            "Number of Hospitals, Community Health Centres, Clinics and Integrated Service Posts "
            "by {label_en}",
        ),
        ["Rumah Sakit", "Puskesmas", "Klinik", "Posyandu"],
        rows,
        [0, 0, 0, 0],
        source="Dinas Kesehatan Provinsi Bengkulu",
    )


def _t_health_indicators(ctx: _Ctx, variant: int) -> _TableData:
    years = _years(ctx, 5, variant)
    base = [
        ("Penduduk yang Mempunyai Keluhan Kesehatan", 29.5),
        ("Angka Kesakitan", 14.6),
        ("Penduduk yang Berobat Jalan", 41.0),
        ("Memiliki Jaminan Kesehatan", 71.0),
        ("Persalinan Ditolong Tenaga Kesehatan", 96.0),
        ("Balita Pernah Diberi ASI", 95.5),
    ]
    rows = [
        (n, [min(99.9, _jitter(ctx.rng, v + 0.6 * (y - years[0]), 0.03)) for y in years])
        for n, v in base
    ]
    return _yearly(
        ctx,
        years,
        ("Indikator Kesehatan Penduduk", "Health Indicators"),
        "Indikator",
        rows,
        unit="(persen)",
        source="BPS, Susenas Maret",
    )


def _t_poverty_series(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    pct_now = ctx.facts["miskin_raw"]
    pop = ctx.facts["pop_raw"]
    periods = []
    for y in range(ctx.year - 5 - variant, ctx.year + 1 - variant):
        periods.append(f"Maret {y}")
        if y < ctx.year - variant:
            periods.append(f"September {y}")
    n = len(periods)
    for i, label in enumerate(periods):
        pct = pct_now + 0.22 * (n - 1 - i) + ctx.rng.uniform(-0.15, 0.15)
        total = pop * (1 - 0.013 * (n - 1 - i) / 2) * pct / 100 / 1000
        urban = total * ctx.rng.uniform(0.33, 0.37)
        rows.append((label, [urban, total - urban, total, pct]))
    return _TableData(
        f"Jumlah dan Persentase Penduduk Miskin Menurut Daerah {ctx.where()}, "
        f"{periods[0]}–{periods[-1]}",
        f"Number and Percentage of Poor People by Area, {periods[0]}–{periods[-1]}",
        "Periode",
        ["Perkotaan (ribu)", "Perdesaan (ribu)", "Jumlah (ribu)", "Persentase (%)"],
        rows[-11:],
        [2, 2, 2, 2],
        source="BPS, Survei Sosial Ekonomi Nasional (Susenas)",
    )


def _t_poverty_region(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u, pop, tr in zip(prov.units, prov.pops, prov.traits, strict=True):
        pct = _jitter(ctx.rng, tr["miskin"], 0.04)
        gk = ctx.rng.uniform(560000, 760000)
        rows.append(
            (
                u,
                [
                    gk,
                    pop * pct / 100 / 1000,
                    pct,
                    ctx.rng.uniform(1.6, 3.2),
                    ctx.rng.uniform(0.35, 0.9),
                ],
            )
        )
    return _for_year(
        ctx,
        variant,
        (
            "Garis Kemiskinan, Jumlah dan Persentase Penduduk Miskin, Indeks Kedalaman (P1) dan "
            "Indeks Keparahan (P2) Kemiskinan Menurut Kabupaten/Kota",
            "Poverty Line, Number and Percentage of Poor People, P1 and P2 by Regency/Municipality",
        ),
        "Kabupaten/Kota",
        ["Garis Kemiskinan (Rp/kap/bln)", "Penduduk Miskin (ribu)", "Persentase (%)", "P1", "P2"],
        rows,
        [0, 2, 2, 2, 2],
        source="BPS, Susenas Maret",
    )


def _t_poverty_line(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    for y in range(ctx.year - 4 - variant, ctx.year + 1 - variant):
        food = 520000 * (1.045 ** (y - ctx.year + 4))
        nonfood = food * ctx.rng.uniform(0.32, 0.36)
        rows.append((f"Maret {y}", [food, nonfood, food + nonfood, food / (food + nonfood) * 100]))
    return _TableData(
        f"Garis Kemiskinan Makanan dan Bukan Makanan {ctx.where()}, "
        f"Maret {ctx.year - 4 - variant}–Maret {ctx.year - variant}",
        "Food and Non-Food Poverty Line",
        "Periode",
        [
            "GK Makanan (Rp)",
            "GK Bukan Makanan (Rp)",
            "Garis Kemiskinan (Rp)",
            "Sumbangan Makanan (%)",
        ],
        rows,
        [0, 0, 0, 2],
        unit="(rupiah/kapita/bulan)",
        source="BPS, Susenas Maret",
    )

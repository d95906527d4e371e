"""Tables on geography, government, population and labour."""

from __future__ import annotations

from demo.publications import content as dc
from demo.publications.tables.base import (
    AUGUST,
    PROJECTION,
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


def _t_geo_area(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    total_area = sum(ctx.area.areas)
    rows = [
        (u, [a, a / total_area * 100, float(v)])
        for u, a, v in zip(units, ctx.area.areas, ctx.area.villages, strict=True)
    ]
    return _TableData(
        f"Luas Daerah dan Jumlah Desa/Kelurahan Menurut {label} {ctx.where()}, {ctx.p}",
        f"Total Area and Number of Villages by {_en(label)} in {ctx.facts['area']}, {ctx.p}",
        label,
        ["Luas (km²)", "Persentase (%)", "Desa/Kelurahan"],
        rows,
        [2, 2, 0],
        (ctx.area.name, [total_area, 100.0, float(sum(ctx.area.villages))]),
        source="Badan Informasi Geospasial; Biro Pemerintahan Provinsi Bengkulu",
    )


def _t_climate(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    for m, rain in enumerate(dc.RAINFALL):
        rows.append(
            (
                ctx.facts["months"][m],
                [
                    _jitter(ctx.rng, 27.0, 0.03),
                    _jitter(ctx.rng, 84.0, 0.04),
                    _jitter(ctx.rng, rain, 0.2),
                    float(ctx.rng.randint(12, 26)),
                ],
            )
        )
    return _for_year(
        ctx,
        variant,
        (
            "Rata-Rata Suhu, Kelembapan, Curah Hujan, dan Hari Hujan Menurut Bulan di "
            "Stasiun Meteorologi Fatmawati Soekarno",
            "Average Temperature, Humidity, Rainfall and Rainy Days by Month at Fatmawati "
            "Soekarno Meteorological Station",
        ),
        "Bulan",
        ["Suhu (°C)", "Kelembapan (%)", "Curah Hujan (mm)", "Hari Hujan"],
        rows,
        [1, 1, 1, 0],
        source="BMKG Stasiun Meteorologi Fatmawati Soekarno",
    )


def _t_gov_villages(ctx: _Ctx, variant: int) -> _TableData:
    units = ctx.area.units
    rows = []
    for u, v in zip(units, ctx.area.villages, strict=True):
        kel = max(0, round(v * ctx.rng.uniform(0.0, 0.25)))
        rows.append((u, [float(v - kel), float(kel), float(v)]))
    return _by_unit(
        ctx,
        variant,
        ("Jumlah Desa dan Kelurahan Menurut {label} {where}", "Number of Villages by {label_en}"),
        ["Desa", "Kelurahan", "Jumlah"],
        rows,
        [0, 0, 0],
        source="Biro Pemerintahan dan Otonomi Daerah",
    )


def _t_gov_asn(ctx: _Ctx, variant: int) -> _TableData:
    levels = ["SD", "SMP", "SMA/SMK", "Diploma I/II/III", "Diploma IV/S1", "S2/S3"]
    shares = [0.01, 0.02, 0.17, 0.12, 0.58, 0.10]
    total = ctx.facts["pop_raw"] * 0.013
    rows = []
    for lv, sh in zip(levels, shares, strict=True):
        male = total * sh * ctx.rng.uniform(0.38, 0.5)
        female = total * sh - male
        rows.append((lv, [male, female, male + female]))
    tot = _totals(rows, 3)
    return _for_year(
        ctx,
        variant,
        (
            f"Jumlah Aparatur Sipil Negara Menurut Tingkat Pendidikan dan Jenis Kelamin "
            f"{ctx.where()}",
            "Number of Civil Servants by Education and Sex",
        ),
        "Tingkat Pendidikan",
        ["Laki-laki", "Perempuan", "Jumlah"],
        rows,
        [0, 0, 0],
        total=("Jumlah", tot),
        source="Badan Kepegawaian Daerah",
    )


def _t_pop_region(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    years = _years(ctx, 3, variant)
    rows = []
    for u, pop in zip(units, ctx.area.pops, strict=True):
        growth = ctx.rng.uniform(0.009, 0.019)
        vals: list[float | None] = [pop / (1 + growth) ** (ctx.p - y) / 1000 for y in years]
        vals.append(growth * 100)
        rows.append((u, vals))
    tot: list[float | None] = list(_totals(rows, 3))
    tot.append(((tot[2] or 0) / (tot[1] or 1) - 1) * 100)
    return _TableData(
        f"Jumlah Penduduk dan Laju Pertumbuhan Penduduk Menurut {label} {ctx.where()}, "
        f"{years[0]}–{years[-1]}",
        f"Population and Population Growth Rate by {_en(label)}, {years[0]}–{years[-1]}",
        label,
        [*(str(y) for y in years), f"Laju Pertumbuhan {years[-2]}–{years[-1]} (%)"],
        rows,
        [2, 2, 2, 2],
        (ctx.area.name, tot),
        unit="(ribu jiwa)",
        source=PROJECTION,
    )


def _t_pop_density(ctx: _Ctx, variant: int) -> _TableData:
    units = ctx.area.units
    total = sum(ctx.area.pops)
    rows = []
    for u, pop, area in zip(units, ctx.area.pops, ctx.area.areas, strict=True):
        rows.append((u, [pop / 1000, pop / total * 100, pop / area, ctx.rng.uniform(100, 106)]))
    return _by_unit(
        ctx,
        variant,
        (
            "Persentase Penduduk, Kepadatan Penduduk, dan Rasio Jenis Kelamin Menurut {label} "
            "{where}",
            "Population Distribution, Density and Sex Ratio by {label_en}",
        ),
        ["Penduduk (ribu)", "Persentase (%)", "Kepadatan (jiwa/km²)", "Rasio Jenis Kelamin"],
        rows,
        [2, 2, 0, 1],
        total=[total / 1000, 100.0, total / sum(ctx.area.areas), 103.2],
        source=PROJECTION,
    )


def _t_pop_age_sex(ctx: _Ctx, variant: int) -> _TableData:
    total = sum(ctx.area.pops)
    rows = []
    for group, share in zip(dc.AGE_GROUPS, dc.AGE_SHARES, strict=True):
        n = total * share
        male = n * ctx.rng.uniform(0.5, 0.52)
        rows.append((group, [male, n - male, n]))
    tot = _totals(rows, 3)
    return _for_year(
        ctx,
        variant,
        (
            f"Jumlah Penduduk Menurut Kelompok Umur dan Jenis Kelamin {ctx.where()}",
            f"Population by Age Group and Sex in {ctx.facts['area']}",
        ),
        "Kelompok Umur",
        ["Laki-laki", "Perempuan", "Jumlah"],
        rows,
        [0, 0, 0],
        total=("Jumlah", tot),
        unit="(jiwa)",
        source=PROJECTION,
    )


def _t_pop_assumption(ctx: _Ctx, variant: int) -> _TableData:
    years = list(range(2020, 2046, 5))
    steps = range(len(years))
    rows: list[tuple[str, list[float | None]]] = [
        ("Angka Kelahiran Total (TFR)", [2.28 - 0.04 * i for i in steps]),
        ("Angka Kematian Bayi (per 1000)", [19.8 - 1.6 * i for i in steps]),
        ("Harapan Hidup Laki-laki", [68.3 + 0.7 * i for i in steps]),
        ("Harapan Hidup Perempuan", [72.1 + 0.6 * i for i in steps]),
        ("Migrasi Neto (ribu)", [1.9 - 0.1 * i for i in steps]),
    ]
    return _yearly(
        ctx,
        years,
        ("Asumsi Komponen Proyeksi Penduduk", "Population Projection Assumptions"),
        "Komponen",
        rows,
        source=PROJECTION,
    )


def _t_labor_status(ctx: _Ctx, variant: int) -> _TableData:
    pop = ctx.facts["pop_raw"]
    years = _years(ctx, 3, variant)
    rows: list[tuple[str, list[float | None]]] = []
    puk = [pop * 0.735 * (1 - 0.013 * (ctx.p - y)) for y in years]
    tpak = [ctx.rng.uniform(68.5, 72.5) for _ in years]
    tpt = [ctx.facts["tpt_raw"] * (1 + 0.06 * (ctx.p - y)) for y in years]
    ak = [a * b / 100 for a, b in zip(puk, tpak, strict=True)]
    unemp = [a * t / 100 for a, t in zip(ak, tpt, strict=True)]
    rows.append(("Penduduk Usia Kerja", list(puk)))
    rows.append(("Angkatan Kerja", list(ak)))
    rows.append(("   Bekerja", [a - u for a, u in zip(ak, unemp, strict=True)]))
    rows.append(("   Pengangguran", list(unemp)))
    rows.append(("Bukan Angkatan Kerja", [a - b for a, b in zip(puk, ak, strict=True)]))
    return _TableData(
        f"Penduduk Berumur 15 Tahun ke Atas Menurut Jenis Kegiatan {ctx.where()}, "
        f"Agustus {years[0]}–{years[-1]}",
        f"Population Aged 15 and Over by Type of Activity, August {years[0]}–{years[-1]}",
        "Jenis Kegiatan",
        [f"Agustus {y}" for y in years],
        rows,
        [0, 0, 0],
        None,
        unit="(orang)",
        source="BPS, Survei Angkatan Kerja Nasional (Sakernas) Agustus",
    )


def _t_labor_region(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u, pop, tr in zip(prov.units, prov.pops, prov.traits, strict=True):
        tpak = ctx.rng.uniform(66.0, 75.0)
        tpt = _jitter(ctx.rng, tr["tpt"], 0.1)
        ak = pop * 0.735 * tpak / 100
        rows.append((u, [ak, ak * (1 - tpt / 100), tpak, tpt]))
    ak_t = sum(r[1][0] or 0 for r in rows)
    bek_t = sum(r[1][1] or 0 for r in rows)
    return _TableData(
        f"Angkatan Kerja, Penduduk Bekerja, TPAK, dan TPT Menurut Kabupaten/Kota di "
        f"Provinsi Bengkulu, Agustus {ctx.p - variant}",
        f"Labor Force, Employment, LFPR and Open Unemployment Rate by Regency/Municipality, "
        f"August {ctx.p - variant}",
        "Kabupaten/Kota",
        ["Angkatan Kerja", "Bekerja", "TPAK (%)", "TPT (%)"],
        rows,
        [0, 0, 2, 2],
        (dc.PROVINCE, [ak_t, bek_t, 70.9, (1 - bek_t / ak_t) * 100]),
        source="BPS, Survei Angkatan Kerja Nasional (Sakernas) Agustus",
    )


def _t_labor_sector(ctx: _Ctx, variant: int) -> _TableData:
    sectors = [
        ("Pertanian, Kehutanan, dan Perikanan", 43.0),
        ("Pertambangan dan Penggalian", 1.3),
        ("Industri Pengolahan", 5.4),
        ("Konstruksi", 4.6),
        ("Perdagangan Besar dan Eceran", 17.2),
        ("Transportasi dan Pergudangan", 3.1),
        ("Akomodasi dan Makan Minum", 5.0),
        ("Administrasi Pemerintahan", 5.2),
        ("Jasa Pendidikan", 6.0),
        ("Jasa Kesehatan", 1.9),
        ("Jasa Lainnya", 7.3),
    ]
    years = _years(ctx, 3, variant)
    rows = [(name, [_jitter(ctx.rng, share, 0.06) for _ in years]) for name, share in sectors]
    return _yearly(
        ctx,
        years,
        (
            "Persentase Penduduk Bekerja Menurut Lapangan Pekerjaan Utama",
            "Percentage of Employed Population by Main Industry",
        ),
        "Lapangan Pekerjaan Utama",
        rows,
        total=("Jumlah", [100.0, 100.0, 100.0]),
        unit="(persen)",
        source="BPS, Sakernas Agustus",
        month=AUGUST,
    )


def _t_unemp_edu(ctx: _Ctx, variant: int) -> _TableData:
    levels = [
        ("SD ke Bawah", 1.6),
        ("SMP", 3.1),
        ("SMA Umum", 5.8),
        ("SMA Kejuruan", 7.9),
        ("Diploma I/II/III", 4.2),
        ("Universitas", 5.1),
    ]
    years = _years(ctx, 3, variant)
    rows = [
        (n, [_jitter(ctx.rng, v * (1 + 0.05 * (ctx.p - y)), 0.08) for y in years])
        for n, v in levels
    ]
    return _yearly(
        ctx,
        years,
        (
            "Tingkat Pengangguran Terbuka Menurut Pendidikan Tertinggi yang Ditamatkan",
            "Open Unemployment Rate by Educational Attainment",
        ),
        "Pendidikan Tertinggi",
        rows,
        total=("Total", [ctx.facts["tpt_raw"] * (1 + 0.05 * (ctx.p - y)) for y in years]),
        unit="(persen)",
        source="BPS, Sakernas Agustus",
        month=AUGUST,
    )

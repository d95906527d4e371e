"""Tables on food crops, estate crops, tourism and transport."""

from __future__ import annotations

from demo.publications import content as dc
from demo.publications.tables.base import (
    _by_unit,
    _Ctx,
    _for_year,
    _TableData,
    _totals,
    _trend,
    _yearly,
    _years,
)


def _t_padi_region(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    rows = []
    for u, tr in zip(units, ctx.area.traits, strict=True):
        luas = max(0.0, 61000 * tr["padi"] * ctx.rng.uniform(0.85, 1.15))
        if label == "Kecamatan":
            luas /= len(units) * 0.08
        yld = ctx.rng.uniform(40.0, 52.0)
        rows.append((u, [luas, yld, luas * yld / 10]))
    lt = sum(r[1][0] or 0 for r in rows)
    pt = sum(r[1][2] or 0 for r in rows)
    return _by_unit(
        ctx,
        variant,
        (
            "Luas Panen, Produktivitas, dan Produksi Padi Menurut {label} {where}",
            "Harvested Area, Productivity and Production of Paddy by {label_en}",
        ),
        ["Luas Panen (ha)", "Produktivitas (ku/ha)", "Produksi (ton GKG)"],
        rows,
        [0, 2, 0],
        total=[lt, pt / lt * 10 if lt else 0.0, pt],
        source="BPS, Survei Kerangka Sampel Area (KSA) dan Survei Ubinan",
    )


def _t_padi_monthly(ctx: _Ctx, variant: int) -> _TableData:
    shape = (0.07, 0.10, 0.16, 0.14, 0.07, 0.05, 0.07, 0.09, 0.08, 0.05, 0.05, 0.07)
    total_luas = (
        61000.0 if ctx.area.code == "17" else 61000 * dc.REGION_TRAITS[ctx.area.code]["padi"]
    )
    rows = []
    for m, sh in enumerate(shape):
        luas = total_luas * sh * ctx.rng.uniform(0.85, 1.15)
        prod = luas * ctx.rng.uniform(4.2, 4.9)
        rows.append((ctx.facts["months"][m], [luas, prod, prod * 0.5748]))
    tot = _totals(rows, 3)
    return _for_year(
        ctx,
        variant,
        (
            f"Luas Panen, Produksi Padi, dan Produksi Beras Menurut Bulan {ctx.where()}",
            "Harvested Area, Paddy and Rice Production by Month",
        ),
        "Bulan",
        ["Luas Panen (ha)", "Produksi Padi (ton GKG)", "Produksi Beras (ton)"],
        rows,
        [0, 0, 0],
        total=("Jumlah", tot),
        source="BPS, Survei KSA",
    )


def _t_estate_region(ctx: _Ctx, variant: int) -> _TableData:
    label, units = ctx.local()
    rows = []
    scale = 1.0 if label != "Kecamatan" else 1.0 / len(units)
    for u, tr in zip(units, ctx.area.traits, strict=True):
        sawit = 1_120_000 * tr["sawit"] * ctx.rng.uniform(0.85, 1.15) * scale * 10
        karet = 95000 * ctx.rng.uniform(0.02, 0.2) * scale * 10
        kopi = 58000 * tr["kopi"] * ctx.rng.uniform(0.85, 1.15) * scale * 10
        kelapa = 9000 * ctx.rng.uniform(0.02, 0.2) * scale * 10
        rows.append((u, [sawit / 10, karet / 10, kopi / 10, kelapa / 10]))
    return _by_unit(
        ctx,
        variant,
        (
            "Produksi Tanaman Perkebunan Menurut {label} dan Jenis Tanaman {where}",
            "Estate Crops Production by {label_en} and Crop",
        ),
        ["Kelapa Sawit", "Karet", "Kopi", "Kelapa"],
        rows,
        [0, 0, 0, 0],
        unit="(ton)",
        source="Dinas Tanaman Pangan, Hortikultura, dan Perkebunan",
    )


def _t_estate_area(ctx: _Ctx, variant: int) -> _TableData:
    crops = [
        ("Kelapa Sawit", 410000),
        ("Karet", 125000),
        ("Kopi", 90000),
        ("Kelapa", 9800),
        ("Kakao", 6500),
        ("Lada", 2900),
        ("Cengkeh", 1200),
    ]
    years = _years(ctx, 5, variant)
    return _yearly(
        ctx,
        years,
        (
            "Luas Areal Tanaman Perkebunan Rakyat Menurut Jenis Tanaman",
            "Smallholder Estate Crops Area by Crop",
        ),
        "Jenis Tanaman",
        _trend(ctx, crops, years, 0.01, 0.02),
        decimals=0,
        unit="(hektare)",
        source="Dinas Tanaman Pangan, Hortikultura, dan Perkebunan",
    )


def _t_tourism_monthly(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    for m in range(12):
        tpk = ctx.rng.uniform(38, 62) + (6 if m in (5, 6, 11) else 0)
        dom = ctx.rng.uniform(14000, 23000)
        asing = ctx.rng.uniform(40, 160)
        rows.append((ctx.facts["months"][m], [tpk, dom, asing, ctx.rng.uniform(1.3, 1.8)]))
    return _for_year(
        ctx,
        variant,
        (
            f"Tingkat Penghunian Kamar (TPK), Jumlah Tamu, dan Rata-Rata Lama Menginap Tamu "
            f"Hotel Berbintang Menurut Bulan {ctx.where()}",
            "Room Occupancy Rate, Guests and Average Length of Stay at Classified Hotels by Month",
        ),
        "Bulan",
        ["TPK (%)", "Tamu Domestik", "Tamu Asing", "Lama Menginap (malam)"],
        rows,
        [2, 0, 0, 2],
        source="BPS, Survei Penghunian Kamar Hotel",
    )


def _t_hotel_region(ctx: _Ctx, variant: int) -> _TableData:
    prov = ctx.province
    rows = []
    for u, pop in zip(prov.units, prov.pops, strict=True):
        big = 1.0 if u == "Kota Bengkulu" else 0.15
        star = float(round(12 * big * ctx.rng.uniform(0.5, 1.2)))
        other = float(round(pop / 6000 * ctx.rng.uniform(0.6, 1.4) * (2 if big == 1 else 1)))
        rooms = (star * 60 + other * 14) * ctx.rng.uniform(0.9, 1.1)
        rows.append((u, [star, other, star + other, rooms]))
    tot = _totals(rows, 4)
    return _for_year(
        ctx,
        variant,
        (
            "Jumlah Usaha Akomodasi dan Kamar Menurut Kabupaten/Kota di Provinsi Bengkulu",
            "Number of Accommodation Establishments and Rooms by Regency/Municipality",
        ),
        "Kabupaten/Kota",
        ["Hotel Berbintang", "Akomodasi Lainnya", "Jumlah Usaha", "Jumlah Kamar"],
        rows,
        [0, 0, 0, 0],
        total=(dc.PROVINCE, tot),
        source="BPS, Direktori Usaha Akomodasi",
    )


def _t_roads(ctx: _Ctx, variant: int) -> _TableData:
    units = ctx.area.units
    rows = []
    for u, area in zip(units, ctx.area.areas, strict=True):
        length = area * ctx.rng.uniform(0.35, 0.6) * (4 if u == "Kota Bengkulu" else 1)
        good = ctx.rng.uniform(0.45, 0.7)
        fair = ctx.rng.uniform(0.1, 0.25)
        bad = ctx.rng.uniform(0.05, 1 - good - fair - 0.02)
        rows.append(
            (
                u,
                [
                    length * good,
                    length * fair,
                    length * bad,
                    length * (1 - good - fair - bad),
                    length,
                ],
            )
        )
    return _by_unit(
        ctx,
        variant,
        (
            "Panjang Jalan Menurut {label} dan Kondisi Jalan {where}",
            "Length of Roads by {label_en} and Condition",
        ),
        ["Baik", "Sedang", "Rusak", "Rusak Berat", "Jumlah"],
        rows,
        [2, 2, 2, 2, 2],
        unit="(km)",
        source="Dinas Pekerjaan Umum dan Penataan Ruang",
    )


def _t_airport(ctx: _Ctx, variant: int) -> _TableData:
    rows = []
    for m in range(12):
        arr = ctx.rng.uniform(42000, 68000) * (1.25 if m in (3, 5, 11) else 1)
        dep = arr * ctx.rng.uniform(0.92, 1.08)
        rows.append(
            (ctx.facts["months"][m], [float(round(arr / 150)), arr, dep, ctx.rng.uniform(80, 220)])
        )
    tot = _totals(rows, 4)
    return _for_year(
        ctx,
        variant,
        (
            "Jumlah Penerbangan, Penumpang, dan Barang di Bandar Udara Fatmawati Soekarno "
            "Menurut Bulan",
            "Flights, Passengers and Cargo at Fatmawati Soekarno Airport by Month",
        ),
        "Bulan",
        ["Penerbangan", "Penumpang Datang", "Penumpang Berangkat", "Bongkar Barang (ton)"],
        rows,
        [0, 0, 0, 1],
        total=("Jumlah", tot),
        source="PT Angkasa Pura Indonesia, Bandar Udara Fatmawati Soekarno",
    )

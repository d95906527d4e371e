"""Demo products of every kind with their tariffs (for ``pst demo``): printed and digital
publications from the catalogue (digital copies only of publications the library does
not give away: :func:`store.products.check_offer`), two microdata sets with variables
and generated data files (SUSENAS as CSV and SPSS, SAKERNAS as CSV, Stata and DBF) and
wilkerstat maps (the regencies' working areas in one multi-region GeoJSON, zipped
Shapefile and GeoPackage; the province's as GeoJSON). Files are attached through
:func:`store.products.attach_file`, so they pass the same check as an officer's.
Idempotent: products are matched by title and tariffs by code, so running it again adds
nothing.

The amounts are demonstration values standing in for the PP 13/2024 annex; officers set
the real ones on the tariff page.
"""

from __future__ import annotations

import io
import json
import random
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.uow import transactional
from catalog.models import Access, Publication, Status
from storage import BlobStore
from store import regions
from store.models import Product, ProductKind, TariffUnit
from store.products import attach_file, check_offer, set_variables
from store.requirements import current_agreement
from store.tariffs import upsert_tariff

TARIFFS = (
    ("PUB-CETAK", "Publikasi tercetak, per eksemplar", 75_000, TariffUnit.ITEM),
    ("PUB-DIGITAL", "Publikasi digital (softcopy), per judul", 30_000, TariffUnit.ITEM),
    ("MIKRO-KOR", "Data mikro survei (kor), per kabupaten/kota", 750_000, TariffUnit.REGION),
    ("MIKRO-PROV", "Data mikro survei, tingkat provinsi", 1_500_000, TariffUnit.REGION),
    ("PETA-WILKERSTAT", "Peta digital wilkerstat, per wilayah", 100_000, TariffUnit.REGION),
)

SUSENAS_VARS = (
    ("R101", "Provinsi"),
    ("R102", "Kabupaten/Kota"),
    ("R105", "Klasifikasi desa/kelurahan (perkotaan/perdesaan)"),
    ("R301", "Jumlah anggota rumah tangga"),
    ("R407", "Umur (tahun)"),
    ("R405", "Jenis kelamin"),
    ("R612", "Ijazah/STTB tertinggi yang dimiliki"),
    ("R1809", "Luas lantai rumah (m²)"),
    ("EXPEND", "Pengeluaran per kapita sebulan (Rp)"),
    ("FOOD", "Pengeluaran makanan per kapita sebulan (Rp)"),
    ("WEIND", "Penimbang rumah tangga"),
)
SAKERNAS_VARS = (
    ("KODE_PROV", "Kode provinsi"),
    ("KODE_KAB", "Kode kabupaten/kota"),
    ("K4", "Jenis kelamin"),
    ("K9", "Umur"),
    ("R6A", "Pendidikan tertinggi yang ditamatkan"),
    ("R10A", "Bekerja seminggu yang lalu"),
    ("R13A", "Lapangan usaha pekerjaan utama (KBLI 2020)"),
    ("R22A", "Jumlah jam kerja seminggu"),
    ("R28", "Upah/gaji bersih sebulan (Rp)"),
    ("WEIGHT", "Penimbang individu"),
)


#: dBASE field definitions of the SAKERNAS variables (name, type, size, decimals).
SAKERNAS_DBF_FIELDS = [
    ("KODE_PROV", "C", 2, 0),
    ("KODE_KAB", "C", 4, 0),
    ("K4", "N", 1, 0),
    ("K9", "N", 3, 0),
    ("R6A", "N", 2, 0),
    ("R10A", "N", 1, 0),
    ("R13A", "C", 1, 0),
    ("R22A", "N", 3, 0),
    ("R28", "N", 9, 0),
    ("WEIGHT", "N", 10, 2),
]
SUSENAS_VALUE_LABELS: dict[str, dict[int | float, str]] = {
    "R102": {float(code): name for code, name in regions.REGENCIES},
    "R105": {1: "Perkotaan", 2: "Perdesaan"},
    "R405": {1: "Laki-laki", 2: "Perempuan"},
}
SAKERNAS_VALUE_LABELS: dict[str, dict[int | float, str]] = {
    "K4": {1: "Laki-laki", 2: "Perempuan"},
    "R10A": {1: "Ya", 2: "Tidak"},
}


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    out.write(",".join(header) + "\n")
    for row in rows:
        out.write(",".join(str(v) for v in row) + "\n")
    return out.getvalue().encode()


def _regency(i: int) -> str:
    """Rows go round the regencies, so every one of them has data to sell."""
    return regions.REGENCIES[i % len(regions.REGENCIES)][0]


def susenas_rows(rng: random.Random, n: int = 240) -> list[list[Any]]:
    rows = []
    for i in range(n):
        expend = rng.randint(650_000, 2_400_000)
        rows.append(
            [
                "17",
                _regency(i),
                rng.choice([1, 2]),
                rng.randint(1, 8),
                rng.randint(0, 85),
                rng.choice([1, 2]),
                rng.randint(0, 9),
                rng.randint(24, 160),
                expend,
                int(expend * rng.uniform(0.45, 0.62)),
                round(rng.uniform(40, 220), 2),
            ]
        )
    return rows


def sakernas_rows(rng: random.Random, n: int = 200) -> list[list[Any]]:
    rows = []
    for i in range(n):
        rows.append(
            [
                "17",
                _regency(i),
                rng.choice([1, 2]),
                rng.randint(15, 70),
                rng.randint(1, 13),
                rng.choice([1, 2]),
                rng.choice(["A", "C", "G", "P", "O"]),
                rng.randint(0, 60),
                rng.randint(0, 6_000_000),
                round(rng.uniform(80, 400), 2),
            ]
        )
    return rows


def _frame(variables: tuple[tuple[str, str], ...], rows: list[list[Any]], numeric: set[str]) -> Any:
    import pandas as pd

    names = [name for name, _ in variables]
    frame = pd.DataFrame(rows, columns=names)
    for name in numeric:
        frame[name] = frame[name].astype(float)
    return frame


def stat_file(
    fmt: str,
    variables: tuple[tuple[str, str], ...],
    rows: list[list[Any]],
    *,
    numeric: set[str],
    value_labels: dict[str, dict[int | float, str]],
) -> bytes:
    """An SPSS (``sav``) or Stata (``dta``) file with variable and value labels."""
    import pyreadstat

    frame = _frame(variables, rows, numeric)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"data.{fmt}"
        writer = pyreadstat.write_sav if fmt == "sav" else pyreadstat.write_dta
        writer(
            frame,
            str(path),
            column_labels=dict(variables),
            variable_value_labels=value_labels,
        )
        return path.read_bytes()


def dbf_file(fields: list[tuple[str, str, int, int]], rows: list[list[Any]]) -> bytes:
    import shapefile

    out = io.BytesIO()
    writer = shapefile.Writer(dbf=out)
    for field in fields:
        writer.field(*field)
    for row in rows:
        writer.record(*row)
    writer.close()
    return out.getvalue()


# --- maps -------------------------------------------------------------------------------


def map_features(rng: random.Random, *, per_region: int = 2) -> list[dict[str, Any]]:
    """Working areas (SLS) of every regency, ``per_region`` squares each, as GeoJSON
    features whose ``kode`` is the regency's code."""
    features = []
    for r, (code, name) in enumerate(regions.REGENCIES):
        x0, y0 = 101.0 + (r % 5) * 0.5, -5.0 + (r // 5) * 0.5
        for n in range(per_region):
            x, y = x0 + n * 0.2 + rng.random() * 0.01, y0 + rng.random() * 0.01
            ring = [[x, y], [x + 0.15, y], [x + 0.15, y + 0.15], [x, y + 0.15], [x, y]]
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "kode": code,
                        "idsls": f"{code}010001{n + 1:04d}",
                        "nama": name,
                        "sumber": "BPS, wilkerstat (demo)",
                    },
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                }
            )
    return features


def geojson_file(features: list[dict[str, Any]]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


WGS84_PRJ = (
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,'
    '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)


def shapefile_zip(features: list[dict[str, Any]], stem: str) -> bytes:
    """The features as a zipped Shapefile (.shp, .shx, .dbf, .prj, .cpg)."""
    import shapefile

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON)
    for name in features[0]["properties"]:
        writer.field(name, "C", 60)
    for feature in features:
        writer.poly(feature["geometry"]["coordinates"])
        writer.record(*feature["properties"].values())
    writer.close()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for ext, content in (
            ("shp", shp.getvalue()),
            ("shx", shx.getvalue()),
            ("dbf", dbf.getvalue()),
            ("prj", WGS84_PRJ.encode()),
            ("cpg", b"UTF-8"),
        ):
            archive.writestr(f"{stem}.{ext}", content)
    return out.getvalue()


def _wkb_polygon(rings: list[list[list[float]]]) -> bytes:
    parts = [struct.pack("<BII", 1, 3, len(rings))]
    for ring in rings:
        parts.append(struct.pack("<I", len(ring)))
        parts += [struct.pack("<dd", x, y) for x, y in ring]
    return b"".join(parts)


def geopackage_file(features: list[dict[str, Any]], layer: str) -> bytes:
    """The features as one GeoPackage layer (GDAL writes its extents and R-tree index)."""
    import warnings

    import numpy as np
    from pyogrio import raw

    names = list(features[0]["properties"])
    geometry = np.array(
        [_wkb_polygon(f["geometry"]["coordinates"]) for f in features], dtype=object
    )
    columns = [np.array([f["properties"][n] for f in features], dtype=object) for n in names]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.gpkg"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            raw.write(
                path,
                geometry,
                columns,
                names,
                layer=layer,
                driver="GPKG",
                geometry_type="Polygon",
                crs="EPSG:4326",
            )
        return path.read_bytes()


def _attach(session: Session, store: BlobStore, product: Product, name: str, data: bytes) -> None:
    ctype = {
        "csv": "text/csv",
        "geojson": "application/geo+json",
        "zip": "application/zip",
        "gpkg": "application/geopackage+sqlite3",
    }.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    attach_file(session, store, product, name, data, actor_id=None, content_type=ctype)


@transactional
def seed_products(session: Session, store: BlobStore, *, seed: int = 1700) -> int:
    """Add the demo tariffs and products that are missing; returns how many products."""
    rng = random.Random(seed)  # noqa: S311 - demo data
    tariff = {
        code: upsert_tariff(session, code, label=label, amount=amount, unit=unit)
        for code, label, amount, unit in TARIFFS
    }
    existing = set(session.scalars(select(Product.title)))
    added = 0

    def add(product: Product) -> Product | None:
        nonlocal added
        if product.title in existing:
            return None
        session.add(product)
        existing.add(product.title)
        added += 1
        return product

    publications = list(
        session.scalars(
            select(Publication)
            .where(Publication.status == Status.ACTIVE)
            .order_by((Publication.access == Access.SALE).desc(), Publication.id)
            .limit(4)
        )
    )
    for pub in publications[:2]:
        add(
            Product(
                kind=ProductKind.PRINTED,
                title=f"{pub.title} (cetak)",
                description="Buku tercetak, dikirim ke alamat pembeli.",
                tariff=tariff["PUB-CETAK"],
                publication_id=pub.id,
                stock=25,
                shipping_fee=20_000,
            )
        )
    for pub in publications[:4]:
        if pub.access == Access.OPEN:
            continue  # free to download in the library: not sold as a digital product
        digital = Product(
            kind=ProductKind.DIGITAL,
            title=f"{pub.title} (PDF)",
            description="Salinan digital bertanda nama pembeli dan kode pesanan.",
            tariff=tariff["PUB-DIGITAL"],
            publication_id=pub.id,
            publication=pub,
        )
        check_offer(digital)
        add(digital)
    susenas = add(
        Product(
            kind=ProductKind.MICRODATA,
            title="Data Mikro SUSENAS Maret 2024 — Provinsi Bengkulu",
            description="Survei Sosial Ekonomi Nasional, modul kor, rumah tangga dan individu.",
            tariff=tariff["MIKRO-KOR"],
            survey="SUSENAS",
            period="Maret 2024",
            coverage="regency",
            formats="csv,sav",
            region_variable="R102",
        )
    )
    if susenas is not None:
        session.flush()
        set_variables(session, susenas, list(SUSENAS_VARS))
        rows = susenas_rows(rng)
        header = [name for name, _ in SUSENAS_VARS]
        _attach(session, store, susenas, "susenas_202403_kor.csv", _csv(header, rows))
        sav = stat_file(
            "sav",
            SUSENAS_VARS,
            rows,
            numeric={"R101", "R102"},
            value_labels=SUSENAS_VALUE_LABELS,
        )
        _attach(session, store, susenas, "susenas_202403_kor.sav", sav)
    sakernas = add(
        Product(
            kind=ProductKind.MICRODATA,
            title="Data Mikro SAKERNAS Agustus 2024 — Provinsi Bengkulu",
            description="Survei Angkatan Kerja Nasional, individu umur 15 tahun ke atas.",
            tariff=tariff["MIKRO-PROV"],
            survey="SAKERNAS",
            period="Agustus 2024",
            coverage="province",
            formats="csv,dta,dbf",
            region_variable="KODE_KAB",
        )
    )
    if sakernas is not None:
        session.flush()
        set_variables(session, sakernas, list(SAKERNAS_VARS))
        rows = sakernas_rows(rng)
        header = [name for name, _ in SAKERNAS_VARS]
        _attach(session, store, sakernas, "sakernas_202408.csv", _csv(header, rows))
        dta = stat_file(
            "dta", SAKERNAS_VARS, rows, numeric=set(), value_labels=SAKERNAS_VALUE_LABELS
        )
        _attach(session, store, sakernas, "sakernas_202408.dta", dta)
        dbf = dbf_file(SAKERNAS_DBF_FIELDS, rows)
        _attach(session, store, sakernas, "sakernas_202408.dbf", dbf)
    maps = add(
        Product(
            kind=ProductKind.MAP,
            title="Peta Digital Wilkerstat 2024 — Kabupaten/Kota di Provinsi Bengkulu",
            description=(
                "Batas wilayah kerja statistik (SLS) per kabupaten/kota: GeoJSON, Shapefile "
                "atau GeoPackage."
            ),
            tariff=tariff["PETA-WILKERSTAT"],
            area_level="regency",
            area_code="1700",
            year=2024,
            formats="geojson,shp,gpkg",
            region_variable="kode",
        )
    )
    if maps is not None:
        session.flush()
        features = map_features(rng)
        stem = "wilkerstat_sls_2024"
        _attach(session, store, maps, f"{stem}.geojson", geojson_file(features))
        _attach(session, store, maps, f"{stem}.zip", shapefile_zip(features, stem))
        _attach(session, store, maps, f"{stem}.gpkg", geopackage_file(features, stem))
    province_map = add(
        Product(
            kind=ProductKind.MAP,
            title="Peta Digital Wilkerstat 2024 — Provinsi Bengkulu",
            description="Batas kabupaten/kota se-Provinsi Bengkulu, GeoJSON.",
            tariff=tariff["PETA-WILKERSTAT"],
            area_level="province",
            area_code="1700",
            year=2024,
            formats="geojson",
            region_variable="kode",
        )
    )
    if province_map is not None:
        session.flush()
        features = map_features(rng, per_region=1)
        _attach(session, store, province_map, "wilkerstat_1700.geojson", geojson_file(features))
    current_agreement(session)  # the first SPPD version
    return added

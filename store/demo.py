"""Demo products of every kind with their tariffs (for ``pst demo``): printed and digital
publications from the catalogue (digital copies only of publications the library does
not give away: :func:`store.products.check_offer`), two microdata sets with variables and
generated data files, and wilkerstat maps as small GeoJSON files. Idempotent: products
are matched by title and tariffs by code, so running it again adds nothing.

The amounts are demonstration values standing in for the PP 13/2024 annex; officers set
the real ones on the tariff page.
"""

from __future__ import annotations

import io
import json
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.blobs import save_blob
from catalog.models import Access, Publication, Status
from storage import BlobStore
from store import regions
from store.models import Product, ProductFile, ProductKind, TariffUnit
from store.products import check_offer, set_variables
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


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    out.write(",".join(header) + "\n")
    for row in rows:
        out.write(",".join(str(v) for v in row) + "\n")
    return out.getvalue().encode()


def _susenas_rows(rng: random.Random, n: int = 240) -> bytes:
    header = [name for name, _ in SUSENAS_VARS]
    rows = []
    for _ in range(n):
        kab = rng.choice(regions.REGENCIES)[0]
        expend = rng.randint(650_000, 2_400_000)
        rows.append(
            [
                "17",
                kab,
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
    return _csv(header, rows)


def _sakernas_rows(rng: random.Random, n: int = 200) -> bytes:
    header = [name for name, _ in SAKERNAS_VARS]
    rows = []
    for _ in range(n):
        rows.append(
            [
                "17",
                rng.choice(regions.REGENCIES)[0],
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
    return _csv(header, rows)


def _geojson(code: str, name: str, rng: random.Random) -> bytes:
    x, y = 101.5 + rng.random() * 1.5, -4.5 + rng.random() * 1.5
    square = [[x, y], [x + 0.2, y], [x + 0.2, y + 0.2], [x, y + 0.2], [x, y]]
    feature = {
        "type": "Feature",
        "properties": {"kode": code, "nama": name, "sumber": "BPS, wilkerstat (demo)"},
        "geometry": {"type": "Polygon", "coordinates": [square]},
    }
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def _file(
    session: Session, store: BlobStore, product: Product, name: str, data: bytes, ctype: str
) -> None:
    ref = save_blob(session, store, io.BytesIO(data), content_type=ctype)
    product.files.append(
        ProductFile(filename=name, blob_key=ref.key, content_type=ctype, size=ref.size)
    )


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
            formats="csv",
            region_variable="R102",
        )
    )
    if susenas is not None:
        session.flush()
        set_variables(session, susenas, list(SUSENAS_VARS))
        _file(session, store, susenas, "susenas_202403_kor.csv", _susenas_rows(rng), "text/csv")
    sakernas = add(
        Product(
            kind=ProductKind.MICRODATA,
            title="Data Mikro SAKERNAS Agustus 2024 — Provinsi Bengkulu",
            description="Survei Angkatan Kerja Nasional, individu umur 15 tahun ke atas.",
            tariff=tariff["MIKRO-PROV"],
            survey="SAKERNAS",
            period="Agustus 2024",
            coverage="province",
            formats="csv",
            region_variable="KODE_KAB",
        )
    )
    if sakernas is not None:
        session.flush()
        set_variables(session, sakernas, list(SAKERNAS_VARS))
        _file(session, store, sakernas, "sakernas_202408.csv", _sakernas_rows(rng), "text/csv")
    maps = add(
        Product(
            kind=ProductKind.MAP,
            title="Peta Digital Wilkerstat 2024 — Kabupaten/Kota di Provinsi Bengkulu",
            description="Batas wilayah kerja statistik (SLS) per kabupaten/kota, GeoJSON.",
            tariff=tariff["PETA-WILKERSTAT"],
            area_level="regency",
            area_code="1700",
            year=2024,
            formats="geojson",
        )
    )
    if maps is not None:
        session.flush()
        for code, name in regions.REGENCIES[:4]:
            _file(
                session,
                store,
                maps,
                f"wilkerstat_{code}.geojson",
                _geojson(code, name, rng),
                "application/geo+json",
            )
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
        )
    )
    if province_map is not None:
        session.flush()
        _file(
            session,
            store,
            province_map,
            "wilkerstat_1700.geojson",
            _geojson("1700", "Provinsi Bengkulu", rng),
            "application/geo+json",
        )
    current_agreement(session)  # the first SPPD version
    session.commit()
    return added

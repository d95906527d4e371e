"""The library's part of ``pst demo``: printed copies on the shelves, and older printed
publications catalogued without a file, so that the reading room and scan requests
have something to show. Idempotent: nothing is added once any copy exists."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.uow import transactional
from catalog.cataloguing import create_record
from catalog.models import Access, Publication, Status
from library.holdings import add_holding
from library.models import Holding, HoldingLocation

#: Older publications of BPS Provinsi Bengkulu the library holds only on paper.
PRINT_ONLY = (
    {
        "title": "Bengkulu Dalam Angka 1996",
        "kat_no": "1102001.17",
        "rl_date": date(1996, 12, 1),
        "period": "1995",
        "subjects": ["Statistik Umum"],
        "abstract": "Publikasi tahunan yang menyajikan data statistik Provinsi Bengkulu "
        "tahun 1995: geografi, pemerintahan, penduduk, pertanian dan perekonomian.",
    },
    {
        "title": "Hasil Sensus Pertanian 1993 Provinsi Bengkulu",
        "kat_no": "5106002.17",
        "rl_date": date(1994, 9, 1),
        "period": "1993",
        "subjects": ["Pertanian"],
        "abstract": "Hasil pencacahan lengkap Sensus Pertanian 1993 di Provinsi Bengkulu: "
        "rumah tangga pertanian, penguasaan lahan dan usaha tani.",
    },
    {
        "title": "Statistik Industri Besar dan Sedang Provinsi Bengkulu 1998",
        "kat_no": "6103002.17",
        "rl_date": date(1999, 11, 1),
        "period": "1998",
        "subjects": ["Industri"],
        "abstract": "Jumlah perusahaan, tenaga kerja, nilai produksi dan nilai tambah "
        "industri besar dan sedang di Provinsi Bengkulu tahun 1998.",
    },
    {
        "title": "Penduduk Provinsi Bengkulu Hasil Sensus Penduduk 2000",
        "kat_no": "2102013.17",
        "rl_date": date(2001, 8, 1),
        "period": "2000",
        "subjects": ["Kependudukan"],
        "abstract": "Jumlah, persebaran dan karakteristik penduduk Provinsi Bengkulu "
        "menurut hasil Sensus Penduduk 2000.",
    },
)


@transactional
def seed_library(session: Session) -> str:
    """Catalogue the print-only publications and put copies of printed ones on shelves
    (one transaction: the records and their copies together, or nothing)."""
    if session.scalar(select(func.count()).select_from(Holding)):
        return "library: copies already registered; demo skipped"
    records = [
        create_record(session, {**meta, "access": Access.OPEN.value}, actor_id=None)
        for meta in PRINT_ONLY
    ]
    printed = list(
        session.scalars(
            select(Publication)
            .where(
                Publication.printed.is_(True),
                Publication.status == Status.ACTIVE,
                Publication.master_key.is_not(None),
            )
            .order_by(Publication.id)
            .limit(20)
        )
    )
    copies = 0
    for n, publication in enumerate([*records, *printed], start=1):
        for copy in range(1 if n % 3 else 2):
            add_holding(
                session,
                publication.id,
                inventory_no=f"PST-{publication.id:04d}-{copy + 1}",
                location=HoldingLocation.DISPLAY if copy == 0 else HoldingLocation.STORAGE,
                shelf=f"R{1 + n % 4}-{1 + n % 6}",
                actor_id=None,
            )
            copies += 1
    return f"library: {len(records)} print-only publications, {copies} printed copies"

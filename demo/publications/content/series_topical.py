"""Single-topic publications and press releases (BRS), including monthly inflation."""

from __future__ import annotations

from typing import Any

from demo.publications.content.series import _series

SERIES_TOPICAL: tuple[dict[str, Any], ...] = (
    _series(
        "brs-pertumbuhan",
        (
            "Pertumbuhan Ekonomi Provinsi Bengkulu Triwulan IV-{p}",
            "Economic Growth of Bengkulu Province Q4-{p}",
        ),
        subtitle="Berita Resmi Statistik",
        kat_no="",
        kind="brs",
        book="brs",
        rl="02-05",
        issn=False,
        subjects=("Pendapatan Regional",),
        chapters=("pdrb",),
        pages=(6, 10),
        abstract=(
            "Ekonomi Provinsi Bengkulu tahun {p} tumbuh sebesar {pdrb_growth} persen. "
            "PDRB atas dasar harga berlaku mencapai {pdrb_adhb}. Dari sisi produksi, "
            "pertumbuhan terutama didorong oleh lapangan usaha pertanian, kehutanan, dan "
            "perikanan."
        ),
    ),
    _series(
        "brs-sakernas-feb",
        (
            "Keadaan Ketenagakerjaan Provinsi Bengkulu Februari {y}",
            "Employment Situation of Bengkulu Province February {y}",
        ),
        subtitle="Berita Resmi Statistik",
        kat_no="",
        kind="brs",
        book="brs",
        rl="05-05",
        issn=False,
        subjects=("Ketenagakerjaan",),
        chapters=("ketenagakerjaan",),
        pages=(5, 9),
        abstract=(
            "Tingkat pengangguran terbuka (TPT) Provinsi Bengkulu Februari {y} sebesar "
            "{tpt} persen. Jumlah angkatan kerja mencapai {angkatan_kerja} orang dan "
            "tingkat partisipasi angkatan kerja sebesar {tpak} persen."
        ),
    ),
    _series(
        "padi",
        (
            "Luas Panen dan Produksi Padi Provinsi Bengkulu {p}",
            "Harvested Area and Rice Production of Bengkulu Province {p}",
        ),
        subtitle="Hasil Survei Kerangka Sampel Area (KSA)",
        kat_no="5203016.17",
        rl="03-14",
        printed=True,
        subjects=("Pertanian",),
        chapters=("ksa_konsep", "padi", "padi_produksi"),
        pages=(16, 30),
        abstract=(
            "Publikasi ini menyajikan luas panen, produktivitas, dan produksi padi Provinsi "
            "Bengkulu tahun {p} hasil Survei Kerangka Sampel Area (KSA). Produksi padi "
            "tahun {p} diperkirakan sebesar {padi_prod} gabah kering giling, yang setara "
            "dengan {beras_prod} beras untuk konsumsi pangan penduduk."
        ),
    ),
    _series(
        "perkebunan",
        (
            "Statistik Perkebunan Provinsi Bengkulu {p}",
            "Estate Crops Statistics of Bengkulu Province {p}",
        ),
        kat_no="5504003.17",
        rl="10-30",
        shift=-1,
        access="read_only",
        subjects=("Pertanian", "Perkebunan"),
        chapters=("perkebunan", "ntp"),
        pages=(14, 26),
        abstract=(
            "Statistik Perkebunan Provinsi Bengkulu {p} memuat luas areal dan produksi "
            "tanaman perkebunan utama seperti kelapa sawit, karet, kopi, dan kelapa menurut "
            "kabupaten/kota. Disajikan pula perkembangan nilai tukar petani subsektor "
            "perkebunan rakyat."
        ),
    ),
    _series(
        "pendidikan",
        (
            "Statistik Pendidikan Provinsi Bengkulu {p}",
            "Education Statistics of Bengkulu Province {p}",
        ),
        kat_no="4301008.17",
        rl="11-29",
        shift=-1,
        subjects=("Pendidikan",),
        chapters=("pendidikan_konsep", "pendidikan", "pendidikan_capaian"),
        pages=(18, 34),
        abstract=(
            "Statistik Pendidikan Provinsi Bengkulu {p} menyajikan indikator pendidikan "
            "seperti angka partisipasi sekolah, angka partisipasi kasar dan murni, rata-rata "
            "lama sekolah, serta ketersediaan sekolah, murid, dan guru menurut "
            "kabupaten/kota. Rata-rata lama sekolah penduduk usia 25 tahun ke atas tahun {p} "
            "mencapai {rls} tahun."
        ),
    ),
    _series(
        "kesehatan",
        (
            "Profil Kesehatan Penduduk Provinsi Bengkulu {p}",
            "Health Profile of Bengkulu Province {p}",
        ),
        subtitle="Hasil Susenas Maret {p}",
        kat_no="4201004.17",
        rl="12-10",
        shift=-1,
        access="read_only",
        subjects=("Kesehatan",),
        chapters=("kesehatan", "perumahan"),
        pages=(14, 28),
        abstract=(
            "Publikasi ini menggambarkan derajat kesehatan penduduk Provinsi Bengkulu tahun "
            "{p}, meliputi keluhan kesehatan, angka kesakitan, pemanfaatan fasilitas "
            "kesehatan, jaminan kesehatan, serta kondisi sanitasi dan air minum rumah tangga. "
            "Angka kesakitan penduduk tahun {p} tercatat sebesar {morbidity} persen."
        ),
    ),
    _series(
        "ipm",
        (
            "Indeks Pembangunan Manusia Provinsi Bengkulu {p}",
            "Human Development Index of Bengkulu Province {p}",
        ),
        kat_no="4102002.17",
        rl="05-21",
        printed=True,
        subjects=("Pembangunan Manusia",),
        chapters=("ipm_konsep", "ipm", "ipm_wilayah"),
        pages=(16, 32),
        abstract=(
            "Indeks Pembangunan Manusia (IPM) Provinsi Bengkulu tahun {p} mencapai {ipm}. "
            "Publikasi ini membahas capaian dimensi umur panjang dan hidup sehat, "
            "pengetahuan, serta standar hidup layak, termasuk perbandingan IPM antar "
            "kabupaten/kota."
        ),
    ),
    _series(
        "kemiskinan-publikasi",
        (
            "Data dan Informasi Kemiskinan Provinsi Bengkulu {p}",
            "Poverty Data and Information of Bengkulu Province {p}",
        ),
        kat_no="3205018.17",
        rl="11-15",
        shift=-1,
        access="sale",
        printed=True,
        subjects=("Kemiskinan", "Konsumsi dan Pengeluaran"),
        chapters=("kemiskinan_konsep", "kemiskinan", "konsumsi"),
        pages=(18, 34),
        abstract=(
            "Publikasi ini menyajikan indikator kemiskinan Provinsi Bengkulu sampai dengan "
            "kabupaten/kota, meliputi jumlah dan persentase penduduk miskin, garis "
            "kemiskinan, indeks kedalaman, dan indeks keparahan kemiskinan. Disajikan pula "
            "karakteristik rumah tangga miskin dan pola konsumsinya."
        ),
    ),
    _series(
        "ntp",
        (
            "Statistik Nilai Tukar Petani Provinsi Bengkulu {p}",
            "Farmer Terms of Trade Statistics of Bengkulu Province {p}",
        ),
        kat_no="7102006.17",
        rl="04-15",
        subjects=("Nilai Tukar Petani", "Pertanian"),
        chapters=("ntp", "perkebunan"),
        pages=(12, 24),
        abstract=(
            "Statistik Nilai Tukar Petani Provinsi Bengkulu {p} menyajikan perkembangan "
            "nilai tukar petani (NTP), indeks harga yang diterima petani, dan indeks harga "
            "yang dibayar petani menurut subsektor. Rata-rata NTP tahun {p} tercatat {ntp}."
        ),
    ),
    _series(
        "pariwisata",
        (
            "Statistik Hotel dan Pariwisata Provinsi Bengkulu {p}",
            "Hotel and Tourism Statistics of Bengkulu Province {p}",
        ),
        kat_no="8401004.17",
        rl="06-20",
        subjects=("Pariwisata", "Transportasi"),
        chapters=("pariwisata", "transportasi"),
        pages=(12, 24),
        abstract=(
            "Publikasi ini memuat statistik akomodasi dan pariwisata Provinsi Bengkulu tahun "
            "{p}, antara lain jumlah usaha akomodasi, tingkat penghunian kamar (TPK), "
            "jumlah tamu, serta rata-rata lama menginap tamu domestik dan asing. Rata-rata "
            "TPK hotel berbintang tahun {p} tercatat {tpk} persen."
        ),
    ),
    _series(
        "penduduk",
        (
            "Proyeksi Penduduk Provinsi Bengkulu {p}",
            "Population Projection of Bengkulu Province {p}",
        ),
        subtitle="Hasil Proyeksi Penduduk Interim 2020–2050",
        kat_no="2101018.17",
        rl="03-28",
        issn=False,
        subjects=("Kependudukan",),
        chapters=("penduduk_konsep", "penduduk", "penduduk_struktur"),
        pages=(14, 28),
        abstract=(
            "Publikasi ini menyajikan hasil proyeksi penduduk Provinsi Bengkulu tahun {p} "
            "menurut kabupaten/kota, kelompok umur, dan jenis kelamin. Jumlah penduduk "
            "Provinsi Bengkulu tahun {p} diproyeksikan sebanyak {pop} jiwa dengan laju "
            "pertumbuhan {pop_growth} persen per tahun."
        ),
    ),
)

# Monthly inflation releases: month index (1-12) of the months that get a BRS.
INFLATION_MONTHS = (1, 2, 3, 4, 5, 6, 7)
INFLATION_SERIES: dict[str, Any] = {
    "key": "brs-inflasi",
    "title": "Perkembangan Indeks Harga Konsumen/Inflasi Provinsi Bengkulu {month} {y}",
    "title_en": "Consumer Price Index/Inflation of Bengkulu Province {month_en} {y}",
    "subtitle": "Berita Resmi Statistik",
    "kat_no": "",
    "area": None,
    "kind": "brs",
    "book": "brs",
    "issn": False,
    "access": "open",
    "printed": False,
    "subjects": ("Harga Konsumen", "Inflasi"),
    "chapters": ("harga",),
    "pages": (5, 10),
    "abstract": (
        "Pada {month} {y} terjadi inflasi year on year (y-on-y) Provinsi Bengkulu sebesar "
        "{inflasi_yoy} persen dengan Indeks Harga Konsumen (IHK) sebesar {ihk}. Inflasi "
        "month to month tercatat {inflasi_mtm} persen. Kelompok makanan, minuman, dan "
        "tembakau memberikan andil terbesar terhadap inflasi."
    ),
}

# --- topics -----------------------------------------------------------------------------
#
# Each topic is a chapter: its Indonesian and English title, the subject, section titles,
# the tables and charts it may carry (``demo.publications`` knows how to fill them) and the
# sentences its paragraphs are assembled from. Placeholders name facts that
# ``demo.publications`` computes: {area}, {y}, {p}, {pop}, {tpt}, {inflasi_yoy} ...

"""Multi-topic publications: Dalam Angka, statistik daerah, economic and welfare indicators."""

from __future__ import annotations

from typing import Any

from demo.publications.content.place import REGIONS, region_label
from demo.publications.content.series import _series

# --- publications -----------------------------------------------------------------------
#
# ``{y}`` is the edition year and ``{p}`` the data period (usually the year before).
# ``chapters`` name topics below; ``pages`` is the (min, max) page count.

DALAM_ANGKA_CHAPTERS = (
    "geografi",
    "pemerintahan",
    "penduduk",
    "ketenagakerjaan",
    "pendidikan",
    "kesehatan",
    "kemiskinan",
    "padi",
    "perkebunan",
    "pariwisata",
    "transportasi",
    "harga",
    "pdrb",
)


SERIES_COMPENDIA: tuple[dict[str, Any], ...] = (
    {
        "key": "prov-dalam-angka",
        "title": "Provinsi Bengkulu Dalam Angka {y}",
        "title_en": "Bengkulu Province in Figures {y}",
        "subtitle": "Bengkulu Province in Figures {y}",
        "kat_no": "1102001.17",
        "area": None,
        "kind": "publication",
        "book": "dalam_angka",
        "rl": "02-28",
        "issn": True,
        "access": "open",
        "printed": True,
        "subjects": ("Kependudukan", "Ketenagakerjaan", "Pendapatan Regional", "Pertanian"),
        "chapters": DALAM_ANGKA_CHAPTERS,
        "pages": (48, 60),
        "abstract": (
            "Provinsi Bengkulu Dalam Angka {y} menyajikan data statistik dasar Provinsi "
            "Bengkulu tahun {p} yang dihimpun dari kegiatan sensus, survei, dan catatan "
            "administrasi. Data yang disajikan meliputi geografi dan iklim, pemerintahan, "
            "penduduk dan ketenagakerjaan, sosial, pertanian, harga, hingga produk domestik "
            "regional bruto. Publikasi ini diharapkan menjadi rujukan perencanaan dan "
            "evaluasi pembangunan di Provinsi Bengkulu."
        ),
    },
    *(
        {
            "key": f"dalam-angka-{region['code']}",
            "title": f"{region_label(region)} Dalam Angka {{y}}",
            "title_en": f"{region_label(region).replace('Kabupaten ', '')} "
            f"{'Municipality' if region['kind'] == 'Kota' else 'Regency'} in Figures {{y}}",
            "subtitle": f"{region_label(region).replace('Kabupaten ', '')} "
            f"{'Municipality' if region['kind'] == 'Kota' else 'Regency'} in Figures {{y}}",
            "kat_no": f"1102001.{region['code']}",
            "area": region["code"],
            "kind": "publication",
            "book": "dalam_angka",
            "rl": "02-28",
            "issn": True,
            "access": "open",
            "printed": index % 3 == 0,
            "subjects": ("Kependudukan", "Ketenagakerjaan", "Pertanian"),
            "chapters": DALAM_ANGKA_CHAPTERS,
            "pages": (40, 56),
            "abstract": (
                f"{region_label(region)} Dalam Angka {{y}} memuat data statistik dasar "
                f"{region_label(region)} tahun {{p}} dari berbagai sumber, baik hasil sensus "
                "dan survei BPS maupun data administrasi instansi pemerintah. Cakupan data "
                "meliputi geografi, pemerintahan, kependudukan, ketenagakerjaan, pendidikan, "
                "kesehatan, pertanian, dan perekonomian per kecamatan."
            ),
        }
        for index, region in enumerate(REGIONS)
    ),
    _series(
        "prov-in-figures-en",
        ("Bengkulu Province in Figures {y}", "Bengkulu Province in Figures {y}"),
        subtitle="English edition",
        kat_no="1102001.17",
        book="dalam_angka",
        language="en",
        rl="02-28",
        subjects=("Kependudukan", "Pendapatan Regional", "Harga Konsumen"),
        chapters=(
            "geografi",
            "penduduk",
            "ketenagakerjaan",
            "kemiskinan",
            "padi",
            "harga",
            "pdrb",
        ),
        pages=(40, 52),
        abstract=(
            "Bengkulu Province in Figures {y} adalah edisi berbahasa Inggris dari publikasi "
            "Provinsi Bengkulu Dalam Angka. Publikasi ini menyajikan data geografi, "
            "kependudukan, ketenagakerjaan, kemiskinan, pertanian, harga konsumen, dan "
            "produk domestik regional bruto Provinsi Bengkulu tahun {p}."
        ),
    ),
    _series(
        "statistik-daerah",
        ("Statistik Daerah Provinsi Bengkulu {y}", "Regional Statistics of Bengkulu Province {y}"),
        kat_no="1101002.17",
        rl="09-27",
        printed=True,
        subjects=("Kependudukan", "Pendapatan Regional", "Kemiskinan"),
        chapters=("penduduk", "ketenagakerjaan", "kemiskinan", "harga", "pdrb"),
        pages=(20, 32),
        abstract=(
            "Statistik Daerah Provinsi Bengkulu {y} merangkum perkembangan pembangunan "
            "Provinsi Bengkulu dalam bentuk analisis ringkas yang mudah dipahami. Topik yang "
            "dibahas antara lain kependudukan, ketenagakerjaan, kemiskinan, inflasi, dan "
            "pertumbuhan ekonomi."
        ),
    ),
    _series(
        "kesra",
        (
            "Statistik Kesejahteraan Rakyat Provinsi Bengkulu {p}",
            "Welfare Statistics of Bengkulu Province {p}",
        ),
        subtitle="Hasil Survei Sosial Ekonomi Nasional (Susenas) Maret {p}",
        kat_no="4101002.17",
        rl="12-20",
        shift=-1,
        printed=True,
        subjects=("Kesejahteraan Rakyat", "Pendidikan", "Kesehatan", "Perumahan"),
        chapters=("penduduk", "pendidikan", "kesehatan", "perumahan", "konsumsi"),
        pages=(24, 40),
        abstract=(
            "Statistik Kesejahteraan Rakyat Provinsi Bengkulu {p} menyajikan gambaran taraf "
            "kesejahteraan penduduk berdasarkan hasil Susenas Maret {p}. Indikator yang "
            "dibahas meliputi kependudukan, pendidikan, kesehatan, perumahan, serta konsumsi "
            "dan pengeluaran rumah tangga."
        ),
    ),
    _series(
        "indikator-ekonomi",
        ("Indikator Ekonomi Provinsi Bengkulu {y}", "Economic Indicators of Bengkulu Province {y}"),
        kat_no="9201001.17",
        rl="06-28",
        access="read_only",
        subjects=("Pendapatan Regional", "Harga Konsumen", "Nilai Tukar Petani"),
        chapters=("pdrb", "harga", "ntp", "ketenagakerjaan", "pariwisata"),
        pages=(20, 36),
        abstract=(
            "Indikator Ekonomi Provinsi Bengkulu {y} memuat perkembangan indikator ekonomi "
            "makro Provinsi Bengkulu, antara lain pertumbuhan ekonomi, inflasi, nilai tukar "
            "petani, ketenagakerjaan, dan tingkat penghunian kamar hotel. Ekonomi Provinsi "
            "Bengkulu tahun {p} tumbuh {pdrb_growth} persen dan tingkat pengangguran terbuka "
            "tercatat {tpt} persen."
        ),
    ),
    _series(
        "pdrb-lu",
        (
            "Produk Domestik Regional Bruto Provinsi Bengkulu Menurut Lapangan Usaha {p4}–{p}",
            "Gross Regional Domestic Product of Bengkulu Province by Industry {p4}–{p}",
        ),
        kat_no="9302001.17",
        rl="04-30",
        access="sale",
        printed=True,
        subjects=("Pendapatan Regional",),
        chapters=("pdrb_konsep", "pdrb", "pdrb_sektor"),
        pages=(24, 40),
        abstract=(
            "Publikasi ini menyajikan Produk Domestik Regional Bruto (PDRB) Provinsi "
            "Bengkulu menurut lapangan usaha tahun {p4}–{p}, atas dasar harga berlaku dan "
            "atas dasar harga konstan 2010. Disajikan pula laju pertumbuhan, struktur "
            "ekonomi, dan indeks implisit setiap lapangan usaha."
        ),
    ),
    _series(
        "pdrb-pengeluaran",
        (
            "Produk Domestik Regional Bruto Provinsi Bengkulu Menurut Pengeluaran {p4}–{p}",
            "Gross Regional Domestic Product of Bengkulu Province by Expenditure {p4}–{p}",
        ),
        kat_no="9302002.17",
        rl="05-27",
        access="sale",
        subjects=("Pendapatan Regional", "Konsumsi dan Pengeluaran"),
        chapters=("pdrb_konsep", "pdrb_pengeluaran", "pdrb"),
        pages=(16, 30),
        abstract=(
            "Publikasi ini memuat PDRB Provinsi Bengkulu menurut komponen pengeluaran tahun "
            "{p4}–{p}, yaitu konsumsi rumah tangga, konsumsi lembaga nonprofit, konsumsi "
            "pemerintah, pembentukan modal tetap bruto, perubahan inventori, serta ekspor "
            "dan impor. Pengeluaran konsumsi rumah tangga tetap menjadi komponen terbesar "
            "PDRB Provinsi Bengkulu."
        ),
    ),
    _series(
        "sakernas-agustus",
        (
            "Keadaan Angkatan Kerja Provinsi Bengkulu Agustus {p}",
            "Labor Force Situation in Bengkulu Province August {p}",
        ),
        subtitle="Hasil Survei Angkatan Kerja Nasional (Sakernas) Agustus {p}",
        kat_no="2303003.17",
        rl="12-16",
        shift=-1,
        printed=True,
        subjects=("Ketenagakerjaan",),
        chapters=("sakernas_konsep", "ketenagakerjaan", "pengangguran"),
        pages=(20, 36),
        abstract=(
            "Keadaan Angkatan Kerja Provinsi Bengkulu Agustus {p} menyajikan hasil Survei "
            "Angkatan Kerja Nasional (Sakernas). Publikasi ini membahas tingkat partisipasi "
            "angkatan kerja, penduduk bekerja menurut lapangan pekerjaan dan status, serta "
            "tingkat pengangguran terbuka menurut kabupaten/kota."
        ),
    ),
    _series(
        "profil-kemiskinan",
        (
            "Profil Kemiskinan Provinsi Bengkulu Maret {y}",
            "Poverty Profile of Bengkulu Province March {y}",
        ),
        subtitle="Berita Resmi Statistik",
        kat_no="",
        kind="brs",
        book="brs",
        rl="07-25",
        issn=False,
        subjects=("Kemiskinan",),
        chapters=("kemiskinan",),
        pages=(6, 10),
        abstract=(
            "Persentase penduduk miskin di Provinsi Bengkulu pada Maret {y} tercatat sekitar "
            "{miskin_pct} persen. Jumlah penduduk miskin mencapai {miskin_jml} orang. "
            "Garis kemiskinan Maret {y} tercatat sebesar {gk} per kapita per bulan."
        ),
    ),
)

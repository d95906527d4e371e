"""Static content for the demo publications that ``catalog.demo`` renders.

Everything here is plain data: the regencies and districts of Bengkulu, the list of
publications (titles, catalogue numbers, release dates, chapters) and the Indonesian
sentence templates that chapters are written from. The numbers are invented but sized
like the real ones (about 2.1 million people, inflation of 1–4 %, poverty near 14 %).
"""

from __future__ import annotations

from typing import Any

PROVINCE = "Provinsi Bengkulu"
PROVINCE_EN = "Bengkulu Province"
PUBLISHER = "BADAN PUSAT STATISTIK PROVINSI BENGKULU"
PUBLISHER_EN = "BPS-STATISTICS OF BENGKULU PROVINCE"
ADDRESS = "Jl. Adam Malik Km. 8, Kota Bengkulu 38225"
WEBSITE = "https://bengkulu.bps.go.id"

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# code, name, kind, capital, area (km²), population 2024 (thousands), districts
REGIONS: tuple[dict[str, Any], ...] = (
    {
        "code": "1701",
        "name": "Bengkulu Selatan",
        "kind": "Kabupaten",
        "capital": "Manna",
        "area": 1186.1,
        "pop": 176.3,
        "districts": (
            "Kedurang",
            "Kedurang Ilir",
            "Seginim",
            "Air Nipis",
            "Pino",
            "Pino Raya",
            "Manna",
            "Kota Manna",
            "Pasar Manna",
            "Bunga Mas",
            "Ulu Manna",
        ),
    },
    {
        "code": "1702",
        "name": "Rejang Lebong",
        "kind": "Kabupaten",
        "capital": "Curup",
        "area": 1639.9,
        "pop": 280.4,
        "districts": (
            "Kota Padang",
            "Sindang Beliti Ilir",
            "Padang Ulak Tanding",
            "Sindang Kelingi",
            "Binduriang",
            "Sindang Beliti Ulu",
            "Sindang Dataran",
            "Curup Selatan",
            "Bermani Ulu",
            "Selupu Rejang",
            "Curup",
            "Curup Utara",
            "Curup Tengah",
            "Curup Timur",
            "Bermani Ulu Raya",
        ),
    },
    {
        "code": "1703",
        "name": "Bengkulu Utara",
        "kind": "Kabupaten",
        "capital": "Arga Makmur",
        "area": 4324.6,
        "pop": 309.8,
        "districts": (
            "Enggano",
            "Kerkap",
            "Kota Arga Makmur",
            "Giri Mulya",
            "Padang Jaya",
            "Lais",
            "Batik Nau",
            "Ketahun",
            "Napal Putih",
            "Putri Hijau",
            "Air Besi",
            "Air Napal",
            "Hulu Palik",
            "Air Padang",
            "Arma Jaya",
            "Tanjung Agung Palik",
            "Ulok Kupai",
            "Marga Sakti Sebelat",
            "Pinang Raya",
        ),
    },
    {
        "code": "1704",
        "name": "Kaur",
        "kind": "Kabupaten",
        "capital": "Bintuhan",
        "area": 2369.1,
        "pop": 131.7,
        "districts": (
            "Nasal",
            "Maje",
            "Kaur Selatan",
            "Tetap",
            "Kaur Tengah",
            "Luas",
            "Muara Sahung",
            "Kinal",
            "Semidang Gumay",
            "Tanjung Kemuning",
            "Kelam Tengah",
            "Kaur Utara",
            "Padang Guci Hilir",
            "Lungkang Kule",
            "Padang Guci Hulu",
        ),
    },
    {
        "code": "1705",
        "name": "Seluma",
        "kind": "Kabupaten",
        "capital": "Tais",
        "area": 2400.4,
        "pop": 216.2,
        "districts": (
            "Semidang Alas Maras",
            "Semidang Alas",
            "Talo",
            "Ilir Talo",
            "Talo Kecil",
            "Ulu Talo",
            "Seluma",
            "Seluma Selatan",
            "Seluma Barat",
            "Seluma Timur",
            "Seluma Utara",
            "Sukaraja",
            "Air Periukan",
            "Lubuk Sandi",
        ),
    },
    {
        "code": "1706",
        "name": "Mukomuko",
        "kind": "Kabupaten",
        "capital": "Mukomuko",
        "area": 4036.7,
        "pop": 199.6,
        "districts": (
            "Ipuh",
            "Air Rami",
            "Malin Deman",
            "Pondok Suguh",
            "Sungai Rumbai",
            "Teramang Jaya",
            "Teras Terunjam",
            "Penarik",
            "Selagan Raya",
            "Kota Mukomuko",
            "Air Dikit",
            "XIV Koto",
            "Lubuk Pinang",
            "Air Manjunto",
            "V Koto",
        ),
    },
    {
        "code": "1707",
        "name": "Lebong",
        "kind": "Kabupaten",
        "capital": "Tubei",
        "area": 1929.2,
        "pop": 112.9,
        "districts": (
            "Rimbo Pengadang",
            "Topos",
            "Lebong Selatan",
            "Bingin Kuning",
            "Lebong Tengah",
            "Lebong Sakti",
            "Lebong Atas",
            "Pelabai",
            "Lebong Utara",
            "Amen",
            "Uram Jaya",
            "Pinang Belapis",
        ),
    },
    {
        "code": "1708",
        "name": "Kepahiang",
        "kind": "Kabupaten",
        "capital": "Kepahiang",
        "area": 664.8,
        "pop": 155.8,
        "districts": (
            "Muara Kemumu",
            "Bermani Ilir",
            "Seberang Musi",
            "Tebat Karai",
            "Kepahiang",
            "Kabawetan",
            "Ujan Mas",
            "Merigi",
        ),
    },
    {
        "code": "1709",
        "name": "Bengkulu Tengah",
        "kind": "Kabupaten",
        "capital": "Karang Tinggi",
        "area": 1223.9,
        "pop": 121.5,
        "districts": (
            "Talang Empat",
            "Karang Tinggi",
            "Taba Penanjung",
            "Merigi Kelindang",
            "Pagar Jati",
            "Merigi Sakti",
            "Pondok Kelapa",
            "Pondok Kubang",
            "Pematang Tiga",
            "Bang Haji",
            "Semidang Lagan",
        ),
    },
    {
        "code": "1771",
        "name": "Kota Bengkulu",
        "kind": "Kota",
        "capital": "Bengkulu",
        "area": 151.7,
        "pop": 392.4,
        "districts": (
            "Selebar",
            "Kampung Melayu",
            "Gading Cempaka",
            "Ratu Agung",
            "Ratu Samban",
            "Singaran Pati",
            "Teluk Segara",
            "Sungai Serut",
            "Muara Bangka Hulu",
        ),
    },
)


def region_label(region: dict[str, Any]) -> str:
    """``Kabupaten Kaur`` or ``Kota Bengkulu``: the name a regency goes by in a title."""
    name = str(region["name"])
    return name if name.startswith("Kota ") else f"Kabupaten {name}"


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

SERIES: tuple[dict[str, Any], ...] = (
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
    {
        "key": "prov-in-figures-en",
        "title": "Bengkulu Province in Figures {y}",
        "title_en": "Bengkulu Province in Figures {y}",
        "subtitle": "English edition",
        "kat_no": "1102001.17",
        "area": None,
        "kind": "publication",
        "book": "dalam_angka",
        "language": "en",
        "rl": "02-28",
        "issn": True,
        "access": "open",
        "printed": False,
        "subjects": ("Kependudukan", "Pendapatan Regional", "Harga Konsumen"),
        "chapters": (
            "geografi",
            "penduduk",
            "ketenagakerjaan",
            "kemiskinan",
            "padi",
            "harga",
            "pdrb",
        ),
        "pages": (40, 52),
        "abstract": (
            "Bengkulu Province in Figures {y} adalah edisi berbahasa Inggris dari publikasi "
            "Provinsi Bengkulu Dalam Angka. Publikasi ini menyajikan data geografi, "
            "kependudukan, ketenagakerjaan, kemiskinan, pertanian, harga konsumen, dan "
            "produk domestik regional bruto Provinsi Bengkulu tahun {p}."
        ),
    },
    {
        "key": "statistik-daerah",
        "title": "Statistik Daerah Provinsi Bengkulu {y}",
        "title_en": "Regional Statistics of Bengkulu Province {y}",
        "subtitle": "",
        "kat_no": "1101002.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "09-27",
        "issn": True,
        "access": "open",
        "printed": True,
        "subjects": ("Kependudukan", "Pendapatan Regional", "Kemiskinan"),
        "chapters": ("penduduk", "ketenagakerjaan", "kemiskinan", "harga", "pdrb"),
        "pages": (20, 32),
        "abstract": (
            "Statistik Daerah Provinsi Bengkulu {y} merangkum perkembangan pembangunan "
            "Provinsi Bengkulu dalam bentuk analisis ringkas yang mudah dipahami. Topik yang "
            "dibahas antara lain kependudukan, ketenagakerjaan, kemiskinan, inflasi, dan "
            "pertumbuhan ekonomi."
        ),
    },
    {
        "key": "kesra",
        "title": "Statistik Kesejahteraan Rakyat Provinsi Bengkulu {p}",
        "title_en": "Welfare Statistics of Bengkulu Province {p}",
        "subtitle": "Hasil Survei Sosial Ekonomi Nasional (Susenas) Maret {p}",
        "kat_no": "4101002.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "12-20",
        "shift": -1,
        "issn": True,
        "access": "open",
        "printed": True,
        "subjects": ("Kesejahteraan Rakyat", "Pendidikan", "Kesehatan", "Perumahan"),
        "chapters": ("penduduk", "pendidikan", "kesehatan", "perumahan", "konsumsi"),
        "pages": (24, 40),
        "abstract": (
            "Statistik Kesejahteraan Rakyat Provinsi Bengkulu {p} menyajikan gambaran taraf "
            "kesejahteraan penduduk berdasarkan hasil Susenas Maret {p}. Indikator yang "
            "dibahas meliputi kependudukan, pendidikan, kesehatan, perumahan, serta konsumsi "
            "dan pengeluaran rumah tangga."
        ),
    },
    {
        "key": "indikator-ekonomi",
        "title": "Indikator Ekonomi Provinsi Bengkulu {y}",
        "title_en": "Economic Indicators of Bengkulu Province {y}",
        "subtitle": "",
        "kat_no": "9201001.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "06-28",
        "issn": True,
        "access": "read_only",
        "printed": False,
        "subjects": ("Pendapatan Regional", "Harga Konsumen", "Nilai Tukar Petani"),
        "chapters": ("pdrb", "harga", "ntp", "ketenagakerjaan", "pariwisata"),
        "pages": (20, 36),
        "abstract": (
            "Indikator Ekonomi Provinsi Bengkulu {y} memuat perkembangan indikator ekonomi "
            "makro Provinsi Bengkulu, antara lain pertumbuhan ekonomi, inflasi, nilai tukar "
            "petani, ketenagakerjaan, dan tingkat penghunian kamar hotel. Ekonomi Provinsi "
            "Bengkulu tahun {p} tumbuh {pdrb_growth} persen dan tingkat pengangguran terbuka "
            "tercatat {tpt} persen."
        ),
    },
    {
        "key": "pdrb-lu",
        "title": "Produk Domestik Regional Bruto Provinsi Bengkulu Menurut Lapangan Usaha {p4}–{p}",
        "title_en": "Gross Regional Domestic Product of Bengkulu Province by Industry {p4}–{p}",
        "subtitle": "",
        "kat_no": "9302001.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "04-30",
        "issn": True,
        "access": "sale",
        "printed": True,
        "subjects": ("Pendapatan Regional",),
        "chapters": ("pdrb_konsep", "pdrb", "pdrb_sektor"),
        "pages": (24, 40),
        "abstract": (
            "Publikasi ini menyajikan Produk Domestik Regional Bruto (PDRB) Provinsi "
            "Bengkulu menurut lapangan usaha tahun {p4}–{p}, atas dasar harga berlaku dan "
            "atas dasar harga konstan 2010. Disajikan pula laju pertumbuhan, struktur "
            "ekonomi, dan indeks implisit setiap lapangan usaha."
        ),
    },
    {
        "key": "pdrb-pengeluaran",
        "title": "Produk Domestik Regional Bruto Provinsi Bengkulu Menurut Pengeluaran {p4}–{p}",
        "title_en": "Gross Regional Domestic Product of Bengkulu Province by Expenditure {p4}–{p}",
        "subtitle": "",
        "kat_no": "9302002.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "05-27",
        "issn": True,
        "access": "sale",
        "printed": False,
        "subjects": ("Pendapatan Regional", "Konsumsi dan Pengeluaran"),
        "chapters": ("pdrb_konsep", "pdrb_pengeluaran", "pdrb"),
        "pages": (16, 30),
        "abstract": (
            "Publikasi ini memuat PDRB Provinsi Bengkulu menurut komponen pengeluaran tahun "
            "{p4}–{p}, yaitu konsumsi rumah tangga, konsumsi lembaga nonprofit, konsumsi "
            "pemerintah, pembentukan modal tetap bruto, perubahan inventori, serta ekspor "
            "dan impor. Pengeluaran konsumsi rumah tangga tetap menjadi komponen terbesar "
            "PDRB Provinsi Bengkulu."
        ),
    },
    {
        "key": "sakernas-agustus",
        "title": "Keadaan Angkatan Kerja Provinsi Bengkulu Agustus {p}",
        "title_en": "Labor Force Situation in Bengkulu Province August {p}",
        "subtitle": "Hasil Survei Angkatan Kerja Nasional (Sakernas) Agustus {p}",
        "kat_no": "2303003.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "12-16",
        "shift": -1,
        "issn": True,
        "access": "open",
        "printed": True,
        "subjects": ("Ketenagakerjaan",),
        "chapters": ("sakernas_konsep", "ketenagakerjaan", "pengangguran"),
        "pages": (20, 36),
        "abstract": (
            "Keadaan Angkatan Kerja Provinsi Bengkulu Agustus {p} menyajikan hasil Survei "
            "Angkatan Kerja Nasional (Sakernas). Publikasi ini membahas tingkat partisipasi "
            "angkatan kerja, penduduk bekerja menurut lapangan pekerjaan dan status, serta "
            "tingkat pengangguran terbuka menurut kabupaten/kota."
        ),
    },
    {
        "key": "profil-kemiskinan",
        "title": "Profil Kemiskinan Provinsi Bengkulu Maret {y}",
        "title_en": "Poverty Profile of Bengkulu Province March {y}",
        "subtitle": "Berita Resmi Statistik",
        "kat_no": "",
        "area": None,
        "kind": "brs",
        "book": "brs",
        "rl": "07-25",
        "issn": False,
        "access": "open",
        "printed": False,
        "subjects": ("Kemiskinan",),
        "chapters": ("kemiskinan",),
        "pages": (6, 10),
        "abstract": (
            "Persentase penduduk miskin di Provinsi Bengkulu pada Maret {y} tercatat sekitar "
            "{miskin_pct} persen. Jumlah penduduk miskin mencapai {miskin_jml} orang. "
            "Garis kemiskinan Maret {y} tercatat sebesar {gk} per kapita per bulan."
        ),
    },
    {
        "key": "brs-pertumbuhan",
        "title": "Pertumbuhan Ekonomi Provinsi Bengkulu Triwulan IV-{p}",
        "title_en": "Economic Growth of Bengkulu Province Q4-{p}",
        "subtitle": "Berita Resmi Statistik",
        "kat_no": "",
        "area": None,
        "kind": "brs",
        "book": "brs",
        "rl": "02-05",
        "issn": False,
        "access": "open",
        "printed": False,
        "subjects": ("Pendapatan Regional",),
        "chapters": ("pdrb",),
        "pages": (6, 10),
        "abstract": (
            "Ekonomi Provinsi Bengkulu tahun {p} tumbuh sebesar {pdrb_growth} persen. "
            "PDRB atas dasar harga berlaku mencapai {pdrb_adhb}. Dari sisi produksi, "
            "pertumbuhan terutama didorong oleh lapangan usaha pertanian, kehutanan, dan "
            "perikanan."
        ),
    },
    {
        "key": "brs-sakernas-feb",
        "title": "Keadaan Ketenagakerjaan Provinsi Bengkulu Februari {y}",
        "title_en": "Employment Situation of Bengkulu Province February {y}",
        "subtitle": "Berita Resmi Statistik",
        "kat_no": "",
        "area": None,
        "kind": "brs",
        "book": "brs",
        "rl": "05-05",
        "issn": False,
        "access": "open",
        "printed": False,
        "subjects": ("Ketenagakerjaan",),
        "chapters": ("ketenagakerjaan",),
        "pages": (5, 9),
        "abstract": (
            "Tingkat pengangguran terbuka (TPT) Provinsi Bengkulu Februari {y} sebesar "
            "{tpt} persen. Jumlah angkatan kerja mencapai {angkatan_kerja} orang dan "
            "tingkat partisipasi angkatan kerja sebesar {tpak} persen."
        ),
    },
    {
        "key": "padi",
        "title": "Luas Panen dan Produksi Padi Provinsi Bengkulu {p}",
        "title_en": "Harvested Area and Rice Production of Bengkulu Province {p}",
        "subtitle": "Hasil Survei Kerangka Sampel Area (KSA)",
        "kat_no": "5203016.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "03-14",
        "issn": True,
        "access": "open",
        "printed": True,
        "subjects": ("Pertanian",),
        "chapters": ("ksa_konsep", "padi", "padi_produksi"),
        "pages": (16, 30),
        "abstract": (
            "Publikasi ini menyajikan luas panen, produktivitas, dan produksi padi Provinsi "
            "Bengkulu tahun {p} hasil Survei Kerangka Sampel Area (KSA). Produksi padi "
            "tahun {p} diperkirakan sebesar {padi_prod} gabah kering giling, yang setara "
            "dengan {beras_prod} beras untuk konsumsi pangan penduduk."
        ),
    },
    {
        "key": "perkebunan",
        "title": "Statistik Perkebunan Provinsi Bengkulu {p}",
        "title_en": "Estate Crops Statistics of Bengkulu Province {p}",
        "subtitle": "",
        "kat_no": "5504003.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "10-30",
        "shift": -1,
        "issn": True,
        "access": "read_only",
        "printed": False,
        "subjects": ("Pertanian", "Perkebunan"),
        "chapters": ("perkebunan", "ntp"),
        "pages": (14, 26),
        "abstract": (
            "Statistik Perkebunan Provinsi Bengkulu {p} memuat luas areal dan produksi "
            "tanaman perkebunan utama seperti kelapa sawit, karet, kopi, dan kelapa menurut "
            "kabupaten/kota. Disajikan pula perkembangan nilai tukar petani subsektor "
            "perkebunan rakyat."
        ),
    },
    {
        "key": "pendidikan",
        "title": "Statistik Pendidikan Provinsi Bengkulu {p}",
        "title_en": "Education Statistics of Bengkulu Province {p}",
        "subtitle": "",
        "kat_no": "4301008.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "11-29",
        "shift": -1,
        "issn": True,
        "access": "open",
        "printed": False,
        "subjects": ("Pendidikan",),
        "chapters": ("pendidikan_konsep", "pendidikan", "pendidikan_capaian"),
        "pages": (18, 34),
        "abstract": (
            "Statistik Pendidikan Provinsi Bengkulu {p} menyajikan indikator pendidikan "
            "seperti angka partisipasi sekolah, angka partisipasi kasar dan murni, rata-rata "
            "lama sekolah, serta ketersediaan sekolah, murid, dan guru menurut "
            "kabupaten/kota. Rata-rata lama sekolah penduduk usia 25 tahun ke atas tahun {p} "
            "mencapai {rls} tahun."
        ),
    },
    {
        "key": "kesehatan",
        "title": "Profil Kesehatan Penduduk Provinsi Bengkulu {p}",
        "title_en": "Health Profile of Bengkulu Province {p}",
        "subtitle": "Hasil Susenas Maret {p}",
        "kat_no": "4201004.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "12-10",
        "shift": -1,
        "issn": True,
        "access": "read_only",
        "printed": False,
        "subjects": ("Kesehatan",),
        "chapters": ("kesehatan", "perumahan"),
        "pages": (14, 28),
        "abstract": (
            "Publikasi ini menggambarkan derajat kesehatan penduduk Provinsi Bengkulu tahun "
            "{p}, meliputi keluhan kesehatan, angka kesakitan, pemanfaatan fasilitas "
            "kesehatan, jaminan kesehatan, serta kondisi sanitasi dan air minum rumah tangga. "
            "Angka kesakitan penduduk tahun {p} tercatat sebesar {morbidity} persen."
        ),
    },
    {
        "key": "ipm",
        "title": "Indeks Pembangunan Manusia Provinsi Bengkulu {p}",
        "title_en": "Human Development Index of Bengkulu Province {p}",
        "subtitle": "",
        "kat_no": "4102002.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "05-21",
        "issn": True,
        "access": "open",
        "printed": True,
        "subjects": ("Pembangunan Manusia",),
        "chapters": ("ipm_konsep", "ipm", "ipm_wilayah"),
        "pages": (16, 32),
        "abstract": (
            "Indeks Pembangunan Manusia (IPM) Provinsi Bengkulu tahun {p} mencapai {ipm}. "
            "Publikasi ini membahas capaian dimensi umur panjang dan hidup sehat, "
            "pengetahuan, serta standar hidup layak, termasuk perbandingan IPM antar "
            "kabupaten/kota."
        ),
    },
    {
        "key": "kemiskinan-publikasi",
        "title": "Data dan Informasi Kemiskinan Provinsi Bengkulu {p}",
        "title_en": "Poverty Data and Information of Bengkulu Province {p}",
        "subtitle": "",
        "kat_no": "3205018.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "11-15",
        "shift": -1,
        "issn": True,
        "access": "sale",
        "printed": True,
        "subjects": ("Kemiskinan", "Konsumsi dan Pengeluaran"),
        "chapters": ("kemiskinan_konsep", "kemiskinan", "konsumsi"),
        "pages": (18, 34),
        "abstract": (
            "Publikasi ini menyajikan indikator kemiskinan Provinsi Bengkulu sampai dengan "
            "kabupaten/kota, meliputi jumlah dan persentase penduduk miskin, garis "
            "kemiskinan, indeks kedalaman, dan indeks keparahan kemiskinan. Disajikan pula "
            "karakteristik rumah tangga miskin dan pola konsumsinya."
        ),
    },
    {
        "key": "ntp",
        "title": "Statistik Nilai Tukar Petani Provinsi Bengkulu {p}",
        "title_en": "Farmer Terms of Trade Statistics of Bengkulu Province {p}",
        "subtitle": "",
        "kat_no": "7102006.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "04-15",
        "issn": True,
        "access": "open",
        "printed": False,
        "subjects": ("Nilai Tukar Petani", "Pertanian"),
        "chapters": ("ntp", "perkebunan"),
        "pages": (12, 24),
        "abstract": (
            "Statistik Nilai Tukar Petani Provinsi Bengkulu {p} menyajikan perkembangan "
            "nilai tukar petani (NTP), indeks harga yang diterima petani, dan indeks harga "
            "yang dibayar petani menurut subsektor. Rata-rata NTP tahun {p} tercatat {ntp}."
        ),
    },
    {
        "key": "pariwisata",
        "title": "Statistik Hotel dan Pariwisata Provinsi Bengkulu {p}",
        "title_en": "Hotel and Tourism Statistics of Bengkulu Province {p}",
        "subtitle": "",
        "kat_no": "8401004.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "06-20",
        "issn": True,
        "access": "open",
        "printed": False,
        "subjects": ("Pariwisata", "Transportasi"),
        "chapters": ("pariwisata", "transportasi"),
        "pages": (12, 24),
        "abstract": (
            "Publikasi ini memuat statistik akomodasi dan pariwisata Provinsi Bengkulu tahun "
            "{p}, antara lain jumlah usaha akomodasi, tingkat penghunian kamar (TPK), "
            "jumlah tamu, serta rata-rata lama menginap tamu domestik dan asing. Rata-rata "
            "TPK hotel berbintang tahun {p} tercatat {tpk} persen."
        ),
    },
    {
        "key": "penduduk",
        "title": "Proyeksi Penduduk Provinsi Bengkulu {p}",
        "title_en": "Population Projection of Bengkulu Province {p}",
        "subtitle": "Hasil Proyeksi Penduduk Interim 2020–2050",
        "kat_no": "2101018.17",
        "area": None,
        "kind": "publication",
        "book": "thematic",
        "rl": "03-28",
        "issn": False,
        "access": "open",
        "printed": False,
        "subjects": ("Kependudukan",),
        "chapters": ("penduduk_konsep", "penduduk", "penduduk_struktur"),
        "pages": (14, 28),
        "abstract": (
            "Publikasi ini menyajikan hasil proyeksi penduduk Provinsi Bengkulu tahun {p} "
            "menurut kabupaten/kota, kelompok umur, dan jenis kelamin. Jumlah penduduk "
            "Provinsi Bengkulu tahun {p} diproyeksikan sebanyak {pop} jiwa dengan laju "
            "pertumbuhan {pop_growth} persen per tahun."
        ),
    },
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
# the tables and charts it may carry (``catalog.demo`` knows how to fill them) and the
# sentences its paragraphs are assembled from. Placeholders name facts that
# ``catalog.demo`` computes: {area}, {y}, {p}, {pop}, {tpt}, {inflasi_yoy} ...

TOPICS: dict[str, dict[str, Any]] = {
    "geografi": {
        "title": "Geografi dan Iklim",
        "title_en": "Geography and Climate",
        "sections": ("Letak Geografis", "Iklim"),
        "sections_en": ("Geographical Location", "Climate"),
        "tables": ("geo_area", "climate"),
        "charts": ("bar_area", "line_rain"),
        "sentences": (
            "{area} terletak di pesisir barat Pulau Sumatera dan berbatasan langsung dengan "
            "Samudra Hindia.",
            "Luas wilayah {area} tercatat sekitar {area_km2} kilometer persegi.",
            "Wilayah dengan luas terbesar adalah {largest_area}, sedangkan wilayah terkecil "
            "adalah {smallest_area}.",
            "Sebagian besar wilayah merupakan dataran rendah di bagian pesisir dan "
            "perbukitan Bukit Barisan di bagian timur.",
            "Curah hujan tertinggi tahun {p} tercatat pada bulan {wettest_month} dengan "
            "curah hujan {max_rain} milimeter.",
            "Suhu udara rata-rata berkisar antara 23 hingga 32 derajat Celsius dengan "
            "kelembapan udara yang relatif tinggi sepanjang tahun.",
            "Data iklim bersumber dari Stasiun Meteorologi Fatmawati Soekarno dan Stasiun "
            "Klimatologi Bengkulu.",
            "Kondisi geografis ini menjadikan sektor pertanian dan perkebunan sebagai "
            "penopang utama perekonomian daerah.",
        ),
        "sentences_en": (
            "{area} lies on the western coast of Sumatra Island and borders the Indian Ocean.",
            "The total area of {area} is about {area_km2} square kilometres.",
            "The largest regency is {largest_area}, while the smallest is {smallest_area}.",
            "Most of the territory consists of coastal lowlands in the west and the Bukit "
            "Barisan hills in the east.",
            "The highest rainfall in {p} was recorded in {wettest_month_en} at {max_rain} "
            "millimetres.",
            "Average air temperature ranges between 23 and 32 degrees Celsius with high "
            "humidity throughout the year.",
        ),
    },
    "pemerintahan": {
        "title": "Pemerintahan",
        "title_en": "Government",
        "sections": ("Wilayah Administrasi", "Aparatur Sipil Negara"),
        "tables": ("gov_villages", "gov_asn"),
        "charts": ("bar_villages",),
        "sentences": (
            "Secara administratif, {area} terbagi atas {n_units} {unit_plural}.",
            "Jumlah desa dan kelurahan di {area} pada tahun {p} sebanyak {n_villages} "
            "desa/kelurahan.",
            "Penyelenggaraan pemerintahan daerah didukung oleh aparatur sipil negara yang "
            "tersebar di seluruh organisasi perangkat daerah.",
            "Data pemerintahan bersumber dari Biro Pemerintahan dan Badan Kepegawaian Daerah.",
            "Pemekaran desa dalam beberapa tahun terakhir menambah jumlah unit pemerintahan "
            "terkecil di wilayah ini.",
            "Jumlah aparatur sipil negara menurut tingkat pendidikan menunjukkan dominasi "
            "lulusan sarjana.",
        ),
    },
    "penduduk": {
        "title": "Penduduk",
        "title_en": "Population",
        "subject": "Kependudukan",
        "sections": ("Jumlah dan Pertumbuhan Penduduk", "Persebaran dan Kepadatan Penduduk"),
        "sections_en": ("Population Size and Growth", "Population Distribution and Density"),
        "tables": ("pop_region", "pop_density", "pop_age_sex"),
        "charts": ("bar_pop", "line_pop", "pyramid"),
        "sentences": (
            "Jumlah penduduk {area} tahun {p} sebanyak {pop} jiwa.",
            "Laju pertumbuhan penduduk {area} periode 2020–{p} sebesar {pop_growth} persen "
            "per tahun.",
            "Rasio jenis kelamin penduduk sebesar {sex_ratio}, artinya terdapat sekitar "
            "{sex_ratio_round} penduduk laki-laki untuk setiap 100 penduduk perempuan.",
            "Kepadatan penduduk {area} mencapai {density} jiwa per kilometer persegi.",
            "Persebaran penduduk belum merata; penduduk paling banyak tinggal di "
            "{largest_pop_unit}.",
            "Data kependudukan ini bersumber dari hasil proyeksi penduduk interim 2020–2050 "
            "yang mengacu pada Sensus Penduduk 2020.",
            "Struktur umur penduduk menunjukkan bahwa sebagian besar penduduk berada pada "
            "usia produktif 15–64 tahun.",
            "Angka beban ketergantungan tercatat {dependency}, sehingga setiap 100 penduduk "
            "usia produktif menanggung sekitar {dependency_round} penduduk usia tidak "
            "produktif.",
            "Pertumbuhan penduduk dipengaruhi oleh kelahiran, kematian, dan migrasi masuk "
            "maupun keluar wilayah.",
            "Informasi kependudukan menjadi dasar perencanaan layanan pendidikan, kesehatan, "
            "dan penyediaan lapangan kerja.",
        ),
        "sentences_en": (
            "The population of {area} in {p} was {pop} people.",
            "The annual population growth rate over 2020–{p} was {pop_growth} percent.",
            "The sex ratio was {sex_ratio}, meaning there were about {sex_ratio_round} males "
            "for every 100 females.",
            "Population density reached {density} people per square kilometre.",
            "The population is unevenly distributed; most people live in {largest_pop_unit}.",
            "Population figures come from the interim population projection 2020–2050 based "
            "on the 2020 Population Census.",
            "Most of the population is of productive age, between 15 and 64 years old.",
        ),
    },
    "penduduk_konsep": {
        "title": "Metodologi Proyeksi Penduduk",
        "sections": ("Sumber Data", "Asumsi Proyeksi"),
        "tables": ("pop_assumption",),
        "charts": (),
        "sentences": (
            "Proyeksi penduduk merupakan perhitungan jumlah penduduk di masa mendatang "
            "berdasarkan asumsi kelahiran, kematian, dan migrasi.",
            "Proyeksi ini menggunakan metode komponen dengan penduduk dasar hasil Sensus "
            "Penduduk 2020.",
            "Asumsi angka kelahiran total (TFR) diperkirakan terus menurun mendekati "
            "tingkat penggantian.",
            "Angka harapan hidup diasumsikan meningkat seiring perbaikan layanan kesehatan "
            "penduduk.",
            "Hasil proyeksi kependudukan digunakan sebagai penimbang berbagai survei rumah "
            "tangga yang dilaksanakan BPS.",
        ),
    },
    "penduduk_struktur": {
        "title": "Struktur Umur dan Jenis Kelamin",
        "sections": ("Piramida Penduduk", "Rasio Ketergantungan"),
        "tables": ("pop_age_sex", "pop_density"),
        "charts": ("pyramid", "bar_pop"),
        "sentences": (
            "Piramida penduduk {area} tahun {p} berbentuk ekspansif dengan alas yang mulai "
            "menyempit.",
            "Penduduk usia 0–14 tahun mencapai sekitar seperempat dari total penduduk.",
            "Angka beban ketergantungan tercatat {dependency} pada tahun {p}.",
            "Rasio jenis kelamin penduduk sebesar {sex_ratio}.",
            "Bonus demografi akan memberi manfaat bila penduduk usia produktif terserap "
            "oleh lapangan kerja yang layak.",
            "Jumlah penduduk lanjut usia terus bertambah seiring meningkatnya angka harapan hidup.",
        ),
    },
    "ketenagakerjaan": {
        "title": "Ketenagakerjaan",
        "title_en": "Employment",
        "subject": "Ketenagakerjaan",
        "sections": ("Angkatan Kerja", "Penduduk Bekerja"),
        "sections_en": ("Labor Force", "Employed Population"),
        "tables": ("labor_status", "labor_region", "labor_sector"),
        "charts": ("bar_tpt", "line_tpt", "bar_sector"),
        "sentences": (
            "Jumlah angkatan kerja {area} pada Agustus {p} sebanyak {angkatan_kerja} orang.",
            "Tingkat partisipasi angkatan kerja (TPAK) tercatat sebesar {tpak} persen.",
            "Tingkat pengangguran terbuka (TPT) {area} pada Agustus {p} sebesar {tpt} persen.",
            "Jumlah pengangguran mencapai {penganggur} orang, sebagian besar berpendidikan "
            "sekolah menengah atas.",
            "Penduduk bekerja sebagian besar terserap di lapangan usaha pertanian, "
            "kehutanan, dan perikanan.",
            "Data ketenagakerjaan bersumber dari Survei Angkatan Kerja Nasional (Sakernas) "
            "yang dilaksanakan setiap Februari dan Agustus.",
            "TPT di daerah perkotaan cenderung lebih tinggi dibandingkan daerah perdesaan.",
            "Persentase tenaga kerja formal masih lebih rendah dibandingkan tenaga kerja informal.",
            "Penyerapan tenaga kerja di sektor perdagangan dan jasa terus meningkat dalam "
            "lima tahun terakhir.",
        ),
        "sentences_en": (
            "The labor force of {area} in August {p} numbered {angkatan_kerja} people.",
            "The labor force participation rate was {tpak} percent.",
            "The open unemployment rate in August {p} was {tpt} percent.",
            "There were {penganggur} unemployed people, mostly upper secondary graduates.",
            "Most workers are employed in agriculture, forestry and fishery.",
            "Labor data come from the National Labor Force Survey (Sakernas), conducted "
            "every February and August.",
        ),
    },
    "sakernas_konsep": {
        "title": "Konsep dan Definisi Ketenagakerjaan",
        "sections": ("Sumber Data", "Konsep Angkatan Kerja"),
        "tables": ("labor_status",),
        "charts": (),
        "sentences": (
            "Sakernas dirancang untuk menghasilkan data ketenagakerjaan yang dapat "
            "diperbandingkan antarwaktu dan antarwilayah.",
            "Penduduk usia kerja adalah penduduk berumur 15 tahun ke atas.",
            "Angkatan kerja terdiri atas penduduk bekerja dan pengangguran.",
            "Bekerja adalah kegiatan ekonomi yang dilakukan paling sedikit satu jam secara "
            "tidak terputus dalam seminggu yang lalu.",
            "Tingkat pengangguran terbuka adalah persentase pengangguran terhadap jumlah "
            "angkatan kerja.",
            "Sampel Sakernas Agustus {p} di {area} mencakup ribuan rumah tangga yang "
            "tersebar di seluruh kabupaten/kota.",
        ),
    },
    "pengangguran": {
        "title": "Pengangguran dan Setengah Pengangguran",
        "sections": ("Tingkat Pengangguran Terbuka", "Setengah Pengangguran"),
        "tables": ("labor_region", "unemp_edu"),
        "charts": ("bar_tpt", "line_tpt"),
        "sentences": (
            "Tingkat pengangguran terbuka {area} pada Agustus {p} sebesar {tpt} persen.",
            "Pengangguran paling banyak ditemukan pada lulusan sekolah menengah kejuruan.",
            "TPT tertinggi menurut kabupaten/kota terdapat di Kota Bengkulu.",
            "Tingkat setengah pengangguran menunjukkan masih banyak tenaga kerja yang bekerja "
            "kurang dari 35 jam seminggu.",
            "Penurunan pengangguran sejalan dengan pulihnya kegiatan ekonomi setelah pandemi.",
            "Pengangguran usia muda memerlukan perhatian khusus dalam kebijakan tenaga "
            "kerja daerah.",
        ),
    },
    "pendidikan": {
        "title": "Pendidikan",
        "title_en": "Education",
        "subject": "Pendidikan",
        "sections": ("Sarana Pendidikan", "Partisipasi Sekolah"),
        "tables": ("edu_school", "edu_participation"),
        "charts": ("bar_school", "line_aps"),
        "sentences": (
            "Angka partisipasi sekolah penduduk usia 7–12 tahun di {area} hampir mencapai "
            "100 persen.",
            "Rata-rata lama sekolah penduduk usia 25 tahun ke atas sebesar {rls} tahun.",
            "Harapan lama sekolah anak usia tujuh tahun tercatat {hls} tahun.",
            "Jumlah sekolah dasar di {area} tahun {p} sebanyak {n_sd} sekolah.",
            "Rasio murid terhadap guru pada jenjang pendidikan dasar relatif ideal.",
            "Partisipasi pendidikan pada jenjang sekolah menengah atas masih perlu ditingkatkan.",
            "Data pendidikan bersumber dari Kementerian Pendidikan Dasar dan Menengah serta "
            "hasil Susenas.",
            "Pemerataan akses pendidikan hingga ke desa terpencil menjadi tantangan utama.",
        ),
    },
    "pendidikan_konsep": {
        "title": "Konsep dan Definisi Pendidikan",
        "sections": ("Sumber Data", "Indikator Pendidikan"),
        "tables": ("edu_participation",),
        "charts": (),
        "sentences": (
            "Angka partisipasi sekolah (APS) adalah proporsi penduduk usia sekolah yang "
            "masih bersekolah.",
            "Angka partisipasi kasar (APK) membandingkan jumlah murid pada suatu jenjang "
            "dengan penduduk usia sekolah jenjang tersebut.",
            "Angka partisipasi murni (APM) hanya menghitung murid yang berusia sesuai "
            "jenjang pendidikannya.",
            "Rata-rata lama sekolah menggambarkan jumlah tahun yang ditempuh penduduk dalam "
            "pendidikan formal.",
            "Indikator pendidikan dihitung dari Survei Sosial Ekonomi Nasional (Susenas) "
            "Maret {p}.",
        ),
    },
    "pendidikan_capaian": {
        "title": "Capaian Pendidikan Penduduk",
        "sections": ("Tingkat Pendidikan", "Kemampuan Baca Tulis"),
        "tables": ("edu_attainment", "edu_school"),
        "charts": ("line_aps", "bar_school"),
        "sentences": (
            "Persentase penduduk usia 15 tahun ke atas yang melek huruf di {area} mencapai "
            "lebih dari 98 persen.",
            "Penduduk berpendidikan tinggi lebih banyak ditemukan di Kota Bengkulu.",
            "Rata-rata lama sekolah tahun {p} sebesar {rls} tahun atau setara kelas tiga "
            "sekolah menengah pertama.",
            "Kesenjangan capaian pendidikan antara perkotaan dan perdesaan masih terlihat.",
            "Peningkatan capaian pendidikan berperan penting bagi kualitas sumber daya manusia.",
        ),
    },
    "kesehatan": {
        "title": "Kesehatan",
        "title_en": "Health",
        "subject": "Kesehatan",
        "sections": ("Fasilitas Kesehatan", "Derajat Kesehatan"),
        "tables": ("health_facilities", "health_indicators"),
        "charts": ("bar_health", "line_morbidity"),
        "sentences": (
            "Jumlah puskesmas di {area} tahun {p} sebanyak {n_puskesmas} unit.",
            "Angka kesakitan penduduk tercatat {morbidity} persen.",
            "Persentase penduduk yang memiliki jaminan kesehatan terus meningkat.",
            "Angka harapan hidup saat lahir mencapai {uhh} tahun.",
            "Persalinan yang ditolong tenaga kesehatan sudah mencapai lebih dari 95 persen.",
            "Data fasilitas kesehatan bersumber dari Dinas Kesehatan kabupaten/kota.",
            "Keluhan kesehatan paling banyak berupa batuk, pilek, dan demam.",
            "Pemanfaatan puskesmas dan klinik sebagai tempat berobat jalan tetap dominan.",
        ),
    },
    "kemiskinan": {
        "title": "Kemiskinan",
        "title_en": "Poverty",
        "subject": "Kemiskinan",
        "sections": ("Jumlah dan Persentase Penduduk Miskin", "Garis Kemiskinan"),
        "sections_en": ("Number and Percentage of Poor People", "Poverty Line"),
        "tables": ("poverty_series", "poverty_region", "poverty_line"),
        "charts": ("line_poverty", "bar_poverty"),
        "sentences": (
            "Persentase penduduk miskin {area} pada Maret {y} sebesar {miskin_pct} persen.",
            "Jumlah penduduk miskin tercatat {miskin_jml} orang.",
            "Garis kemiskinan tercatat sebesar {gk} per kapita per bulan.",
            "Komoditas makanan memberikan sumbangan terbesar terhadap garis kemiskinan, "
            "terutama beras dan rokok kretek filter.",
            "Kemiskinan di perdesaan masih lebih tinggi dibandingkan di perkotaan.",
            "Indeks kedalaman kemiskinan (P1) dan indeks keparahan kemiskinan (P2) juga "
            "menunjukkan penurunan.",
            "Penghitungan kemiskinan menggunakan pendekatan kebutuhan dasar dari data Susenas.",
            "Penduduk miskin adalah penduduk yang memiliki rata-rata pengeluaran per kapita "
            "per bulan di bawah garis kemiskinan.",
            "Program perlindungan sosial turut menahan laju kemiskinan di tengah kenaikan "
            "harga pangan.",
        ),
        "sentences_en": (
            "The percentage of poor people in {area} in March {y} was {miskin_pct} percent.",
            "The number of poor people was {miskin_jml}.",
            "The poverty line was {gk} per capita per month.",
            "Food commodities contribute the most to the poverty line, especially rice.",
            "Poverty in rural areas remains higher than in urban areas.",
            "Poverty is measured with the basic needs approach using Susenas data.",
        ),
    },
    "kemiskinan_konsep": {
        "title": "Konsep dan Metodologi Kemiskinan",
        "sections": ("Pendekatan Kebutuhan Dasar", "Sumber Data"),
        "tables": ("poverty_line",),
        "charts": (),
        "sentences": (
            "BPS mengukur kemiskinan dengan pendekatan kemampuan memenuhi kebutuhan dasar.",
            "Garis kemiskinan terdiri atas garis kemiskinan makanan dan garis kemiskinan "
            "bukan makanan.",
            "Garis kemiskinan makanan setara dengan pengeluaran untuk 2.100 kilokalori per "
            "kapita per hari.",
            "Data kemiskinan dihitung dari Susenas yang dilaksanakan pada bulan Maret dan "
            "September.",
            "Indeks keparahan kemiskinan memberikan gambaran ketimpangan pengeluaran di "
            "antara penduduk miskin.",
        ),
    },
    "padi": {
        "title": "Pertanian Tanaman Pangan",
        "title_en": "Food Crops Agriculture",
        "subject": "Pertanian",
        "sections": ("Luas Panen Padi", "Produksi Padi dan Beras"),
        "sections_en": ("Paddy Harvested Area", "Paddy and Rice Production"),
        "tables": ("padi_region", "padi_monthly"),
        "charts": ("bar_padi", "line_padi"),
        "sentences": (
            "Luas panen padi {area} tahun {p} mencapai {padi_luas} hektare.",
            "Produksi padi tahun {p} sebesar {padi_prod} gabah kering giling (GKG).",
            "Jika dikonversikan menjadi beras, produksi padi setara dengan {beras_prod} beras.",
            "Puncak panen padi terjadi pada bulan Maret dan April.",
            "Sentra produksi padi berada di {top_padi}.",
            "Produktivitas padi tercatat sekitar {padi_yield} kuintal per hektare.",
            "Luas panen dan produksi padi dihitung dari Survei Kerangka Sampel Area (KSA) "
            "dan Survei Ubinan.",
            "Cuaca dan ketersediaan air irigasi sangat memengaruhi produksi padi setiap "
            "musim tanam.",
        ),
        "sentences_en": (
            "The paddy harvested area of {area} in {p} was {padi_luas} hectares.",
            "Paddy production in {p} reached {padi_prod} of dry unhusked rice.",
            "Converted to rice, production was equivalent to {beras_prod}.",
            "The harvest peaks in March and April.",
            "The main producing area is {top_padi}.",
        ),
    },
    "padi_produksi": {
        "title": "Produksi Padi Menurut Kabupaten/Kota",
        "sections": ("Produksi Padi Bulanan", "Produktivitas Padi"),
        "tables": ("padi_region", "padi_monthly"),
        "charts": ("line_padi", "bar_padi"),
        "sentences": (
            "Produksi padi {area} tahun {p} sebesar {padi_prod} GKG.",
            "Kabupaten {top_padi} merupakan penghasil padi terbesar di Provinsi Bengkulu.",
            "Produktivitas padi sekitar {padi_yield} kuintal per hektare.",
            "Produksi padi bulanan berfluktuasi mengikuti pola tanam dan musim hujan.",
            "Produksi beras untuk konsumsi pangan penduduk mencapai {beras_prod}.",
        ),
    },
    "ksa_konsep": {
        "title": "Metodologi Kerangka Sampel Area",
        "sections": ("Survei KSA", "Survei Ubinan"),
        "tables": ("padi_monthly",),
        "charts": (),
        "sentences": (
            "Survei Kerangka Sampel Area (KSA) mengamati fase tumbuh padi pada segmen "
            "berukuran 300 x 300 meter.",
            "Pengamatan dilakukan setiap akhir bulan dengan aplikasi berbasis telepon pintar.",
            "Produktivitas padi diperoleh dari Survei Ubinan yang dilakukan bersama Dinas "
            "Pertanian.",
            "Produksi padi merupakan hasil perkalian luas panen dengan produktivitas.",
            "Konversi gabah kering giling menjadi beras menggunakan angka konversi hasil survei.",
        ),
    },
    "perkebunan": {
        "title": "Perkebunan",
        "title_en": "Estate Crops",
        "subject": "Perkebunan",
        "sections": ("Kelapa Sawit", "Karet dan Kopi"),
        "tables": ("estate_region", "estate_area"),
        "charts": ("bar_sawit", "bar_estate"),
        "sentences": (
            "Kelapa sawit merupakan komoditas perkebunan utama di {area}.",
            "Produksi kelapa sawit tahun {p} mencapai {sawit_prod} ton tandan buah segar.",
            "Kopi robusta banyak dibudidayakan di Kabupaten Kepahiang dan Rejang Lebong.",
            "Karet sebagian besar diusahakan oleh perkebunan rakyat.",
            "Luas areal perkebunan kelapa sawit terluas berada di Kabupaten Mukomuko.",
            "Harga tandan buah segar sangat memengaruhi pendapatan petani perkebunan.",
            "Data perkebunan bersumber dari Dinas Tanaman Pangan, Hortikultura, dan Perkebunan.",
        ),
    },
    "pariwisata": {
        "title": "Pariwisata",
        "title_en": "Tourism",
        "subject": "Pariwisata",
        "sections": ("Akomodasi", "Tingkat Penghunian Kamar"),
        "tables": ("tourism_monthly", "hotel_region"),
        "charts": ("line_tpk",),
        "sentences": (
            "Tingkat penghunian kamar (TPK) hotel berbintang di {area} tahun {p} rata-rata "
            "{tpk} persen.",
            "Rata-rata lama menginap tamu hotel berbintang sekitar 1,5 malam.",
            "Sebagian besar tamu hotel merupakan wisatawan domestik.",
            "Kota Bengkulu memiliki jumlah usaha akomodasi terbanyak.",
            "Objek wisata Pantai Panjang dan Benteng Marlborough ramai dikunjungi pada musim "
            "libur.",
            "Kegiatan pemerintahan dan pertemuan turut mendorong penghunian kamar hotel.",
        ),
    },
    "transportasi": {
        "title": "Transportasi dan Komunikasi",
        "title_en": "Transportation and Communication",
        "subject": "Transportasi",
        "sections": ("Jalan", "Angkutan Udara dan Laut"),
        "tables": ("roads", "airport"),
        "charts": ("line_passengers",),
        "sentences": (
            "Panjang jalan di {area} tahun {p} sebagian besar dalam kondisi baik.",
            "Bandar Udara Fatmawati Soekarno melayani penerbangan rute Jakarta dan Batam.",
            "Jumlah penumpang pesawat yang berangkat terus meningkat setelah pandemi.",
            "Pelabuhan Pulau Baai menjadi pintu keluar komoditas batu bara dan minyak sawit.",
            "Jumlah kendaraan bermotor didominasi oleh sepeda motor.",
            "Akses internet rumah tangga semakin meluas hingga ke perdesaan.",
        ),
    },
    "harga": {
        "title": "Harga Konsumen dan Inflasi",
        "title_en": "Consumer Prices and Inflation",
        "subject": "Harga Konsumen",
        "sections": ("Inflasi Tahunan", "Inflasi Menurut Kelompok Pengeluaran"),
        "sections_en": ("Annual Inflation", "Inflation by Expenditure Group"),
        "tables": ("cpi_groups", "cpi_monthly"),
        "charts": ("line_inflation", "bar_cpi_group"),
        "sentences": (
            "Inflasi year on year (y-on-y) Provinsi Bengkulu pada {month} {y} sebesar "
            "{inflasi_yoy} persen.",
            "Indeks Harga Konsumen (IHK) tercatat sebesar {ihk} dengan tahun dasar 2022=100.",
            "Inflasi month to month (m-to-m) tercatat {inflasi_mtm} persen.",
            "Kelompok makanan, minuman, dan tembakau memberikan andil inflasi terbesar.",
            "Komoditas penyumbang utama inflasi antara lain beras, cabai merah, bawang "
            "merah, dan emas perhiasan.",
            "Penghitungan inflasi dilakukan di Kota Bengkulu dan Kabupaten Mukomuko.",
            "Harga konsumen diperoleh dari Survei Harga Konsumen yang dilakukan setiap "
            "bulan di pasar tradisional dan modern.",
            "Inflasi masih berada dalam rentang sasaran inflasi nasional 2,5 plus minus 1 persen.",
            "Beberapa komoditas seperti tomat dan daging ayam ras justru memberikan andil deflasi.",
        ),
        "sentences_en": (
            "Year-on-year inflation of Bengkulu Province in {month_en} {y} was {inflasi_yoy} "
            "percent.",
            "The Consumer Price Index stood at {ihk} (2022=100).",
            "Month-to-month inflation was {inflasi_mtm} percent.",
            "Food, beverages and tobacco contributed the most to inflation.",
            "Inflation is measured in Bengkulu City and Mukomuko Regency.",
            "Inflation remained within the national target range of 2.5 plus or minus 1 percent.",
        ),
    },
    "ntp": {
        "title": "Nilai Tukar Petani",
        "title_en": "Farmer Terms of Trade",
        "subject": "Nilai Tukar Petani",
        "sections": ("Perkembangan NTP", "NTP Menurut Subsektor"),
        "tables": ("ntp_monthly", "ntp_subsector"),
        "charts": ("line_ntp",),
        "sentences": (
            "Nilai tukar petani (NTP) {area} tahun {p} rata-rata sebesar {ntp}.",
            "NTP di atas 100 menunjukkan petani mengalami surplus karena kenaikan harga "
            "produksi lebih tinggi dari harga konsumsi.",
            "Subsektor tanaman perkebunan rakyat mencatat NTP tertinggi berkat harga "
            "kelapa sawit dan kopi.",
            "Indeks harga yang diterima petani (It) naik lebih cepat dibandingkan indeks "
            "harga yang dibayar petani (Ib).",
            "Nilai tukar usaha rumah tangga pertanian (NTUP) juga menunjukkan peningkatan.",
            "Data NTP diperoleh dari Survei Harga Perdesaan setiap bulan.",
        ),
    },
    "pdrb": {
        "title": "Produk Domestik Regional Bruto",
        "title_en": "Gross Regional Domestic Product",
        "subject": "Pendapatan Regional",
        "sections": ("Pertumbuhan Ekonomi", "Struktur Perekonomian"),
        "sections_en": ("Economic Growth", "Economic Structure"),
        "tables": ("pdrb_lu", "pdrb_growth", "pdrb_region"),
        "charts": ("line_growth", "bar_structure"),
        "sentences": (
            "Ekonomi {area} tahun {p} tumbuh sebesar {pdrb_growth} persen.",
            "PDRB atas dasar harga berlaku mencapai {pdrb_adhb}.",
            "PDRB per kapita tercatat sebesar {pdrb_kap}.",
            "Lapangan usaha pertanian, kehutanan, dan perikanan masih mendominasi struktur "
            "perekonomian dengan kontribusi sekitar 28 persen.",
            "Pertumbuhan tertinggi dicapai oleh lapangan usaha transportasi dan pergudangan.",
            "Konsumsi rumah tangga merupakan komponen pengeluaran dengan porsi terbesar.",
            "PDRB dihitung dengan tahun dasar 2010 mengikuti System of National Accounts 2008.",
            "Perdagangan besar dan eceran menjadi lapangan usaha kedua terbesar dalam "
            "perekonomian daerah.",
            "Kenaikan produksi kelapa sawit turut mendorong pertumbuhan ekonomi.",
        ),
        "sentences_en": (
            "The economy of {area} grew by {pdrb_growth} percent in {p}.",
            "GRDP at current prices reached {pdrb_adhb}.",
            "GRDP per capita was {pdrb_kap}.",
            "Agriculture, forestry and fishery dominate the economy with a share of about 28 "
            "percent.",
            "GRDP is compiled with 2010 as the base year following the 2008 System of "
            "National Accounts.",
        ),
    },
    "pdrb_konsep": {
        "title": "Konsep dan Metodologi PDRB",
        "sections": ("Pendekatan Penghitungan", "Tahun Dasar"),
        "tables": ("pdrb_lu",),
        "charts": (),
        "sentences": (
            "Produk domestik regional bruto adalah jumlah nilai tambah bruto yang timbul "
            "dari seluruh lapangan usaha di suatu wilayah.",
            "PDRB dapat dihitung melalui pendekatan produksi, pendapatan, dan pengeluaran.",
            "PDRB atas dasar harga konstan menggunakan tahun dasar 2010.",
            "Klasifikasi lapangan usaha mengacu pada KBLI 2009 yang terdiri atas 17 kategori.",
            "Laju pertumbuhan ekonomi dihitung dari PDRB atas dasar harga konstan.",
            "Indeks implisit menggambarkan perkembangan harga produsen secara agregat.",
        ),
    },
    "pdrb_sektor": {
        "title": "Perkembangan Lapangan Usaha",
        "sections": ("Pertanian, Kehutanan, dan Perikanan", "Perdagangan dan Jasa"),
        "tables": ("pdrb_growth", "pdrb_share"),
        "charts": ("bar_structure", "line_growth"),
        "sentences": (
            "Lapangan usaha pertanian, kehutanan, dan perikanan tumbuh didorong produksi "
            "kelapa sawit dan padi.",
            "Lapangan usaha perdagangan besar dan eceran tumbuh seiring meningkatnya daya "
            "beli masyarakat.",
            "Lapangan usaha konstruksi melambat akibat berkurangnya proyek infrastruktur.",
            "Administrasi pemerintahan memberikan kontribusi yang cukup besar terhadap PDRB "
            "{area}.",
            "Ekonomi {area} tahun {p} tumbuh {pdrb_growth} persen.",
            "Struktur ekonomi relatif stabil dalam lima tahun terakhir.",
        ),
    },
    "pdrb_pengeluaran": {
        "title": "PDRB Menurut Pengeluaran",
        "sections": ("Konsumsi Rumah Tangga", "Pembentukan Modal Tetap Bruto"),
        "tables": ("pdrb_exp", "pdrb_exp_growth"),
        "charts": ("bar_exp",),
        "sentences": (
            "Pengeluaran konsumsi rumah tangga menyumbang lebih dari separuh PDRB {area}.",
            "Pembentukan modal tetap bruto tumbuh seiring berlanjutnya investasi swasta.",
            "Konsumsi pemerintah dipengaruhi oleh realisasi belanja daerah.",
            "Ekspor barang dan jasa didominasi minyak kelapa sawit dan batu bara.",
            "Ekonomi {area} tahun {p} tumbuh {pdrb_growth} persen.",
            "Net ekspor antardaerah menunjukkan ketergantungan pada pasokan barang dari luar "
            "provinsi.",
        ),
    },
    "ipm": {
        "title": "Indeks Pembangunan Manusia",
        "title_en": "Human Development Index",
        "subject": "Pembangunan Manusia",
        "sections": ("Perkembangan IPM", "Komponen IPM"),
        "tables": ("ipm_series", "ipm_region"),
        "charts": ("line_ipm", "bar_ipm"),
        "sentences": (
            "Indeks Pembangunan Manusia (IPM) {area} tahun {p} mencapai {ipm}.",
            "Umur harapan hidup saat lahir tercatat {uhh} tahun.",
            "Harapan lama sekolah mencapai {hls} tahun dan rata-rata lama sekolah {rls} tahun.",
            "Pengeluaran riil per kapita yang disesuaikan sebesar {pengeluaran_kap} per tahun.",
            "Status pembangunan manusia {area} termasuk kategori tinggi.",
            "IPM tertinggi dicapai oleh Kota Bengkulu, sedangkan yang terendah berada di "
            "Kabupaten Seluma.",
            "Pertumbuhan IPM menunjukkan kemajuan pembangunan manusia yang berkelanjutan.",
        ),
    },
    "ipm_konsep": {
        "title": "Metodologi IPM",
        "sections": ("Dimensi IPM", "Penghitungan IPM"),
        "tables": ("ipm_series",),
        "charts": (),
        "sentences": (
            "IPM dibentuk oleh tiga dimensi dasar: umur panjang dan hidup sehat, "
            "pengetahuan, serta standar hidup layak.",
            "IPM dihitung sebagai rata-rata geometrik dari indeks kesehatan, indeks "
            "pendidikan, dan indeks pengeluaran.",
            "Metode baru penghitungan IPM diterapkan sejak tahun 2010.",
            "Kategori IPM dibagi menjadi rendah, sedang, tinggi, dan sangat tinggi.",
            "Data komponen pendidikan dan pengeluaran bersumber dari Susenas.",
        ),
    },
    "ipm_wilayah": {
        "title": "IPM Menurut Kabupaten/Kota",
        "sections": ("Capaian Kabupaten/Kota", "Kesenjangan Antarwilayah"),
        "tables": ("ipm_region",),
        "charts": ("bar_ipm",),
        "sentences": (
            "Kota Bengkulu mencatat IPM tertinggi dengan kategori sangat tinggi.",
            "Sebagian besar kabupaten berada pada kategori IPM tinggi.",
            "Kesenjangan IPM antarkabupaten/kota terus menyempit.",
            "IPM {area} tahun {p} sebesar {ipm}.",
            "Peningkatan harapan lama sekolah menjadi pendorong utama kenaikan IPM kabupaten.",
        ),
    },
    "perumahan": {
        "title": "Perumahan dan Lingkungan",
        "title_en": "Housing and Environment",
        "subject": "Perumahan",
        "sections": ("Kualitas Rumah", "Air Minum dan Sanitasi"),
        "tables": ("housing",),
        "charts": ("bar_housing",),
        "sentences": (
            "Persentase rumah tangga di {area} yang memiliki akses air minum layak terus "
            "meningkat.",
            "Rumah tangga dengan akses sanitasi layak mencapai sekitar 80 persen.",
            "Hampir seluruh rumah tangga telah menggunakan listrik PLN sebagai sumber penerangan.",
            "Sebagian besar rumah tangga menempati rumah milik sendiri.",
            "Kualitas rumah tinggal diukur dari jenis atap, dinding, dan lantai terluas.",
        ),
    },
    "konsumsi": {
        "title": "Konsumsi dan Pengeluaran",
        "title_en": "Consumption and Expenditure",
        "subject": "Konsumsi dan Pengeluaran",
        "sections": ("Pengeluaran per Kapita", "Ketimpangan Pengeluaran"),
        "tables": ("consumption",),
        "charts": ("bar_consumption",),
        "sentences": (
            "Rata-rata pengeluaran per kapita sebulan penduduk {area} tahun {p} sebesar "
            "{pengeluaran_bulan}.",
            "Proporsi pengeluaran makanan masih sedikit lebih besar daripada bukan makanan.",
            "Rasio gini {area} sebesar {gini}, menunjukkan ketimpangan yang rendah.",
            "Pengeluaran untuk padi-padian dan rokok menempati porsi terbesar dalam "
            "pengeluaran makanan.",
            "Pergeseran pola konsumsi ke bukan makanan menandakan peningkatan kesejahteraan.",
        ),
    },
}

# Sentences any chapter may use to round off a paragraph.
GENERIC_SENTENCES = (
    "Data yang disajikan merupakan angka terbaru yang tersedia pada saat publikasi ini disusun.",
    "Perbedaan angka dalam tabel dapat terjadi karena pembulatan.",
    "Penjelasan lebih rinci mengenai konsep dan definisi dapat dilihat pada bagian "
    "penjelasan teknis.",
    "Perbandingan antarwaktu perlu memperhatikan perubahan metodologi dan cakupan survei.",
    "Data menurut wilayah memberikan gambaran pemerataan hasil pembangunan di {area}.",
    "Informasi ini diharapkan bermanfaat bagi pemerintah daerah, akademisi, dan masyarakat luas.",
)
GENERIC_SENTENCES_EN = (
    "The figures are the latest available when this publication was compiled.",
    "Totals may differ from the sum of their parts because of rounding.",
    "Comparisons over time should consider changes in methodology and survey coverage.",
    "Figures by region show how evenly development is distributed across {area}.",
)

FOREWORD = (
    "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa atas terbitnya publikasi {title}.",
    "Publikasi ini merupakan salah satu wujud komitmen Badan Pusat Statistik dalam "
    "menyediakan data statistik yang berkualitas bagi perencanaan dan evaluasi "
    "pembangunan.",
    "{title} memuat data dan informasi mengenai {topics} di {area}.",
    "Data yang disajikan bersumber dari hasil sensus dan survei BPS serta data "
    "administrasi dari instansi pemerintah dan swasta.",
    "Kami menyampaikan terima kasih kepada semua pihak yang telah membantu penyusunan "
    "publikasi ini.",
    "Kritik dan saran yang membangun sangat kami harapkan untuk perbaikan edisi mendatang.",
)
FOREWORD_EN = (
    "We are pleased to present {title}.",
    "This publication reflects the commitment of BPS-Statistics Indonesia to provide "
    "quality statistics for development planning and evaluation.",
    "It covers {topics} in {area}.",
    "The data come from BPS censuses and surveys and from administrative records of "
    "government agencies.",
    "We thank everyone who contributed to this publication and welcome suggestions for "
    "future editions.",
)

TECHNICAL_NOTES = (
    (
        "Penduduk",
        "Semua orang yang berdomisili di wilayah geografis Republik Indonesia "
        "selama enam bulan atau lebih dan atau mereka yang berdomisili kurang dari enam bulan "
        "tetapi bertujuan untuk menetap.",
    ),
    (
        "Angkatan kerja",
        "Penduduk usia kerja (15 tahun ke atas) yang bekerja, atau punya "
        "pekerjaan namun sementara tidak bekerja, dan pengangguran.",
    ),
    (
        "Tingkat pengangguran terbuka",
        "Persentase jumlah pengangguran terhadap jumlah angkatan kerja.",
    ),
    (
        "Penduduk miskin",
        "Penduduk yang memiliki rata-rata pengeluaran per kapita per bulan "
        "di bawah garis kemiskinan.",
    ),
    (
        "Inflasi",
        "Kecenderungan kenaikan harga barang dan jasa secara umum dan terus-menerus "
        "yang diukur dengan Indeks Harga Konsumen.",
    ),
    (
        "Produksi padi",
        "Hasil perkalian luas panen dengan produktivitas, dinyatakan dalam "
        "ton gabah kering giling (GKG).",
    ),
    (
        "PDRB",
        "Jumlah nilai tambah bruto yang timbul dari seluruh lapangan usaha yang "
        "melakukan kegiatan ekonomi di suatu wilayah.",
    ),
)

SYMBOLS = (
    ("-", "Data tidak ada / Data not available"),
    ("0", "Data dapat diabaikan / Negligible"),
    ("...", "Data tidak tersedia / Data not yet available"),
    ("*", "Angka sementara / Preliminary figures"),
    ("**", "Angka sangat sementara / Very preliminary figures"),
)

CPI_GROUPS = (
    "Makanan, Minuman, dan Tembakau",
    "Pakaian dan Alas Kaki",
    "Perumahan, Air, Listrik, dan Bahan Bakar Rumah Tangga",
    "Perlengkapan, Peralatan, dan Pemeliharaan Rutin Rumah Tangga",
    "Kesehatan",
    "Transportasi",
    "Informasi, Komunikasi, dan Jasa Keuangan",
    "Rekreasi, Olahraga, dan Budaya",
    "Pendidikan",
    "Penyediaan Makanan dan Minuman/Restoran",
    "Perawatan Pribadi dan Jasa Lainnya",
)

# Lapangan usaha (KBLI 2009) with the rough share of Bengkulu's GRDP and growth.
INDUSTRIES = (
    ("A", "Pertanian, Kehutanan, dan Perikanan", 28.4, 3.6),
    ("B", "Pertambangan dan Penggalian", 3.9, 2.1),
    ("C", "Industri Pengolahan", 5.6, 4.0),
    ("D", "Pengadaan Listrik dan Gas", 0.1, 5.2),
    ("E", "Pengadaan Air, Pengelolaan Sampah, Limbah", 0.1, 3.1),
    ("F", "Konstruksi", 8.2, 2.8),
    ("G", "Perdagangan Besar dan Eceran; Reparasi Mobil", 15.6, 5.4),
    ("H", "Transportasi dan Pergudangan", 4.7, 8.9),
    ("I", "Penyediaan Akomodasi dan Makan Minum", 1.6, 7.1),
    ("J", "Informasi dan Komunikasi", 3.6, 6.3),
    ("K", "Jasa Keuangan dan Asuransi", 2.9, 2.4),
    ("L", "Real Estat", 2.8, 3.9),
    ("M,N", "Jasa Perusahaan", 0.5, 6.0),
    ("O", "Administrasi Pemerintahan dan Jaminan Sosial", 11.0, 3.2),
    ("P", "Jasa Pendidikan", 6.4, 4.3),
    ("Q", "Jasa Kesehatan dan Kegiatan Sosial", 1.7, 6.6),
    ("R,S,T,U", "Jasa Lainnya", 0.9, 6.8),
)

EXPENDITURE = (
    ("Pengeluaran Konsumsi Rumah Tangga", 61.2, 4.6),
    ("Pengeluaran Konsumsi LNPRT", 1.3, 6.1),
    ("Pengeluaran Konsumsi Pemerintah", 16.9, 2.3),
    ("Pembentukan Modal Tetap Bruto", 31.5, 4.1),
    ("Perubahan Inventori", 0.4, 0.0),
    ("Ekspor Barang dan Jasa", 27.8, 5.2),
    ("Dikurangi Impor Barang dan Jasa", -39.1, 4.9),
)

AGE_GROUPS = (
    "0–4",
    "5–9",
    "10–14",
    "15–19",
    "20–24",
    "25–29",
    "30–34",
    "35–39",
    "40–44",
    "45–49",
    "50–54",
    "55–59",
    "60–64",
    "65–69",
    "70–74",
    "75+",
)
# Share of the population in each age group (sums to about 1).
AGE_SHARES = (
    0.084,
    0.086,
    0.087,
    0.085,
    0.082,
    0.080,
    0.076,
    0.073,
    0.069,
    0.063,
    0.056,
    0.048,
    0.039,
    0.030,
    0.021,
    0.021,
)

BRS_HIGHLIGHT_KEYS = {
    "harga": (
        "Pada {month} {y} terjadi inflasi year on year (y-on-y) Provinsi Bengkulu sebesar "
        "{inflasi_yoy} persen dengan IHK sebesar {ihk}.",
        "Inflasi month to month (m-to-m) sebesar {inflasi_mtm} persen dan inflasi year to "
        "date (y-to-d) sebesar {inflasi_ytd} persen.",
        "Kelompok makanan, minuman, dan tembakau memberikan andil inflasi terbesar.",
    ),
    "kemiskinan": (
        "Persentase penduduk miskin Maret {y} sebesar {miskin_pct} persen.",
        "Jumlah penduduk miskin Maret {y} sebanyak {miskin_jml} orang.",
        "Garis kemiskinan Maret {y} tercatat sebesar {gk} per kapita per bulan.",
    ),
    "pdrb": (
        "Ekonomi Provinsi Bengkulu tahun {p} tumbuh {pdrb_growth} persen.",
        "PDRB atas dasar harga berlaku tahun {p} mencapai {pdrb_adhb}.",
        "Dari sisi produksi, pertanian, kehutanan, dan perikanan tetap menjadi lapangan "
        "usaha terbesar.",
    ),
    "ketenagakerjaan": (
        "Tingkat pengangguran terbuka (TPT) sebesar {tpt} persen.",
        "Jumlah angkatan kerja sebanyak {angkatan_kerja} orang.",
        "Tingkat partisipasi angkatan kerja (TPAK) sebesar {tpak} persen.",
    ),
}

# Rough per-regency levels the invented numbers are drawn around: open unemployment
# (%), poverty (%), human development index, share of provincial paddy, palm oil and
# coffee output, and the mean monthly rainfall (mm) of the regency's climate.
REGION_TRAITS: dict[str, dict[str, float]] = {
    "1701": {"tpt": 3.5, "miskin": 18.2, "ipm": 73.1, "padi": 0.11, "sawit": 0.06, "kopi": 0.06},
    "1702": {"tpt": 3.7, "miskin": 14.6, "ipm": 72.6, "padi": 0.12, "sawit": 0.02, "kopi": 0.27},
    "1703": {"tpt": 2.8, "miskin": 11.9, "ipm": 71.9, "padi": 0.14, "sawit": 0.27, "kopi": 0.04},
    "1704": {"tpt": 2.5, "miskin": 18.0, "ipm": 70.6, "padi": 0.08, "sawit": 0.05, "kopi": 0.13},
    "1705": {"tpt": 2.9, "miskin": 17.5, "ipm": 69.7, "padi": 0.19, "sawit": 0.14, "kopi": 0.03},
    "1706": {"tpt": 3.2, "miskin": 10.6, "ipm": 71.6, "padi": 0.13, "sawit": 0.33, "kopi": 0.01},
    "1707": {"tpt": 2.8, "miskin": 11.7, "ipm": 70.4, "padi": 0.08, "sawit": 0.01, "kopi": 0.15},
    "1708": {"tpt": 2.6, "miskin": 14.5, "ipm": 71.4, "padi": 0.05, "sawit": 0.01, "kopi": 0.29},
    "1709": {"tpt": 3.1, "miskin": 8.1, "ipm": 70.3, "padi": 0.08, "sawit": 0.11, "kopi": 0.02},
    "1771": {"tpt": 6.4, "miskin": 17.1, "ipm": 81.6, "padi": 0.02, "sawit": 0.0, "kopi": 0.0},
}

# Mean monthly rainfall (mm) at Fatmawati Soekarno, January to December.
RAINFALL = (289, 221, 288, 271, 206, 158, 154, 167, 202, 276, 337, 340)

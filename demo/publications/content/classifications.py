"""Classifications: CPI groups, industries, expenditure, age groups, BRS highlights."""

from __future__ import annotations

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

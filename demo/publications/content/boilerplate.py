"""Generic sentences, forewords, technical notes and table symbols."""

from __future__ import annotations

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

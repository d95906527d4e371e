"""Chapter topics about farming, tourism, transport, prices and the economy."""

from __future__ import annotations

from typing import Any

from demo.publications.content.topic import _topic

TOPICS_ECONOMY: dict[str, dict[str, Any]] = {
    "padi": _topic(
        "Pertanian Tanaman Pangan",
        title_en="Food Crops Agriculture",
        subject="Pertanian",
        sections=("Luas Panen Padi", "Produksi Padi dan Beras"),
        sections_en=("Paddy Harvested Area", "Paddy and Rice Production"),
        tables=("padi_region", "padi_monthly"),
        charts=("bar_padi", "line_padi"),
        sentences="""
            Luas panen padi {area} tahun {p} mencapai {padi_luas} hektare.
            Produksi padi tahun {p} sebesar {padi_prod} gabah kering giling (GKG).
            Jika dikonversikan menjadi beras, produksi padi setara dengan {beras_prod} beras.
            Puncak panen padi terjadi pada bulan Maret dan April.
            Sentra produksi padi berada di {top_padi}.
            Produktivitas padi tercatat sekitar {padi_yield} kuintal per hektare.
            Luas panen dan produksi padi dihitung dari Survei Kerangka Sampel Area (KSA) dan Survei
              Ubinan.
            Cuaca dan ketersediaan air irigasi sangat memengaruhi produksi padi setiap musim tanam.
        """,
        sentences_en="""
            The paddy harvested area of {area} in {p} was {padi_luas} hectares.
            Paddy production in {p} reached {padi_prod} of dry unhusked rice.
            Converted to rice, production was equivalent to {beras_prod}.
            The harvest peaks in March and April.
            The main producing area is {top_padi}.
        """,
    ),
    "padi_produksi": _topic(
        "Produksi Padi Menurut Kabupaten/Kota",
        sections=("Produksi Padi Bulanan", "Produktivitas Padi"),
        tables=("padi_region", "padi_monthly"),
        charts=("line_padi", "bar_padi"),
        sentences="""
            Produksi padi {area} tahun {p} sebesar {padi_prod} GKG.
            Kabupaten {top_padi} merupakan penghasil padi terbesar di Provinsi Bengkulu.
            Produktivitas padi sekitar {padi_yield} kuintal per hektare.
            Produksi padi bulanan berfluktuasi mengikuti pola tanam dan musim hujan.
            Produksi beras untuk konsumsi pangan penduduk mencapai {beras_prod}.
        """,
    ),
    "ksa_konsep": _topic(
        "Metodologi Kerangka Sampel Area",
        sections=("Survei KSA", "Survei Ubinan"),
        tables=("padi_monthly",),
        charts=(),
        sentences="""
            Survei Kerangka Sampel Area (KSA) mengamati fase tumbuh padi pada segmen berukuran 300 x
              300 meter.
            Pengamatan dilakukan setiap akhir bulan dengan aplikasi berbasis telepon pintar.
            Produktivitas padi diperoleh dari Survei Ubinan yang dilakukan bersama Dinas Pertanian.
            Produksi padi merupakan hasil perkalian luas panen dengan produktivitas.
            Konversi gabah kering giling menjadi beras menggunakan angka konversi hasil survei.
        """,
    ),
    "perkebunan": _topic(
        "Perkebunan",
        title_en="Estate Crops",
        subject="Perkebunan",
        sections=("Kelapa Sawit", "Karet dan Kopi"),
        tables=("estate_region", "estate_area"),
        charts=("bar_sawit", "bar_estate"),
        sentences="""
            Kelapa sawit merupakan komoditas perkebunan utama di {area}.
            Produksi kelapa sawit tahun {p} mencapai {sawit_prod} ton tandan buah segar.
            Kopi robusta banyak dibudidayakan di Kabupaten Kepahiang dan Rejang Lebong.
            Karet sebagian besar diusahakan oleh perkebunan rakyat.
            Luas areal perkebunan kelapa sawit terluas berada di Kabupaten Mukomuko.
            Harga tandan buah segar sangat memengaruhi pendapatan petani perkebunan.
            Data perkebunan bersumber dari Dinas Tanaman Pangan, Hortikultura, dan Perkebunan.
        """,
    ),
    "pariwisata": _topic(
        "Pariwisata",
        title_en="Tourism",
        subject="Pariwisata",
        sections=("Akomodasi", "Tingkat Penghunian Kamar"),
        tables=("tourism_monthly", "hotel_region"),
        charts=("line_tpk",),
        sentences="""
            Tingkat penghunian kamar (TPK) hotel berbintang di {area} tahun {p} rata-rata {tpk}
              persen.
            Rata-rata lama menginap tamu hotel berbintang sekitar 1,5 malam.
            Sebagian besar tamu hotel merupakan wisatawan domestik.
            Kota Bengkulu memiliki jumlah usaha akomodasi terbanyak.
            Objek wisata Pantai Panjang dan Benteng Marlborough ramai dikunjungi pada musim libur.
            Kegiatan pemerintahan dan pertemuan turut mendorong penghunian kamar hotel.
        """,
    ),
    "transportasi": _topic(
        "Transportasi dan Komunikasi",
        title_en="Transportation and Communication",
        subject="Transportasi",
        sections=("Jalan", "Angkutan Udara dan Laut"),
        tables=("roads", "airport"),
        charts=("line_passengers",),
        sentences="""
            Panjang jalan di {area} tahun {p} sebagian besar dalam kondisi baik.
            Bandar Udara Fatmawati Soekarno melayani penerbangan rute Jakarta dan Batam.
            Jumlah penumpang pesawat yang berangkat terus meningkat setelah pandemi.
            Pelabuhan Pulau Baai menjadi pintu keluar komoditas batu bara dan minyak sawit.
            Jumlah kendaraan bermotor didominasi oleh sepeda motor.
            Akses internet rumah tangga semakin meluas hingga ke perdesaan.
        """,
    ),
    "harga": _topic(
        "Harga Konsumen dan Inflasi",
        title_en="Consumer Prices and Inflation",
        subject="Harga Konsumen",
        sections=("Inflasi Tahunan", "Inflasi Menurut Kelompok Pengeluaran"),
        sections_en=("Annual Inflation", "Inflation by Expenditure Group"),
        tables=("cpi_groups", "cpi_monthly"),
        charts=("line_inflation", "bar_cpi_group"),
        sentences="""
            Inflasi year on year (y-on-y) Provinsi Bengkulu pada {month} {y} sebesar {inflasi_yoy}
              persen.
            Indeks Harga Konsumen (IHK) tercatat sebesar {ihk} dengan tahun dasar 2022=100.
            Inflasi month to month (m-to-m) tercatat {inflasi_mtm} persen.
            Kelompok makanan, minuman, dan tembakau memberikan andil inflasi terbesar.
            Komoditas penyumbang utama inflasi antara lain beras, cabai merah, bawang merah, dan
              emas perhiasan.
            Penghitungan inflasi dilakukan di Kota Bengkulu dan Kabupaten Mukomuko.
            Harga konsumen diperoleh dari Survei Harga Konsumen yang dilakukan setiap bulan di pasar
              tradisional dan modern.
            Inflasi masih berada dalam rentang sasaran inflasi nasional 2,5 plus minus 1 persen.
            Beberapa komoditas seperti tomat dan daging ayam ras justru memberikan andil deflasi.
        """,
        sentences_en="""
            Year-on-year inflation of Bengkulu Province in {month_en} {y} was {inflasi_yoy} percent.
            The Consumer Price Index stood at {ihk} (2022=100).
            Month-to-month inflation was {inflasi_mtm} percent.
            Food, beverages and tobacco contributed the most to inflation.
            Inflation is measured in Bengkulu City and Mukomuko Regency.
            Inflation remained within the national target range of 2.5 plus or minus 1 percent.
        """,
    ),
    "ntp": _topic(
        "Nilai Tukar Petani",
        title_en="Farmer Terms of Trade",
        subject="Nilai Tukar Petani",
        sections=("Perkembangan NTP", "NTP Menurut Subsektor"),
        tables=("ntp_monthly", "ntp_subsector"),
        charts=("line_ntp",),
        sentences="""
            Nilai tukar petani (NTP) {area} tahun {p} rata-rata sebesar {ntp}.
            NTP di atas 100 menunjukkan petani mengalami surplus karena kenaikan harga produksi
              lebih tinggi dari harga konsumsi.
            Subsektor tanaman perkebunan rakyat mencatat NTP tertinggi berkat harga kelapa sawit dan
              kopi.
            Indeks harga yang diterima petani (It) naik lebih cepat dibandingkan indeks harga yang
              dibayar petani (Ib).
            Nilai tukar usaha rumah tangga pertanian (NTUP) juga menunjukkan peningkatan.
            Data NTP diperoleh dari Survei Harga Perdesaan setiap bulan.
        """,
    ),
    "pdrb": _topic(
        "Produk Domestik Regional Bruto",
        title_en="Gross Regional Domestic Product",
        subject="Pendapatan Regional",
        sections=("Pertumbuhan Ekonomi", "Struktur Perekonomian"),
        sections_en=("Economic Growth", "Economic Structure"),
        tables=("pdrb_lu", "pdrb_growth", "pdrb_region"),
        charts=("line_growth", "bar_structure"),
        sentences="""
            Ekonomi {area} tahun {p} tumbuh sebesar {pdrb_growth} persen.
            PDRB atas dasar harga berlaku mencapai {pdrb_adhb}.
            PDRB per kapita tercatat sebesar {pdrb_kap}.
            Lapangan usaha pertanian, kehutanan, dan perikanan masih mendominasi struktur
              perekonomian dengan kontribusi sekitar 28 persen.
            Pertumbuhan tertinggi dicapai oleh lapangan usaha transportasi dan pergudangan.
            Konsumsi rumah tangga merupakan komponen pengeluaran dengan porsi terbesar.
            PDRB dihitung dengan tahun dasar 2010 mengikuti System of National Accounts 2008.
            Perdagangan besar dan eceran menjadi lapangan usaha kedua terbesar dalam perekonomian
              daerah.
            Kenaikan produksi kelapa sawit turut mendorong pertumbuhan ekonomi.
        """,
        sentences_en="""
            The economy of {area} grew by {pdrb_growth} percent in {p}.
            GRDP at current prices reached {pdrb_adhb}.
            GRDP per capita was {pdrb_kap}.
            Agriculture, forestry and fishery dominate the economy with a share of about 28 percent.
            GRDP is compiled with 2010 as the base year following the 2008 System of National
              Accounts.
        """,
    ),
    "pdrb_konsep": _topic(
        "Konsep dan Metodologi PDRB",
        sections=("Pendekatan Penghitungan", "Tahun Dasar"),
        tables=("pdrb_lu",),
        charts=(),
        sentences="""
            Produk domestik regional bruto adalah jumlah nilai tambah bruto yang timbul dari seluruh
              lapangan usaha di suatu wilayah.
            PDRB dapat dihitung melalui pendekatan produksi, pendapatan, dan pengeluaran.
            PDRB atas dasar harga konstan menggunakan tahun dasar 2010.
            Klasifikasi lapangan usaha mengacu pada KBLI 2009 yang terdiri atas 17 kategori.
            Laju pertumbuhan ekonomi dihitung dari PDRB atas dasar harga konstan.
            Indeks implisit menggambarkan perkembangan harga produsen secara agregat.
        """,
    ),
    "pdrb_sektor": _topic(
        "Perkembangan Lapangan Usaha",
        sections=("Pertanian, Kehutanan, dan Perikanan", "Perdagangan dan Jasa"),
        tables=("pdrb_growth", "pdrb_share"),
        charts=("bar_structure", "line_growth"),
        sentences="""
            Lapangan usaha pertanian, kehutanan, dan perikanan tumbuh didorong produksi kelapa sawit
              dan padi.
            Lapangan usaha perdagangan besar dan eceran tumbuh seiring meningkatnya daya beli
              masyarakat.
            Lapangan usaha konstruksi melambat akibat berkurangnya proyek infrastruktur.
            Administrasi pemerintahan memberikan kontribusi yang cukup besar terhadap PDRB {area}.
            Ekonomi {area} tahun {p} tumbuh {pdrb_growth} persen.
            Struktur ekonomi relatif stabil dalam lima tahun terakhir.
        """,
    ),
    "pdrb_pengeluaran": _topic(
        "PDRB Menurut Pengeluaran",
        sections=("Konsumsi Rumah Tangga", "Pembentukan Modal Tetap Bruto"),
        tables=("pdrb_exp", "pdrb_exp_growth"),
        charts=("bar_exp",),
        sentences="""
            Pengeluaran konsumsi rumah tangga menyumbang lebih dari separuh PDRB {area}.
            Pembentukan modal tetap bruto tumbuh seiring berlanjutnya investasi swasta.
            Konsumsi pemerintah dipengaruhi oleh realisasi belanja daerah.
            Ekspor barang dan jasa didominasi minyak kelapa sawit dan batu bara.
            Ekonomi {area} tahun {p} tumbuh {pdrb_growth} persen.
            Net ekspor antardaerah menunjukkan ketergantungan pada pasokan barang dari luar
              provinsi.
        """,
    ),
    "ipm": _topic(
        "Indeks Pembangunan Manusia",
        title_en="Human Development Index",
        subject="Pembangunan Manusia",
        sections=("Perkembangan IPM", "Komponen IPM"),
        tables=("ipm_series", "ipm_region"),
        charts=("line_ipm", "bar_ipm"),
        sentences="""
            Indeks Pembangunan Manusia (IPM) {area} tahun {p} mencapai {ipm}.
            Umur harapan hidup saat lahir tercatat {uhh} tahun.
            Harapan lama sekolah mencapai {hls} tahun dan rata-rata lama sekolah {rls} tahun.
            Pengeluaran riil per kapita yang disesuaikan sebesar {pengeluaran_kap} per tahun.
            Status pembangunan manusia {area} termasuk kategori tinggi.
            IPM tertinggi dicapai oleh Kota Bengkulu, sedangkan yang terendah berada di Kabupaten
              Seluma.
            Pertumbuhan IPM menunjukkan kemajuan pembangunan manusia yang berkelanjutan.
        """,
    ),
    "ipm_konsep": _topic(
        "Metodologi IPM",
        sections=("Dimensi IPM", "Penghitungan IPM"),
        tables=("ipm_series",),
        charts=(),
        sentences="""
            IPM dibentuk oleh tiga dimensi dasar: umur panjang dan hidup sehat, pengetahuan, serta
              standar hidup layak.
            IPM dihitung sebagai rata-rata geometrik dari indeks kesehatan, indeks pendidikan, dan
              indeks pengeluaran.
            Metode baru penghitungan IPM diterapkan sejak tahun 2010.
            Kategori IPM dibagi menjadi rendah, sedang, tinggi, dan sangat tinggi.
            Data komponen pendidikan dan pengeluaran bersumber dari Susenas.
        """,
    ),
    "ipm_wilayah": _topic(
        "IPM Menurut Kabupaten/Kota",
        sections=("Capaian Kabupaten/Kota", "Kesenjangan Antarwilayah"),
        tables=("ipm_region",),
        charts=("bar_ipm",),
        sentences="""
            Kota Bengkulu mencatat IPM tertinggi dengan kategori sangat tinggi.
            Sebagian besar kabupaten berada pada kategori IPM tinggi.
            Kesenjangan IPM antarkabupaten/kota terus menyempit.
            IPM {area} tahun {p} sebesar {ipm}.
            Peningkatan harapan lama sekolah menjadi pendorong utama kenaikan IPM kabupaten.
        """,
    ),
    "perumahan": _topic(
        "Perumahan dan Lingkungan",
        title_en="Housing and Environment",
        subject="Perumahan",
        sections=("Kualitas Rumah", "Air Minum dan Sanitasi"),
        tables=("housing",),
        charts=("bar_housing",),
        sentences="""
            Persentase rumah tangga di {area} yang memiliki akses air minum layak terus meningkat.
            Rumah tangga dengan akses sanitasi layak mencapai sekitar 80 persen.
            Hampir seluruh rumah tangga telah menggunakan listrik PLN sebagai sumber penerangan.
            Sebagian besar rumah tangga menempati rumah milik sendiri.
            Kualitas rumah tinggal diukur dari jenis atap, dinding, dan lantai terluas.
        """,
    ),
    "konsumsi": _topic(
        "Konsumsi dan Pengeluaran",
        title_en="Consumption and Expenditure",
        subject="Konsumsi dan Pengeluaran",
        sections=("Pengeluaran per Kapita", "Ketimpangan Pengeluaran"),
        tables=("consumption",),
        charts=("bar_consumption",),
        sentences="""
            Rata-rata pengeluaran per kapita sebulan penduduk {area} tahun {p} sebesar
              {pengeluaran_bulan}.
            Proporsi pengeluaran makanan masih sedikit lebih besar daripada bukan makanan.
            Rasio gini {area} sebesar {gini}, menunjukkan ketimpangan yang rendah.
            Pengeluaran untuk padi-padian dan rokok menempati porsi terbesar dalam pengeluaran
              makanan.
            Pergeseran pola konsumsi ke bukan makanan menandakan peningkatan kesejahteraan.
        """,
    ),
}

"""Chapter topics about land, people, work, schooling, health and poverty."""

from __future__ import annotations

from typing import Any

from demo.publications.content.topic import _topic

TOPICS_PEOPLE: dict[str, dict[str, Any]] = {
    "geografi": _topic(
        "Geografi dan Iklim",
        title_en="Geography and Climate",
        sections=("Letak Geografis", "Iklim"),
        sections_en=("Geographical Location", "Climate"),
        tables=("geo_area", "climate"),
        charts=("bar_area", "line_rain"),
        sentences="""
            {area} terletak di pesisir barat Pulau Sumatera dan berbatasan langsung dengan Samudra
              Hindia.
            Luas wilayah {area} tercatat sekitar {area_km2} kilometer persegi.
            Wilayah dengan luas terbesar adalah {largest_area}, sedangkan wilayah terkecil adalah
              {smallest_area}.
            Sebagian besar wilayah merupakan dataran rendah di bagian pesisir dan perbukitan Bukit
              Barisan di bagian timur.
            Curah hujan tertinggi tahun {p} tercatat pada bulan {wettest_month} dengan curah hujan
              {max_rain} milimeter.
            Suhu udara rata-rata berkisar antara 23 hingga 32 derajat Celsius dengan kelembapan
              udara yang relatif tinggi sepanjang tahun.
            Data iklim bersumber dari Stasiun Meteorologi Fatmawati Soekarno dan Stasiun Klimatologi
              Bengkulu.
            Kondisi geografis ini menjadikan sektor pertanian dan perkebunan sebagai penopang utama
              perekonomian daerah.
        """,
        sentences_en="""
            {area} lies on the western coast of Sumatra Island and borders the Indian Ocean.
            The total area of {area} is about {area_km2} square kilometres.
            The largest regency is {largest_area}, while the smallest is {smallest_area}.
            Most of the territory consists of coastal lowlands in the west and the Bukit Barisan
              hills in the east.
            The highest rainfall in {p} was recorded in {wettest_month_en} at {max_rain}
              millimetres.
            Average air temperature ranges between 23 and 32 degrees Celsius with high humidity
              throughout the year.
        """,
    ),
    "pemerintahan": _topic(
        "Pemerintahan",
        title_en="Government",
        sections=("Wilayah Administrasi", "Aparatur Sipil Negara"),
        tables=("gov_villages", "gov_asn"),
        charts=("bar_villages",),
        sentences="""
            Secara administratif, {area} terbagi atas {n_units} {unit_plural}.
            Jumlah desa dan kelurahan di {area} pada tahun {p} sebanyak {n_villages} desa/kelurahan.
            Penyelenggaraan pemerintahan daerah didukung oleh aparatur sipil negara yang tersebar di
              seluruh organisasi perangkat daerah.
            Data pemerintahan bersumber dari Biro Pemerintahan dan Badan Kepegawaian Daerah.
            Pemekaran desa dalam beberapa tahun terakhir menambah jumlah unit pemerintahan terkecil
              di wilayah ini.
            Jumlah aparatur sipil negara menurut tingkat pendidikan menunjukkan dominasi lulusan
              sarjana.
        """,
    ),
    "penduduk": _topic(
        "Penduduk",
        title_en="Population",
        subject="Kependudukan",
        sections=("Jumlah dan Pertumbuhan Penduduk", "Persebaran dan Kepadatan Penduduk"),
        sections_en=("Population Size and Growth", "Population Distribution and Density"),
        tables=("pop_region", "pop_density", "pop_age_sex"),
        charts=("bar_pop", "line_pop", "pyramid"),
        sentences="""
            Jumlah penduduk {area} tahun {p} sebanyak {pop} jiwa.
            Laju pertumbuhan penduduk {area} periode 2020–{p} sebesar {pop_growth} persen per tahun.
            Rasio jenis kelamin penduduk sebesar {sex_ratio}, artinya terdapat sekitar
              {sex_ratio_round} penduduk laki-laki untuk setiap 100 penduduk perempuan.
            Kepadatan penduduk {area} mencapai {density} jiwa per kilometer persegi.
            Persebaran penduduk belum merata; penduduk paling banyak tinggal di {largest_pop_unit}.
            Data kependudukan ini bersumber dari hasil proyeksi penduduk interim 2020–2050 yang
              mengacu pada Sensus Penduduk 2020.
            Struktur umur penduduk menunjukkan bahwa sebagian besar penduduk berada pada usia
              produktif 15–64 tahun.
            Angka beban ketergantungan tercatat {dependency}, sehingga setiap 100 penduduk usia
              produktif menanggung sekitar {dependency_round} penduduk usia tidak produktif.
            Pertumbuhan penduduk dipengaruhi oleh kelahiran, kematian, dan migrasi masuk maupun
              keluar wilayah.
            Informasi kependudukan menjadi dasar perencanaan layanan pendidikan, kesehatan, dan
              penyediaan lapangan kerja.
        """,
        sentences_en="""
            The population of {area} in {p} was {pop} people.
            The annual population growth rate over 2020–{p} was {pop_growth} percent.
            The sex ratio was {sex_ratio}, meaning there were about {sex_ratio_round} males for
              every 100 females.
            Population density reached {density} people per square kilometre.
            The population is unevenly distributed; most people live in {largest_pop_unit}.
            Population figures come from the interim population projection 2020–2050 based on the
              2020 Population Census.
            Most of the population is of productive age, between 15 and 64 years old.
        """,
    ),
    "penduduk_konsep": _topic(
        "Metodologi Proyeksi Penduduk",
        sections=("Sumber Data", "Asumsi Proyeksi"),
        tables=("pop_assumption",),
        charts=(),
        sentences="""
            Proyeksi penduduk merupakan perhitungan jumlah penduduk di masa mendatang berdasarkan
              asumsi kelahiran, kematian, dan migrasi.
            Proyeksi ini menggunakan metode komponen dengan penduduk dasar hasil Sensus Penduduk
              2020.
            Asumsi angka kelahiran total (TFR) diperkirakan terus menurun mendekati tingkat
              penggantian.
            Angka harapan hidup diasumsikan meningkat seiring perbaikan layanan kesehatan penduduk.
            Hasil proyeksi kependudukan digunakan sebagai penimbang berbagai survei rumah tangga
              yang dilaksanakan BPS.
        """,
    ),
    "penduduk_struktur": _topic(
        "Struktur Umur dan Jenis Kelamin",
        sections=("Piramida Penduduk", "Rasio Ketergantungan"),
        tables=("pop_age_sex", "pop_density"),
        charts=("pyramid", "bar_pop"),
        sentences="""
            Piramida penduduk {area} tahun {p} berbentuk ekspansif dengan alas yang mulai menyempit.
            Penduduk usia 0–14 tahun mencapai sekitar seperempat dari total penduduk.
            Angka beban ketergantungan tercatat {dependency} pada tahun {p}.
            Rasio jenis kelamin penduduk sebesar {sex_ratio}.
            Bonus demografi akan memberi manfaat bila penduduk usia produktif terserap oleh lapangan
              kerja yang layak.
            Jumlah penduduk lanjut usia terus bertambah seiring meningkatnya angka harapan hidup.
        """,
    ),
    "ketenagakerjaan": _topic(
        "Ketenagakerjaan",
        title_en="Employment",
        subject="Ketenagakerjaan",
        sections=("Angkatan Kerja", "Penduduk Bekerja"),
        sections_en=("Labor Force", "Employed Population"),
        tables=("labor_status", "labor_region", "labor_sector"),
        charts=("bar_tpt", "line_tpt", "bar_sector"),
        sentences="""
            Jumlah angkatan kerja {area} pada Agustus {p} sebanyak {angkatan_kerja} orang.
            Tingkat partisipasi angkatan kerja (TPAK) tercatat sebesar {tpak} persen.
            Tingkat pengangguran terbuka (TPT) {area} pada Agustus {p} sebesar {tpt} persen.
            Jumlah pengangguran mencapai {penganggur} orang, sebagian besar berpendidikan sekolah
              menengah atas.
            Penduduk bekerja sebagian besar terserap di lapangan usaha pertanian, kehutanan, dan
              perikanan.
            Data ketenagakerjaan bersumber dari Survei Angkatan Kerja Nasional (Sakernas) yang
              dilaksanakan setiap Februari dan Agustus.
            TPT di daerah perkotaan cenderung lebih tinggi dibandingkan daerah perdesaan.
            Persentase tenaga kerja formal masih lebih rendah dibandingkan tenaga kerja informal.
            Penyerapan tenaga kerja di sektor perdagangan dan jasa terus meningkat dalam lima tahun
              terakhir.
        """,
        sentences_en="""
            The labor force of {area} in August {p} numbered {angkatan_kerja} people.
            The labor force participation rate was {tpak} percent.
            The open unemployment rate in August {p} was {tpt} percent.
            There were {penganggur} unemployed people, mostly upper secondary graduates.
            Most workers are employed in agriculture, forestry and fishery.
            Labor data come from the National Labor Force Survey (Sakernas), conducted every
              February and August.
        """,
    ),
    "sakernas_konsep": _topic(
        "Konsep dan Definisi Ketenagakerjaan",
        sections=("Sumber Data", "Konsep Angkatan Kerja"),
        tables=("labor_status",),
        charts=(),
        sentences="""
            Sakernas dirancang untuk menghasilkan data ketenagakerjaan yang dapat diperbandingkan
              antarwaktu dan antarwilayah.
            Penduduk usia kerja adalah penduduk berumur 15 tahun ke atas.
            Angkatan kerja terdiri atas penduduk bekerja dan pengangguran.
            Bekerja adalah kegiatan ekonomi yang dilakukan paling sedikit satu jam secara tidak
              terputus dalam seminggu yang lalu.
            Tingkat pengangguran terbuka adalah persentase pengangguran terhadap jumlah angkatan
              kerja.
            Sampel Sakernas Agustus {p} di {area} mencakup ribuan rumah tangga yang tersebar di
              seluruh kabupaten/kota.
        """,
    ),
    "pengangguran": _topic(
        "Pengangguran dan Setengah Pengangguran",
        sections=("Tingkat Pengangguran Terbuka", "Setengah Pengangguran"),
        tables=("labor_region", "unemp_edu"),
        charts=("bar_tpt", "line_tpt"),
        sentences="""
            Tingkat pengangguran terbuka {area} pada Agustus {p} sebesar {tpt} persen.
            Pengangguran paling banyak ditemukan pada lulusan sekolah menengah kejuruan.
            TPT tertinggi menurut kabupaten/kota terdapat di Kota Bengkulu.
            Tingkat setengah pengangguran menunjukkan masih banyak tenaga kerja yang bekerja kurang
              dari 35 jam seminggu.
            Penurunan pengangguran sejalan dengan pulihnya kegiatan ekonomi setelah pandemi.
            Pengangguran usia muda memerlukan perhatian khusus dalam kebijakan tenaga kerja daerah.
        """,
    ),
    "pendidikan": _topic(
        "Pendidikan",
        title_en="Education",
        subject="Pendidikan",
        sections=("Sarana Pendidikan", "Partisipasi Sekolah"),
        tables=("edu_school", "edu_participation"),
        charts=("bar_school", "line_aps"),
        sentences="""
            Angka partisipasi sekolah penduduk usia 7–12 tahun di {area} hampir mencapai 100 persen.
            Rata-rata lama sekolah penduduk usia 25 tahun ke atas sebesar {rls} tahun.
            Harapan lama sekolah anak usia tujuh tahun tercatat {hls} tahun.
            Jumlah sekolah dasar di {area} tahun {p} sebanyak {n_sd} sekolah.
            Rasio murid terhadap guru pada jenjang pendidikan dasar relatif ideal.
            Partisipasi pendidikan pada jenjang sekolah menengah atas masih perlu ditingkatkan.
            Data pendidikan bersumber dari Kementerian Pendidikan Dasar dan Menengah serta hasil
              Susenas.
            Pemerataan akses pendidikan hingga ke desa terpencil menjadi tantangan utama.
        """,
    ),
    "pendidikan_konsep": _topic(
        "Konsep dan Definisi Pendidikan",
        sections=("Sumber Data", "Indikator Pendidikan"),
        tables=("edu_participation",),
        charts=(),
        sentences="""
            Angka partisipasi sekolah (APS) adalah proporsi penduduk usia sekolah yang masih
              bersekolah.
            Angka partisipasi kasar (APK) membandingkan jumlah murid pada suatu jenjang dengan
              penduduk usia sekolah jenjang tersebut.
            Angka partisipasi murni (APM) hanya menghitung murid yang berusia sesuai jenjang
              pendidikannya.
            Rata-rata lama sekolah menggambarkan jumlah tahun yang ditempuh penduduk dalam
              pendidikan formal.
            Indikator pendidikan dihitung dari Survei Sosial Ekonomi Nasional (Susenas) Maret {p}.
        """,
    ),
    "pendidikan_capaian": _topic(
        "Capaian Pendidikan Penduduk",
        sections=("Tingkat Pendidikan", "Kemampuan Baca Tulis"),
        tables=("edu_attainment", "edu_school"),
        charts=("line_aps", "bar_school"),
        sentences="""
            Persentase penduduk usia 15 tahun ke atas yang melek huruf di {area} mencapai lebih dari
              98 persen.
            Penduduk berpendidikan tinggi lebih banyak ditemukan di Kota Bengkulu.
            Rata-rata lama sekolah tahun {p} sebesar {rls} tahun atau setara kelas tiga sekolah
              menengah pertama.
            Kesenjangan capaian pendidikan antara perkotaan dan perdesaan masih terlihat.
            Peningkatan capaian pendidikan berperan penting bagi kualitas sumber daya manusia.
        """,
    ),
    "kesehatan": _topic(
        "Kesehatan",
        title_en="Health",
        subject="Kesehatan",
        sections=("Fasilitas Kesehatan", "Derajat Kesehatan"),
        tables=("health_facilities", "health_indicators"),
        charts=("bar_health", "line_morbidity"),
        sentences="""
            Jumlah puskesmas di {area} tahun {p} sebanyak {n_puskesmas} unit.
            Angka kesakitan penduduk tercatat {morbidity} persen.
            Persentase penduduk yang memiliki jaminan kesehatan terus meningkat.
            Angka harapan hidup saat lahir mencapai {uhh} tahun.
            Persalinan yang ditolong tenaga kesehatan sudah mencapai lebih dari 95 persen.
            Data fasilitas kesehatan bersumber dari Dinas Kesehatan kabupaten/kota.
            Keluhan kesehatan paling banyak berupa batuk, pilek, dan demam.
            Pemanfaatan puskesmas dan klinik sebagai tempat berobat jalan tetap dominan.
        """,
    ),
    "kemiskinan": _topic(
        "Kemiskinan",
        title_en="Poverty",
        subject="Kemiskinan",
        sections=("Jumlah dan Persentase Penduduk Miskin", "Garis Kemiskinan"),
        sections_en=("Number and Percentage of Poor People", "Poverty Line"),
        tables=("poverty_series", "poverty_region", "poverty_line"),
        charts=("line_poverty", "bar_poverty"),
        sentences="""
            Persentase penduduk miskin {area} pada Maret {y} sebesar {miskin_pct} persen.
            Jumlah penduduk miskin tercatat {miskin_jml} orang.
            Garis kemiskinan tercatat sebesar {gk} per kapita per bulan.
            Komoditas makanan memberikan sumbangan terbesar terhadap garis kemiskinan, terutama
              beras dan rokok kretek filter.
            Kemiskinan di perdesaan masih lebih tinggi dibandingkan di perkotaan.
            Indeks kedalaman kemiskinan (P1) dan indeks keparahan kemiskinan (P2) juga menunjukkan
              penurunan.
            Penghitungan kemiskinan menggunakan pendekatan kebutuhan dasar dari data Susenas.
            Penduduk miskin adalah penduduk yang memiliki rata-rata pengeluaran per kapita per bulan
              di bawah garis kemiskinan.
            Program perlindungan sosial turut menahan laju kemiskinan di tengah kenaikan harga
              pangan.
        """,
        sentences_en="""
            The percentage of poor people in {area} in March {y} was {miskin_pct} percent.
            The number of poor people was {miskin_jml}.
            The poverty line was {gk} per capita per month.
            Food commodities contribute the most to the poverty line, especially rice.
            Poverty in rural areas remains higher than in urban areas.
            Poverty is measured with the basic needs approach using Susenas data.
        """,
    ),
    "kemiskinan_konsep": _topic(
        "Konsep dan Metodologi Kemiskinan",
        sections=("Pendekatan Kebutuhan Dasar", "Sumber Data"),
        tables=("poverty_line",),
        charts=(),
        sentences="""
            BPS mengukur kemiskinan dengan pendekatan kemampuan memenuhi kebutuhan dasar.
            Garis kemiskinan terdiri atas garis kemiskinan makanan dan garis kemiskinan bukan
              makanan.
            Garis kemiskinan makanan setara dengan pengeluaran untuk 2.100 kilokalori per kapita per
              hari.
            Data kemiskinan dihitung dari Susenas yang dilaksanakan pada bulan Maret dan September.
            Indeks keparahan kemiskinan memberikan gambaran ketimpangan pengeluaran di antara
              penduduk miskin.
        """,
    ),
}

"""The privacy notice's first version and the plain-text markup notices are written in.

Administrators publish a notice as plain text with two kinds of markup: a line starting
with ``## `` is a heading, a line starting with ``- `` an item of a list; a blank line
ends a paragraph. :func:`to_html` turns that into HTML with everything the author typed
escaped, so a notice can never carry a script or a link elsewhere.

:data:`FIRST_ID`/:data:`FIRST_EN` are version 1, written by migration 0029 and, on a
database built otherwise, by the first consent recorded. Never edit them to change the
notice: publish a new version (``/staff/privacy``), which people are asked to accept.
"""

from __future__ import annotations

from markupsafe import Markup, escape

FIRST_ID = """\
## Siapa kami
Badan Pusat Statistik (BPS) Provinsi Bengkulu, melalui Pelayanan Statistik Terpadu (PST), \
adalah pengendali data pribadi yang Anda berikan di situs ini, di kios buku tamu, dan \
kepada resepsionis. Kontak kami tercantum di bagian bawah halaman ini.

## Data yang kami kumpulkan
- Nama lengkap, alamat email dan nomor telepon.
- Jenis dan nomor identitas: NIK pada KTP, SIM, paspor atau kartu pelajar. Nomor \
identitas disimpan terenkripsi dan ditampilkan tersamar.
- Instansi dan jenis instansi, pekerjaan, pendidikan tertinggi, jenis kelamin dan tahun lahir.
- Kunjungan di buku tamu, nomor antrean, layanan yang Anda terima, penilaian layanan, \
pesanan, permintaan data dan konsultasi.

## Untuk apa data digunakan
- Memberikan layanan statistik: perpustakaan, penjualan produk statistik, konsultasi \
dan rekomendasi kegiatan statistik, serta mengabari Anda tentang layanan tersebut.
- Mencatat buku tamu dan antrean sesuai standar operasional PST.
- Memeriksa identitas untuk surat perjanjian penggunaan data (SPPD) mikrodata.
- Menyusun statistik agregat tentang pengguna layanan dan Indeks Kepuasan Masyarakat, \
tanpa identitas perorangan.

## Dasar pemrosesan
- Persetujuan Anda (Pasal 20 ayat (2) huruf a UU Nomor 27 Tahun 2022 tentang \
Pelindungan Data Pribadi), yang Anda berikan saat mendaftar atau mengisi buku tamu.
- Pelaksanaan perjanjian, untuk pesanan dan SPPD (huruf b).
- Pelaksanaan tugas pelayanan publik BPS menurut UU Nomor 16 Tahun 1997 tentang \
Statistik (huruf e).

## Berapa lama data disimpan
- Akun situs: dianonimkan setelah 3 tahun tanpa kegiatan (masuk, kunjungan, pesanan, \
unduhan, permintaan atau konsultasi).
- Profil pengunjung langsung tanpa akun situs: dianonimkan setelah 2 tahun tanpa kunjungan.
- Komentar penilaian layanan (IKM): dihapus setelah 2 tahun; nilainya tetap sebagai statistik.
- Alamat jaringan dan peramban pada catatan unduhan: dihapus setelah 180 hari.
- Buku tamu, catatan layanan, pesanan, tagihan, kuitansi, SPPD dan surat disimpan sesuai \
ketentuan kearsipan dan keuangan negara; setelah profil dianonimkan, catatan itu tidak lagi \
memuat nama dan data pribadi Anda.
- Catatan persetujuan: disimpan sebagai bukti persetujuan Anda.

## Hak Anda
- Mengakses dan mengunduh salinan data pribadi Anda.
- Memperbaiki data yang tidak akurat.
- Meminta penghapusan data pribadi Anda.
- Menarik persetujuan kapan saja. Pemrosesan sebelum penarikan tetap sah; layanan \
yang memerlukan data tersebut mungkin tidak dapat lagi diberikan.
- Mengajukan keberatan atau pengaduan kepada kami.

Gunakan halaman Akun Saya, atau hubungi kami melalui kontak di bawah ini.

## Keamanan
Akses ke data dibatasi menurut peran petugas, nomor identitas dienkripsi, dan setiap \
kali nomor identitas ditampilkan utuh tercatat dalam log audit.

## Perubahan pemberitahuan ini
Setiap perubahan diterbitkan sebagai versi baru. Versi lama tetap dapat dibaca. Saat \
versi baru terbit, Anda diminta membaca dan menyetujuinya saat masuk berikutnya.
"""

FIRST_EN = """\
## Who we are
Statistics Indonesia (BPS) of Bengkulu Province, through its Integrated Statistical \
Services (PST), is the controller of the personal data you give on this website, at the \
guest-book kiosk and to the receptionist. Our contact details are at the bottom of this page.

## The data we collect
- Full name, email address and phone number.
- Type and number of your identity document: the NIK on your KTP, a driving licence, \
passport or student card. Identity numbers are stored encrypted and shown masked.
- Institution and kind of institution, occupation, highest education, gender and year of birth.
- Your visits in the guest book, queue numbers, the services you receive, your \
ratings, orders, data requests and consultations.

## What the data is used for
- Providing statistical services: the library, sales of statistical products, \
consultations and recommendations on statistical activities, and keeping you informed \
about them.
- Keeping the guest book and the queue as PST's standard operating procedures require.
- Checking identity for the data-use agreement (SPPD) of microdata.
- Aggregate statistics about service users and the Public Satisfaction Index, without \
anyone's identity.

## Legal basis
- Your consent (Article 20(2)(a) of Law No. 27 of 2022 on Personal Data Protection), \
given when you register or sign the guest book.
- Performing an agreement, for orders and the SPPD (point b).
- BPS's public-service duties under Law No. 16 of 1997 on Statistics (point e).

## How long data is kept
- Website account: anonymised after 3 years without any activity (sign-in, visit, \
order, download, request or consultation).
- A walk-in visitor's profile without a website account: anonymised after 2 years without \
a visit.
- Comments on service ratings (IKM): erased after 2 years; the scores stay as statistics.
- Network address and browser in download logs: erased after 180 days.
- Guest book, service records, orders, invoices, receipts, SPPDs and letters are kept as \
state archive and finance rules require; once the profile is anonymised they no longer \
hold your name or personal data.
- Consent records: kept as proof of your consent.

## Your rights
- See and download a copy of your personal data.
- Correct data that is inaccurate.
- Ask for your personal data to be erased.
- Withdraw your consent at any time. Processing before the withdrawal stays lawful; \
services that need the data may no longer be possible.
- Object or complain to us.

Use the My PST page, or contact us using the details below.

## Security
Access to data is limited by each officer's role, identity numbers are encrypted, and \
every time a whole identity number is shown it is recorded in the audit log.

## Changes to this notice
Every change is published as a new version. Older versions stay readable. When a new \
version is published, you are asked to read and accept it at your next sign-in.
"""

FIRST_CHANGES_ID = "Versi pertama pemberitahuan privasi."
FIRST_CHANGES_EN = "First version of the privacy notice."


def to_html(text: str) -> Markup:
    """``text`` (headings ``## ``, list items ``- ``, paragraphs) as escaped HTML."""
    parts: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def close() -> None:
        if paragraph:
            parts.append(f"<p>{escape(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            parts.append("<ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
            items.clear()

    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            close()
        elif line.startswith("## "):
            close()
            parts.append(f"<h2>{escape(line[3:].strip())}</h2>")
        elif line.startswith("- "):
            if paragraph:
                close()
            items.append(line[2:].strip())
        elif items:
            items[-1] = f"{items[-1]} {line}"  # a list item that goes on over lines
        else:
            paragraph.append(line)
    close()
    return Markup("\n".join(parts))  # noqa: S704 - every piece typed was escaped above

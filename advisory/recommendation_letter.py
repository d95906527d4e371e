"""What a recommendation letter says: the particulars of the approved FS3 form, in the
letter's Indonesian wording (:class:`advisory.letter_drawing.LetterContent`), for both the
head's preview and the numbered letter."""

from __future__ import annotations

from datetime import date

from advisory.letter_drawing import LetterContent
from advisory.models import LetterKind, Recommendation, Recurrence
from advisory.settings import Settings
from app.accounts.models import User
from app.pdf import tanggal

RECURRENCE_ID = {"one_off": "Sekali (tidak berulang)", "recurring": "Berulang"}
FREQUENCY_ID = {
    "monthly": "bulanan",
    "quarterly": "triwulanan",
    "semester": "semesteran",
    "yearly": "tahunan",
    "multi_year": "beberapa tahun sekali",
    "other": "lainnya",
}
DESIGN_ID = {
    "cross_section": "Potong lintang (cross-section)",
    "longitudinal": "Longitudinal (panel)",
}


def letter_content(
    r: Recommendation, signer: User, issued_on: date, settings: Settings
) -> LetterContent:
    office = settings.letter_office
    kind = RECURRENCE_ID.get(r.recurrence, r.recurrence)
    if r.recurrence == Recurrence.RECURRING.value and r.frequency:
        kind += f" ({FREQUENCY_ID.get(r.frequency, r.frequency)})"
    manager = r.manager_name + (f", {r.manager_position}" if r.manager_position else "")
    period = f"{tanggal(r.period_start)} s.d. {tanggal(r.period_end)}"
    return LetterContent(
        kind=LetterKind.RECOMMENDATION,
        recipient=r.organiser,
        title=r.title,
        issued_on=issued_on,
        signer_name=signer.full_name,
        signer_role=settings.letter_signer_role or f"Kepala Badan Pusat Statistik {office}",
        reference=r.reference,
        address=r.organiser_address,
        rows=[
            ("Judul kegiatan", r.title),
            ("Penyelenggara", r.organiser),
            ("Penanggung jawab", manager),
            ("Narahubung", f"{r.contact_name} · {r.contact_phone} · {r.contact_email}"),
            ("Tujuan", r.objectives),
            ("Jenis kegiatan", kind),
            ("Rancangan", DESIGN_ID.get(r.design, r.design)),
            ("Metode pengumpulan data", r.collection_method),
            ("Metode penarikan sampel", r.sampling_method),
            ("Populasi", r.population),
            ("Jumlah sampel", f"{r.sample_size:,}".replace(",", ".") if r.sample_size else "-"),
            ("Variabel", r.variables),
            ("Wilayah", r.region),
            ("Jadwal pelaksanaan", period),
        ],
        details={
            "reference": r.reference,
            "organiser": r.organiser,
            "region": r.region,
            "period": [
                r.period_start.isoformat() if r.period_start else None,
                r.period_end.isoformat() if r.period_end else None,
            ],
            "signer": signer.full_name,
        },
    )

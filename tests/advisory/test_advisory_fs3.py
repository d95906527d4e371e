"""FS3 recommendations in person (issue 14, item 10): the blank form to fill by hand,
the covering letter and scanned paper form attached by the officer, the head's preview
(no number taken) and return to the officer, and letters that survive long input."""

from __future__ import annotations

import subprocess
from pathlib import Path

from advkit import FS3
from sqlalchemy import select

from advisory import recommendations as svc
from advisory.labels import CHECKLIST
from advisory.models import LetterCounter, RecommendationStatus
from app.blobs import current_store

ALL_CHECKED = dict.fromkeys(CHECKLIST, True)

#: Every text field at the form's own limit (RecommendationForm's Length validators).
LONGEST = {
    **FS3,
    "organiser": "O" * 200,
    "organiser_address": "Jalan panjang sekali nomor 1 " * 34,
    "contact_name": "N" * 120,
    "contact_phone": "0" * 32,
    "contact_email": ("e" * 240) + "@example.org",
    "manager_name": "M" * 120,
    "manager_position": "P" * 120,
    "title": ("Survei sangat panjang " * 14)[:300],
    "topic": "t" * 120,
    "objectives": ("Mengukur prevalensi stunting dan wasting balita. " * 110)[:5000],
    "collection_method": ("Wawancara tatap muka CAPI " * 200)[:5000],
    "sampling_method": ("Two-stage stratified sampling " * 180)[:5000],
    "population": ("Rumah tangga dengan balita " * 200)[:5000],
    "sample_size": 1_000_000_000,
    "variables": "\n".join(f"variabel nomor {i}" for i in range(400))[:5000],
    "region": ("Kabupaten Rejang Lebong, " * 90)[:2000],
}


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "doc.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def passed(session, clock, requester, officer, **fields):
    r = svc.create_draft(session, requester=requester, fields={**FS3, **fields}, now=clock.now)
    svc.submit(session, r.id, actor=requester, now=clock.now)
    svc.review(
        session, r.id, actor=officer, outcome="pass", checklist=ALL_CHECKED, note="", now=clock.now
    )
    return r


def test_a_letter_with_every_field_at_its_limit_is_issued(
    app, session, clock, requester, officer, head, tmp_path
):
    r = passed(session, clock, requester, officer, **LONGEST)
    assert len(r.objectives) == 5000
    letter = svc.approve(session, current_store(), r.id, actor=head, now=clock.now)
    with current_store().open(letter.pdf_key) as fh:
        text = pdf_text(fh.read(), tmp_path)
    assert letter.number in text
    # The long values run over several pages, whole: the end of each is printed.
    assert "variabel nomor 399"[:16] in text
    assert text.count("Mengukur prevalensi stunting") >= 100


def test_the_blank_form_has_every_field_of_the_online_form(app, tmp_path):
    from flask_babel import force_locale

    from advisory.blank_form import blank_fs3_pdf
    from advisory.labels import FS3_LABELS
    from advisory.models import FS3_FIELDS

    with app.test_request_context():
        pdf = blank_fs3_pdf()
        with force_locale("id"):
            labels = {name: str(FS3_LABELS[name]) for name in FS3_FIELDS}
    text = pdf_text(pdf, tmp_path)
    assert "FORMULIR PERMOHONAN REKOMENDASI KEGIATAN STATISTIK" in text
    assert "BADAN PUSAT STATISTIK" in text and app.config["ADVISORY_LETTER_OFFICE"].upper() in text
    for name, label in labels.items():
        assert label in text, name
    assert labels["objectives"] != "Objectives"  # Indonesian, not the English msgids
    assert "Berulang" in text and "Tahunan" in text  # the choices, as boxes to tick
    assert "tanda tangan" in text and "Diisi oleh petugas PST" in text

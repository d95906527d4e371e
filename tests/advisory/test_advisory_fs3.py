"""FS3 recommendations in person (issue 14, item 10): the blank form to fill by hand,
the covering letter and scanned paper form attached by the officer, the head's preview
(no number taken) and return to the officer, and letters that survive long input."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from advkit import FS3, body, login, mails
from flask import current_app
from flask_babel import force_locale
from helpers import csrf_token
from sqlalchemy import select

from advisory import letters
from advisory import recommendations as svc
from advisory.attachments import Upload
from advisory.errors import (
    AttachmentNotFound,
    AttachmentRejected,
    IllegalTransition,
    InvalidInput,
    NotAllowed,
)
from advisory.labels import CHECKLIST
from advisory.models import (
    Channel,
    LetterCounter,
    RecommendationFileKind,
    RecommendationStatus,
)
from advisory.settings import Settings, settings_from
from app.blobs import current_store

#: The advisory settings with their defaults (services get them explicitly).
SETTINGS = Settings()


def configured_settings() -> Settings:
    """The app's own settings (a letter needs its key; some tests change the config)."""
    return settings_from(current_app.config)


PDF = b"%PDF-1.4\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

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
    svc.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    svc.review(
        session, r.id, actor=officer, outcome="pass", checklist=ALL_CHECKED, note="", now=clock.now
    )
    return r


def test_a_letter_with_every_field_at_its_limit_is_issued(
    app, session, clock, requester, officer, head, tmp_path
):
    r = passed(session, clock, requester, officer, **LONGEST)
    assert len(r.objectives) == 5000
    letter = svc.approve(
        session, current_store(), r.id, actor=head, now=clock.now, settings=configured_settings()
    )
    with current_store().open(letter.pdf_key) as fh:
        text = pdf_text(fh.read(), tmp_path)
    assert letter.number in text
    # The long values run over several pages, whole: the end of each is printed.
    assert "variabel nomor 399"[:16] in text
    assert text.count("Mengukur prevalensi stunting") >= 100


def test_the_blank_form_has_every_field_of_the_online_form(app, tmp_path):
    from advisory.blank_form import blank_fs3_pdf
    from advisory.labels import FS3_LABELS
    from advisory.models import FS3_FIELDS

    with app.test_request_context():
        pdf = blank_fs3_pdf(configured_settings())
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


# --- the head's preview and return ----------------------------------------------------


def test_the_preview_takes_no_number(app, session, clock, requester, officer, head, tmp_path):
    from app.audit import AuditEvent

    r = passed(session, clock, requester, officer, **LONGEST)  # long input previews too
    with pytest.raises(NotAllowed):
        svc.preview_letter(
            session, r.id, actor=officer, now=clock.now, settings=configured_settings()
        )
    first = svc.preview_letter(
        session, r.id, actor=head, now=clock.now, settings=configured_settings()
    )
    again = svc.preview_letter(
        session, r.id, actor=head, now=clock.now, settings=configured_settings()
    )
    text = pdf_text(first, tmp_path)
    assert "PRATINJAU" in text and letters.PREVIEW_NUMBER in text
    assert "Rekomendasi Kegiatan Statistik" in text and "Ir. Kepala Kantor" in text
    assert "B-001" not in text and first == again
    assert session.scalar(select(LetterCounter)) is None  # no number was taken
    assert r.status == RecommendationStatus.PASSED and not r.letters
    previews = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "advisory.recommendation_previewed")
    ).all()
    assert len(previews) == 2 and previews[0].actor_id == head.id
    letter = svc.approve(
        session, current_store(), r.id, actor=head, now=clock.now, settings=configured_settings()
    )
    assert letter.seq == 1 and letter.number.startswith("B-001/")
    with pytest.raises(IllegalTransition):  # nothing left to preview
        svc.preview_letter(session, r.id, actor=head, now=clock.now, settings=configured_settings())


def test_the_head_returns_a_request_to_the_officer(
    app, session, clock, requester, officer, officer2, head, outbox
):
    r = passed(session, clock, requester, officer)
    for bad in ("", "  ", "ok"):
        with pytest.raises(InvalidInput):
            svc.return_to_officer(session, r.id, actor=head, note=bad, now=clock.now)
    with pytest.raises(NotAllowed):
        svc.return_to_officer(session, r.id, actor=officer, note="Cek lagi", now=clock.now)
    assert r.status == RecommendationStatus.PASSED
    before = len(mails(outbox, officer2.email))

    clock.advance(hours=2)
    note = "Surat pengantar dari instansi belum dilampirkan."
    svc.return_to_officer(session, r.id, actor=head, note=note, now=clock.now)
    assert r.status == RecommendationStatus.SUBMITTED and r.passed_at is None
    assert r.head_note == note and r.versions[-1].outcome is None
    assert r.due_on is not None  # the requester's complete form keeps its deadline
    told = mails(outbox, officer.email)[-1]
    assert note in body(told) and r.reference in told["Subject"]
    assert len(mails(outbox, officer2.email)) == before  # only the officer who passed it
    steps = [(h.action, h.detail.get("note")) for h in svc.history(session, r)]
    assert ("head_returned", note) in steps
    assert [a for a, _n in steps][:3] == ["created", "submitted", "passed"]
    with pytest.raises(IllegalTransition):  # it is the officer's turn now
        svc.approve(
            session,
            current_store(),
            r.id,
            actor=head,
            now=clock.now,
            settings=configured_settings(),
        )

    svc.review(
        session, r.id, actor=officer, outcome="pass", checklist=ALL_CHECKED, note="", now=clock.now
    )
    assert r.status == RecommendationStatus.PASSED and r.head_note == ""
    letter = svc.approve(
        session, current_store(), r.id, actor=head, now=clock.now, settings=configured_settings()
    )
    assert letter.number.startswith("B-001/")
    assert [h.action for h in svc.history(session, r)][-3:] == [
        "head_returned",
        "passed",
        "approved",
    ]


# --- documents of a request made in person --------------------------------------------


def recorded(session, clock, requester, officer):
    r = svc.create_draft(
        session,
        requester=requester,
        fields=FS3,
        now=clock.now,
        actor=officer,
        channel=Channel.WALK_IN,
    )
    svc.submit(session, r.id, actor=officer, now=clock.now, settings=SETTINGS)
    return r


def test_documents_are_checked_and_private(app, session, clock, requester, officer, head):
    from factories import user

    r = recorded(session, clock, requester, officer)
    cover = svc.attach_file(
        session,
        current_store(),
        r.id,
        actor=officer,
        kind=RecommendationFileKind.COVER_LETTER,
        upload=Upload("Surat Pengantar.pdf", io.BytesIO(PDF)),
        now=clock.now,
        settings=SETTINGS,
    )
    scan = svc.attach_file(
        session,
        current_store(),
        r.id,
        actor=officer,
        kind=RecommendationFileKind.PAPER_FORM,
        upload=Upload("fs3.jpg", io.BytesIO(JPEG)),
        now=clock.now,
        settings=SETTINGS,
    )
    assert [f.kind for f in r.files] == ["cover_letter", "paper_form"]
    assert scan.content_type == "image/jpeg" and cover.filename == "Surat Pengantar.pdf"
    for bad, why in (
        (Upload("fs3.docx", io.BytesIO(b"PK\x03\x04 word")), "not accepted"),
        (Upload("fs3.pdf", io.BytesIO(b"MZ not a pdf")), "does not look like"),
        (Upload("fs3.png", io.BytesIO(b"")), "empty"),
        (Upload("", io.BytesIO(PDF)), "Choose a file"),
    ):
        with pytest.raises(AttachmentRejected) as refused:
            svc.attach_file(
                session,
                current_store(),
                r.id,
                actor=officer,
                kind=RecommendationFileKind.PAPER_FORM,
                upload=bad,
                now=clock.now,
                settings=SETTINGS,
            )
        with force_locale("en"):
            assert why in str(refused.value.message)
    with pytest.raises(AttachmentRejected) as refused:
        svc.attach_file(
            session,
            current_store(),
            r.id,
            actor=officer,
            kind=RecommendationFileKind.PAPER_FORM,
            upload=Upload("besar.pdf", io.BytesIO(PDF + b"0" * 2048)),
            now=clock.now,
            settings=Settings(max_file_bytes=1024),
        )
    with force_locale("en"):
        assert "larger than" in str(refused.value.message)
    with pytest.raises(NotAllowed):
        svc.attach_file(
            session,
            current_store(),
            r.id,
            actor=requester,
            kind=RecommendationFileKind.PAPER_FORM,
            upload=Upload("fs3.pdf", io.BytesIO(PDF)),
            now=clock.now,
            settings=SETTINGS,
        )
    session.expire_all()
    assert len(r.files) == 2  # nothing of a refused upload was kept

    assert svc.get_file(session, cover.id, requester).id == cover.id
    assert svc.get_file(session, cover.id, head).id == cover.id
    stranger = user(session, email="orang@example.org")
    with pytest.raises(AttachmentNotFound):
        svc.get_file(session, cover.id, stranger)
    attached = [h for h in svc.history(session, r) if h.action == "file_attached"]
    assert [h.detail["kind"] for h in attached] == ["cover_letter", "paper_form"]


# --- pages ----------------------------------------------------------------------------


def test_the_blank_form_is_downloadable_from_staff_and_public_pages(
    app, client, session, requester, officer
):
    blank = client.get("/advisory/recommendations/fs3-form.pdf")  # no account needed
    assert blank.status_code == 200 and blank.mimetype == "application/pdf"
    assert blank.data.startswith(b"%PDF-")
    assert "Formulir-FS3" in blank.headers["Content-Disposition"]
    link = "/advisory/recommendations/fs3-form.pdf"
    login(client, requester.email)
    assert link in client.get("/advisory/recommendations/new").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/advisory")})
    login(client, officer.email)
    for page in ("/staff/advisory", "/staff/advisory/recommendations/on-behalf"):
        assert link in client.get(page).get_data(as_text=True), page


def test_a_recorded_paper_form_lands_on_the_staff_page(
    app, client, session, clock, requester, officer
):
    from test_advisory_http import _form

    login(client, officer.email)
    url = f"/advisory/recommendations/new?for={requester.email}"
    response = client.post(
        url, data={"csrf_token": csrf_token(client, url), **_form(FS3), "submit_form": "1"}
    )
    r = svc.my_recommendations(session, requester.id)[0]
    assert r.channel == Channel.WALK_IN and r.status == RecommendationStatus.SUBMITTED
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/advisory/recommendations/{r.id}")
    # The requester's own page (with its "withdraw" button) is not the officer's.
    own = client.get(f"/advisory/recommendations/{r.id}")
    assert own.status_code == 302 and "/staff/advisory/" in own.headers["Location"]
    page = client.get(f"/staff/advisory/recommendations/{r.id}").get_data(as_text=True)
    assert "Withdraw the request" not in page and "Verification of version 1" in page
    assert 'name="file-file"' in page  # where the scan is attached


def test_documents_over_http(app, client, session, clock, requester, officer, head):
    from factories import user

    r = recorded(session, clock, requester, officer)
    url = f"/staff/advisory/recommendations/{r.id}"
    login(client, officer.email)

    def attach(name, data, kind="paper_form"):
        return client.post(
            f"{url}/files",
            data={
                "csrf_token": csrf_token(client, url),
                "file-kind": kind,
                "file-file": (io.BytesIO(data), name),
            },
            content_type="multipart/form-data",
        )

    refused = attach("fs3.exe", b"MZ")
    assert refused.status_code == 422 and "Send PDF, JPEG or PNG" in refused.get_data(as_text=True)
    refused = client.post(
        f"{url}/files",
        data={"csrf_token": csrf_token(client, url), "file-kind": "paper_form"},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422 and "Choose a file" in refused.get_data(as_text=True)
    app.config["ADVISORY_MAX_FILE_BYTES"] = 1024
    refused = attach("besar.png", PNG + b"0" * 4096)
    assert refused.status_code == 422 and "larger than" in refused.get_data(as_text=True)
    app.config["ADVISORY_MAX_FILE_BYTES"] = 10 * 1024 * 1024
    assert attach("pengantar.pdf", PDF, "cover_letter").status_code == 302
    assert attach("fs3.png", PNG).status_code == 302
    session.expire_all()
    cover, scan = r.files
    page = client.get(url).get_data(as_text=True)
    assert "Covering letter" in page and "pengantar.pdf" in page and "document attached" in page

    client.post("/logout", data={"csrf_token": csrf_token(client, url)})
    login(client, requester.email)
    own = client.get(f"/advisory/recommendations/{r.id}").get_data(as_text=True)
    assert "pengantar.pdf" in own and "fs3.png" in own
    got = client.get(f"/advisory/recommendations/files/{scan.id}")
    assert got.status_code == 200 and got.data == PNG and got.mimetype == "image/png"
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in got.headers["Content-Security-Policy"]
    not_officer = client.post(
        f"{url}/files",
        data={"csrf_token": csrf_token(client, "/advisory"), "file-kind": "paper_form"},
    )
    assert not_officer.status_code == 403

    client.post("/logout", data={"csrf_token": csrf_token(client, "/advisory")})
    user(session, email="orang@example.org")
    login(client, "orang@example.org")
    assert client.get(f"/advisory/recommendations/files/{cover.id}").status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/advisory")})
    assert client.get(f"/advisory/recommendations/files/{cover.id}").status_code in (302, 401)
    login(client, head.email)
    assert client.get(f"/advisory/recommendations/files/{cover.id}").status_code == 200


def test_preview_and_return_pages(app, client, session, clock, requester, officer, head, outbox):
    r = passed(session, clock, requester, officer)
    url = f"/staff/advisory/recommendations/{r.id}"
    login(client, officer.email)
    assert client.get(f"{url}/preview.pdf").status_code == 403
    assert (
        client.post(
            f"{url}/return-to-officer",
            data={"csrf_token": csrf_token(client, url), "head-note": "Cek"},
        ).status_code
        == 403
    )
    client.post("/logout", data={"csrf_token": csrf_token(client, url)})
    login(client, requester.email)
    assert client.get(f"{url}/preview.pdf").status_code == 403

    client.post("/logout", data={"csrf_token": csrf_token(client, "/advisory")})
    login(client, head.email)
    page = client.get(url).get_data(as_text=True)
    assert f"{url}/preview.pdf" in page and "Return to the officer" in page
    preview = client.get(f"{url}/preview.pdf")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    assert preview.headers["Content-Disposition"].startswith("inline")
    assert session.scalar(select(LetterCounter)) is None
    empty = client.post(
        f"{url}/return-to-officer", data={"csrf_token": csrf_token(client, url), "head-note": " "}
    )
    assert empty.status_code == 422
    assert "Say what the officer must check or correct." in empty.get_data(as_text=True)
    session.expire_all()
    assert r.status == RecommendationStatus.PASSED
    done = client.post(
        f"{url}/return-to-officer",
        data={"csrf_token": csrf_token(client, url), "head-note": "Periksa jumlah sampel."},
    )
    assert done.status_code == 302
    session.expire_all()
    assert r.status == RecommendationStatus.SUBMITTED
    page = client.get(url).get_data(as_text=True)
    assert "Returned by the head" in page and "Periksa jumlah sampel." in page
    assert "returned by the head to the officer" in page  # in the history


def test_letter_numbers_verify_in_any_case_and_the_letter_is_attached(
    app, client, session, clock, requester, officer, head, outbox
):
    r = passed(session, clock, requester, officer)
    letter = svc.approve(
        session, current_store(), r.id, actor=head, now=clock.now, settings=configured_settings()
    )
    lower = letter.number.lower()
    assert lower != letter.number
    assert letters.verify(session, lower, letter.code, settings=configured_settings()).genuine
    page = client.get(f"/letters/verify/{lower}?c={letter.code.lower()}")
    assert page.status_code == 200 and "Genuine letter" in page.get_data(as_text=True)
    mail = mails(outbox, requester.email)[-1]
    text = body(mail)
    assert "attached to this mail" in text and letters.filename(letter) in text
    attached = [p for p in mail.walk() if p.get_content_type() == "application/pdf"]
    assert len(attached) == 1 and attached[0].get_filename() == letters.filename(letter)


def test_staff_pages_do_not_speak_to_a_visitor(app, client, session, officer, requester):
    login(client, officer.email)
    client.set_cookie("pst_lang", "id")
    for page in (
        "/staff/advisory",
        "/staff/advisory/record",
        "/staff/advisory/recommendations/on-behalf",
        f"/advisory/recommendations/new?for={requester.email}",
    ):
        main = client.get(page).get_data(as_text=True).split("<main", 1)[-1]
        assert " Anda" not in main, page  # "Pertanyaan Anda", "Apa yang Anda butuhkan?" …


def test_the_head_returns_a_request_over_the_api(
    app, client, session, clock, requester, officer, head
):
    from advkit import token_for

    r = passed(session, clock, requester, officer)
    url = f"/api/v1/advisory/recommendations/{r.id}/return-to-officer"
    staff = token_for(session, officer)
    assert client.post(url, json={"note": "Cek lagi"}, headers=staff).status_code == 403
    boss = token_for(session, head)
    assert client.post(url, json={"note": ""}, headers=boss).status_code == 422
    assert client.post(url, json={}, headers=boss).status_code == 422
    session.expire_all()
    assert r.status == RecommendationStatus.PASSED
    done = client.post(url, json={"note": "Cek jumlah sampel"}, headers=boss)
    assert done.status_code == 200 and done.get_json()["status"] == "submitted"
    assert client.post(url, json={"note": "Lagi"}, headers=boss).status_code == 409

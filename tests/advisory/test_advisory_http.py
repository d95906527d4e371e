"""The advisory's pages: asking (search first), the thread, officers' pages, the FS3
form, verification and the public letter check."""

from __future__ import annotations

import io
import re

from advkit import FS3, login
from factories import PASSWORD
from helpers import csrf_token

from advisory import consultations, faq, letters
from advisory import recommendations as recs
from advisory.labels import CHECKLIST
from advisory.settings import Settings
from app.blobs import current_store

#: The advisory settings with their defaults (services get them explicitly).
SETTINGS = Settings()

PDF = b"%PDF-1.4\n%%EOF\n"


def _form(data: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in data.items()}


def test_what_a_visitor_typed_survives_sign_in(client, requester):
    """Finding: the subject typed before "Sign in to send your question" was lost (the
    sign-in link was built from the last GET). The button submits the form instead, so
    the subject and details come back after sign-in, without JavaScript."""
    page = client.get("/advisory/ask").get_data(as_text=True)
    form = page[page.find('id="ask-form"') :]
    form = form[: form.find("</form>")]
    assert re.search(r'<button type="submit"[^>]*name="sign_in"', form)  # not a link
    sent = client.post(
        "/advisory/ask",
        data={
            "csrf_token": csrf_token(client, "/advisory/ask"),
            "subject": "PDRB Kabupaten Kaur 2024",
            "body": "Mohon per lapangan usaha. " + "x" * 5000,
            "sign_in": "1",
        },
    )
    assert sent.status_code == 302
    login_page = sent.headers["Location"]
    assert login_page.startswith("/login?next=") and len(login_page) < 4000
    response = client.post(
        login_page,
        data={
            "csrf_token": csrf_token(client, login_page),
            "email": requester.email,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    back = response.headers["Location"]
    assert back.startswith("/advisory/ask?")
    html = client.get(back).get_data(as_text=True)
    assert 'value="PDRB Kabupaten Kaur 2024"' in html
    assert "Mohon per lapangan usaha. xxx" in html and "x" * 1001 not in html
    assert 'name="sign_in"' not in html  # signed in: the full form, ready to send


def test_ask_search_first_then_send(app, client, session, clock, requester, officer, outbox):
    # A published answer exists already.
    c = consultations.create_consultation(
        session,
        current_store(),
        requester=requester,
        subject="Inflasi",
        body="Berapa inflasi?",
        now=clock.now,
        settings=SETTINGS,
    )
    consultations.answer(
        session,
        current_store(),
        c.id,
        actor=officer,
        body="Lihat BRS inflasi.",
        now=clock.now,
        settings=SETTINGS,
    )
    faq.publish(
        session,
        c.id,
        actor=officer,
        question="Di mana data inflasi Kota Bengkulu?",
        answer="Di Berita Resmi Statistik bulanan.",
        now=clock.now,
    )
    visitor = client.get("/advisory/ask?q=inflasi+kota").get_data(as_text=True)
    assert "Di mana data inflasi Kota Bengkulu?" in visitor  # no account needed to search
    assert 'name="sign_in"' in visitor and 'name="body"' not in visitor
    sent = client.post(
        "/advisory/ask",
        data={"csrf_token": csrf_token(client, "/advisory/ask"), "subject": "Data inflasi"},
    )
    assert sent.status_code == 302 and "/login" in sent.headers["Location"]
    assert "q%3DData" in sent.headers["Location"] or "q=Data" in sent.headers["Location"]
    login(client, requester.email)
    page = client.get("/advisory/ask?q=inflasi+kota")
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200 and "Di mana data inflasi Kota Bengkulu?" in html
    )  # without JavaScript
    assert 'data-suggest="1"' in html and "advisory.js" in html
    data = client.get("/advisory/suggest?q=data+inflasi").get_json()
    assert data["items"][0]["kind"] == "faq" and data["items"][0]["url"].startswith(
        "/advisory/faq/"
    )
    assert client.get("/advisory/suggest?q=ab").get_json()["items"] == []
    assert client.get(data["items"][0]["url"]).status_code == 200

    token = csrf_token(client, "/advisory/ask")
    response = client.post(
        "/advisory/ask",
        data={
            "csrf_token": token,
            "subject": "Data PDRB kabupaten",
            "kind": "data_request",
            "body": "Mohon PDRB ADHB per kabupaten 2019-2024.",
            "files": [(io.BytesIO(PDF), "contoh.pdf"), (io.BytesIO(b"MZ"), "x.exe")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "not accepted" in response.get_data(as_text=True)
    response = client.post(
        "/advisory/ask",
        data={
            "csrf_token": token,
            "subject": "Data PDRB kabupaten",
            "kind": "data_request",
            "body": "Mohon PDRB ADHB per kabupaten 2019-2024.",
            "files": [(io.BytesIO(PDF), "contoh.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Data PDRB kabupaten" in page and "contoh.pdf" in page, page[page.find("<main") :][:1500]
    assert "November 30, 2026" in page  # the deadline
    attachment = re.search(r'href="(/advisory/attachments/\d+)"', page).group(1)
    download = client.get(attachment)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download.headers["Content-Security-Policy"]
    home = client.get("/advisory").get_data(as_text=True)
    assert "Data PDRB kabupaten" in home and "Inflasi" in home


def test_officer_pages(app, client, session, clock, requester, officer, specialist, outbox):
    c = consultations.create_consultation(
        session,
        current_store(),
        requester=requester,
        subject="Metode Susenas",
        body="Bagaimana sampling Susenas?",
        now=clock.now,
        settings=SETTINGS,
    )
    login(client, officer.email)
    home = client.get("/staff/advisory")
    assert home.status_code == 200 and "Metode Susenas" in home.get_data(as_text=True)
    url = f"/staff/advisory/consultations/{c.id}"
    assert client.get(url).status_code == 200
    assert (
        client.post(f"{url}/take", data={"csrf_token": csrf_token(client, url)}).status_code == 302
    )
    response = client.post(
        f"{url}/escalate",
        data={
            "csrf_token": csrf_token(client, url),
            "escalate-specialist": str(specialist.id),
            "escalate-note": "Tolong bantu",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/advisory/consultations/{c.id}/messages",
        data={
            "csrf_token": csrf_token(client, url),
            "body": "Catatan untuk tim",
            "internal": "y",
            "from": "staff",
        },
    )
    assert response.headers["Location"].endswith(url)
    response = client.post(
        f"{url}/letter",
        data={
            "csrf_token": csrf_token(client, url),
            "letter-data": "Tabel jumlah sampel per kabupaten",
            "letter-agreed_on": "2026-12-02",
            "letter-purpose": "Tesis",
            "letter-terms": "",
        },
    )
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "B-001/1700/PST.100/2026" in page and "Catatan untuk tim" in page
    response = client.post(
        f"{url}/answer",
        data={"csrf_token": csrf_token(client, url), "answer-body": "Dua tahap."},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    response = client.post(
        f"{url}/faq",
        data={
            "csrf_token": csrf_token(client, url),
            "faq-question": "Bagaimana sampling Susenas?",
            "faq-answer": "Susenas memakai sampling dua tahap.",
            "faq-topic": "metodologi",
        },
    )
    assert response.status_code == 302 and "/advisory/faq/" in response.headers["Location"]
    # The requester does not see the internal note.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/advisory/faq")})
    login(client, requester.email)
    page = client.get(f"/advisory/consultations/{c.id}").get_data(as_text=True)
    assert "Dua tahap." in page and "Catatan untuk tim" not in page
    assert client.get(url).status_code == 403  # staff pages are for staff


def test_recording_for_a_walk_in_visitor(app, client, session, clock, requester, officer):
    login(client, officer.email)
    token = csrf_token(client, "/staff/advisory/record")
    response = client.post(
        "/staff/advisory/record",
        data={
            "csrf_token": token,
            "email": "tidak.ada@example.org",
            "channel": "walk_in",
            "subject": "Data",
            "kind": "question",
            "body": "Pertanyaan",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "No account" in response.get_data(as_text=True)
    response = client.post(
        "/staff/advisory/record",
        data={
            "csrf_token": token,
            "email": requester.email,
            "channel": "walk_in",
            "subject": "Data ketenagakerjaan",
            "kind": "data_request",
            "body": "TPT per kabupaten",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert consultations.my_consultations(session, requester.id)[0].channel.value == "walk_in"


def test_fs3_form_review_and_verification(app, client, session, clock, requester, officer, head):
    login(client, requester.email)
    page = client.get("/advisory/recommendations/new").get_data(as_text=True)
    assert 'value="Dinas Kesehatan Provinsi Bengkulu"' in page  # prefilled from the profile
    token = csrf_token(client, "/advisory/recommendations/new")
    response = client.post(
        "/advisory/recommendations/new",
        data={"csrf_token": token, "title": FS3["title"], "save": "1"},
    )
    assert response.status_code == 302
    edit = response.headers["Location"]
    rec_id = int(re.search(r"/recommendations/(\d+)/edit", edit).group(1))
    # Submitting an incomplete form keeps the draft and says what is missing.
    response = client.post(
        edit, data={"csrf_token": token, "title": FS3["title"], "submit_form": "1"}
    )
    assert response.headers["Location"].endswith(edit)
    assert "Missing" in client.get(edit).get_data(as_text=True)
    response = client.post(edit, data={"csrf_token": token, **_form(FS3), "submit_form": "1"})
    assert response.headers["Location"].endswith(f"/advisory/recommendations/{rec_id}")
    page = client.get(f"/advisory/recommendations/{rec_id}").get_data(as_text=True)
    assert "waiting for verification" in page and "Yearly" in page

    client.post("/logout", data={"csrf_token": token})
    login(client, officer.email)
    url = f"/staff/advisory/recommendations/{rec_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Possible duplicates" in page and "No similar activity found." in page
    response = client.post(
        f"{url}/review",
        data={
            "csrf_token": csrf_token(client, url),
            "check_identity": "y",
            "pass_form": "1",
            "note": "",
        },
    )
    assert response.status_code == 422 and "Tick every item" in response.get_data(as_text=True)
    checks = {f"check_{key}": "y" for key in CHECKLIST}
    response = client.post(
        f"{url}/review", data={"csrf_token": csrf_token(client, url), **checks, "pass_form": "1"}
    )
    assert response.status_code == 302
    assert (
        client.post(f"{url}/approve", data={"csrf_token": csrf_token(client, url)}).status_code
        == 403
    )

    client.post("/logout", data={"csrf_token": csrf_token(client, url)})
    login(client, head.email)
    response = client.post(f"{url}/approve", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    r = recs.get_recommendation(session, rec_id, head)
    letter = r.letter
    assert letter is not None

    client.post("/logout", data={"csrf_token": csrf_token(client, url)})
    login(client, requester.email)
    pdf = client.get(f"/advisory/letters/{letter.id}.pdf")
    assert (
        pdf.status_code == 200
        and pdf.data.startswith(b"%PDF")
        and pdf.mimetype == "application/pdf"
    )
    assert "Surat-Rekomendasi-B-001-1700-PS.000-2026.pdf" in pdf.headers["Content-Disposition"]

    # The public check: anyone, signed in or not.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/advisory")})
    genuine = client.get(f"/letters/verify/{letter.number}?c={letter.code}")
    html = genuine.get_data(as_text=True)
    assert genuine.status_code == 200 and "Genuine letter" in html and FS3["organiser"] in html
    assert FS3["title"] in html and letter.pdf_sha256 in html
    bad = letter.code[:-1] + ("A" if letter.code[-1] != "A" else "B")
    forged = client.get(f"/letters/verify/{letter.number}?c={bad}")
    assert forged.status_code == 404 and "Not verified" in forged.get_data(as_text=True)
    assert FS3["organiser"] not in forged.get_data(as_text=True)
    assert client.get(f"/letters/verify/B-002/1700/PS.000/2026?c={letter.code}").status_code == 404
    form = client.get(
        f"/letters/verify?number={letter.number}&c={letters.display_code(letter.code)}"
    )
    assert form.status_code == 302 and client.get(form.headers["Location"]).status_code == 200
    checked = client.post(
        f"/letters/verify/{letter.number}?c={letter.code}",
        data={
            "csrf_token": csrf_token(client, f"/letters/verify/{letter.number}?c={letter.code}"),
            "file": (io.BytesIO(pdf.data), "surat.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert "exactly the PDF" in checked.get_data(as_text=True)
    changed = client.post(
        f"/letters/verify/{letter.number}?c={letter.code}",
        data={
            "csrf_token": csrf_token(client, f"/letters/verify/{letter.number}?c={letter.code}"),
            "file": (io.BytesIO(pdf.data + b"\n"), "surat.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert "differs" in changed.get_data(as_text=True)


def test_compare_page(app, client, session, clock, requester, officer):
    r = recs.create_draft(session, requester=requester, fields=FS3, now=clock.now)
    recs.submit(session, r.id, actor=requester, now=clock.now, settings=SETTINGS)
    recs.review(
        session,
        r.id,
        actor=officer,
        outcome="return",
        checklist={},
        note="Perbaiki wilayah",
        now=clock.now,
    )
    recs.update_draft(
        session, r.id, actor=requester, fields={"region": "Kota Bengkulu"}, now=clock.now
    )
    login(client, requester.email)
    page = client.get(f"/advisory/recommendations/{r.id}/compare").get_data(as_text=True)
    assert "1 fields changed." in page and "Kota Bengkulu" in page and FS3["region"] in page
    # Version 1's dates come back from JSON as ISO strings: written out like version 2's.
    assert "2027-03-01" not in page and page.count("March 1, 2027") == 2
    edit = client.get(f"/advisory/recommendations/{r.id}/edit").get_data(as_text=True)
    assert "Perbaiki wilayah" in edit

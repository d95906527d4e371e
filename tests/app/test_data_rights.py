"""Data-subject rights (UU 27/2022): download everything, correct, change the email
address (verified again), ask for erasure and have an officer complete it.

The completeness and erasure tests use the every-page test's data set (a person with
orders, payments, queue numbers, rated services, library requests, consultations,
recommendations and letters), so a feature's new records are covered without editing
this file — and a new table pointing at a person without a registered section fails.
"""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from typing import Any

import pytest
from factories import PASSWORD, user
from helpers import csrf_token, submit
from sqlalchemy import Enum, String, Text, func, select
from test_every_page_indonesian import build_data
from test_every_page_indonesian import config_overrides as config_overrides

from app.accounts import rights
from app.accounts.erasure_models import ErasureRequest, ErasureStatus
from app.accounts.models import Role, User
from app.accounts.services import data_export, erasure
from app.clock import now
from app.extensions import db

#: Columns of a person's rows that are the system's own, not data the person gave or
#: that describes them (secrets, storage keys, internal links): left out of the export.
INTERNAL = {
    "password_hash", "id_number_hash", "session_version", "token", "rating_code",
    "rating_token", "service_key", "source_ref", "blob_key", "scan_key", "package_key",
    "zero_rate_evidence_key", "proof_key", "checkout_url", "external_id", "external_ref",
    "job_id", "code_hash", "secret", "hint", "token_hash", "prefix_hash", "desk",
    "variables_json", "regions_json", "package_name", "scan_content_type", "error",
    "method", "sha256", "locale", "source",
}  # fmt: skip


def _mails(outbox: Any) -> list[Any]:
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.messages()]


def _sign_in(client: Any, person: User) -> None:
    response = submit(client, "/login", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 302


def _person_tables() -> dict[str, Any]:
    """Every table with a column naming the person it is about (``user_id``)."""
    return {
        name: table
        for name, table in db.metadata.tables.items()
        if "user_id" in table.c
        and any(fk.column.table.name == "users" for fk in table.c.user_id.foreign_keys)
    }


def test_every_table_about_a_person_is_in_a_section(app):
    covered = {t for s in [data_export.ACCOUNT_SECTION, *rights.sections()] for t in s.tables}
    missing = sorted(set(_person_tables()) - covered)
    assert not missing, f"tables about a person that no personal-data section covers: {missing}"
    assert {s.key for s in rights.sections()} >= {"desk", "store", "library", "advisory"}


@pytest.mark.long
def test_the_export_holds_every_value_the_person_gave(app, session):
    people, _args = build_data(app, session)
    reader = people[Role.USER]
    exported = json.dumps(
        data_export.export_personal_data(session, reader, now=now()), ensure_ascii=False
    )
    # The profile, the whole ID number included (its owner is asking).
    for value in (reader.full_name, reader.email, reader.phone, reader.id_number,
                  reader.institution, reader.occupation, str(reader.birth_year)):  # fmt: skip
        assert json.dumps(value, ensure_ascii=False)[1:-1] in exported, value
    # Every text of every row about the person, in every table that points at them.
    checked = 0
    for name, table in _person_tables().items():
        texts = [
            c for c in table.c
            if isinstance(c.type, String | Text) and not isinstance(c.type, Enum)
            and c.name not in INTERNAL
        ]  # fmt: skip
        if name == "users" or not texts:
            continue
        for row in session.execute(select(*texts).where(table.c.user_id == reader.id)):
            for column, value in zip(texts, row, strict=True):
                if isinstance(value, str) and value.strip():
                    piece = json.dumps(value, ensure_ascii=False)[1:-1]
                    assert piece in exported, f"{name}.{column.name} = {value!r} not exported"
                    checked += 1
    assert checked >= 20, checked  # the data set gave the person records in many tables


def test_download_and_readable_page_are_the_signed_in_persons_only(client, session):
    me = user(session, full_name="Sari Unduh")
    other = user(session, full_name="Tono Lain")
    _sign_in(client, me)
    response = client.get("/account/data/download.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    assert data["sections"]["account"]["profile"]["id_number"] == me.id_number
    assert set(data["sections"]) >= {"account", "desk", "store", "library", "advisory"}
    # Tampering: no parameter reaches another person's data.
    for url in (f"/account/data/download.json?user_id={other.id}",
                f"/account/data/view?user_id={other.id}&id={other.id}"):  # fmt: skip
        text = client.get(url).get_data(as_text=True)
        assert "Tono Lain" not in text and other.id_number not in text
    page = client.get("/account/data/view").get_data(as_text=True)
    assert "Sari Unduh" in page and me.id_number in page
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert client.get("/account/data/download.json").status_code == 302  # to sign in


def test_profile_corrections_use_the_registration_rules(client, session):
    me = user(session)
    _sign_in(client, me)
    form = {
        "profile-full_name": "Nama Baru", "profile-phone": "0812 9999 0000",
        "profile-id_type": "ktp", "profile-id_number": "1771999900001111",
        "profile-institution": "BPS Kota", "profile-institution_kind": "government",
        "profile-occupation": "Analis", "profile-education": "s2", "profile-gender": "male",
        "profile-birth_year": "1990", "profile-submit": "1",
    }  # fmt: skip
    bad = submit(client, "/profile", {**form, "profile-id_number": "123"})
    assert bad.status_code == 200 and "16" in bad.get_data(as_text=True)
    session.refresh(me)
    assert me.full_name != "Nama Baru"
    assert submit(client, "/profile", form).status_code == 302
    session.refresh(me)
    assert (me.full_name, me.id_number, me.birth_year) == ("Nama Baru", "1771999900001111", 1990)


def _link(mail: Any, marker: str) -> str:
    body = mail.get_body(preferencelist=("plain",)).get_content()
    return next(w for w in body.split() if marker in w).split("localhost", 1)[-1]


def test_email_change_is_verified_at_the_new_address(client, session, outbox):
    me = user(session, email="lama@example.org")
    _sign_in(client, me)
    wrong = submit(client, "/account/email", {"email": "baru@example.org", "password": "salah-123"})
    assert wrong.status_code == 422
    response = submit(client, "/account/email", {"email": "baru@example.org", "password": PASSWORD})
    assert response.status_code == 302
    mails = _mails(outbox)
    notice = next(m for m in mails if m["To"] == "lama@example.org")
    assert "baru@example.org" in notice.get_body(preferencelist=("plain",)).get_content()
    confirm = next(m for m in mails if m["To"] == "baru@example.org")
    link = _link(confirm, "/account/email/confirm/")
    session.refresh(me)
    assert me.email == "lama@example.org"  # until confirmed, the old address stays
    assert client.get(link).status_code == 200  # a GET only asks
    session.refresh(me)
    assert me.email == "lama@example.org"
    assert submit(client, link, {}).status_code == 302
    session.refresh(me)
    assert me.email == "baru@example.org" and me.email_verified
    # The link worked once: the old address it names is gone.
    assert client.get(link).status_code == 302
    actions = [e["action"] for e in data_export._account(session, me)["audit_events"]]
    assert {"account.email_change_requested", "account.email_changed"} <= set(actions)


def test_an_address_in_use_gets_no_link(client, session, outbox):
    user(session, email="dipakai@example.org")
    me = user(session)
    _sign_in(client, me)
    before = len(outbox.messages())
    submit(client, "/account/email", {"email": "dipakai@example.org", "password": PASSWORD})
    assert not any(m["To"] == "dipakai@example.org" for m in _mails(outbox)[before:])


def _request_erasure(client: Any) -> Any:
    return submit(
        client,
        "/account/erasure",
        {"reason": "Tidak lagi memakai layanan", "understood": "y", "password": PASSWORD},
    )


def test_another_persons_erasure_request_is_not_found(client, session):
    mine, theirs = user(session), user(session)
    _sign_in(client, theirs)
    assert _request_erasure(client).status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    _sign_in(client, mine)
    request = session.scalar(select(ErasureRequest).where(ErasureRequest.user_id == theirs.id))
    token = csrf_token(client, "/account/data")
    answer = client.post(f"/account/erasure/{request.id}/cancel", data={"csrf_token": token})
    assert answer.status_code == 404
    session.refresh(request)
    assert request.status == ErasureStatus.PENDING
    # The officer's pages are not a person's.
    assert client.get("/staff/erasure").status_code == 403
    assert client.get(f"/staff/erasure/{request.id}").status_code == 403


def test_the_request_needs_the_confirmation_and_the_password(client, session):
    me = user(session)
    _sign_in(client, me)
    no_tick = submit(client, "/account/erasure", {"password": PASSWORD})
    wrong = submit(client, "/account/erasure", {"understood": "y", "password": "salah-123"})
    assert (no_tick.status_code, wrong.status_code) == (422, 422)
    assert session.scalar(select(func.count()).select_from(ErasureRequest)) == 0


def _scan(session: Any, needles: list[str]) -> list[str]:
    """Every stored text cell that holds one of ``needles`` (any case)."""
    found = []
    for name, table in db.metadata.tables.items():
        texts = [c for c in table.c if isinstance(c.type, String | Text)]
        if not texts:
            continue
        for row in session.execute(select(*texts)):
            for column, value in zip(texts, row, strict=True):
                if isinstance(value, str):
                    hits = [n for n in needles if n.lower() in value.lower()]
                    if hits:
                        found.append(f"{name}.{column.name}: {hits}")
    return found


def _totals(session: Any) -> dict[str, Any]:
    from desk import ikm
    from desk.models import Rating, ServiceRecord
    from store.models import Order, Payment

    return {
        "orders": session.execute(
            select(
                func.count(Order.id),
                func.sum(Order.total),
                func.count(Order.invoice_no),
                func.count(Order.receipt_no),
            )
        ).one(),
        "payments": session.execute(select(func.count(), func.sum(Payment.amount))).one(),
        "records": session.scalar(select(func.count(ServiceRecord.id))),
        "ratings": [r.scores for r in session.scalars(select(Rating).order_by(Rating.id))],
        "ikm": ikm.__name__,
    }


@pytest.mark.long
def test_erasure_end_to_end_leaves_no_personal_value_and_keeps_the_records(
    app, client, session, outbox
):
    from advisory.models import Letter

    people, _args = build_data(app, session)
    reader, admin = people[Role.USER], people[Role.ADMIN]
    old = [reader.full_name, reader.email, reader.phone, reader.id_number]
    totals = _totals(session)
    letters = session.scalar(select(func.count(Letter.id)))

    _sign_in(client, reader)
    assert _request_erasure(client).status_code == 302
    received = _mails(outbox)[-1]
    assert received["To"] == reader.email and "PD-" in received.get_body().get_content()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})

    _sign_in(client, admin)
    queue = client.get("/staff/erasure").get_data(as_text=True)
    request = session.scalar(select(ErasureRequest).where(ErasureRequest.user_id == reader.id))
    assert request.reference in queue
    assert submit(client, f"/staff/erasure/{request.id}", {}).status_code == 302
    assert client.get(f"/staff/erasure/{request.id}").status_code == 404  # done: gone
    completed = _mails(outbox)[-1]
    assert completed["To"] == old[1]
    assert "erased" in completed["Subject"].lower() or "dihapus" in completed["Subject"].lower()

    session.expire_all()
    reader = session.get(User, reader.id)
    assert reader.full_name == erasure.pseudonym(reader) == f"Dihapus #{reader.id}"
    assert not reader.active and not reader.has_password
    assert (reader.email, reader.phone, reader.id_number, reader.birth_year) == (None,) * 4
    assert (reader.institution, reader.occupation) == (None, None)
    # Nothing stored holds the name, the address, the phone or the NIK any more — but
    # the notice of completion, queued for the address until it is delivered.
    leftovers = [
        hit for hit in _scan(session, old) if not hit.startswith("mail_messages.recipient")
    ]
    assert not leftovers, leftovers
    held = session.execute(
        select(func.count()).select_from(db.metadata.tables["mail_messages"])
        .where(db.metadata.tables["mail_messages"].c.recipient == old[1])
    ).scalar()  # fmt: skip
    assert held == 1
    # The kept records still add up.
    assert _totals(session) == totals
    assert session.scalar(select(func.count(Letter.id))) == letters
    # Audited, each step.
    from app.audit import AuditEvent

    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"privacy.erasure_requested", "privacy.person_erased",
            "privacy.erasure_completed"} <= actions  # fmt: skip
    # The account cannot sign in any more.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    response = submit(client, "/login", {"email": old[1], "password": PASSWORD})
    assert response.status_code == 200


def test_anonymise_person_is_reusable_without_a_request(app, session):
    """The retention job's entry: no request, no actor."""
    person = user(session, full_name="Budi Lama")
    erasure.anonymise_person(session, person, actor=None, now=now())
    session.commit()
    session.refresh(person)
    assert person.full_name == f"Dihapus #{person.id}" and not person.active


def test_withdrawing_a_request(client, session):
    me = user(session)
    _sign_in(client, me)
    _request_erasure(client)
    again = _request_erasure(client)
    assert again.status_code == 200  # the page shows the pending request instead
    request = session.scalar(select(ErasureRequest))
    token = csrf_token(client, "/account/data")
    client.post(f"/account/erasure/{request.id}/cancel", data={"csrf_token": token})
    session.refresh(request)
    assert request.status == ErasureStatus.CANCELLED


@pytest.mark.parametrize("path", ["/account/data", "/account/email", "/account/erasure"])
def test_pages_need_sign_in(client, path):
    assert client.get(path).status_code == 302

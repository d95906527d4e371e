"""Helpers shared by the advisory tests (imported as ``advkit``)."""

from __future__ import annotations

import email
from datetime import date
from typing import Any

from factories import PASSWORD

FS3 = {
    "organiser": "Dinas Kesehatan Provinsi Bengkulu",
    "organiser_address": "Jl. Padang Harapan No. 108, Kota Bengkulu",
    "contact_name": "Dewi Anggraini",
    "contact_phone": "0812 3456 7890",
    "contact_email": "dewi@example.org",
    "manager_name": "dr. Herwan Antoni",
    "manager_position": "Kepala Bidang Kesehatan Masyarakat",
    "title": "Survei Status Gizi Balita Provinsi Bengkulu 2027",
    "topic": "kesehatan gizi balita",
    "objectives": "Mengukur prevalensi stunting dan wasting balita menurut kabupaten/kota.",
    "recurrence": "recurring",
    "frequency": "yearly",
    "design": "cross_section",
    "collection_method": "Wawancara tatap muka (CAPI) dan pengukuran antropometri",
    "sampling_method": "Two-stage stratified sampling: blok sensus, lalu rumah tangga",
    "population": "Rumah tangga dengan balita di Provinsi Bengkulu",
    "sample_size": 4200,
    "variables": "umur, jenis kelamin, berat badan, tinggi badan, ASI eksklusif, imunisasi",
    "region": "Provinsi Bengkulu (10 kabupaten/kota)",
    "period_start": date(2027, 3, 1),
    "period_end": date(2027, 4, 30),
}


def login(client: Any, email: str) -> None:
    from helpers import csrf_token

    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code


def token_for(session: Any, person: Any) -> dict[str, str]:
    from app.accounts import services as accounts

    _token, plain = accounts.create_api_token(session, person, "test")
    return {"Authorization": f"Bearer {plain}"}


def mails(outbox: Any, to: str | None = None) -> list[email.message.Message]:
    """Messages in the outbox (oldest first), optionally only those to ``to``."""
    found = [email.message_from_bytes(p.read_bytes()) for p in outbox.messages()]
    return [m for m in found if to is None or m["To"] == to]


def body(message: email.message.Message) -> str:
    part = (
        message.get_payload(decode=True)
        if not message.is_multipart()
        else message.get_payload(0).get_payload(decode=True)
    )
    return part.decode("utf-8")

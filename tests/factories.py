"""Test data factories: valid accounts and profiles, varied per call."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from app.accounts import services
from app.accounts.models import Education, Gender, IdType, InstitutionKind, Role, User

_seq = itertools.count(1)
PASSWORD = "rahasia-kuat-123"

#: Every NIK and phone number handed out here: the suite fails if one reaches a log
#: (see logcheck.py).
ISSUED: set[str] = set()


def _issue(data: dict[str, Any]) -> None:
    for key in ("phone", "id_number"):
        if isinstance(data.get(key), str):
            ISSUED.add(data[key])


def profile(**overrides: Any) -> dict[str, Any]:
    n = next(_seq)
    data: dict[str, Any] = {
        "full_name": f"Pengguna Data {n}",
        # Its own prefix and every digit of the counter: a generated number must never be
        # the fixed 0812 3456 7890 the desk tests look visitors up by (n % 100 == 90 was).
        "phone": f"0813{n % 10**8:08d}",
        "id_type": IdType.KTP,
        "id_number": f"{1771000000000000 + n}",
        "institution": "Universitas Bengkulu",
        "institution_kind": InstitutionKind.EDUCATION,
        "occupation": "Mahasiswa",
        "education": Education.D4_S1,
        "gender": Gender.FEMALE,
        "birth_year": 2000,
    }
    data.update(overrides)
    _issue(data)
    return data


def registration_form(**overrides: Any) -> dict[str, str]:
    """The registration page's fields, as a browser would post them."""
    n = next(_seq)
    data = {
        "email": f"pengguna{n}@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "full_name": f"Pengguna Data {n}",
        "phone": "0812 3456 7890",
        "id_type": "ktp",
        "id_number": f"{1771000000000000 + n}",
        "institution": "Universitas Bengkulu",
        "institution_kind": "education",
        "occupation": "Mahasiswa",
        "education": "d4_s1",
        "gender": "female",
        "birth_year": "2000",
        "consent": "y",
    }
    data.update(overrides)
    _issue(data)
    return data


def user(
    session: Session,
    *,
    role: Role = Role.USER,
    verified: bool = True,
    email: str | None = None,
    password: str = PASSWORD,
    consent: bool = True,
    **fields: Any,
) -> User:
    """An account; a service user has agreed to the current privacy notice (as every
    registration records) unless ``consent=False``."""
    n = next(_seq)
    person = services.create_staff(
        session,
        email=email or f"user{n}@example.org",
        full_name=fields.pop("full_name", f"Orang {n}"),
        role=role,
        password=password,
        actor_id=None,
    )
    for key, value in {**profile(), **fields}.items():
        if key != "full_name":
            setattr(person, key, value)
    if not verified:
        person.email_verified_at = None
    session.commit()
    if consent and role == Role.USER:
        agree(session, person)
    return person


def agree(session: Session, person: User) -> None:
    """``person`` accepts the current privacy notice (committed)."""
    from app.accounts.consent_models import ConsentChannel
    from app.accounts.services import consent
    from app.db import utcnow

    consent.record(
        session,
        channel=ConsentChannel.REGISTRATION,
        notice_number=None,
        user_id=person.id,
        recorded_by_id=person.id,
        now=utcnow(),
    )


def make_pdf(path: Any, pages: list[str], *, title: str | None = None) -> Any:
    """A small real PDF whose page N carries the text ``pages[N-1]``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    if title:
        c.setTitle(title)
    for text in pages:
        y = 800
        for line in text.splitlines() or [""]:
            c.drawString(72, y, line)
            y -= 16
        c.showPage()
    c.save()
    return path

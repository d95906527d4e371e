"""Fixtures for the advisory tests: a settable office clock (deadlines depend on it),
the staff roles involved and a requester."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from factories import user

from app.accounts.models import Role
from app.i18n import WIB


class FakeClock:
    """``CLOCK`` (the advisory uses the front desk's clock): stands still unless moved."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, *args: int) -> datetime:
        """Set the WIB time: ``set(2026, 11, 25, 10, 0)``."""
        self.now = datetime(*args, tzinfo=WIB)
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now


#: A Wednesday in service hours, on no holiday.
WEDNESDAY_10 = datetime(2026, 11, 25, 10, 0, tzinfo=WIB)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WEDNESDAY_10)


@pytest.fixture
def config_overrides(clock: FakeClock) -> dict[str, Any]:
    return {"CLOCK": clock}


@pytest.fixture
def officer(session: Any) -> Any:
    return user(
        session, role=Role.OFFICER, full_name="Budi Petugas", email="budi@bps.go.id", locale="en"
    )


@pytest.fixture
def officer2(session: Any) -> Any:
    return user(
        session, role=Role.OFFICER, full_name="Sari Petugas", email="sari@bps.go.id", locale="en"
    )


@pytest.fixture
def specialist(session: Any) -> Any:
    return user(
        session,
        role=Role.SUBJECT_MATTER,
        full_name="Rudi Statistisi",
        email="rudi@bps.go.id",
        locale="en",
    )


@pytest.fixture
def head(session: Any) -> Any:
    return user(
        session,
        role=Role.HEAD,
        full_name="Ir. Kepala Kantor",
        email="kepala@bps.go.id",
        locale="en",
    )


@pytest.fixture
def requester(session: Any) -> Any:
    return user(
        session,
        email="dewi@example.org",
        full_name="Dewi Anggraini",
        institution="Dinas Kesehatan Provinsi Bengkulu",
        locale="en",
    )


@pytest.fixture
def client(client: Any) -> Any:
    """The isolated test client, in English (assertions use the English originals)."""
    client.set_cookie("pst_lang", "en")
    return client

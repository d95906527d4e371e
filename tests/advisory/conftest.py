"""Fixtures for the advisory tests: a settable office clock (deadlines depend on it),
the staff roles involved and a requester."""

from __future__ import annotations

from typing import Any

import pytest
from factories import user
from helpers import WEDNESDAY_10, FakeClock

from app.accounts.models import Role


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

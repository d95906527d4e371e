"""Fixtures for the front-desk tests: a settable clock (the office's time is part of
every rule here), staff and visitors."""

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
def config_overrides(clock: FakeClock, request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("limits")
    limits = {"RATELIMIT_ENABLED": True, **marker.args[0]} if marker else {}
    return {"CLOCK": clock, **limits}


@pytest.fixture
def officer(session: Any) -> Any:
    return user(session, role=Role.OFFICER, full_name="Budi Petugas")


@pytest.fixture
def officer2(session: Any) -> Any:
    return user(session, role=Role.OFFICER, full_name="Sari Petugas")


@pytest.fixture
def receptionist(session: Any) -> Any:
    return user(session, role=Role.RECEPTIONIST, full_name="Rina Resepsionis")


@pytest.fixture
def head(session: Any) -> Any:
    return user(session, role=Role.HEAD, full_name="Kepala")


@pytest.fixture
def visitor(session: Any) -> Any:
    return user(
        session,
        email="dewi@example.org",
        full_name="Dewi Anggraini",
        phone="0812 3456 7890",
        id_number="1771012345678901",
    )


@pytest.fixture
def kiosk_cookie(app: Any, session: Any, receptionist: Any, clock: FakeClock) -> str:
    """The cookie of a kiosk device a receptionist enrolled (the kiosk pages answer
    only enrolled devices and office networks)."""
    from desk import kiosk_devices

    _device, cookie = kiosk_devices.enrol(
        session,
        name="Tablet at the entrance",
        actor_id=receptionist.id,
        now=clock.now,
        secret_key=app.config["SECRET_KEY"],
    )
    return cookie


@pytest.fixture
def client(client: Any, kiosk_cookie: str) -> Any:
    """The isolated test client of the enrolled kiosk, in English (the strings asserted
    on are the English originals; the office default is Indonesian). Tests of the gate
    itself delete the ``pst_kiosk`` cookie."""
    from desk.http import COOKIE

    client.set_cookie("pst_lang", "en")
    client.set_cookie(COOKIE, kiosk_cookie)
    return client

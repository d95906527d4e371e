"""Queue numbers stay unique and gapless under concurrency (PostgreSQL).

200 requests to ``takeQueueTicket`` start at once against the app served on a real
port (Werkzeug, one thread per request, the app's own connection pool): they must get
200 distinct, consecutive numbers A-001 … A-200. Run with ``PST_TEST_DATABASE_URL``
pointing at PostgreSQL; skipped on SQLite, which serialises writers anyway.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.accounts import services as accounts
from desk.models import Ticket, TicketCounter

pytestmark = pytest.mark.postgres
N = 200


@pytest.fixture
def served(app):
    if app.extensions["sqlalchemy"].engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (set PST_TEST_DATABASE_URL)")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.request_queue_size = N
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def test_200_concurrent_requests_get_200_consecutive_numbers(served, session, receptionist):
    _token, plain = accounts.create_api_token(session, receptionist, "kiosk")
    start = threading.Barrier(N)

    def take(_: int) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 - plain http to the test server
            f"{served}/api/v1/desk/tickets",
            data=json.dumps({"service": "library"}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {plain}"},
            method="POST",
        )
        start.wait(timeout=60)
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, json.loads(response.read())["number"]

    with ThreadPoolExecutor(max_workers=N) as pool:
        results = list(pool.map(take, range(N)))
    assert {status for status, _ in results} == {201}
    numbers = sorted(number for _, number in results)
    assert numbers == [f"A-{n:03d}" for n in range(1, N + 1)]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Ticket)) == N
    assert session.scalar(select(TicketCounter.last_seq)) == N
    seqs = session.scalars(select(Ticket.seq).order_by(Ticket.seq)).all()
    assert seqs == list(range(1, N + 1))


def test_concurrent_calls_never_give_one_number_to_two_desks(served, session, clock):
    """Officers pressing "call next" at once get different numbers (SKIP LOCKED)."""
    from factories import user

    from app.accounts.models import Role
    from desk import queue
    from desk.models import Channel, ServiceType

    officers = [user(session, role=Role.OFFICER) for _ in range(8)]
    for _ in range(8):
        queue.take_ticket(
            session, service=ServiceType.LIBRARY, now=clock.now, channel=Channel.KIOSK
        )
    tokens = [accounts.create_api_token(session, o, "desk")[1] for o in officers]
    start = threading.Barrier(len(tokens))

    def call(i: int) -> str:
        request = urllib.request.Request(  # noqa: S310 - plain http to the test server
            f"{served}/api/v1/desk/tickets/call-next",
            data=json.dumps({"services": ["library"], "desk": str(i + 1)}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {tokens[i]}"},
            method="POST",
        )
        start.wait(timeout=30)
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return str(json.loads(response.read())["number"])

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        numbers = list(pool.map(call, range(len(tokens))))
    assert sorted(numbers) == [f"A-{n:03d}" for n in range(1, 9)]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/desk/visits", {"services": ["library", "sales"], "purpose": "research"}),
        ("/api/v1/desk/tickets", {"service": "library"}),
    ],
)
def test_a_visitor_pressing_twenty_times_at_once_holds_one_number(
    served, session, visitor, path, body
):
    """One open number per visitor and service, one guest-book visit a day, even when
    the requests race (the visitor's account row is locked while numbers are taken)."""
    from desk.models import GuestVisit

    _token, plain = accounts.create_api_token(session, visitor, "phone")
    n = 20
    start = threading.Barrier(n)

    def take(_: int) -> list[str]:
        request = urllib.request.Request(  # noqa: S310 - plain http to the test server
            f"{served}{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {plain}"},
            method="POST",
        )
        start.wait(timeout=60)
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            data = json.loads(response.read())
            return [t["number"] for t in data.get("tickets", [data])]

    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(take, range(n)))
    expected = ["A-001", "B-001"] if "services" in body else ["A-001"]
    assert all(numbers == expected for numbers in results), results
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Ticket)) == len(expected)
    visits = session.scalar(select(func.count()).select_from(GuestVisit))
    assert visits == (1 if "services" in body else 0)


@pytest.mark.parametrize("email", [None, "rudi@example.org"])
def test_a_double_tapped_registration_gives_one_account_and_one_number(
    served, session, receptionist, email
):
    """The same new visitor sent ten times at once (with or without email): one account,
    one visit, one number (an advisory lock per ID number and email)."""
    from app.accounts.models import User
    from desk.models import GuestVisit

    _token, plain = accounts.create_api_token(session, receptionist, "reception")
    profile = {
        "full_name": "Rudi Hartono", "phone": "0812 7777 8888", "id_type": "ktp",
        "id_number": "1771011111111111", "institution": "Universitas Bengkulu",
        "institution_kind": "education", "occupation": "Mahasiswa", "education": "d4_s1",
        "gender": "male", "birth_year": 2001,
    }  # fmt: skip
    body = {"profile": profile, "services": ["library"], "purpose": "research", "consent": True}
    if email:
        body["email"] = email
    n = 10
    start = threading.Barrier(n)

    def register(_: int) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310 - plain http to the test server
            f"{served}/api/v1/desk/visits",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {plain}"},
            method="POST",
        )
        start.wait(timeout=60)
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, json.loads(response.read())["ticket"]["number"]

    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(register, range(n)))
    assert results == [(201, "A-001")] * n
    session.expire_all()
    assert (
        session.scalar(
            select(func.count()).select_from(User).where(User.full_name == "Rudi Hartono")
        )
        == 1
    )
    assert session.scalar(select(func.count()).select_from(GuestVisit)) == 1
    assert session.scalar(select(func.count()).select_from(Ticket)) == 1


def test_concurrent_events_of_one_service_make_one_record(app, session, visitor, clock):
    """Twenty downloads of one publication finishing at once (each in its own
    transaction) land on one record: the unique key decides, nobody fails."""
    if app.extensions["sqlalchemy"].engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL (set PST_TEST_DATABASE_URL)")
    from sqlalchemy.orm import Session

    from app.events import ServiceEvent, send_service_given
    from desk.models import ServiceRecord

    engine = app.extensions["sqlalchemy"].engine
    visitor_id, now = visitor.id, clock.now
    start = threading.Barrier(20)

    def finish(n: int) -> bool:
        with app.app_context(), Session(engine) as own:
            start.wait(timeout=60)
            recorded = send_service_given(
                own,
                ServiceEvent(
                    service="library",
                    user_id=visitor_id,
                    started_at=now,
                    ended_at=now,
                    products=["Statistik Daerah 2025"],
                    source="library.download",
                    source_ref=str(n),
                    ref="library-download:1:1:2026-11-25",
                ),
            )
            own.commit()
            return recorded.created

    with ThreadPoolExecutor(max_workers=20) as pool:
        created = list(pool.map(finish, range(20)))
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ServiceRecord)) == 1
    assert created.count(True) == 1

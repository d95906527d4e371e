"""Forms that create something make one object however often they are sent.

Issue #15: "Ten concurrent submits of the same form made ten questions, ten softcopy
requests, ten appointments, three scan requests (despite the 'already requested'
check) and three carts." Each form carries a one-time token (``app.idempotency``); a
second post of it redirects to what the first made. On PostgreSQL the posts really run
at once (ten threads, ten signed-in clients); on SQLite they are sent one after the
other (a double click, the back button).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from factories import PASSWORD, user
from helpers import FakeClock, submit
from sqlalchemy import func, select

from app.idempotency import FormSubmission

POSTGRES = "postgresql"
_SUBMISSION = re.compile(r'name="submission"[^>]*value="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"CLOCK": FakeClock()}  # a Wednesday 10:00 WIB, standing still


@dataclass
class Case:
    """One creating form: its page, where it posts, what it sends, what it makes."""

    page: str
    url: str
    data: dict[str, Any]
    count: Callable[[Any], int]
    lands: str  # where a second post goes


def _count(model: Any) -> Callable[[Any], int]:
    return lambda session: int(session.scalar(select(func.count()).select_from(model)))


def _printed_publication(session: Any) -> Any:
    import hashlib

    from catalog.models import Publication

    digest = hashlib.sha256(b"idempotent forms").hexdigest()
    pub = Publication(
        title="Provinsi Bengkulu Dalam Angka 2025",
        printed=True,
        page_count=40,
        file_size=1000,
        sha256=digest,
        original_key=digest,
        master_key=digest,
    )
    session.add(pub)
    session.commit()
    return pub


def _printed_product(session: Any) -> Any:
    from app.blobs import current_store
    from demo.products import seed_products
    from store.models import Product, ProductKind

    _printed_publication(session)
    seed_products(session, current_store())
    return session.scalar(select(Product).where(Product.kind == ProductKind.PRINTED).limit(1))


def _case(kind: str, session: Any) -> Case:
    if kind == "question":
        from advisory.models import Consultation

        return Case(
            "/advisory/ask",
            "/advisory/ask",
            {"subject": "Inflasi Bengkulu", "kind": "question", "body": "Berapa inflasi 2025?"},
            _count(Consultation),
            "/advisory/consultations/",
        )
    if kind == "recommendation":
        from advisory.models import Recommendation

        return Case(
            "/advisory/recommendations/new",
            "/advisory/recommendations/new",
            {"organiser": "Universitas Bengkulu", "survey_title": "Survei Kepuasan Warga"},
            _count(Recommendation),
            "/edit",
        )
    if kind == "softcopy":
        from library.models import SoftcopyRequest

        return Case(
            "/library/softcopy-requests/new",
            "/library/softcopy-requests/new",
            {"title": "Sakernas Bengkulu 2010", "kat_no": "", "purpose": "Penelitian tesis"},
            _count(SoftcopyRequest),
            "/library/requests",
        )
    if kind == "scan":
        from library.models import ScanRequest

        url = f"/library/publications/{_printed_publication(session).id}/scan-requests/new"
        return Case(
            url,
            url,
            {"pages": "3-5", "purpose": "Bahan skripsi"},
            _count(ScanRequest),
            "/library/scan-requests",
        )
    if kind == "appointment":
        from desk.models import Appointment

        return Case(
            "/desk/appointments",
            "/desk/appointments",
            {"service": "consultation", "day": "2026-11-25", "at": "14:00"},
            _count(Appointment),
            "/desk/appointments",
        )
    if kind == "cart":
        from store.models import Order, OrderItem

        product = _printed_product(session)
        carts, items = _count(Order), _count(OrderItem)
        return Case(
            f"/store/products/{product.id}",
            f"/store/products/{product.id}/cart",
            {"quantity": "1"},
            lambda s: carts(s) * 100 + items(s),  # one cart holding one line: 101
            "/store/cart",
        )
    raise LookupError(kind)


KINDS = ["question", "recommendation", "softcopy", "scan", "appointment", "cart"]
ONE = {"cart": 101}


def _sign_in(app: Any, person: Any) -> Any:
    own = app.test_client()
    own.set_cookie("pst_lang", "en")
    response = submit(own, "/login", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return own


def _form(client: Any, page: str) -> tuple[str, str]:
    """The CSRF token and the one-time submission token of the form on ``page``."""
    html = client.get(page).get_data(as_text=True)
    csrf, once = _CSRF.search(html), _SUBMISSION.search(html)
    assert csrf and once, f"no token on {page}"
    return csrf.group(1), once.group(1)


@pytest.mark.long
@pytest.mark.parametrize("kind", KINDS)
def test_a_form_sent_twice_makes_one_object(app, client, session, kind):
    case = _case(kind, session)
    web = _sign_in(app, user(session))
    csrf, once = _form(web, case.page)
    data = {"csrf_token": csrf, "submission": once, **case.data}
    first = web.post(case.url, data=data)
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    again = web.post(case.url, data=data)
    assert again.status_code == 302
    assert case.lands in again.headers["Location"]
    assert case.count(session) == ONE.get(kind, 1)
    followed = web.get(again.headers["Location"]).get_data(as_text=True)
    assert "This form has already been sent." in followed
    assert session.scalar(select(func.count()).select_from(FormSubmission)) == 1
    # A fresh form (a new token) makes a new one: the token, not the content, decides.
    if kind in ("question", "softcopy", "appointment"):
        csrf, once = _form(web, case.page)
        web.post(case.url, data={"csrf_token": csrf, "submission": once, **case.data})
        assert case.count(session) == 2


def test_a_token_of_another_person_reveals_nothing(app, client, session):
    case = _case("softcopy", session)
    web = _sign_in(app, user(session))
    csrf, once = _form(web, case.page)
    assert web.post(case.url, data={"csrf_token": csrf, "submission": once, **case.data})
    other = _sign_in(app, user(session))
    csrf, _ = _form(other, case.page)
    response = other.post(case.url, data={"csrf_token": csrf, "submission": once, **case.data})
    assert response.status_code == 302 and case.count(session) == 1
    assert "/library/requests" in response.headers["Location"]


def _at_once(app: Any, clients: list[Any], url: str, datas: list[dict[str, Any]]) -> list[int]:
    """Post from every client at the same moment (one thread each); their statuses."""
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def post(web: Any, data: dict[str, Any]) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                statuses.append(web.post(url, data=data).status_code)
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    threads = [
        threading.Thread(target=post, args=pair) for pair in zip(clients, datas, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return statuses


def _ten_clients(app: Any, session: Any, case: Case) -> list[Any]:
    """Ten clients of one signed-in person (ten tabs, or ten retries of a browser)."""
    first = _sign_in(app, user(session))
    _form(first, case.page)  # the session now holds the CSRF token
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = first.get_cookie(name)
    clients = [first]
    for _ in range(9):
        web = app.test_client()
        web.set_cookie(name, cookie.value)
        web.set_cookie("pst_lang", "en")
        clients.append(web)
    return clients


@pytest.mark.parametrize("kind", KINDS)
def test_ten_concurrent_posts_of_one_form_make_one_object(app, client, session, kind):
    if session.get_bind().dialect.name != POSTGRES:
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    case = _case(kind, session)
    clients = _ten_clients(app, session, case)
    csrf, once = _form(clients[0], case.page)
    datas = [{"csrf_token": csrf, "submission": once, **case.data}] * 10
    statuses = _at_once(app, clients, case.url, datas)
    session.expire_all()
    assert statuses == [302] * 10
    assert case.count(session) == ONE.get(kind, 1)
    assert session.scalar(select(func.count()).select_from(FormSubmission)) == 1


@pytest.mark.parametrize("kind", ["scan", "cart"])
def test_ten_concurrent_forms_without_a_shared_token_keep_the_rule(app, client, session, kind):
    """Ten tabs (ten tokens): still one open scan request for the same pages, and one
    cart (holding ten lines: ten additions were asked for)."""
    if session.get_bind().dialect.name != POSTGRES:
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    from store.models import Order

    case = _case(kind, session)
    clients = _ten_clients(app, session, case)
    forms = [_form(web, case.page) for web in clients]
    datas = [{"csrf_token": c, "submission": o, **case.data} for c, o in forms]
    statuses = _at_once(app, clients, case.url, datas)
    session.expire_all()
    assert all(s in (302, 422) for s in statuses), statuses
    if kind == "scan":
        assert case.count(session) == 1
    else:
        assert _count(Order)(session) == 1

"""Fixtures for the store tests: buyers, an officer, the demo products, orders at each
step of the state machine, and a local stand-in of Stripe's API."""

from __future__ import annotations

import io
import json
import threading
from dataclasses import replace
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from factories import PASSWORD
from helpers import submit

from app.accounts.models import Role
from app.blobs import current_store
from app.db import utcnow
from demo.products import seed_products
from store import orders, requirements
from store.models import Product, ProductKind
from store.orders import Settings

SETTINGS = Settings()
PDF_SCAN = b"%PDF-1.4\n% signed scan\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
#: A SIMPONI billing code (15 digits), an NTPN (16 letters and digits), a bank reference.
BILLING_CODE = "820241125000123"
NTPN = "0A1B2C3D4E5F6G7H"
BANK_REF = "BRI 20261207/0001"


_HASH: list[str] = []


def person(session, *, role: Role = Role.USER, full_name: str) -> Any:
    """A verified account with the factories' password, hashed once per run (argon2 is
    deliberately slow, and these tests make many accounts)."""
    from factories import agree, profile

    from app.accounts.models import User
    from app.accounts.passwords import hash_password

    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    n = next(_SEQ)
    fields = {**profile(), "full_name": full_name}
    account = User(
        email=f"store{n}@example.org",
        password_hash=_HASH[0],
        role=role,
        email_verified_at=utcnow(),
        **fields,
    )
    session.add(account)
    session.commit()
    if role == Role.USER:
        agree(session, account)  # the privacy notice (else signed in, it is asked first)
    return account


_SEQ = iter(range(1, 10**9))


@pytest.fixture
def buyer(session):
    return person(session, full_name="Rina Marlina")


@pytest.fixture
def other_buyer(session):
    return person(session, full_name="Orang Lain")


@pytest.fixture
def officer(session):
    return person(session, role=Role.OFFICER, full_name="Petugas PST")


@pytest.fixture
def publication(session):
    """A publication for sale (a bare row: no file; tests that download ingest one)."""
    import hashlib

    from catalog.models import Access, Publication

    digest = hashlib.sha256(b"store publication").hexdigest()
    pub = Publication(
        title="Provinsi Bengkulu Dalam Angka 2025",
        printed=True,
        page_count=2,
        file_size=1000,
        sha256=digest,
        original_key=digest,
        master_key=digest,
        access=Access.SALE,
    )
    session.add(pub)
    session.commit()
    return pub


@pytest.fixture
def products(app, session, publication):
    seed_products(session, current_store())
    return {p.title: p for p in session.query(Product)}


def product_of(
    products: dict[str, Product], kind: ProductKind, survey: str | None = None
) -> Product:
    for p in products.values():
        if p.kind == kind and (survey is None or p.survey == survey):
            return p
    raise LookupError(kind)


@pytest.fixture
def susenas(products):
    return product_of(products, ProductKind.MICRODATA, "SUSENAS")


@pytest.fixture
def regency_map(products):
    return next(
        p for p in products.values() if p.kind == ProductKind.MAP and p.area_level == "regency"
    )


def abstract_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Ketimpangan pengeluaran rumah tangga di Kota Bengkulu",
        "purpose": "Skripsi tentang ketimpangan pengeluaran per kapita.",
        "method": "Indeks Gini dan regresi kuantil.",
        "variables": "R102, R301, EXPEND",
        "regions": "Kota Bengkulu (1771)",
        "outputs": "Skripsi dan artikel jurnal.",
        "completion_date": date.today() + timedelta(days=120),
    }
    data.update(overrides)
    return data


def gated_order(
    session, buyer, product, *, variables=("R102", "R301", "EXPEND"), regions=("1771",)
):
    """A microdata order in ``requirements``."""
    return orders.create_order(
        session,
        buyer,
        [{"product_id": product.id, "variables": list(variables), "regions": list(regions)}],
        settings=SETTINGS,
        now=utcnow(),
    )


def pay_manually(session, order, *, officer, method: str = "simponi", store=None) -> Any:
    """Pay an approved order the manual way, as the office does: the payment started,
    its details issued by ``officer`` (the SIMPONI code, or transfer instructions) and
    confirmed by them with what proves it (the NTPN, or the bank's reference)."""
    from store.payments import manual

    payment = manual.ManualProvider().start(session, order, method=method, now=utcnow()).payment
    simponi = method == "simponi"
    manual.issue_billing(
        session,
        order,
        payment.id,
        billing_code=BILLING_CODE if simponi else None,
        instructions="" if simponi else "BRI 0000-01-000000-30-0",
        actor_id=officer.id,
        now=utcnow(),
    )
    manual.confirm(
        session,
        order,
        payment.id,
        reference=NTPN if simponi else BANK_REF,
        actor_id=officer.id,
        now=utcnow(),
        settings=SETTINGS,
        store=store,
    )
    return payment


def complete_requirements(session, order, buyer):
    requirements.submit_abstract(session, order, abstract_data(), actor_id=buyer.id, now=utcnow())
    text = requirements.current_agreement(session)
    requirements.accept_agreement(
        session,
        order,
        actor_id=buyer.id,
        text_sha256=text.sha256,
        ip="10.0.0.1",
        now=utcnow(),
    )
    requirements.upload_scan(
        session,
        current_store(),
        order,
        io.BytesIO(PDF_SCAN),
        actor_id=buyer.id,
        max_bytes=10**6,
        now=utcnow(),
    )
    return order


@pytest.fixture
def approved_order(app, session, buyer, officer, susenas):
    """A SUSENAS order approved and awaiting payment (the configured transfer details,
    as the review page gives them, go with the approval mail)."""
    order = gated_order(session, buyer, susenas)
    complete_requirements(session, order, buyer)
    settings = replace(SETTINGS, bank_details=str(app.config.get("STORE_BANK_DETAILS") or ""))
    orders.review(session, order, "approve", actor=officer, settings=settings, now=utcnow())
    return order


def login(client, person):
    response = submit(client, "/login", {"email": person.email, "password": PASSWORD})
    assert response.status_code in (302, 303), response.status_code
    return person


def now():
    return utcnow()


# --- a local stand-in of Stripe's API ----------------------------------------------------


class StripeStandIn:
    """Speaks the part of Stripe's wire format the store uses (form-encoded requests,
    JSON objects with ``id`` and ``object``). Tests move sessions along by hand."""

    def __init__(self) -> None:
        self.sessions: dict[str, dict[str, Any]] = {}
        self.charges: dict[str, dict[str, Any]] = {}
        self.refunds: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_standin")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                stand_in.requests.append(("GET", self.path))
                url = urlparse(self.path)
                parts = url.path.strip("/").split("/")
                with stand_in.lock:
                    if parts[:3] == ["v1", "checkout", "sessions"] and len(parts) == 4:
                        found = stand_in.sessions.get(parts[3])
                        return self._send(200, found) if found else self._missing()
                    if parts[:3] == ["v1", "checkout", "sessions"]:
                        intent = parse_qs(url.query).get("payment_intent", [None])[0]
                        data = [
                            s for s in stand_in.sessions.values() if s["payment_intent"] == intent
                        ]
                        return self._send(
                            200,
                            {"object": "list", "data": data, "has_more": False, "url": url.path},
                        )
                    if parts[:2] == ["v1", "charges"] and len(parts) == 3:
                        found = stand_in.charges.get(parts[2])
                        return self._send(200, found) if found else self._missing()
                return self._missing()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                stand_in.requests.append(("POST", self.path))
                with stand_in.lock:
                    if self.path == "/v1/checkout/sessions":
                        n = len(stand_in.sessions) + 1
                        sid = f"cs_test_{n:04d}"
                        session = {
                            "id": sid,
                            "object": "checkout.session",
                            "status": "open",
                            "payment_status": "unpaid",
                            "payment_intent": None,
                            "url": f"https://checkout.stripe.test/pay/{sid}",
                            "client_reference_id": form.get("client_reference_id", [None])[0],
                            "amount_total": int(form["line_items[0][price_data][unit_amount]"][0]),
                            "currency": form["line_items[0][price_data][currency]"][0],
                            "expires_at": int(form["expires_at"][0]),
                            "metadata": {"order_code": form.get("metadata[order_code]", [""])[0]},
                        }
                        stand_in.sessions[sid] = session
                        return self._send(200, session)
                    if self.path == "/v1/refunds":
                        intent = form["payment_intent"][0]
                        for charge in stand_in.charges.values():
                            if charge["payment_intent"] == intent:
                                charge["refunded"] = True
                                charge["amount_refunded"] = charge["amount"]
                        refund = {
                            "id": f"re_{len(stand_in.refunds) + 1}",
                            "object": "refund",
                            "payment_intent": intent,
                            "status": "succeeded",
                        }
                        stand_in.refunds.append(refund)
                        return self._send(200, refund)
                return self._missing()

            def _missing(self) -> None:
                self._send(
                    404,
                    {"error": {"type": "invalid_request_error", "message": "No such object"}},
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def complete(self, session_id: str) -> dict[str, Any]:
        """The buyer paid: the session completes and a charge exists."""
        with self.lock:
            session = self.sessions[session_id]
            n = session_id.rsplit("_", 1)[-1]
            session.update(status="complete", payment_status="paid", payment_intent=f"pi_{n}")
            self.charges[f"ch_{n}"] = {
                "id": f"ch_{n}",
                "object": "charge",
                "payment_intent": f"pi_{n}",
                "amount": session["amount_total"],
                "amount_refunded": 0,
                "refunded": False,
            }
            return session

    def refund_at_stripe(self, session_id: str) -> dict[str, Any]:
        """A refund made in Stripe's dashboard."""
        with self.lock:
            n = session_id.rsplit("_", 1)[-1]
            charge = self.charges[f"ch_{n}"]
            charge.update(refunded=True, amount_refunded=charge["amount"])
            return charge

    def expire(self, session_id: str) -> None:
        with self.lock:
            self.sessions[session_id]["status"] = "expired"


@pytest.fixture
def stripe_standin():
    stand_in = StripeStandIn()
    stand_in.thread.start()
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


WEBHOOK_SECRET = "whsec_test_secret_for_the_store"


@pytest.fixture
def stripe_config(stripe_standin):
    return {
        "STORE_STRIPE_SECRET_KEY": "sk_test_standin",
        "STORE_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STORE_STRIPE_API_BASE": stripe_standin.base,
    }

"""Orders: the cart, checkout, the state machine, review, cancellation and expiry.

Every move of an order goes through :func:`move`, which refuses what :data:`MOVES` does
not allow, changes the status with a compare-and-set ``UPDATE`` (so two requests racing
for the same move cannot both win, on any database) and logs an :class:`OrderEvent` with
actor, time and address::

    draft ──checkout──▶ requirements ──(abstract + SPPD + scan)──▶ under_review
      │  (microdata, maps)    ▲                                       │ │ │
      │                       └──────────── revise ───────────────────┘ │ │
      ├──checkout (Rp0 claim)──────────────────────────▶ under_review   │ reject ─▶ rejected
      └──checkout (publications)──▶ awaiting_payment ◀──── approve ─────┘
                                       │  │   └── due date passed ─▶ expired
                                       │  └── cancel ─▶ cancelled  (also from draft,
                                       ▼                 requirements, under_review)
                                     paid ──(all items delivered)──▶ fulfilled
                                       └────────── refund ─────────────┴──▶ refunded

Unpaid orders expire at read time: whenever an order is loaded (:func:`get_order`) or
the officers' list is shown, one whose payment is overdue and that has no proof waiting
for an officer becomes ``expired`` (``pst store expire`` does the same for all, from
cron). A Stripe payment completed after the expiry still counts (``expired → paid``):
the money was taken, so the buyer gets the goods.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from app import audit, idempotency
from app.accounts.models import Role, User
from app.numbering import take_next
from app.pagination import offset, page_count
from app.uow import transactional, unit_of_work
from store import mails, tariffs
from store import products as catalogue
from store.duties import Duty, ensure_not_own_order
from store.errors import (
    EmptyCart,
    IllegalTransition,
    InvalidChoice,
    ItemNotFound,
    OrderNotFound,
    OutOfStock,
    WrongState,
)
from store.models import (
    Counter,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentStatus,
    Product,
    ProductKind,
    ZeroRate,
)

S = OrderStatus

#: Where an order may go from each state.
MOVES: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.DRAFT: frozenset({S.REQUIREMENTS, S.UNDER_REVIEW, S.AWAITING_PAYMENT, S.CANCELLED}),
    S.REQUIREMENTS: frozenset({S.UNDER_REVIEW, S.CANCELLED}),
    S.UNDER_REVIEW: frozenset({S.REQUIREMENTS, S.AWAITING_PAYMENT, S.REJECTED, S.CANCELLED}),
    S.AWAITING_PAYMENT: frozenset({S.PAID, S.EXPIRED, S.CANCELLED}),
    S.PAID: frozenset({S.FULFILLED, S.REFUNDED}),
    S.FULFILLED: frozenset({S.REFUNDED}),
    S.EXPIRED: frozenset({S.PAID}),  # a provider's late confirmation only
    S.REJECTED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}
#: States whose stock reservation is released when left for a dead end.
RESERVED = frozenset({S.REQUIREMENTS, S.UNDER_REVIEW, S.AWAITING_PAYMENT})
CANCELLABLE = frozenset({S.DRAFT, S.REQUIREMENTS, S.UNDER_REVIEW, S.AWAITING_PAYMENT})

STATUS_LABELS = {
    S.DRAFT: _l("cart"),
    S.REQUIREMENTS: _l("requirements to complete"),
    S.UNDER_REVIEW: _l("under review"),
    S.AWAITING_PAYMENT: _l("awaiting payment"),
    S.PAID: _l("paid"),
    S.FULFILLED: _l("fulfilled"),
    S.REJECTED: _l("rejected"),
    S.CANCELLED: _l("cancelled"),
    S.REFUNDED: _l("refunded"),
    S.EXPIRED: _l("expired"),
}
ZERO_RATE_BASES = {
    "government": _l("Government institution"),
    "education": _l("Education (students, lecturers, schools)"),
    "state_body": _l("State body"),
    "international": _l("International body"),
    "non_commercial": _l("Other non-commercial use"),
}


@dataclass(frozen=True)
class Settings:
    """The store's configuration, handed to services (no ``current_app`` in services)."""

    office_name: str = "BPS Provinsi Bengkulu"
    office_code: str = "1700"
    payment_days: int = 7
    package_downloads: int = 5
    package_days: int = 30
    bank_details: str = ""


def settings_from(config: Any) -> Settings:
    return Settings(
        office_name=config["OFFICE_NAME"],
        office_code=str(config["OFFICE_DOMAIN_CODE"]),
        payment_days=int(config["STORE_PAYMENT_DAYS"]),
        package_downloads=int(config["STORE_PACKAGE_DOWNLOADS"]),
        package_days=int(config["STORE_PACKAGE_DAYS"]),
        bank_details=str(config.get("STORE_BANK_DETAILS") or ""),
    )


def status_label(status: OrderStatus | str) -> Any:
    return STATUS_LABELS.get(OrderStatus(status), status)


def log_event(
    session: Session,
    order: Order,
    action: str,
    *,
    actor_id: int | None,
    now: datetime,
    note: str | None = None,
    from_status: OrderStatus | None = None,
    to_status: OrderStatus | None = None,
    ip: str | None = None,
) -> OrderEvent:
    event = OrderEvent(
        order_id=order.id,
        at=now,
        actor_id=actor_id,
        action=action,
        from_status=from_status.value if from_status else None,
        to_status=to_status.value if to_status else None,
        note=(note or None) and note[:2000],
        ip=(ip or None) and ip[:45],
    )
    session.add(event)
    return event


def move(
    session: Session,
    order: Order,
    to: OrderStatus,
    *,
    actor_id: int | None,
    now: datetime,
    action: str | None = None,
    note: str | None = None,
    ip: str | None = None,
    bank_details: str = "",
) -> None:
    """The one way an order changes state: checked, compare-and-set, logged, and the
    buyer mailed (``bank_details``: the transfer details offered with a move to payment)."""
    current = order.status
    if to not in MOVES[current]:
        raise IllegalTransition(status_label(current), status_label(to))
    result = session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == current)
        .values(status=to, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        # Someone else moved it first: refuse, and show the state they left.
        session.refresh(order)
        raise IllegalTransition(status_label(order.status), status_label(to))
    order.status = to
    order.updated_at = now
    session.flush()
    log_event(
        session,
        order,
        action or to.value,
        actor_id=actor_id,
        now=now,
        note=note,
        from_status=current,
        to_status=to,
        ip=ip,
    )
    if current in RESERVED and to in (S.CANCELLED, S.REJECTED, S.EXPIRED):
        _release_stock(session, order)
    mails.status_changed(
        session, order, current, to, status_label(to), note, bank_details=bank_details
    )


# --- reading ---------------------------------------------------------------------------


def _is_staff(user: User | None) -> bool:
    return bool(user is not None and user.has_role(Role.OFFICER))


def _load(session: Session, query: Any) -> Order | None:
    result: Order | None = session.scalar(
        query.options(
            selectinload(Order.items),
            selectinload(Order.payments),
            selectinload(Order.events),
        )
    )
    return result


def get_order(session: Session, code: str, *, user: User, now: datetime) -> Order:
    """The order ``code`` if ``user`` owns it or is an officer; otherwise not found (404)."""
    order = _load(session, select(Order).where(Order.code == str(code)[:20]))
    if order is None or (order.user_id != user.id and not _is_staff(user)):
        raise OrderNotFound()
    expire_if_due(session, order, now=now)
    return order


def lock_order(session: Session, order_id: int) -> Order:
    """The order's row, locked until the transaction ends, with its current values.

    Everything the session holds is expired first, so that the order's payments and
    items are read again under the lock (another request may just have changed them)."""
    session.flush()
    session.expire_all()
    order = session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if order is None:
        raise OrderNotFound()
    return order


def get_item(order: Order, item_id: int) -> OrderItem:
    for item in order.items:
        if item.id == item_id:
            return item
    raise ItemNotFound()


@dataclass(frozen=True)
class OrderPage:
    rows: list[Order]
    total: int
    page: int
    pages: int


def list_orders(
    session: Session,
    *,
    user_id: int | None = None,
    status: OrderStatus | None = None,
    q: str = "",
    page: int = 1,
    per_page: int = 25,
) -> OrderPage:
    query = select(Order).where(Order.status != S.DRAFT) if user_id is None else select(Order)
    if user_id is not None:
        query = query.where(Order.user_id == user_id, Order.status != S.DRAFT)
    if status is not None:
        query = query.where(Order.status == status)
    if q:
        like = f"%{q.strip()[:40]}%"
        query = query.join(User, User.id == Order.user_id).where(
            Order.code.ilike(like) | User.full_name.ilike(like) | User.email.ilike(like)
        )
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = list(
        session.scalars(
            query.options(selectinload(Order.items), selectinload(Order.user))
            .order_by(Order.updated_at.desc(), Order.id.desc())
            .limit(per_page)
            .offset(offset(page, per_page))
        )
    )
    return OrderPage(rows, total, page, page_count(total, per_page))


def count_by_status(session: Session) -> dict[str, int]:
    rows = session.execute(select(Order.status, func.count()).group_by(Order.status)).all()
    return {status.value: n for status, n in rows}


# --- the cart --------------------------------------------------------------------------


def new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "PST-" + "".join(secrets.choice(alphabet) for _ in range(8))


def cart(session: Session, user: User, *, create_at: datetime | None = None) -> Order | None:
    """The user's draft order (the cart); made on demand (at ``create_at``), one per buyer."""
    if create_at is not None:
        # One cart per buyer: concurrent first additions wait here for each other, and
        # the later ones then find the cart the first one made.
        session.execute(select(User.id).where(User.id == user.id).with_for_update())
    order = _load(
        session,
        select(Order)
        .where(Order.user_id == user.id, Order.status == S.DRAFT, Order.channel == "online")
        .order_by(Order.id.desc())
        .limit(1),
    )
    if order is None and create_at is not None:
        order = Order(code=new_code(), user_id=user.id, created_at=create_at, updated_at=create_at)
        session.add(order)
        session.flush()
        order.items = []
    return order


@transactional
def add_to_cart(
    session: Session,
    user: User,
    product_id: int,
    *,
    quantity: int = 1,
    variables: list[str] | None = None,
    regions: list[str] | None = None,
    file_format: str | None = None,
    submission: str | None = None,
    now: datetime,
) -> OrderItem:
    """Put a product in the buyer's cart. ``submission`` is the form's one-time token:
    a second post of it adds nothing and raises ``AlreadySubmitted``."""
    product, choice = catalogue.choose(
        session,
        product_id,
        now=now,
        quantity=quantity,
        variables=variables,
        regions=regions,
        file_format=file_format,
    )
    claimed = idempotency.claim(session, submission, kind="store.cart", user_id=user.id)
    order = cart(session, user, create_at=now)
    assert order is not None
    stock = product.stock if product.kind == ProductKind.PRINTED else None
    if stock is not None and choice.quantity > stock:
        raise OutOfStock()
    idempotency.settle(claimed, order.code)
    for existing in order.items:
        if existing.product_id == product.id and product.kind == ProductKind.DIGITAL:
            return existing  # one copy of a digital publication is enough
    item = _item(product, choice)
    order.items.append(item)
    order.updated_at = now
    _recompute(order)
    return item


def _item(product: Product, choice: catalogue.Choice) -> OrderItem:
    import json

    amount = tariffs.price(product, quantity=choice.quantity, regions=choice.regions)
    return OrderItem(
        product_id=product.id,
        product=product,
        quantity=choice.quantity,
        unit_price=product.tariff.amount,
        amount=amount,
        variables_json=json.dumps(choice.variables),
        regions_json=json.dumps(choice.regions),
        file_format=choice.file_format,
    )


@transactional
def create_order(
    session: Session,
    user: User,
    lines: list[dict[str, Any]],
    *,
    settings: Settings,
    shipping_address: str | None = None,
    zero_rate_basis: str | None = None,
    zero_rate_note: str | None = None,
    now: datetime,
    ip: str | None = None,
) -> Order:
    """An order from a list of lines, checked out at once (the API's ``createOrder``)."""
    if not lines:
        raise EmptyCart()
    order = Order(code=new_code(), user_id=user.id, created_at=now, updated_at=now)
    session.add(order)
    for line in lines[:20]:
        product = catalogue.get_product(session, int(line["product_id"]), now=now)
        choice = catalogue.check_choice(
            product,
            quantity=int(line.get("quantity") or 1),
            variables=line.get("variables"),
            regions=line.get("regions"),
            file_format=line.get("file_format"),
        )
        order.items.append(_item(product, choice))
    session.flush()
    log_event(session, order, "created", actor_id=user.id, now=now, to_status=S.DRAFT, ip=ip)
    order.shipping_address = (shipping_address or "").strip()[:1000] or None
    if zero_rate_basis:
        _claim(order, zero_rate_basis, zero_rate_note)
    return checkout(session, order, actor=user, settings=settings, now=now, ip=ip)


@transactional
def remove_item(session: Session, user: User, item_id: int) -> None:
    order = cart(session, user)
    if order is None:
        raise ItemNotFound()
    item = get_item(order, item_id)
    order.items.remove(item)
    _recompute(order)


def _recompute(order: Order) -> None:
    printed = [i for i in order.items if i.product.kind == ProductKind.PRINTED]
    order.subtotal = sum(i.amount for i in order.items)
    # Copies sold at the desk are handed over there: nothing to ship.
    fees = [] if order.channel == "desk" else [i.product.shipping_fee for i in printed]
    order.shipping_fee = max(fees, default=0)
    order.total = order.subtotal + order.shipping_fee


def _claim(order: Order, basis: str, note: str | None) -> None:
    if basis not in ZERO_RATE_BASES:
        raise InvalidChoice(_l("Choose the basis of the Rp0 claim."))
    order.zero_rate = ZeroRate.CLAIMED
    order.zero_rate_basis = basis
    order.zero_rate_note = (note or "").strip()[:1000] or None


@transactional
def claim_zero_rate(
    session: Session,
    order: Order,
    *,
    basis: str | None,
    note: str | None,
    evidence_key: str | None,
) -> None:
    """Claim (or withdraw, with ``basis=None``) the Rp0 tariff on the cart."""
    if order.status != S.DRAFT:
        raise WrongState()
    if basis:
        _claim(order, basis, note)
        if evidence_key:
            order.zero_rate_evidence_key = evidence_key
    else:
        order.zero_rate = ZeroRate.NONE
        order.zero_rate_basis = order.zero_rate_note = order.zero_rate_evidence_key = None


@transactional
def checkout(
    session: Session,
    order: Order,
    *,
    actor: User,
    settings: Settings,
    shipping_address: str | None = None,
    now: datetime,
    ip: str | None = None,
) -> Order:
    """Leave the cart: reserve printed copies, then requirements, review or payment."""
    order = lock_order(session, order.id)
    if order.status != S.DRAFT:
        raise WrongState()
    if not order.items:
        raise EmptyCart()
    for item in order.items:  # a product made before the rule, or a policy since changed
        catalogue.check_offer(item.product)
    if shipping_address is not None:
        order.shipping_address = shipping_address.strip()[:1000] or None
    if order.has_printed and not order.shipping_address and order.channel != "desk":
        raise InvalidChoice(_l("Give the shipping address for the printed copies."))
    _reserve_stock(session, order)
    _recompute(order)
    order.checked_out_at = now
    if order.gated:
        move(session, order, S.REQUIREMENTS, actor_id=actor.id, now=now, action="checkout", ip=ip)
    elif order.zero_rate == ZeroRate.CLAIMED:
        move(session, order, S.UNDER_REVIEW, actor_id=actor.id, now=now, action="checkout", ip=ip)
    else:
        enter_payment(session, order, actor_id=actor.id, now=now, settings=settings, ip=ip)
    return order


def enter_payment(
    session: Session,
    order: Order,
    *,
    actor_id: int | None,
    now: datetime,
    settings: Settings,
    ip: str | None = None,
) -> None:
    """Number the invoice and await payment; an order of Rp0 is paid at once."""
    from store import fulfilment

    order.invoice_no = order.invoice_no or next_number(
        session, "INV", settings.office_code, now.year
    )
    # An order of Rp0 has nothing to pay, hence no deadline (it is paid at once below).
    order.payment_due_at = now + timedelta(days=settings.payment_days) if order.total else None
    move(
        session,
        order,
        S.AWAITING_PAYMENT,
        actor_id=actor_id,
        now=now,
        action="approved" if order.status == S.UNDER_REVIEW else "checkout",
        ip=ip,
        bank_details=settings.bank_details,
    )
    if order.total == 0:
        waiver = Payment(
            order_id=order.id,
            provider="waiver",
            method=None,
            amount=0,
            status=PaymentStatus.REQUESTED,
            created_at=now,
        )
        session.add(waiver)
        session.flush()
        fulfilment.mark_paid(
            session, order, waiver, actor_id=actor_id, now=now, settings=settings, ip=ip
        )


def _reserve_stock(session: Session, order: Order) -> None:
    for item in order.items:
        if item.product.kind != ProductKind.PRINTED or item.product.stock is None:
            continue
        done = session.execute(
            update(Product)
            .where(Product.id == item.product_id, Product.stock >= item.quantity)
            .values(stock=Product.stock - item.quantity)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise OutOfStock()


def _release_stock(session: Session, order: Order) -> None:
    for item in order.items:
        if item.product.kind != ProductKind.PRINTED or item.product.stock is None:
            continue
        if item.shipped_at is not None:
            continue
        session.execute(
            update(Product)
            .where(Product.id == item.product_id)
            .values(stock=Product.stock + item.quantity)
            .execution_options(synchronize_session=False)
        )


def next_number(session: Session, kind: str, office_code: str, year: int) -> str:
    """The next document number of a kind and year, e.g. ``INV/1700/2026/00001``."""
    seq = take_next(session, Counter, {"name": f"{kind}-{year}"}, column="value")
    return f"{kind}/{office_code}/{year}/{seq:05d}"


# --- buyer and officer actions ---------------------------------------------------------


@transactional
def cancel(
    session: Session,
    order: Order,
    *,
    actor: User,
    now: datetime,
    ip: str | None = None,
) -> None:
    order = lock_order(session, order.id)
    if order.status not in CANCELLABLE:
        raise IllegalTransition(status_label(order.status), status_label(S.CANCELLED))
    if any(p.status == PaymentStatus.PROOF_UPLOADED for p in order.payments):
        raise WrongState(_l("A payment proof is being checked; ask the office to cancel."))
    move(session, order, S.CANCELLED, actor_id=actor.id, now=now, action="cancelled", ip=ip)
    if actor.id != order.user_id:
        audit_order(session, "store.order_cancelled", actor.id, order)


class Decision:
    APPROVE = "approve"
    REJECT = "reject"
    REVISE = "revise"
    ALL = ("approve", "reject", "revise")


@transactional
def review(
    session: Session,
    order: Order,
    decision: str,
    *,
    actor: User,
    settings: Settings,
    reason: str | None = None,
    grant_zero_rate: bool | None = None,
    now: datetime,
    ip: str | None = None,
) -> Order:
    """An officer's review: approve, reject with a reason, or ask for a revision."""
    from store.requirements import missing

    reason = (reason or "").strip()[:2000] or None
    if decision not in Decision.ALL:
        raise InvalidChoice()
    if decision in (Decision.REJECT, Decision.REVISE) and not reason:
        raise InvalidChoice(_l("Say why, for the buyer."))
    order = lock_order(session, order.id)
    ensure_not_own_order(order, actor.id, Duty.REVIEW)
    if order.status != S.UNDER_REVIEW:
        raise WrongState(_l("Only orders under review can be reviewed."))
    if decision == Decision.APPROVE:
        if order.gated and missing(session, order):
            raise WrongState(_l("The requirements are incomplete."))
        if order.zero_rate == ZeroRate.CLAIMED:
            if grant_zero_rate is None:
                raise InvalidChoice(_l("Decide on the Rp0 claim."))
            ensure_not_own_order(order, actor.id, Duty.ZERO_RATE)
            order.zero_rate = ZeroRate.GRANTED if grant_zero_rate else ZeroRate.REFUSED
            log_event(
                session,
                order,
                "zero_rate_granted" if grant_zero_rate else "zero_rate_refused",
                actor_id=actor.id,
                now=now,
                note=reason,
                ip=ip,
            )
            if grant_zero_rate:
                for item in order.items:
                    item.amount = 0
                _recompute(order)
        order.review_note = reason
        enter_payment(session, order, actor_id=actor.id, now=now, settings=settings, ip=ip)
    elif decision == Decision.REJECT:
        order.review_note = reason
        move(
            session,
            order,
            S.REJECTED,
            actor_id=actor.id,
            now=now,
            action="rejected",
            note=reason,
            ip=ip,
        )
    else:
        if not order.gated:
            raise InvalidChoice(_l("Only orders with an abstract of use can be revised."))
        order.review_note = reason
        move(
            session,
            order,
            S.REQUIREMENTS,
            actor_id=actor.id,
            now=now,
            action="revision_asked",
            note=reason,
            ip=ip,
        )
    audit_order(session, f"store.review_{decision}", actor.id, order, {"reason": reason})
    return order


def expire_if_due(session: Session, order: Order, *, now: datetime) -> bool:
    """Expire an overdue unpaid order (read-time expiry); True when it did."""
    if not _overdue(order, now):
        return False
    # Only an order that looks overdue opens a transaction (reading one commits nothing).
    with unit_of_work(session):
        order = lock_order(session, order.id)
        if not _overdue(order, now):
            return False  # paid or proof uploaded meanwhile
        move(session, order, S.EXPIRED, actor_id=None, now=now, action="expired")
    return True


def _overdue(order: Order, now: datetime) -> bool:
    return (
        order.status == S.AWAITING_PAYMENT
        and order.payment_due_at is not None
        and order.payment_due_at < now
        and not any(p.status == PaymentStatus.PROOF_UPLOADED for p in order.payments)
    )


def expire_due(session: Session, *, now: datetime) -> int:
    """Expire every overdue order (the officers' list and ``pst store expire``)."""
    ids = list(
        session.scalars(
            select(Order.id).where(Order.status == S.AWAITING_PAYMENT, Order.payment_due_at < now)
        )
    )
    count = 0
    for order_id in ids:
        order = _load(session, select(Order).where(Order.id == order_id))
        if order is not None and expire_if_due(session, order, now=now):
            count += 1
    return count


def audit_order(
    session: Session, action: str, actor_id: int, order: Order, detail: dict[str, Any] | None = None
) -> None:
    """Audit a staff step on an order (empty details left out); walk-in sales use it too."""
    audit.record(
        session,
        action,
        actor_id=actor_id,
        subject_type="store_order",
        subject_id=order.code,
        detail={k: v for k, v in (detail or {}).items() if v is not None} or None,
    )

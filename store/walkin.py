"""Walk-in sales: an officer sells to a visitor at the desk (SOP-1-02 in person, step 5).

The order is the visitor's own (``user_id`` is their account, made by the kiosk or the
receptionist), entered by the officer (``entered_by_id``), with ``channel="desk"`` and,
when it was opened from the desk console, the queue ticket and guest-book visit it
belongs to (asked of the desk through :func:`app.events.look_up_ticket`). From there it
follows the same state machine as an online order (:mod:`store.orders`): checkout
reserves printed copies with the same row-guarded update, microdata and maps go through
the requirements gate and an officer's review, documents and mails are the same.

What differs at the desk: the officer enters the abstract of use from the visitor's
paper form and uploads the scan of the SPPD the visitor signed on paper (the acceptance
is recorded as the visitor's, on paper); the officer takes the payment — cash at the
desk (paid at once, with its receipt number; printed copies are handed over), or a
SIMPONI billing code or transfer details issued on the spot (confirmed later as online);
nothing is shipped. When the order is fulfilled the store's ``service_given`` event
carries the ticket, so the desk adds the sale to that visit's service record.

Services never commit half a step: each one checks its input before changing anything.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.events import DeskTicket, look_up_ticket
from app.uow import transactional
from storage import BlobStore
from store import fulfilment, requirements
from store import products as catalogue
from store.duties import Duty, ensure_not_own_order
from store.errors import BadUpload, InvalidChoice, OrderNotFound, OutOfStock, WrongState
from store.files import save_upload, sniff
from store.models import (
    Acceptance,
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentStatus,
    ProductKind,
)
from store.orders import (
    ZERO_RATE_BASES,
    Settings,
    _claim,
    _item,
    _recompute,
    audit_order,
    checkout,
    get_order,
    lock_order,
    log_event,
    new_code,
)
from store.payments.manual import OPEN, issue_billing

S = OrderStatus
DESK = "desk"

#: How a visitor pays at the desk. Cash is a manual method of its own, taken and
#: confirmed by the officer at once; it is never offered to online buyers.
DESK_METHODS = {
    "cash": _l("Cash at the desk"),
    "simponi": _l("SIMPONI billing code (PNBP)"),
    "bank_transfer": _l("Bank transfer"),
}
SEARCH_LIMIT = 20


# --- the visitor ---------------------------------------------------------------------


def find_visitors(session: Session, q: str, *, limit: int = SEARCH_LIMIT) -> list[User]:
    """Active accounts whose name, email or phone contains every word of ``q``; a query
    of digits alone is a phone number, however it is written (``+62 812-…``, ``0812…``)."""
    q = (q or "").strip()[:80]
    phone: Any = User.phone
    for ch in (" ", "-", "+", "(", ")", "."):
        phone = func.replace(phone, ch, "")
    query = select(User).where(User.active.is_(True))
    if re.fullmatch(r"[0-9\s+\-().]+", q):
        digits = re.sub(r"[^0-9]", "", q)
        digits = digits[2:] if digits.startswith("62") else digits.lstrip("0")
        if len(digits) < 4:
            return []
        query = query.where(phone.like(f"%{digits}%"))
    else:
        words = [w.replace("%", "").replace("_", "") for w in q.split()[:5]]
        words = [w for w in words if len(w) >= 2]
        if not words:
            return []
        for word in words:
            like = f"%{word[:60]}%"
            query = query.where(or_(User.full_name.ilike(like), User.email.ilike(like)))
    return list(session.scalars(query.order_by(User.full_name, User.id).limit(limit)))


def desk_ticket(session: Session, ticket_id: int | None) -> DeskTicket | None:
    """The desk's ticket ``ticket_id``, or :class:`InvalidChoice` when there is none."""
    if ticket_id is None:
        return None
    ticket = look_up_ticket(session, ticket_id)
    if ticket is None:
        raise InvalidChoice(_l("No such queue number."))
    return ticket


# --- the sale --------------------------------------------------------------------------


@transactional
def start_sale(
    session: Session,
    *,
    visitor_id: int,
    officer: User,
    ticket_id: int | None = None,
    now: datetime,
    ip: str | None = None,
) -> Order:
    """Open a walk-in sale (a draft at the desk) for ``visitor_id``; an open sale of the
    same queue number is reused, so a second click does not make a second order."""
    visitor = session.get(User, visitor_id)
    if visitor is None or not visitor.active:
        raise InvalidChoice(_l("Choose the visitor."))
    ticket = desk_ticket(session, ticket_id)
    if ticket is not None:
        if ticket.user_id != visitor.id:
            raise InvalidChoice(_l("This queue number belongs to another visitor."))
        open_sale = session.scalar(
            select(Order).where(
                Order.desk_ticket_id == ticket.ticket_id,
                Order.status == S.DRAFT,
                Order.channel == DESK,
            )
        )
        if open_sale is not None:
            return open_sale
    order = Order(
        code=new_code(),
        user_id=visitor.id,
        channel=DESK,
        entered_by_id=officer.id,
        desk_ticket_id=ticket.ticket_id if ticket else None,
        desk_visit_id=ticket.visit_id if ticket else None,
        created_at=now,
        updated_at=now,
    )
    session.add(order)
    session.flush()
    note = f"walk-in {ticket.number}" if ticket else "walk-in"
    log_event(
        session, order, "created", actor_id=officer.id, now=now, to_status=S.DRAFT, note=note, ip=ip
    )
    started = {"ticket": order.desk_ticket_id}
    audit_order(session, "store.walkin_started", officer.id, order, started)
    return order


def get_sale(session: Session, code: str, *, officer: User, now: datetime) -> Order:
    """A walk-in order for an officer (an online order is not a walk-in sale: 404)."""
    order = get_order(session, code, user=officer, now=now)
    if order.channel != DESK:
        raise OrderNotFound()
    return order


def open_sales(session: Session, officer_id: int) -> list[Order]:
    """The officer's walk-in sales still being entered (drafts), newest first."""
    return list(
        session.scalars(
            select(Order)
            .where(Order.channel == DESK, Order.status == S.DRAFT)
            .where(Order.entered_by_id == officer_id)
            .order_by(Order.id.desc())
            .limit(20)
        )
    )


def _draft(session: Session, order: Order) -> Order:
    order = lock_order(session, order.id)
    if order.channel != DESK:
        raise OrderNotFound()
    if order.status != S.DRAFT:
        raise WrongState(_l("This sale is placed already; its items cannot change."))
    return order


@transactional
def add_item(
    session: Session,
    order: Order,
    product_id: int,
    *,
    actor: User,
    now: datetime,
    quantity: int = 1,
    variables: list[str] | None = None,
    regions: list[str] | None = None,
    file_format: str | None = None,
    ip: str | None = None,
) -> OrderItem:
    """Add a product of any kind, checked as online (on sale; copies, variables, regions,
    format)."""
    product, choice = catalogue.choose(
        session,
        product_id,
        now=now,
        quantity=quantity,
        variables=variables,
        regions=regions,
        file_format=file_format,
    )
    order = _draft(session, order)
    if product.kind == ProductKind.PRINTED and product.stock is not None:
        held = sum(i.quantity for i in order.items if i.product_id == product.id)
        if held + choice.quantity > product.stock:
            raise OutOfStock()
    if product.kind == ProductKind.DIGITAL:
        for existing in order.items:
            if existing.product_id == product.id:
                raise InvalidChoice(_l("This publication is in the sale already."))
    item = _item(product, choice)
    order.items.append(item)
    order.updated_at = now
    _recompute(order)
    session.flush()
    log_event(
        session, order, "item_added", actor_id=actor.id, now=now, note=product.title[:200], ip=ip
    )
    audit_order(session, "store.walkin_item_added", actor.id, order, {"product": product.id})
    return item


@transactional
def remove_item(
    session: Session,
    order: Order,
    item_id: int,
    *,
    actor: User,
    now: datetime,
    ip: str | None = None,
) -> None:
    order = _draft(session, order)
    item = next((i for i in order.items if i.id == item_id), None)
    if item is None:
        raise InvalidChoice(_l("No such item in this order."))
    title = item.product.title
    order.items.remove(item)
    order.updated_at = now
    _recompute(order)
    log_event(session, order, "item_removed", actor_id=actor.id, now=now, note=title[:200], ip=ip)
    audit_order(session, "store.walkin_item_removed", actor.id, order, {"product": item.product_id})


@transactional
def place(
    session: Session,
    order: Order,
    *,
    actor: User,
    settings: Settings,
    now: datetime,
    store: BlobStore | None = None,
    zero_rate_basis: str | None = None,
    zero_rate_note: str | None = None,
    evidence: BinaryIO | None = None,
    max_bytes: int = 0,
    ip: str | None = None,
) -> Order:
    """Check the sale out as the buyer's checkout does: printed copies are reserved (the
    stock goes down, under the same guarded update), then the requirements of microdata
    and maps, or the payment. A Rp0 claim (government, education ... for non-commercial
    use) needs the scan of its evidence, and sends the order to an officer's review."""
    if zero_rate_basis:
        if zero_rate_basis not in ZERO_RATE_BASES:
            raise InvalidChoice(_l("Choose the basis of the Rp0 claim."))
        if evidence is None or store is None:
            raise BadUpload(_l("Attach the evidence for the Rp0 claim."))
        _check_scan(evidence, max_bytes)
    order = _draft(session, order)
    if zero_rate_basis and evidence is not None and store is not None:  # checked above
        order.zero_rate_evidence_key = save_upload(session, store, evidence, max_bytes=max_bytes)[0]
        _claim(order, zero_rate_basis, zero_rate_note)
    audit_order(
        session,
        "store.walkin_placed",
        actor.id,
        order,
        {"total": order.total, "zero_rate": zero_rate_basis},
    )
    return checkout(session, order, actor=actor, settings=settings, now=now, ip=ip)


@transactional
def create_sale(
    session: Session,
    *,
    visitor_id: int,
    officer: User,
    lines: list[dict[str, Any]],
    settings: Settings,
    now: datetime,
    ticket_id: int | None = None,
    ip: str | None = None,
) -> Order:
    """A walk-in sale from a list of lines, placed at once (the API's
    ``createWalkInOrder``): every line is checked before anything is written."""
    visitor = session.get(User, visitor_id)
    if visitor is None or not visitor.active:
        raise InvalidChoice(_l("Choose the visitor."))
    ticket = desk_ticket(session, ticket_id)
    if ticket is not None and ticket.user_id != visitor.id:
        raise InvalidChoice(_l("This queue number belongs to another visitor."))
    if not lines:
        raise InvalidChoice(_l("Add at least one product."))
    items = []
    for line in lines[:20]:
        product = catalogue.get_product(session, int(line["product_id"]), now=now)
        choice = catalogue.check_choice(
            product,
            quantity=int(line.get("quantity") or 1),
            variables=line.get("variables"),
            regions=line.get("regions"),
            file_format=line.get("file_format"),
        )
        items.append(_item(product, choice))
    order = Order(
        code=new_code(),
        user_id=visitor.id,
        channel=DESK,
        entered_by_id=officer.id,
        desk_ticket_id=ticket.ticket_id if ticket else None,
        desk_visit_id=ticket.visit_id if ticket else None,
        created_at=now,
        updated_at=now,
        items=items,
    )
    session.add(order)
    session.flush()
    note = f"walk-in {ticket.number}" if ticket else "walk-in"
    log_event(
        session, order, "created", actor_id=officer.id, now=now, to_status=S.DRAFT, note=note, ip=ip
    )
    started = {"ticket": order.desk_ticket_id}
    audit_order(session, "store.walkin_started", officer.id, order, started)
    audit_order(session, "store.walkin_placed", officer.id, order, {"items": len(items)})
    return checkout(session, order, actor=officer, settings=settings, now=now, ip=ip)


# --- the requirements, on paper ------------------------------------------------------


def _check_scan(stream: BinaryIO, max_bytes: int) -> None:
    """Refuse a scan of the wrong type or size before anything is saved."""
    sniff(stream)
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size > max_bytes:
        raise BadUpload(_l("The file is larger than %(n)s MiB.", n=max_bytes // (1024 * 1024)))
    if size == 0:
        raise BadUpload()


@transactional
def give_requirements(
    session: Session,
    store: BlobStore,
    order: Order,
    abstract: dict[str, Any],
    signed_sppd: BinaryIO,
    *,
    actor: User,
    max_bytes: int,
    now: datetime,
    ip: str | None = None,
    paper_abstract: BinaryIO | None = None,
) -> Order:
    """Enter the visitor's abstract of use (its structured fields, as online) and the
    scan of the SPPD they signed on paper; the order goes to review when complete.

    The acceptance is recorded as the visitor's (they signed), of the current SPPD text,
    noted as given on paper and entered by the officer."""
    _check_scan(signed_sppd, max_bytes)
    if paper_abstract is not None:
        _check_scan(paper_abstract, max_bytes)
    if order.channel != DESK:
        raise OrderNotFound()
    # Checks every field and the date before changing anything.
    requirements.submit_abstract(session, order, abstract, actor_id=actor.id, now=now, ip=ip)
    order = lock_order(session, order.id)
    if paper_abstract is not None and order.abstract is not None:
        key, content_type, ext = save_upload(session, store, paper_abstract, max_bytes=max_bytes)
        order.abstract.scan_key = key
        order.abstract.scan_content_type = content_type
        order.abstract.scan_name = f"abstraksi-{order.code}.{ext}"
    if order.status != S.REQUIREMENTS:  # a revision's new abstract may complete it
        return order
    current = requirements.current_agreement(session)
    key, content_type, ext = save_upload(session, store, signed_sppd, max_bytes=max_bytes)
    values = {
        "agreement_id": current.id,
        "user_id": order.user_id,  # the visitor signed it
        "accepted_at": now,
        "ip": (ip or "")[:45] or None,
        "user_agent": f"signed on paper at the desk; entered by user {actor.id}",
        "text_sha256": current.sha256,
        "scan_key": key,
        "scan_content_type": content_type,
        "scan_name": f"SPPD-{order.code}-ditandatangani.{ext}",
        "scan_uploaded_at": now,
    }
    if order.acceptance is None:
        order.acceptance = Acceptance(order_id=order.id, **values)
    else:
        for name, value in values.items():
            setattr(order.acceptance, name, value)
    log_event(
        session,
        order,
        "agreement_signed",
        actor_id=actor.id,
        now=now,
        note=f"SPPD v{current.version} sha256={current.sha256}",
        ip=ip,
    )
    log_event(session, order, "scan_uploaded", actor_id=actor.id, now=now, ip=ip)
    audit_order(session, "store.walkin_requirements", actor.id, order, {"sppd": current.version})
    session.flush()
    if not requirements.missing(session, order):
        from store.orders import move

        move(session, order, S.UNDER_REVIEW, actor_id=actor.id, now=now, action="submitted", ip=ip)
    return order


# --- payment at the desk -------------------------------------------------------------


@transactional
def take_payment(
    session: Session,
    order: Order,
    *,
    method: str,
    actor: User,
    settings: Settings,
    now: datetime,
    billing_code: str | None = None,
    instructions: str = "",
    handover_note: str = "",
    store: BlobStore | None = None,
    ip: str | None = None,
) -> Payment:
    """Cash: received now — the order is paid (receipt numbered), delivered, and its
    printed copies handed over. SIMPONI or transfer: the code or details are issued to
    the visitor now; an officer confirms the payment later as for online orders."""
    if method not in DESK_METHODS:
        raise InvalidChoice(_l("Choose how the visitor pays."))
    code = (billing_code or "").strip()[:40] or None
    if method == "simponi" and not code:
        raise InvalidChoice(_l("Give the SIMPONI billing code."))
    order = lock_order(session, order.id)
    if order.channel != DESK:
        raise OrderNotFound()
    if order.status != S.AWAITING_PAYMENT:
        raise WrongState(_l("This order cannot be paid now."))
    if method != "cash":
        payment = Payment(
            order_id=order.id,
            provider="manual",
            method=method,
            amount=order.total,
            status=PaymentStatus.REQUESTED,
            created_at=now,
        )
        session.add(payment)
        session.flush()
        log_event(
            session, order, "payment_requested", actor_id=actor.id, now=now, note=method, ip=ip
        )
        return issue_billing(
            session,
            order,
            payment.id,
            billing_code=code,
            instructions=instructions,
            actor_id=actor.id,
            now=now,
            ip=ip,
        )
    ensure_not_own_order(order, actor.id, Duty.CONFIRM)  # an officer buying for themselves
    for earlier in order.payments:  # details issued before the visitor chose cash
        if earlier.provider == "manual" and earlier.status in OPEN:
            earlier.status = PaymentStatus.FAILED
            earlier.note = "paid in cash at the desk"
    payment = Payment(
        order_id=order.id,
        provider="manual",
        method="cash",
        amount=order.total,
        status=PaymentStatus.ISSUED,
        created_at=now,
    )
    session.add(payment)
    session.flush()
    log_event(
        session, order, "cash_received", actor_id=actor.id, now=now, note=str(order.total), ip=ip
    )
    fulfilment.mark_paid(
        session, order, payment, actor_id=actor.id, now=now, settings=settings, store=store, ip=ip
    )
    payment.note = f"receipt {order.receipt_no}"
    audit_order(
        session,
        "store.cash_received",
        actor.id,
        order,
        {"payment": payment.id, "amount": payment.amount, "receipt_no": order.receipt_no},
    )
    payment_id = payment.id
    paid = session.get(Order, order.id)
    if paid is not None and paid.status == S.PAID:  # printed copies still to give
        hand_over(session, paid, actor=actor, now=now, note=handover_note, ip=ip)
    return session.get(Payment, payment_id) or payment


@transactional
def hand_over(
    session: Session, order: Order, *, actor: User, now: datetime, note: str, ip: str | None = None
) -> None:
    """Give the paid printed copies to the visitor at the desk (recorded as delivered
    in person, through the same step as shipping, so the order closes the same way)."""
    order = lock_order(session, order.id)
    if order.channel != DESK:
        raise OrderNotFound()
    if order.status != S.PAID:
        raise WrongState(_l("Only paid orders are handed over."))
    pending = [
        i.id for i in order.items if i.product.kind == ProductKind.PRINTED and i.shipped_at is None
    ]
    for item_id in pending:
        fulfilment.ship_item(
            session,
            order,
            item_id,
            tracking=note or "handed over at the desk",
            actor_id=actor.id,
            now=now,
            ip=ip,
        )

"""What waits for an officer in the back office (``/staff/store`` opens on it).

An order waits for an officer when it is under review, when a manual payment asks for
its billing code or transfer details or has a proof to check, or when it is paid with
printed copies still to ship or hand over. Each row of the list says which.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.accounts.models import User
from app.pagination import offset, page_count
from store.models import Order, OrderItem, OrderStatus, Payment, PaymentStatus, Product, ProductKind
from store.orders import OrderPage

S = OrderStatus
TODO = "todo"

REASON_LABELS = {
    "review": _l("to review"),
    "billing": _l("payment details to issue"),
    "proof": _l("payment proof to check"),
    "ship": _l("copies to ship or hand over"),
}


def _payment_waits(*statuses: PaymentStatus) -> Any:
    return exists().where(
        Payment.order_id == Order.id, Payment.provider == "manual", Payment.status.in_(statuses)
    )


def _unshipped() -> Any:
    return exists().where(
        OrderItem.order_id == Order.id,
        OrderItem.shipped_at.is_(None),
        OrderItem.product_id == Product.id,
        Product.kind == ProductKind.PRINTED,
    )


def waiting() -> Any:
    """The SQL condition of an order that waits for an officer."""
    return or_(
        Order.status == S.UNDER_REVIEW,
        and_(
            Order.status == S.AWAITING_PAYMENT,
            _payment_waits(PaymentStatus.REQUESTED, PaymentStatus.PROOF_UPLOADED),
        ),
        and_(Order.status == S.PAID, _unshipped()),
    )


def reasons(order: Order) -> list[str]:
    """Why ``order`` waits for an officer (codes of :data:`REASON_LABELS`)."""
    found = []
    if order.status == S.UNDER_REVIEW:
        found.append("review")
    if order.status == S.AWAITING_PAYMENT:
        manual = [p for p in order.payments if p.provider == "manual"]
        if any(p.status == PaymentStatus.REQUESTED for p in manual):
            found.append("billing")
        if any(p.status == PaymentStatus.PROOF_UPLOADED for p in manual):
            found.append("proof")
    if order.status == S.PAID and any(
        i.product.kind == ProductKind.PRINTED and i.shipped_at is None for i in order.items
    ):
        found.append("ship")
    return found


def count_waiting(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Order).where(waiting())) or 0)


def list_waiting(session: Session, *, q: str = "", page: int = 1, per_page: int = 25) -> OrderPage:
    """Orders waiting for an officer, the longest-waiting first."""
    query = select(Order).where(waiting())
    if q:
        like = f"%{q.strip()[:40]}%"
        query = query.join(User, User.id == Order.user_id).where(
            Order.code.ilike(like) | User.full_name.ilike(like) | User.email.ilike(like)
        )
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = list(
        session.scalars(
            query.options(
                selectinload(Order.items), selectinload(Order.user), selectinload(Order.payments)
            )
            .order_by(Order.updated_at, Order.id)
            .limit(per_page)
            .offset(offset(page, per_page))
        )
    )
    return OrderPage(rows, total, page, page_count(total, per_page))

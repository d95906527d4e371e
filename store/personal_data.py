"""The store's share of a person's data (UU 27/2022): orders with their items, steps,
abstracts of use, SPPD acceptances, invoices and payments. On erasure every order,
invoice number, receipt and amount stays (the office must keep them, and the sales
reports must still add up); the shipping address, the network addresses and browsers
logged, and the person's name in free text go."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.rights import Erasing, Section, row
from store.models import AbstractRevision, Order

_ABSTRACT = (
    "title",
    "purpose",
    "method",
    "variables",
    "regions",
    "outputs",
    "completion_date",
    "submitted_at",
)


def _order(session: Session, order: Order) -> dict[str, Any]:
    revisions = session.scalars(
        select(AbstractRevision)
        .where(AbstractRevision.order_id == order.id)
        .order_by(AbstractRevision.revision)
    )
    return {
        **row(
            order,
            "code",
            "status",
            "channel",
            "subtotal",
            "shipping_fee",
            "total",
            "shipping_address",
            "zero_rate",
            "zero_rate_basis",
            "zero_rate_note",
            "review_note",
            "invoice_no",
            "receipt_no",
            "created_at",
            "checked_out_at",
            "paid_at",
            "fulfilled_at",
            "refunded_at",
        ),
        "items": [
            {
                "product": i.product.title,
                **row(
                    i,
                    "quantity",
                    "unit_price",
                    "amount",
                    "variables_json",
                    "regions_json",
                    "file_format",
                    "shipped_at",
                    "tracking_note",
                    "downloads_used",
                ),
            }
            for i in order.items
        ],
        "steps": [
            row(e, "at", "action", "from_status", "to_status", "note", "ip") for e in order.events
        ],
        "abstract": row(order.abstract, *_ABSTRACT, "revision") if order.abstract else None,
        "abstract_revisions": [row(r, "revision", *_ABSTRACT) for r in revisions],
        "data_use_agreement": (
            {
                "agreement_version": order.acceptance.agreement.version,
                **row(
                    order.acceptance,
                    "accepted_at",
                    "ip",
                    "user_agent",
                    "text_sha256",
                    "scan_name",
                    "scan_uploaded_at",
                ),
            }
            if order.acceptance
            else None
        ),
        "payments": [
            row(
                p,
                "provider",
                "method",
                "status",
                "amount",
                "billing_code",
                "reference",
                "proof_name",
                "note",
                "created_at",
                "confirmed_at",
                "refunded_at",
            )
            for p in order.payments
        ],
    }


def _export(session: Session, user: User) -> dict[str, Any]:
    orders = session.scalars(select(Order).where(Order.user_id == user.id).order_by(Order.id))
    return {"orders": [_order(session, o) for o in orders]}


def _erase(session: Session, erasing: Erasing) -> None:
    orders = session.scalars(select(Order).where(Order.user_id == erasing.user.id))
    for order in orders:
        order.shipping_address = None
        order.zero_rate_note = erasing.scrub(order.zero_rate_note)
        order.review_note = erasing.scrub(order.review_note)
        for event in order.events:
            event.ip = None
            event.note = erasing.scrub(event.note)
        if order.abstract is not None:
            for name in ("title", "purpose", "method", "outputs"):
                setattr(order.abstract, name, erasing.scrub(getattr(order.abstract, name)))
        for revision in session.scalars(
            select(AbstractRevision).where(AbstractRevision.order_id == order.id)
        ):
            for name in ("title", "purpose", "method", "outputs"):
                setattr(revision, name, erasing.scrub(getattr(revision, name)))
        if order.acceptance is not None:
            order.acceptance.ip = None
            order.acceptance.user_agent = None
        for payment in order.payments:
            payment.note = erasing.scrub(payment.note)
            payment.instructions = erasing.scrub(payment.instructions)


SECTION = Section(
    key="store",
    title=_l("Data sales: orders, agreements, invoices and payments"),
    tables=(
        "store_orders",
        "store_order_items",
        "store_order_events",
        "store_abstracts",
        "store_abstract_revisions",
        "store_acceptances",
        "store_payments",
    ),
    exporter=_export,
    eraser=_erase,
)

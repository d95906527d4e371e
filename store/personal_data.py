"""The store's share of a person's data (UU 27/2022): orders with their items, steps,
abstracts of use, SPPD acceptances, invoices and payments. On erasure every order,
invoice number, receipt and amount stays (the office must keep them, and the sales
reports must still add up); the shipping address, the network addresses and browsers
logged, and the person's name in free text go."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.accounts.rights import Erasing, Section, row
from store.models import AbstractRevision, Order, OrderStatus

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


def _labels() -> dict[str, Any]:
    return {
        "orders": _l("Orders"),
        "subtotal": _l("Subtotal"),
        "shipping_fee": _l("Shipping"),
        "total": _l("Total"),
        "shipping_address": _l("Shipping address"),
        "zero_rate": _l("Rp0 tariff"),
        "zero_rate_basis": _l("Ground for Rp0"),
        "zero_rate_note": _l("Rp0 explanation"),
        "review_note": _l("Officer's note"),
        "invoice_no": _l("Invoice number"),
        "receipt_no": _l("Receipt number"),
        "checked_out_at": _l("Checked out"),
        "paid_at": _l("Paid"),
        "fulfilled_at": _l("Delivered"),
        "refunded_at": _l("Refunded"),
        "items": _l("Items"),
        "product": _l("Product"),
        "quantity": _l("Quantity"),
        "unit_price": _l("Unit price"),
        "amount": _l("Amount"),
        "variables_json": _l("Variables chosen"),
        "regions_json": _l("Regions chosen"),
        "file_format": _l("File format"),
        "shipped_at": _l("Shipped"),
        "tracking_note": _l("Tracking"),
        "downloads_used": _l("Downloads made"),
        "steps": _l("Steps"),
        "from_status": _l("From"),
        "to_status": _l("To"),
        "abstract": _l("Abstract of data use"),
        "abstract_revisions": _l("Versions of the abstract"),
        "method": _l("Method"),
        "variables": _l("Variables"),
        "regions": _l("Regions"),
        "outputs": _l("Outputs"),
        "completion_date": _l("Completion date"),
        "revision": _l("Version"),
        "data_use_agreement": _l("Data use agreement (SPPD)"),
        "agreement_version": _l("Agreement version"),
        "accepted_at": _l("Accepted"),
        "text_sha256": _l("Fingerprint of the text (SHA-256)"),
        "scan_name": _l("Signed scan"),
        "scan_uploaded_at": _l("Scan uploaded"),
        "payments": _l("Payments"),
        "provider": _l("Payment by"),
        "billing_code": _l("Billing code"),
        "proof_name": _l("Proof of payment"),
    }


def _values() -> dict[str, Any]:
    from store import labels, orders
    from store.wiring import ACTION_LABELS, METHOD_LABELS, PAYMENT_LABELS

    def status(value: str, _record: Any) -> Any:
        return orders.status_label(value) if value in set(OrderStatus) else None

    return {
        "orders.status": status,
        "steps.from_status": status,
        "steps.to_status": status,
        "steps.action": ACTION_LABELS,
        "steps.note": lambda value, record: labels.event_note(record["action"], value),
        "zero_rate": labels.ZERO_RATE_LABELS,
        "zero_rate_basis": orders.ZERO_RATE_BASES,
        "channel": {"online": _l("Online"), "desk": _l("At the desk")},
        "payments.status": PAYMENT_LABELS,
        "payments.method": METHOD_LABELS,
        "provider": labels.PROVIDER_LABELS,
        "variables_json": lambda value, _record: ", ".join(json.loads(value)) or "—",
        "regions_json": lambda value, _record: ", ".join(json.loads(value)) or "—",
    }


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
    labels=_labels(),
    values=_values(),
)

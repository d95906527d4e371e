"""Sales reports: revenue per month (WIB), sales per product, the CSV export, and bar
charts drawn as SVG on the server (no script)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.i18n import WIB
from store.models import Order, OrderItem, OrderStatus

COUNTED = (OrderStatus.PAID, OrderStatus.FULFILLED, OrderStatus.REFUNDED)


@dataclass(frozen=True)
class MonthRow:
    month: str  # "2026-11"
    orders: int
    revenue: int  # paid, net of refunds
    refunded: int


@dataclass(frozen=True)
class ProductRow:
    product_id: int
    title: str
    kind: str
    items: int
    revenue: int


def _paid_orders(session: Session, start: datetime, end: datetime) -> list[Order]:
    return list(
        session.scalars(
            select(Order)
            .where(Order.status.in_(COUNTED), Order.paid_at >= start, Order.paid_at < end)
            .options(selectinload(Order.items).joinedload(OrderItem.product))
            .order_by(Order.paid_at)
        )
    )


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=WIB), datetime(year + 1, 1, 1, tzinfo=WIB)


def monthly(session: Session, year: int) -> list[MonthRow]:
    start, end = year_bounds(year)
    buckets: dict[str, list[int]] = {f"{year}-{m:02d}": [0, 0, 0] for m in range(1, 13)}
    for order in _paid_orders(session, start, end):
        assert order.paid_at is not None
        key = order.paid_at.astimezone(WIB).strftime("%Y-%m")
        bucket = buckets[key]
        bucket[0] += 1
        if order.status == OrderStatus.REFUNDED:
            bucket[2] += order.total
        else:
            bucket[1] += order.total
    return [MonthRow(k, v[0], v[1], v[2]) for k, v in buckets.items()]


def by_product(session: Session, year: int) -> list[ProductRow]:
    start, end = year_bounds(year)
    rows: dict[int, list[object]] = defaultdict(lambda: ["", "", 0, 0])
    for order in _paid_orders(session, start, end):
        if order.status == OrderStatus.REFUNDED:
            continue
        for item in order.items:
            row = rows[item.product_id]
            row[0], row[1] = item.product.title, item.product.kind.value
            row[2] = int(row[2]) + item.quantity  # type: ignore[call-overload]
            row[3] = int(row[3]) + item.amount  # type: ignore[call-overload]
    result = [
        ProductRow(pid, str(r[0]), str(r[1]), int(r[2]), int(r[3]))  # type: ignore[call-overload]
        for pid, r in rows.items()
    ]
    return sorted(result, key=lambda r: (-r.revenue, -r.items, r.title))


def orders_csv(session: Session, year: int) -> str:
    """Every order paid in the year, one line per item (for a spreadsheet)."""
    start, end = year_bounds(year)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "order_code",
            "invoice_no",
            "receipt_no",
            "status",
            "paid_at_wib",
            "buyer",
            "institution",
            "product",
            "kind",
            "quantity",
            "amount",
            "order_total",
            "zero_rate",
        ]
    )
    for order in _paid_orders(session, start, end):
        assert order.paid_at is not None
        for item in order.items:
            writer.writerow(
                [
                    order.code,
                    order.invoice_no or "",
                    order.receipt_no or "",
                    order.status.value,
                    order.paid_at.astimezone(WIB).strftime("%Y-%m-%d %H:%M"),
                    _cell(order.user.full_name),
                    _cell(order.user.institution or ""),
                    _cell(item.product.title),
                    item.product.kind.value,
                    item.quantity,
                    item.amount,
                    order.total,
                    order.zero_rate.value,
                ]
            )
    return out.getvalue()


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def bar_chart(
    labels: list[str], values: list[int], *, title: str, value_label: str = "", width: int = 640
) -> str:
    """A horizontal-axis bar chart as an accessible SVG string (role=img, <title>)."""
    height, top, bottom, left = 220, 20, 40, 10
    n = max(1, len(values))
    peak = max([*values, 1])
    slot = (width - left * 2) / n
    bar = slot * 0.7
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
        'stroke="#8a97a3" stroke-width="1"/>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = (height - top - bottom) * value / peak
        x = left + i * slot + (slot - bar) / 2
        y = height - bottom - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#0b5394">'
            f"<title>{escape(label)}: {escape(value_label)}{value:,}</title></rect>"
        )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" font-size="11" '
            f'text-anchor="middle" fill="#333">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

"""Paying, delivering and refunding an order.

:func:`mark_paid` runs with the order's row locked (every caller takes the lock first), so
however many confirmations or webhook deliveries arrive for one payment, exactly one
finds the order unpaid and fulfils it; the rest see it paid and do nothing.

Delivery by kind: a digital publication becomes a download right in the library
(``Entitlement`` with ``source="purchase"``, ``source_ref=<item id>``, and the order as
the service that gave it, so its downloads join the order's service record) and downloads
stamped with the buyer's name and the order code; a microdata set or a map becomes a
package (the data files cut to the chosen variables and regions, the SPPD, a README with
citation and terms, a licence) downloadable a limited number of times until a date; a
printed copy is delivered when an officer marks it shipped with a tracking note. When
every item is delivered the order is ``fulfilled`` and the front desk hears of it
(``service_given``). A refund revokes the download rights and closes the packages.
"""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from datetime import datetime, timedelta
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app import audit
from app.blobs import save_blob
from app.events import ServiceEvent, send_service_given
from storage import BlobStore
from store import documents
from store import regions as region_list
from store.errors import DownloadsExhausted, InvalidChoice, NotReady, WrongState
from store.models import (
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentStatus,
    ProductKind,
)
from store.orders import Settings, lock_order, log_event, move, next_number

S = OrderStatus
PAID_STATES = (S.PAID, S.FULFILLED)
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def mark_paid(
    session: Session,
    order: Order,
    payment: Payment,
    *,
    actor_id: int | None,
    now: datetime,
    settings: Settings,
    store: BlobStore | None = None,
) -> bool:
    """Record the payment and fulfil; False (and nothing changed) when already paid.

    The caller holds the order's lock (:func:`store.orders.lock_order`)."""
    if order.status in PAID_STATES or order.status == S.REFUNDED:
        return False
    if order.status not in (S.AWAITING_PAYMENT, S.EXPIRED):
        raise WrongState(_l("This order cannot be paid before it is approved."))
    if order.status == S.EXPIRED and payment.provider == "manual":
        raise WrongState(_l("This order has expired."))
    payment.status = PaymentStatus.CONFIRMED
    payment.confirmed_at = now
    payment.confirmed_by_id = actor_id
    order.paid_at = now
    order.receipt_no = order.receipt_no or next_number(
        session, "KWT", settings.office_code, now.year
    )
    move(session, order, S.PAID, actor_id=actor_id, now=now, action="paid", note=payment.provider)
    fulfil(session, order, actor_id=actor_id, now=now, settings=settings, store=store)
    return True


def fulfil(
    session: Session,
    order: Order,
    *,
    actor_id: int | None,
    now: datetime,
    settings: Settings,
    store: BlobStore | None = None,
) -> None:
    """Deliver what can be delivered now; the order is fulfilled when nothing is left."""
    from library.access import grant

    if order.status != S.PAID:
        raise WrongState(_l("Only paid orders are delivered."))
    for item in order.items:
        if item.fulfilled_at is not None:
            continue
        kind = item.product.kind
        if kind == ProductKind.DIGITAL and item.product.publication_id is not None:
            grant(
                session,
                user_id=order.user_id,
                publication_id=item.product.publication_id,
                source="purchase",
                source_ref=str(item.id),
                now=now,
                service_key=order_service_ref(order),
            )
            item.fulfilled_at = now
        elif kind in (ProductKind.MICRODATA, ProductKind.MAP):
            if store is None:
                from app.blobs import current_store

                store = current_store()
            build_package(session, store, order, item, settings=settings)
            item.downloads_max = settings.package_downloads
            item.download_until = now + timedelta(days=settings.package_days)
            item.fulfilled_at = now
    session.flush()
    _close_if_done(session, order, actor_id=actor_id, now=now)


def _close_if_done(session: Session, order: Order, *, actor_id: int | None, now: datetime) -> None:
    if any(item.fulfilled_at is None for item in order.items):
        return
    order.fulfilled_at = now
    move(session, order, S.FULFILLED, actor_id=actor_id, now=now, action="fulfilled")
    send_service_given(
        session,
        ServiceEvent(
            service="sales",
            user_id=order.user_id,
            started_at=order.checked_out_at or order.created_at,
            ended_at=now,
            officer_id=actor_id,
            products=[item.product.title[:200] for item in order.items],
            note=f"order {order.code}",
            source="store.order",
            source_ref=order.code,
            ref=order_service_ref(order),
        ),
    )


def order_service_ref(order: Order) -> str:
    """An order as one service: its record, which the downloads of what it sold join."""
    return f"store-order:{order.id}"


def ship_item(
    session: Session,
    order: Order,
    item_id: int,
    *,
    tracking: str,
    actor_id: int,
    now: datetime,
) -> OrderItem:
    """Mark a printed item shipped with its tracking note (officer)."""
    tracking = " ".join(tracking.split())[:300]
    if not tracking:
        raise InvalidChoice(_l("Give the courier and tracking number."))
    order = lock_order(session, order.id)
    if order.status != S.PAID:
        raise WrongState(_l("Only paid orders are shipped."))
    item = next((i for i in order.items if i.id == item_id), None)
    if item is None or item.product.kind != ProductKind.PRINTED:
        raise InvalidChoice()
    if item.shipped_at is not None:
        raise WrongState(_l("This item was shipped already."))
    item.shipped_at = item.fulfilled_at = now
    item.tracking_note = tracking
    log_event(session, order, "shipped", actor_id=actor_id, now=now, note=tracking)
    audit.record(
        session,
        "store.item_shipped",
        actor_id=actor_id,
        subject_type="store_order",
        subject_id=order.code,
        detail={"item": item.id, "tracking": tracking},
    )
    session.flush()
    _close_if_done(session, order, actor_id=actor_id, now=now)
    session.commit()
    return item


def revoke(session: Session, order: Order, *, now: datetime) -> None:
    """Withdraw what a refunded order gave: download rights and packages."""
    from library.models import Entitlement

    refs = [str(item.id) for item in order.items]
    session.execute(
        update(Entitlement)
        .where(
            Entitlement.source == "purchase",
            Entitlement.source_ref.in_(refs),
            Entitlement.user_id == order.user_id,
            Entitlement.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    for item in order.items:
        item.download_until = min(item.download_until or now, now)


# --- packages --------------------------------------------------------------------------


def package_name(order: Order, item: OrderItem) -> str:
    stem = "mikrodata" if item.product.kind == ProductKind.MICRODATA else "peta-wilkerstat"
    return f"{stem}-{order.code}-{item.id}.zip"


def build_package(
    session: Session, store: BlobStore, order: Order, item: OrderItem, *, settings: Settings
) -> str:
    """Assemble the item's package (deterministic zip), store it, note its key."""
    from store.requirements import current_agreement

    product = item.product
    folder = package_name(order, item)[:-4]
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as out:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for pf in product.files:
                with store.open(pf.blob_key) as fh:
                    data = fh.read()
                if product.kind == ProductKind.MICRODATA and pf.filename.lower().endswith(".csv"):
                    data = cut_csv(data, item.variables, item.regions, product.region_variable)
                _write(zf, f"{folder}/data/{pf.filename}", data)
            agreement = (
                order.acceptance.agreement if order.acceptance else current_agreement(session)
            )
            _write(
                zf,
                f"{folder}/SPPD-{order.code}.pdf",
                documents.sppd_pdf(order, agreement, office=settings.office_name),
            )
            if order.acceptance is not None and order.acceptance.scan_key:
                with store.open(order.acceptance.scan_key) as fh:
                    _write(zf, f"{folder}/{order.acceptance.scan_name or 'SPPD-scan'}", fh.read())
            _write(zf, f"{folder}/README.txt", readme(order, item, settings).encode())
            _write(zf, f"{folder}/LISENSI.txt", licence(order, settings).encode())
        out.seek(0)
        ref = save_blob(session, store, out, content_type="application/zip")  # type: ignore[arg-type]
    item.package_key = ref.key
    item.package_name = package_name(order, item)
    return ref.key


def _write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def cut_csv(
    data: bytes, variables: list[str], regions: list[str], region_variable: str | None
) -> bytes:
    """Keep the chosen variables (and the region column) and the chosen regions' rows."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    try:
        header = next(reader)
    except StopIteration:
        return data
    keep = [i for i, name in enumerate(header) if name in variables or name == region_variable]
    region_index = header.index(region_variable) if region_variable in header else None
    wanted = set(regions)
    province = region_list.PROVINCE[0] in wanted
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header[i] for i in keep])
    for row in reader:
        if region_index is not None and not province and row[region_index] not in wanted:
            continue
        writer.writerow([row[i] for i in keep if i < len(row)])
    return out.getvalue().encode()


def readme(order: Order, item: OrderItem, settings: Settings) -> str:
    product = item.product
    year = (order.paid_at or order.created_at).year
    lines = [
        f"{product.title}",
        "=" * min(78, len(product.title)),
        "",
        f"Pesanan: {order.code}    Pengguna: {order.user.full_name} <{order.user.email}>",
        f"Diterbitkan oleh: {settings.office_name}",
    ]
    if product.kind == ProductKind.MICRODATA:
        lines += [
            f"Survei: {product.survey or '-'}    Periode: {product.period or '-'}",
            f"Cakupan: {product.coverage or '-'}",
            "",
            "Variabel:",
        ]
        labels = {v.name: v.label for v in product.variables}
        lines += [f"  {name:<16} {labels.get(name, '')}" for name in item.variables]
    else:
        lines += [
            f"Tingkat wilayah: {product.area_level or '-'}    Kode: {product.area_code or '-'}",
            f"Tahun: {product.year or '-'}",
        ]
    lines += [
        "",
        "Wilayah: " + ", ".join(region_list.name(c) for c in item.regions),
        f"Format: {item.file_format or '-'}",
        "",
        "Sitasi:",
        f"  Badan Pusat Statistik ({year}). {product.title}. {settings.office_name}.",
        "",
        "Ketentuan: data hanya untuk penggunaan sebagaimana tercantum dalam abstraksi dan",
        "SPPD terlampir; dilarang digandakan atau diberikan kepada pihak lain; hasil",
        "penelitian diserahkan kepada BPS. Lihat LISENSI.txt.",
        "",
    ]
    return "\n".join(lines)


def licence(order: Order, settings: Settings) -> str:
    return (
        "LISENSI PENGGUNAAN DATA\n\n"
        f"Data dalam paket ini milik Badan Pusat Statistik dan dilisensikan kepada "
        f"{order.user.full_name} untuk pesanan {order.code} saja, sesuai Surat Perjanjian "
        "Penggunaan Data (SPPD) yang telah disetujui dan ditandatangani.\n\n"
        "1. Lisensi bersifat pribadi, tidak dapat dialihkan, dan nonkomersial kecuali "
        "disetujui tertulis oleh Kepala BPS Provinsi.\n"
        "2. Dilarang menggandakan, membagikan, atau menjual data kepada pihak lain.\n"
        "3. Dilarang berusaha mengidentifikasi responden.\n"
        "4. Setiap publikasi wajib menyebut BPS sebagai sumber data.\n"
        f"5. Pelanggaran dilaporkan kepada {settings.office_name} dan dapat dikenai sanksi "
        "sesuai Undang-Undang Nomor 16 Tahun 1997 tentang Statistik.\n"
    )


def take_package(session: Session, order: Order, item_id: int, *, now: datetime) -> tuple[str, str]:
    """Count one download of a package; ``(blob key, file name)`` or refused."""
    order = lock_order(session, order.id)
    item = session.scalar(
        select(OrderItem)
        .where(OrderItem.id == item_id, OrderItem.order_id == order.id)
        .with_for_update(of=OrderItem)
        .execution_options(populate_existing=True)
    )
    if item is None or item.product.kind not in (ProductKind.MICRODATA, ProductKind.MAP):
        raise NotReady()
    if order.status not in PAID_STATES or item.package_key is None:
        raise NotReady()
    if item.downloads_used >= item.downloads_max or (
        item.download_until is not None and item.download_until <= now
    ):
        raise DownloadsExhausted()
    item.downloads_used += 1
    log_event(
        session,
        order,
        "package_downloaded",
        actor_id=order.user_id,
        now=now,
        note=f"item {item.id} ({item.downloads_used}/{item.downloads_max})",
    )
    key, name = item.package_key, item.package_name or package_name(order, item)
    session.commit()
    return key, name


def open_blob(store: BlobStore, key: str) -> BinaryIO:
    return store.open(key)

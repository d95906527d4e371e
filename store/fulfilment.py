"""Paying, delivering and refunding an order.

:func:`mark_paid` runs with the order's row locked (every caller takes the lock first), so
however many confirmations or webhook deliveries arrive for one payment, exactly one
finds the order unpaid and fulfils it; the rest see it paid and do nothing.

Delivery by kind: a digital publication becomes a download right in the library
(``Entitlement`` with ``source="purchase"``, ``source_ref=<item id>``, and the order as
the service that gave it, so its downloads join the order's service record) and downloads
stamped with the buyer's name and the order code; a microdata set or a map becomes a
package (the data files of the chosen format cut to the approved variables and regions by
:mod:`store.cutting`, the SPPD, a README listing each file with its variables and regions,
a licence) downloadable a limited number of times until a date; a printed copy is
delivered when an officer marks it shipped with a tracking note. When every item is
delivered the order is ``fulfilled`` and the front desk hears of it (``service_given``).
A refund revokes the download rights and closes the packages.

A package that cannot be cut exactly (a region or variable missing from the files, a
file that no longer reads) is not built, and no file is ever shipped whole instead: the
payment stands, the order stays ``paid`` with a ``package_failed`` event saying why, and
an officer mends the product and builds it again (:func:`retry_packages`) or refunds.
Any other failure to assemble it (a document that cannot be drawn, storage that does
not answer) is treated the same way: it is logged, the payment still stands and the
order waits, paid, for an officer to build the package again — a payment confirmation
never fails because of its package.
"""

from __future__ import annotations

import logging
import tempfile
import zipfile
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import audit
from app.blobs import save_blob
from app.events import ServiceEvent, desk_ticket_ref, send_service_given
from app.pdf import one_line, wrap_lines
from app.uow import transactional
from storage import BlobStore
from store import cutting, documents
from store import regions as region_list
from store.errors import DownloadsExhausted, InvalidChoice, NotReady, WrongState
from store.models import (
    PACKAGE_KINDS,
    Order,
    OrderItem,
    OrderStatus,
    Payment,
    PaymentStatus,
    ProductKind,
)
from store.orders import Settings, lock_order, log_event, move, next_number
from store.products import describe_cut_error, offered_regions, region_field

log = logging.getLogger(__name__)

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
    ip: str | None = None,
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
    move(
        session,
        order,
        S.PAID,
        actor_id=actor_id,
        now=now,
        action="paid",
        note=payment.provider,
        ip=ip,
    )
    fulfil(session, order, actor_id=actor_id, now=now, settings=settings, store=store, ip=ip)
    return True


def fulfil(
    session: Session,
    order: Order,
    *,
    actor_id: int | None,
    now: datetime,
    settings: Settings,
    store: BlobStore | None = None,
    ip: str | None = None,
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
        elif kind in PACKAGE_KINDS:
            if store is None:
                from app.blobs import current_store

                store = current_store()
            try:
                build_package(session, store, order, item, settings=settings)
            except cutting.CutError as exc:
                _package_failed(session, order, item, exc, actor_id=actor_id, now=now, ip=ip)
                continue
            except SQLAlchemyError:
                raise  # the transaction itself failed: nothing can be recorded in it
            except Exception as exc:
                log.exception("the package of order %s item %s failed", order.code, item.id)
                failure = cutting.CutError(
                    "build_failed", name=item.product.title[:150], detail=type(exc).__name__
                )
                _package_failed(session, order, item, failure, actor_id=actor_id, now=now, ip=ip)
                continue
            item.downloads_max = settings.package_downloads
            item.download_until = now + timedelta(days=settings.package_days)
            item.fulfilled_at = now
    session.flush()
    _close_if_done(session, order, actor_id=actor_id, now=now, ip=ip)


def _package_failed(
    session: Session,
    order: Order,
    item: OrderItem,
    exc: cutting.CutError,
    *,
    actor_id: int | None,
    now: datetime,
    ip: str | None = None,
) -> None:
    """Nothing is shipped; the officers see why on the order (its timeline and audit)."""
    reason = str(describe_cut_error(exc))
    log_event(
        session,
        order,
        "package_failed",
        actor_id=actor_id,
        now=now,
        note=f"{item.product.title[:150]}: {reason}"[:2000],
        ip=ip,
    )
    audit.record(
        session,
        "store.package_failed",
        actor_id=actor_id,
        subject_type="store_order",
        subject_id=order.code,
        detail={"item": item.id, "reason": exc.code, **exc.params},
    )


@transactional
def retry_packages(
    session: Session,
    order: Order,
    *,
    actor_id: int,
    now: datetime,
    settings: Settings,
    store: BlobStore | None = None,
    ip: str | None = None,
) -> bool:
    """An officer builds again the packages of a paid order that could not be built (after
    mending the product's files); True when the order is now fulfilled."""
    order = lock_order(session, order.id)
    if order.status != S.PAID:
        raise WrongState(_l("Only paid orders are delivered."))
    waiting = [
        item.id
        for item in order.items
        if item.product.kind in PACKAGE_KINDS and item.fulfilled_at is None
    ]
    if not waiting:
        raise WrongState(_l("No package of this order is waiting to be built."))
    fulfil(session, order, actor_id=actor_id, now=now, settings=settings, store=store, ip=ip)
    audit.record(
        session,
        "store.packages_retried",
        actor_id=actor_id,
        subject_type="store_order",
        subject_id=order.code,
        detail={"items": waiting},
    )
    done = all(item.fulfilled_at is not None for item in order.items if item.id in waiting)
    return done


def failed_package_reason(order: Order) -> str | None:
    """Why the order's package was last refused, while one still waits to be built."""
    if order.status != S.PAID or not any(
        item.product.kind in PACKAGE_KINDS and item.fulfilled_at is None for item in order.items
    ):
        return None
    failures = [event for event in order.events if event.action == "package_failed"]
    return failures[-1].note if failures else None


def _close_if_done(
    session: Session, order: Order, *, actor_id: int | None, now: datetime, ip: str | None = None
) -> None:
    if any(item.fulfilled_at is None for item in order.items):
        return
    order.fulfilled_at = now
    move(session, order, S.FULFILLED, actor_id=actor_id, now=now, action="fulfilled", ip=ip)
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
            channel="walk_in" if order.channel == "desk" else "online",
            ref=order_service_ref(order),
            # A sale made at the desk continues the visit's number: one record for both.
            belongs_to=desk_ticket_ref(order.desk_ticket_id) if order.desk_ticket_id else "",
        ),
    )


def order_service_ref(order: Order) -> str:
    """An order as one service: its record, which the downloads of what it sold join."""
    return f"store-order:{order.id}"


@transactional
def ship_item(
    session: Session,
    order: Order,
    item_id: int,
    *,
    tracking: str,
    actor_id: int,
    now: datetime,
    ip: str | None = None,
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
    log_event(session, order, "shipped", actor_id=actor_id, now=now, note=tracking, ip=ip)
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


def selection_for(item: OrderItem) -> cutting.Selection:
    """What the order approved for this item, as the cutting library takes it."""
    product = item.product
    return cutting.Selection(
        regions=tuple(item.regions),
        offered=offered_regions(product),
        region_field=region_field(product),
        variables=tuple(item.variables) if product.kind == ProductKind.MICRODATA else None,
    )


def cut_files(store: BlobStore, item: OrderItem) -> list[cutting.Cut]:
    """The item's data files of its format, each cut to what was approved; raises
    :class:`cutting.CutError` unless together they hold every approved region and
    variable and nothing else."""
    selection = selection_for(item)
    files = [
        pf
        for pf in item.product.files
        if item.file_format is None or cutting.format_of(pf.filename) == item.file_format
    ]
    if not files:
        raise cutting.CutError("no_files", format=item.file_format or "-")
    cuts = []
    for pf in files:
        with store.open(pf.blob_key) as fh:
            data = fh.read()
        result = cutting.cut(pf.filename, data, selection)
        if result is not None:
            cuts.append(result)
    cutting.check_complete(cuts, selection)
    return cuts


def build_package(
    session: Session, store: BlobStore, order: Order, item: OrderItem, *, settings: Settings
) -> str:
    """Assemble the item's package (deterministic zip), store it, note its key. Raises
    :class:`cutting.CutError` (and stores nothing) when the data cannot be cut exactly."""
    from store.requirements import current_agreement

    cuts = cut_files(store, item)
    folder = package_name(order, item)[:-4]
    with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as out:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for result in cuts:
                _write(zf, f"{folder}/data/{result.filename}", result.data)
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
            _write(zf, f"{folder}/README.txt", readme(order, item, settings, cuts).encode())
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


def readme(
    order: Order, item: OrderItem, settings: Settings, cuts: list[cutting.Cut] | None = None
) -> str:
    """The package's README: the product, then each data file with exactly the variables
    (or map attributes) and regions it holds, the citation and the terms."""
    product = item.product
    year = (order.paid_at or order.created_at).year
    # Typed values on one line each, and every line wrapped at 78 characters at the end:
    # a title of 300 characters or a line break in a name keeps the file readable.
    title, office = one_line(product.title), one_line(settings.office_name)
    user = f"{one_line(order.user.full_name)} <{one_line(order.user.email)}>"
    lines = [
        title,
        "=" * min(78, len(title)),
        "",
        f"Pesanan: {order.code}    Pengguna: {user}",
        f"Diterbitkan oleh: {office}",
    ]
    if product.kind == ProductKind.MICRODATA:
        lines += [
            f"Survei: {product.survey or '-'}    Periode: {product.period or '-'}",
            f"Cakupan: {product.coverage or '-'}",
        ]
    else:
        lines += [
            f"Tingkat wilayah: {product.area_level or '-'}    Kode: {product.area_code or '-'}",
            f"Tahun: {product.year or '-'}",
        ]
    lines += [
        "",
        "Wilayah yang disetujui: " + ", ".join(_region(c) for c in item.regions),
        f"Format: {cutting.FORMAT_LABELS.get(item.file_format or '', item.file_format or '-')}",
        "",
        "Berkas data (dipotong sesuai pesanan yang disetujui; tidak ada data lain):",
    ]
    labels = {v.name: v.label for v in product.variables}
    for result in cuts or []:
        unit = "baris" if product.kind == ProductKind.MICRODATA else "fitur"
        lines += [
            "",
            f"  data/{result.filename}  ({cutting.FORMAT_LABELS[result.fmt]}, "
            f"{result.records} {unit})",
        ]
        if product.kind == ProductKind.MICRODATA:
            lines.append("    Variabel:")
            lines += [
                f"      {name:<16} {one_line(labels.get(name, ''))}".rstrip()
                for name in result.variables
            ]
        else:
            lines.append("    Atribut: " + ", ".join(result.variables))
        lines.append("    Wilayah: " + ", ".join(_region(c) for c in result.regions))
    lines += [
        "",
        "Sitasi:",
        f"  Badan Pusat Statistik ({year}). {title}. {office}.",
        "",
        "Ketentuan: data hanya untuk penggunaan sebagaimana tercantum dalam abstraksi dan",
        "SPPD terlampir; dilarang digandakan atau diberikan kepada pihak lain; hasil",
        "penelitian diserahkan kepada BPS. Lihat LISENSI.txt.",
        "",
    ]
    return wrap_lines("\n".join(lines))


def _region(code: str) -> str:
    return f"{code} {region_list.name(code)}"


def licence(order: Order, settings: Settings) -> str:
    return wrap_lines(
        "LISENSI PENGGUNAAN DATA\n\n"
        f"Data dalam paket ini milik Badan Pusat Statistik dan dilisensikan kepada "
        f"{one_line(order.user.full_name)} untuk pesanan {order.code} saja, sesuai Surat "
        "Perjanjian "
        "Penggunaan Data (SPPD) yang telah disetujui dan ditandatangani.\n\n"
        "1. Lisensi bersifat pribadi, tidak dapat dialihkan, dan nonkomersial kecuali "
        "disetujui tertulis oleh Kepala BPS Provinsi.\n"
        "2. Dilarang menggandakan, membagikan, atau menjual data kepada pihak lain.\n"
        "3. Dilarang berusaha mengidentifikasi responden.\n"
        "4. Setiap publikasi wajib menyebut BPS sebagai sumber data.\n"
        f"5. Pelanggaran dilaporkan kepada {one_line(settings.office_name)} dan dapat dikenai "
        "sanksi "
        "sesuai Undang-Undang Nomor 16 Tahun 1997 tentang Statistik.\n"
    )


@transactional
def take_package(
    session: Session, order: Order, item_id: int, *, now: datetime, ip: str | None = None
) -> tuple[str, str]:
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
        ip=ip,
    )
    key, name = item.package_key, item.package_name or package_name(order, item)
    return key, name

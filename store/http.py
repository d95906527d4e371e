"""HTTP pieces shared by the store's pages and API: settings, clock, providers, and the
responses of documents, uploaded files and downloads (with their access checks)."""

from __future__ import annotations

from datetime import datetime

from flask import Response, current_app, request, send_file
from flask_babel import lazy_gettext as _l

from app import clock
from app.accounts.models import Role, User
from app.blobs import current_store
from app.extensions import db
from storage.disposition import content_disposition
from store import documents
from store.errors import FileNotFound, NotAllowed, NotReady, WrongState
from store.fulfilment import PAID_STATES, take_package
from store.models import Order, OrderStatus, ProductKind
from store.orders import Settings, get_item, settings_from
from store.payments import Provider
from store.payments.manual import ManualProvider
from store.payments.stripe_provider import StripeGateway, StripeProvider
from store.requirements import current_agreement


def settings() -> Settings:
    return settings_from(current_app.config)


def now() -> datetime:
    """The one clock (``CLOCK`` in tests), read here and passed to services."""
    return clock.now()


def ip() -> str | None:
    """The client's address, recorded in the order's history; services take it as an
    argument instead of reading the request."""
    return request.remote_addr


def max_upload() -> int:
    return int(current_app.config["STORE_MAX_UPLOAD_BYTES"])


def stripe_gateway() -> StripeGateway | None:
    key = current_app.config.get("STORE_STRIPE_SECRET_KEY")
    if not key:
        return None
    return StripeGateway(key, api_base=current_app.config.get("STORE_STRIPE_API_BASE") or None)


def provider(name: str) -> Provider:
    if name == "manual":
        return ManualProvider(settings().bank_details)
    if name == "stripe":
        gateway = stripe_gateway()
        if gateway is None:
            raise WrongState(_l("Card payment is not available."))
        return StripeProvider(gateway)
    raise WrongState()


def is_officer(user: User) -> bool:
    return user.has_role(Role.OFFICER)


def document_response(order: Order, kind: str) -> Response:
    """The invoice (once numbered), receipt (once paid) or SPPD (gated orders) as PDF."""
    cfg = settings()
    if kind == "invoice" and order.invoice_no:
        data = documents.invoice_pdf(order, office=cfg.office_name, bank_details=cfg.bank_details)
        name = f"tagihan-{order.code}.pdf"
    elif (
        kind == "receipt"
        and order.receipt_no
        and order.status in (*PAID_STATES, OrderStatus.REFUNDED)
    ):
        data = documents.receipt_pdf(order, office=cfg.office_name)
        name = f"kuitansi-{order.code}.pdf"
    elif kind == "sppd" and order.gated:
        agreement = (
            order.acceptance.agreement if order.acceptance else current_agreement(db.session())
        )
        data = documents.sppd_pdf(order, agreement, office=cfg.office_name)
        name = f"SPPD-{order.code}.pdf"
    else:
        raise FileNotFound()
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def file_response(order: Order, what: str) -> Response:
    """An uploaded file of the order: ``evidence``, ``scan``, ``abstract`` (a paper
    abstract scanned at the desk) or ``proof-<payment id>``."""
    key = ctype = name = None
    if what == "evidence" and order.zero_rate_evidence_key:
        key, ctype, name = order.zero_rate_evidence_key, None, f"bukti-rp0-{order.code}"
    elif what == "scan" and order.acceptance is not None and order.acceptance.scan_key:
        a = order.acceptance
        key, ctype, name = a.scan_key, a.scan_content_type, a.scan_name
    elif what == "abstract" and order.abstract is not None and order.abstract.scan_key:
        ab = order.abstract
        key, ctype, name = ab.scan_key, ab.scan_content_type, ab.scan_name
    elif what.startswith("proof-"):
        for payment in order.payments:
            if f"proof-{payment.id}" == what and payment.proof_key:
                key, ctype, name = payment.proof_key, payment.proof_content_type, payment.proof_name
    if key is None:
        raise FileNotFound()
    response: Response = send_file(
        current_store().open(key),
        mimetype=ctype or "application/octet-stream",
        as_attachment=True,
        download_name=name or "berkas",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def item_download(order: Order, item_id: int, user: User, *, channel: str) -> Response:
    """A purchased item for its buyer: a stamped PDF or the package (counted)."""
    from library.http import send_download

    if order.user_id != user.id:
        raise NotAllowed(_l("Only the buyer downloads the purchased data."))
    item = get_item(order, item_id)
    if order.status not in PAID_STATES or item.fulfilled_at is None:
        raise NotReady()
    kind = item.product.kind
    if kind == ProductKind.DIGITAL and item.product.publication is not None:
        office = f"{current_app.config['OFFICE_NAME']} · Pesanan {order.code}"
        return send_download(user, item.product.publication, channel=channel, office=office)
    if kind in (ProductKind.MICRODATA, ProductKind.MAP):
        key, name = take_package(db.session(), order, item.id, now=now(), ip=ip())
        response: Response = send_file(
            current_store().open(key),
            mimetype="application/zip",
            as_attachment=True,
            download_name=name,
        )
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
    raise NotReady()

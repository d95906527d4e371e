"""The store's JSON API: products, orders with their requirements and payments, the
officer's review and confirmation, Stripe's webhook, and downloads of purchased items."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, request, url_for
from werkzeug.exceptions import Forbidden, NotFound

from app.api.auth import SECURITY, api_user, token_required
from app.api.multipart import Blueprint
from app.blobs import current_store
from app.extensions import db, limiter
from store import http as h
from store import orders, products, requirements, walkin
from store.models import ProductKind
from store.payments import manual, references
from store.payments.webhooks import handle as handle_webhook

blp = Blueprint("store_api", __name__, description="Store: sales of statistical products")


def _officer() -> Any:
    user = api_user()
    if not h.is_officer(user):
        raise Forbidden()
    return user


def _order(code: str) -> Any:
    return orders.get_order(db.session(), code, user=api_user(), now=h.now())


def _own(order: Any) -> None:
    if order.user_id != api_user().id:
        raise Forbidden()


# --- schemas ---------------------------------------------------------------------------


class VariableSchema(ma.Schema):
    name = ma.fields.String()
    label = ma.fields.String()


class ProductSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.Function(lambda p: p.kind.value)
    title = ma.fields.String()
    description = ma.fields.String()
    price = ma.fields.Function(lambda p: p.tariff.amount, metadata={"description": "Whole Rupiah"})
    price_unit = ma.fields.Function(lambda p: p.tariff.unit.value)
    tariff_code = ma.fields.Function(lambda p: p.tariff.code)
    publication_id = ma.fields.Integer(allow_none=True)
    stock = ma.fields.Integer(allow_none=True)
    shipping_fee = ma.fields.Integer()
    survey = ma.fields.String(allow_none=True)
    period = ma.fields.String(allow_none=True)
    coverage = ma.fields.String(allow_none=True)
    formats = ma.fields.Function(lambda p: p.format_list)
    area_level = ma.fields.String(allow_none=True)
    area_code = ma.fields.String(allow_none=True)
    year = ma.fields.Integer(allow_none=True)
    requires_agreement = ma.fields.Boolean(attribute="gated")
    variables = ma.fields.List(ma.fields.Nested(VariableSchema))
    regions = ma.fields.Function(
        lambda p: [{"code": c, "name": n} for c, n in products.region_choices(p)] if p.gated else []
    )


class ProductListArgs(ma.Schema):
    kind = ma.fields.String(validate=ma.validate.OneOf([k.value for k in ProductKind]))
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(1, 10_000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(1, 100))


class ProductListSchema(ma.Schema):
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(ProductSchema))


class LineSchema(ma.Schema):
    product_id = ma.fields.Integer(required=True)
    quantity = ma.fields.Integer(load_default=1, validate=ma.validate.Range(1, 50))
    variables = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(max=64)), load_default=list
    )
    regions = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(max=8)), load_default=list
    )
    file_format = ma.fields.String(validate=ma.validate.Length(max=16))


class CreateOrderSchema(ma.Schema):
    items = ma.fields.List(
        ma.fields.Nested(LineSchema), required=True, validate=ma.validate.Length(min=1, max=20)
    )
    shipping_address = ma.fields.String(validate=ma.validate.Length(max=1000))
    zero_rate_basis = ma.fields.String(validate=ma.validate.OneOf(list(orders.ZERO_RATE_BASES)))
    zero_rate_note = ma.fields.String(validate=ma.validate.Length(max=1000))


class ItemSchema(ma.Schema):
    id = ma.fields.Integer()
    product_id = ma.fields.Integer()
    title = ma.fields.Function(lambda i: i.product.title)
    kind = ma.fields.Function(lambda i: i.product.kind.value)
    quantity = ma.fields.Integer()
    amount = ma.fields.Integer()
    variables = ma.fields.List(ma.fields.String())
    regions = ma.fields.List(ma.fields.String())
    file_format = ma.fields.String(allow_none=True)
    fulfilled_at = ma.fields.AwareDateTime(allow_none=True)
    tracking_note = ma.fields.String(allow_none=True)
    downloads_used = ma.fields.Integer()
    downloads_max = ma.fields.Integer()
    download_until = ma.fields.AwareDateTime(allow_none=True)


class PaymentSchema(ma.Schema):
    id = ma.fields.Integer()
    provider = ma.fields.String()
    method = ma.fields.String(allow_none=True)
    status = ma.fields.Function(lambda p: p.status.value)
    amount = ma.fields.Integer()
    billing_code = ma.fields.String(allow_none=True)
    instructions = ma.fields.String(allow_none=True)
    reference = ma.fields.String(
        allow_none=True,
        metadata={"description": "NTPN (SIMPONI) or bank reference (transfer) of a payment"},
    )
    checkout_url = ma.fields.String(allow_none=True)
    confirmed_at = ma.fields.AwareDateTime(allow_none=True)


class EventSchema(ma.Schema):
    at = ma.fields.AwareDateTime()
    action = ma.fields.String()
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String(allow_none=True)
    actor_id = ma.fields.Integer(allow_none=True)


class OrderSchema(ma.Schema):
    code = ma.fields.String()
    status = ma.fields.Function(lambda o: o.status.value)
    subtotal = ma.fields.Integer()
    shipping_fee = ma.fields.Integer()
    total = ma.fields.Integer()
    zero_rate = ma.fields.Function(lambda o: o.zero_rate.value)
    review_note = ma.fields.String(allow_none=True)
    invoice_no = ma.fields.String(allow_none=True)
    receipt_no = ma.fields.String(allow_none=True)
    payment_due_at = ma.fields.AwareDateTime(allow_none=True)
    requires_agreement = ma.fields.Boolean(attribute="gated")
    missing = ma.fields.Method("get_missing")
    items = ma.fields.List(ma.fields.Nested(ItemSchema))
    payments = ma.fields.List(ma.fields.Nested(PaymentSchema))
    events = ma.fields.List(ma.fields.Nested(EventSchema))
    created_at = ma.fields.AwareDateTime()
    updated_at = ma.fields.AwareDateTime()

    def get_missing(self, order: Any) -> list[str]:
        if order.gated and order.status.value == "requirements":
            return requirements.missing(db.session(), order)
        return []


class AbstractSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    purpose = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5000))
    method = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5000))
    variables = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5000))
    regions = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    outputs = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5000))
    completion_date = ma.fields.Date(required=True)


class AgreementTextSchema(ma.Schema):
    version = ma.fields.Integer()
    title = ma.fields.String()
    body = ma.fields.String()
    sha256 = ma.fields.String()


class AcceptSchema(ma.Schema):
    text_sha256 = ma.fields.String(
        required=True,
        validate=ma.validate.Length(equal=64),
        metadata={"description": "SHA-256 of the current SPPD text (getAgreement)"},
    )
    signed_scan = ma.fields.Raw(
        metadata={"type": "string", "format": "binary", "description": "Signed SPPD scan"}
    )


class ReviewSchema(ma.Schema):
    decision = ma.fields.String(
        required=True, validate=ma.validate.OneOf(list(orders.Decision.ALL))
    )
    reason = ma.fields.String(validate=ma.validate.Length(max=2000))
    grant_zero_rate = ma.fields.Boolean(allow_none=True)


class PaymentArgs(ma.Schema):
    provider = ma.fields.String(required=True, validate=ma.validate.OneOf(["manual", "stripe"]))
    method = ma.fields.String(validate=ma.validate.OneOf(["simponi", "bank_transfer"]))


def _billing_code(value: str) -> None:
    error = references.billing_code_error(value)
    if error is not None:
        raise ma.ValidationError(str(error))


class BillingSchema(ma.Schema):
    billing_code = ma.fields.String(
        validate=_billing_code,
        metadata={"description": "SIMPONI billing code: 15 digits (SIMPONI payments only)"},
    )
    instructions = ma.fields.String(load_default="", validate=ma.validate.Length(max=4000))


class ConfirmSchema(ma.Schema):
    reference = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=60),
        metadata={
            "description": "The NTPN of a SIMPONI payment (16 letters and digits) or the "
            "bank's reference of a transfer"
        },
    )


class ProofSchema(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class ConfirmResult(ma.Schema):
    confirmed = ma.fields.Boolean(metadata={"description": "False: it was confirmed already"})
    order = ma.fields.Nested(OrderSchema)


class WebhookResult(ma.Schema):
    result = ma.fields.String()


# --- products --------------------------------------------------------------------------


@blp.route("/store/products")
@blp.doc(operationId="listProducts")
@blp.arguments(ProductListArgs, location="query")
@blp.response(200, ProductListSchema)
def list_products(args: dict[str, Any]) -> Any:
    """Products on sale, with their price from the tariff table (whole Rupiah)."""
    kind = ProductKind(args["kind"]) if args.get("kind") else None
    found = products.list_products(
        db.session(), now=h.now(), kind=kind, page=args["page"], per_page=args["per_page"]
    )
    return {"total": found.total, "page": found.page, "items": found.rows}


@blp.route("/store/products/<int:product_id>")
@blp.doc(operationId="getProduct")
@blp.response(200, ProductSchema)
@blp.alt_response(404, description="No such product")
def get_product(product_id: int) -> Any:
    """One product with its variables and the regions on offer."""
    return products.get_product(db.session(), product_id, now=h.now())


@blp.route("/store/agreement")
@blp.doc(operationId="getAgreement")
@blp.response(200, AgreementTextSchema)
def get_agreement() -> Any:
    """The current data-use agreement (SPPD) text and its SHA-256."""
    # The built-in first version, when none was published, commits by itself.
    return requirements.current_agreement(db.session())


# --- orders ----------------------------------------------------------------------------


@blp.route("/store/orders", methods=["POST"])
@blp.doc(operationId="createOrder", security=SECURITY)
@blp.arguments(CreateOrderSchema)
@blp.response(201, OrderSchema)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(409, description="Out of stock")
@blp.alt_response(422, description="Invalid choice of variables, regions or format")
@token_required
def create_order(data: dict[str, Any]) -> Any:
    """Order products and check out: microdata and maps then need the abstract and the
    SPPD, a Rp0 claim needs an officer's review, publications await payment."""
    order = orders.create_order(
        db.session(),
        api_user(),
        data["items"],
        settings=h.settings(),
        shipping_address=data.get("shipping_address"),
        zero_rate_basis=data.get("zero_rate_basis"),
        zero_rate_note=data.get("zero_rate_note"),
        now=h.now(),
        ip=h.ip(),
    )
    return order, 201, {"Location": url_for("store_api.get_order", code=order.code)}


class CreateWalkInOrderSchema(ma.Schema):
    visitor_id = ma.fields.Integer(
        required=True, metadata={"description": "The visitor's account (user id)"}
    )
    ticket_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "The desk's queue ticket being served"}
    )
    items = ma.fields.List(
        ma.fields.Nested(LineSchema), required=True, validate=ma.validate.Length(min=1, max=20)
    )


@blp.route("/store/walk-in-orders", methods=["POST"])
@blp.doc(operationId="createWalkInOrder", security=SECURITY)
@blp.arguments(CreateWalkInOrderSchema)
@blp.response(201, OrderSchema)
@blp.alt_response(401, description="Missing or invalid token")
@blp.alt_response(403, description="Not an officer")
@blp.alt_response(409, description="Out of stock")
@blp.alt_response(422, description="Unknown visitor or ticket, invalid choice")
@token_required
def create_walk_in_order(data: dict[str, Any]) -> Any:
    """An officer's sale to a walk-in visitor at the desk, placed at once: printed copies
    are taken from stock (handed over at the desk, no shipping), microdata and maps then
    need the abstract and the signed SPPD, publications await payment."""
    officer = _officer()
    order = walkin.create_sale(
        db.session(),
        visitor_id=data["visitor_id"],
        officer=officer,
        lines=data["items"],
        ticket_id=data.get("ticket_id"),
        settings=h.settings(),
        now=h.now(),
        ip=h.ip(),
    )
    return order, 201, {"Location": url_for("store_api.get_order", code=order.code)}


@blp.route("/store/orders/<code>")
@blp.doc(operationId="getOrder", security=SECURITY)
@blp.response(200, OrderSchema)
@blp.alt_response(404, description="No such order (or not yours)")
@token_required
def get_order(code: str) -> Any:
    """One of your orders (officers: any order)."""
    return _order(code)


@blp.route("/store/orders/<code>/abstract", methods=["POST"])
@blp.doc(operationId="submitOrderAbstract", security=SECURITY)
@blp.arguments(AbstractSchema)
@blp.response(200, OrderSchema)
@blp.alt_response(404, description="No such order (or not yours)")
@blp.alt_response(409, description="The order does not ask for requirements now")
@token_required
def submit_order_abstract(data: dict[str, Any], code: str) -> Any:
    """Give or revise the abstract of use."""
    order = _order(code)
    _own(order)
    return requirements.submit_abstract(
        db.session(), order, data, actor_id=api_user().id, now=h.now(), ip=h.ip()
    )


@blp.route("/store/orders/<code>/agreement", methods=["POST"])
@blp.doc(operationId="acceptOrderAgreement", security=SECURITY)
@blp.arguments(AcceptSchema, location="multipart")
@blp.response(200, OrderSchema)
@blp.alt_response(404, description="No such order (or not yours)")
@blp.alt_response(409, description="The text changed, or the order is not at this step")
@blp.alt_response(422, description="The scan is not a PDF, JPEG or PNG")
@token_required
def accept_order_agreement(form: dict[str, Any], code: str) -> Any:
    """Accept the current SPPD text (by its SHA-256) and, optionally, upload the signed scan
    in the same request. With the abstract given, the order goes to review."""
    order = _order(code)
    _own(order)
    user = api_user()
    requirements.accept_agreement(
        db.session(),
        order,
        actor_id=user.id,
        text_sha256=form["text_sha256"],
        ip=h.ip(),
        user_agent=request.user_agent.string,
        now=h.now(),
    )
    scan = form.get("signed_scan")
    if scan is not None and getattr(scan, "stream", None) is not None:
        order = requirements.upload_scan(
            db.session(),
            current_store(),
            order,
            scan.stream,
            actor_id=user.id,
            max_bytes=h.max_upload(),
            now=h.now(),
            ip=h.ip(),
        )
    return _order(code)


@blp.route("/store/orders/<code>/review", methods=["POST"])
@blp.doc(operationId="reviewOrder", security=SECURITY)
@blp.arguments(ReviewSchema)
@blp.response(200, OrderSchema)
@blp.alt_response(403, description="Not an officer, or the officer's own order")
@blp.alt_response(409, description="The order is not under review")
@blp.alt_response(422, description="A reason is needed")
@token_required
def review_order(data: dict[str, Any], code: str) -> Any:
    """Officer: approve, reject with a reason, or ask for a revision."""
    officer = _officer()
    return orders.review(
        db.session(),
        _order(code),
        data["decision"],
        actor=officer,
        settings=h.settings(),
        reason=data.get("reason"),
        grant_zero_rate=data.get("grant_zero_rate"),
        now=h.now(),
        ip=h.ip(),
    )


@blp.route("/store/orders/<code>/payments", methods=["POST"])
@blp.doc(operationId="createOrderPayment", security=SECURITY)
@blp.arguments(PaymentArgs)
@blp.response(201, PaymentSchema)
@blp.alt_response(404, description="No such order (or not yours)")
@blp.alt_response(409, description="The order is not awaiting payment (not approved yet...)")
@token_required
def create_order_payment(data: dict[str, Any], code: str) -> Any:
    """Start paying: manual (SIMPONI or bank transfer; an officer sends the details) or
    Stripe Checkout (``checkout_url`` to open), when configured."""
    order = _order(code)
    _own(order)
    urls = {
        "success": url_for("store.stripe_return", code=code, _external=True),
        "cancel": url_for("store.order", code=code, _external=True),
    }
    started = h.provider(data["provider"]).start(
        db.session(), order, method=data.get("method"), now=h.now(), urls=urls
    )
    return started.payment, 201


@blp.route("/store/orders/<code>/payments/<int:payment_id>/billing", methods=["POST"])
@blp.doc(operationId="issueOrderBilling", security=SECURITY)
@blp.arguments(BillingSchema)
@blp.response(200, PaymentSchema)
@blp.alt_response(403, description="Not an officer, or the officer's own order")
@blp.alt_response(422, description="The billing code is not 15 digits")
@token_required
def issue_order_billing(data: dict[str, Any], code: str, payment_id: int) -> Any:
    """Officer: send the SIMPONI billing code or the bank-transfer details."""
    officer = _officer()
    return manual.issue_billing(
        db.session(),
        _order(code),
        payment_id,
        billing_code=data.get("billing_code"),
        instructions=data.get("instructions") or "",
        actor_id=officer.id,
        now=h.now(),
        ip=h.ip(),
    )


@blp.route("/store/orders/<code>/payments/<int:payment_id>/proof", methods=["POST"])
@blp.doc(operationId="uploadOrderPaymentProof", security=SECURITY)
@blp.arguments(ProofSchema, location="multipart")
@blp.response(200, PaymentSchema)
@blp.alt_response(422, description="Not a PDF, JPEG or PNG")
@token_required
def upload_order_payment_proof(form: dict[str, Any], code: str, payment_id: int) -> Any:
    """Upload the proof of a manual payment."""
    order = _order(code)
    _own(order)
    return manual.upload_proof(
        db.session(),
        current_store(),
        order,
        payment_id,
        form["file"].stream,
        actor_id=api_user().id,
        max_bytes=h.max_upload(),
        now=h.now(),
        ip=h.ip(),
    )


@blp.route("/store/orders/<code>/payments/<int:payment_id>/confirm", methods=["POST"])
@blp.doc(operationId="confirmOrderPayment", security=SECURITY)
@blp.arguments(ConfirmSchema)
@blp.response(200, ConfirmResult)
@blp.alt_response(403, description="Not an officer, or the officer's own order")
@blp.alt_response(409, description="Nothing to confirm yet")
@blp.alt_response(422, description="The NTPN or bank reference is missing or malformed")
@token_required
def confirm_order_payment(data: dict[str, Any], code: str, payment_id: int) -> Any:
    """Officer: confirm a manual payment with its NTPN (SIMPONI) or bank reference
    (transfer); the order is paid and delivered. Repeating it changes nothing
    (``confirmed: false``)."""
    officer = _officer()
    done = manual.confirm(
        db.session(),
        _order(code),
        payment_id,
        reference=data["reference"],
        actor_id=officer.id,
        now=h.now(),
        settings=h.settings(),
        ip=h.ip(),
    )
    return {"confirmed": done, "order": _order(code)}


@blp.route("/store/stripe/webhook", methods=["POST"])
@blp.doc(
    operationId="stripeWebhook",
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
        "description": "A Stripe event, signed in the Stripe-Signature header",
    },
)
@blp.response(200, WebhookResult)
@blp.alt_response(400, description="Bad signature, or too old (300 s tolerance)")
@limiter.limit(lambda: current_app.config["STORE_WEBHOOK_RATE_LIMIT"])
def stripe_webhook() -> Any:
    """Stripe's events about Checkout Sessions and refunds (each event id is processed
    once; the session's state is read from Stripe)."""
    secret = current_app.config.get("STORE_STRIPE_WEBHOOK_SECRET")
    gateway = h.stripe_gateway()
    if not secret or gateway is None:
        raise NotFound()
    result = handle_webhook(
        db.session(),
        gateway,
        request.get_data(cache=False),
        request.headers.get("Stripe-Signature"),
        secret=secret,
        now=h.now(),
        settings=h.settings(),
    )
    return {"result": result}


_FILE = {
    "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        "application/zip": {"schema": {"type": "string", "format": "binary"}},
    }
}


@blp.route("/store/orders/<code>/items/<int:item_id>/download")
@blp.doc(
    operationId="downloadOrderItem",
    security=SECURITY,
    responses={
        "200": {
            "description": "A digital publication stamped with the buyer's name and the "
            "order code (PDF), or the package of a microdata set or map (zip; counted)",
            **_FILE,
        }
    },
)
@blp.alt_response(403, description="Downloads used up or expired")
@blp.alt_response(404, description="No such order or item (or not yours)")
@blp.alt_response(409, description="Not paid or not delivered yet")
@token_required
def download_order_item(code: str, item_id: int) -> Any:
    """Download a purchased item."""
    order = _order(code)
    return h.item_download(order, item_id, api_user(), channel="api")

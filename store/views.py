"""Store pages: products, cart and checkout, the buyer's orders (requirements, payment,
documents, downloads), and the officers' back office (orders by state, review, payment
confirmation, shipping, refunds, reports, tariffs). Views parse, call a service, render;
services commit. A store error on a form becomes a message on the page it came from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from flask_login import login_required as _login_required
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from app import flashing, uow
from app.accounts.models import Role
from app.accounts.services.privacy import reveal_id_number
from app.auth import roles_required
from app.blobs import current_store
from app.extensions import db
from app.i18n import WIB
from app.idempotency import AlreadySubmitted
from app.pagination import page_number
from app.urls import external_url
from catalog.citations import publisher_from
from catalog.metadata import dataset_json_ld
from store import fulfilment, orders, products, reports, requirements, tariffs, worklist
from store import http as h
from store import regions as region_list
from store.errors import StoreError
from store.files import save_upload
from store.forms import (
    PAY_CHOICES,
    AbstractForm,
    ActionForm,
    AddToCartForm,
    AgreementForm,
    BillingForm,
    CheckoutForm,
    ConfirmForm,
    NoteForm,
    PayForm,
    ReviewForm,
    ShipForm,
    TariffForm,
    UploadForm,
)
from store.models import OrderStatus, PaymentStatus, ProductKind
from store.payments import manual
from store.payments.stripe_provider import refund_order, sync_session

_View = TypeVar("_View", bound=Callable[..., Any])
# Flask-Login's decorator is untyped; it returns the view it wraps, with its signature.
login_required: Callable[[_View], _View] = _login_required

bp = Blueprint(
    "store",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/store",
)


def _user() -> Any:
    return current_user._get_current_object()


def _order(code: str) -> Any:
    return orders.get_order(db.session(), code, user=_user(), now=h.now())


def _form_errors(form: Any) -> None:
    for name, errors in form.errors.items():
        label = form[name].label.text if name in form and name != "csrf_token" else ""
        message = " ".join(str(e) for e in errors)
        if name == "csrf_token":
            message = _("The form has expired. Please submit it again.")
        flash(f"{label}: {message}" if label else message, "error")


def guarded(back: Callable[..., str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Turn a store error (other than not found) into a message on the ``back`` page."""
    return flashing.guarded(back, StoreError)


def _order_page(code: str, **_: Any) -> str:
    return url_for("store.order", code=code)


def _staff_page(code: str, **_: Any) -> str:
    return url_for("store.staff_order", code=code)


# --- products --------------------------------------------------------------------------


@bp.get("/store")
def catalogue() -> Any:
    kind_arg = request.args.get("kind") or ""
    kind = ProductKind(kind_arg) if kind_arg in {k.value for k in ProductKind} else None
    page = page_number(request.args.get("page"))
    found = products.list_products(db.session(), now=h.now(), kind=kind, page=page)
    return render_template(
        "store/products.html", found=found, kind=kind, kind_labels=products.KIND_LABELS
    )


@bp.get("/store/products/<int:product_id>")
def product(product_id: int) -> Any:
    item = products.get_product(db.session(), product_id, now=h.now(), staff=_is_officer())
    form = AddToCartForm()
    return render_template(
        "store/product.html",
        product=item,
        form=form,
        regions=products.region_choices(item),
        kind_labels=products.KIND_LABELS,
        free_in_library=products.free_in_library(item),
        dataset_ld=_dataset_ld(item),
    )


def _dataset_ld(item: Any) -> dict[str, Any] | None:
    """schema.org ``Dataset`` of a microdata product, for search engines' data search."""
    if item.kind != ProductKind.MICRODATA:
        return None
    return dataset_json_ld(
        name=item.title,
        description_text=item.description,
        url=external_url("store.product", product_id=item.id),
        publisher=publisher_from(current_app.config),
        survey=item.survey,
        period=item.period,
        year=item.year,
        formats=item.format_list,
        variables=[v.label or v.name for v in item.variables],
    )


@bp.post("/store/products/<int:product_id>/cart")
@login_required
def add_to_cart(product_id: int) -> Any:
    form = AddToCartForm()
    back = url_for("store.product", product_id=product_id)
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(back)
    try:
        orders.add_to_cart(
            db.session(),
            _user(),
            product_id,
            quantity=form.quantity.data or 1,
            variables=form.variables.data or [],
            regions=form.regions.data or [],
            file_format=form.file_format.data or None,
            submission=form.submission_token,
            now=h.now(),
        )
    except AlreadySubmitted as exc:
        # Sent twice: the first post put it in the cart.
        flash(str(exc.message), "info")
        return redirect(url_for("store.cart"))
    except StoreError as exc:
        if exc.status == 404:
            raise
        uow.discard(db.session())
        flash(str(exc.message), "error")
        return redirect(back)
    flash(_("Added to your cart."), "success")
    return redirect(url_for("store.cart"))


# --- cart ------------------------------------------------------------------------------


@bp.get("/store/cart")
@login_required
def cart() -> Any:
    order = orders.cart(db.session(), _user())
    return render_template("store/cart.html", order=order, form=CheckoutForm(), action=ActionForm())


@bp.post("/store/cart/items/<int:item_id>/remove")
@login_required
@guarded(lambda **_: url_for("store.cart"))
def remove_item(item_id: int) -> Any:
    if not ActionForm().validate_on_submit():
        return redirect(url_for("store.cart"))
    orders.remove_item(db.session(), _user(), item_id)
    flash(_("Removed from your cart."), "success")
    return redirect(url_for("store.cart"))


@bp.post("/store/cart/checkout")
@login_required
@guarded(lambda **_: url_for("store.cart"))
def checkout() -> Any:
    form = CheckoutForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.cart"))
    order = orders.cart(db.session(), _user())
    if order is None:
        flash(_("The cart is empty."), "error")
        return redirect(url_for("store.cart"))
    basis = form.zero_rate_basis.data or None
    evidence_key = None
    if basis:
        upload = form.evidence.data
        if not upload or not getattr(upload, "filename", ""):
            flash(_("Attach the evidence for the Rp0 claim."), "error")
            return redirect(url_for("store.cart"))
        evidence_key = save_upload(
            db.session(), current_store(), upload.stream, max_bytes=h.max_upload()
        )[0]
    orders.claim_zero_rate(
        db.session(), order, basis=basis, note=form.zero_rate_note.data, evidence_key=evidence_key
    )
    order = orders.checkout(
        db.session(),
        order,
        actor=_user(),
        settings=h.settings(),
        shipping_address=form.shipping_address.data or None,
        now=h.now(),
        ip=h.ip(),
    )
    flash(_("Your order %(code)s is placed.", code=order.code), "success")
    return redirect(url_for("store.order", code=order.code))


# --- the buyer's orders ----------------------------------------------------------------


@bp.get("/store/orders")
@login_required
def my_orders() -> Any:
    page = page_number(request.args.get("page"))
    found = orders.list_orders(db.session(), user_id=_user().id, page=page)
    return render_template("store/orders.html", found=found)


@bp.get("/store/orders/<code>")
@login_required
def order(code: str) -> Any:
    item = _order(code)
    agreement = requirements.current_agreement(db.session()) if item.gated else None
    abstract_form = AbstractForm(obj=item.abstract)
    if item.abstract is None and request.method == "GET":
        abstract_form.variables.data = ", ".join(name for i in item.items for name in i.variables)
        abstract_form.regions.data = ", ".join(
            region_list.name(code) for i in item.items for code in i.regions
        )
    agreement_form = AgreementForm(text_sha256=agreement.sha256 if agreement else "")
    return render_template(
        "store/order.html",
        order=item,
        agreement=agreement,
        missing=requirements.missing(db.session(), item) if item.gated else [],
        abstract_form=abstract_form,
        agreement_form=agreement_form,
        upload_form=UploadForm(),
        pay_form=_pay_form(),
        action=ActionForm(),
        stripe_on=h.stripe_gateway() is not None,
        now=h.now(),
        bank_details=h.settings().bank_details.strip(),
    )


def _pay_form() -> PayForm:
    form = PayForm()
    if current_app.config.get("STORE_STRIPE_SECRET_KEY"):
        form.way.choices = [*PAY_CHOICES, SelectChoice("stripe", _("Card (Stripe Checkout)"))]
    return form


@bp.post("/store/orders/<code>/abstract")
@login_required
@guarded(_order_page)
def submit_abstract(code: str) -> Any:
    item = _order(code)
    form = AbstractForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.order", code=code) + "#abstract")
    _own(item)
    requirements.submit_abstract(
        db.session(), item, form.data, actor_id=_user().id, now=h.now(), ip=h.ip()
    )
    flash(_("The abstract is saved."), "success")
    return redirect(url_for("store.order", code=code))


@bp.post("/store/orders/<code>/agreement")
@login_required
@guarded(_order_page)
def accept_agreement(code: str) -> Any:
    item = _order(code)
    form = AgreementForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.order", code=code) + "#agreement")
    _own(item)
    requirements.accept_agreement(
        db.session(),
        item,
        actor_id=_user().id,
        text_sha256=form.text_sha256.data or "",
        ip=h.ip(),
        user_agent=request.user_agent.string,
        now=h.now(),
    )
    flash(_("You accepted the agreement. Print, sign and upload it."), "success")
    return redirect(url_for("store.order", code=code) + "#agreement")


@bp.post("/store/orders/<code>/scan")
@login_required
@guarded(_order_page)
def upload_scan(code: str) -> Any:
    item = _order(code)
    form = UploadForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.order", code=code) + "#agreement")
    _own(item)
    requirements.upload_scan(
        db.session(),
        current_store(),
        item,
        form.file.data.stream,
        actor_id=_user().id,
        max_bytes=h.max_upload(),
        now=h.now(),
        ip=h.ip(),
    )
    flash(_("The signed agreement is uploaded."), "success")
    return redirect(url_for("store.order", code=code))


@bp.post("/store/orders/<code>/pay")
@login_required
@guarded(_order_page)
def pay(code: str) -> Any:
    item = _order(code)
    form = _pay_form()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.order", code=code))
    _own(item)
    way = form.way.data or ""
    name, _sep, method = way.partition(":")
    urls = {
        "success": url_for("store.stripe_return", code=code, _external=True),
        "cancel": url_for("store.order", code=code, _external=True),
    }
    started = h.provider(name).start(
        db.session(), item, method=method or None, now=h.now(), urls=urls
    )
    if started.redirect_url:
        return redirect(started.redirect_url, 303)
    if started.payment.status == PaymentStatus.ISSUED:
        flash(_("The transfer details are below. Upload the proof once you have paid."), "success")
    else:
        flash(_("An officer will send the payment details shortly."), "success")
    return redirect(url_for("store.order", code=code) + "#payment")


@bp.get("/store/orders/<code>/stripe/return")
@login_required
@guarded(_order_page)
def stripe_return(code: str) -> Any:
    item = _order(code)
    gateway = h.stripe_gateway()
    session_id = (request.args.get("session_id") or "")[:255]
    if gateway is not None and any(p.external_id == session_id for p in item.payments):
        sync_session(db.session(), gateway, session_id, now=h.now(), settings=h.settings())
    return redirect(url_for("store.order", code=code))


@bp.post("/store/orders/<code>/payments/<int:payment_id>/proof")
@login_required
@guarded(_order_page)
def upload_proof(code: str, payment_id: int) -> Any:
    item = _order(code)
    form = UploadForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.order", code=code) + "#payment")
    _own(item)
    manual.upload_proof(
        db.session(),
        current_store(),
        item,
        payment_id,
        form.file.data.stream,
        actor_id=_user().id,
        max_bytes=h.max_upload(),
        now=h.now(),
        ip=h.ip(),
    )
    flash(_("Thank you. An officer will check the proof."), "success")
    return redirect(url_for("store.order", code=code) + "#payment")


@bp.post("/store/orders/<code>/cancel")
@login_required
@guarded(_order_page)
def cancel(code: str) -> Any:
    item = _order(code)
    if ActionForm().validate_on_submit():
        orders.cancel(db.session(), item, actor=_user(), now=h.now(), ip=h.ip())
        flash(_("The order is cancelled."), "success")
    return redirect(url_for("store.order", code=code))


@bp.get("/store/orders/<code>/documents/<kind>.pdf")
@login_required
def document(code: str, kind: str) -> Any:
    return h.document_response(_order(code), kind)


@bp.get("/store/orders/<code>/files/<what>")
@login_required
def order_file(code: str, what: str) -> Any:
    return h.file_response(_order(code), what)


@bp.post("/store/orders/<code>/items/<int:item_id>/download")
@login_required
def download(code: str, item_id: int) -> Any:
    item = _order(code)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("store.order", code=code))
    from library.errors import LibraryError

    try:
        return h.item_download(item, item_id, _user(), channel="web")
    except (StoreError, LibraryError) as exc:
        if exc.status == 404:
            raise
        uow.discard(db.session())
        flash(str(exc.message), "error")
        return redirect(url_for("store.order", code=code) + "#items")


def _own(order: Any) -> None:
    """Buyer actions are the buyer's own, even for an officer who can see the order."""
    from store.errors import NotAllowed

    if order.user_id != _user().id:
        raise NotAllowed()


def _is_officer() -> bool:
    return bool(current_user.is_authenticated and current_user.has_role(Role.OFFICER))


# --- officers --------------------------------------------------------------------------


@bp.get("/staff/store")
@roles_required(Role.OFFICER)
def staff_orders() -> Any:
    orders.expire_due(db.session(), now=h.now())
    # Opens on what waits for an officer, whichever state it is in.
    status_arg = request.args.get("status") or worklist.TODO
    todo = status_arg == worklist.TODO
    status = OrderStatus(status_arg) if status_arg in {s.value for s in OrderStatus} else None
    q = (request.args.get("q") or "").strip()[:40]
    page = page_number(request.args.get("page"))
    if todo:
        found = worklist.list_waiting(db.session(), q=q, page=page)
    else:
        found = orders.list_orders(db.session(), status=status, q=q, page=page)
    return render_template(
        "store/staff_orders.html",
        found=found,
        status=status,
        todo=todo,
        waiting_count=worklist.count_waiting(db.session()),
        waiting_reasons=worklist.reasons,
        reason_labels=worklist.REASON_LABELS,
        q=q,
        counts=orders.count_by_status(db.session()),
        states=[s for s in OrderStatus if s != OrderStatus.DRAFT],
    )


@bp.get("/staff/store/orders/<code>")
@roles_required(Role.OFFICER)
def staff_order(code: str) -> Any:
    return _staff_order_page(_order(code))


@bp.post("/staff/store/orders/<code>/id-number")
@roles_required(Role.OFFICER)
def reveal_buyer_id(code: str) -> Any:
    """The order page with the buyer's whole ID number: an explicit, audited request
    (the SPPD is checked against the identity card), answered on this response only."""
    item = _order(code)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("store.staff_order", code=code))
    whole = reveal_id_number(db.session(), item.user, actor=_user(), context={"order": item.code})
    return _staff_order_page(item, revealed_id=whole)


def _staff_order_page(item: Any, *, revealed_id: str | None = None) -> Any:
    review_form = ReviewForm()
    billing_forms = {}
    confirm_forms = {}
    for payment in item.payments:
        form = BillingForm(prefix=f"p{payment.id}")
        if payment.method == "bank_transfer" and not payment.instructions:
            form.instructions.data = current_app.config.get("STORE_BANK_DETAILS") or ""
        billing_forms[payment.id] = form
        confirm_forms[payment.id] = ConfirmForm(prefix=f"c{payment.id}", method=payment.method)
    return render_template(
        "store/staff_order.html",
        order=item,
        missing=requirements.missing(db.session(), item) if item.gated else [],
        mismatches=requirements.mismatches(item),
        comparison=requirements.compare_revisions(db.session(), item),
        abstract_labels={
            "title": _("Title"),
            "purpose": _("Purpose"),
            "method": _("Method"),
            "variables": _("Variables"),
            "regions": _("Regions"),
            "outputs": _("Outputs"),
            "completion_date": _("Completion"),
        },
        review_form=review_form,
        billing_forms=billing_forms,
        confirm_forms=confirm_forms,
        # Separation of duties: the services refuse an officer's steps on their own
        # order; the page says so instead of offering them.
        own_order=item.user_id == _user().id,
        note_form=NoteForm(),
        ship_form=ShipForm(),
        action=ActionForm(),
        PaymentStatus=PaymentStatus,
        package_problem=fulfilment.failed_package_reason(item),
        revealed_id=revealed_id,
    )


@bp.post("/staff/store/orders/<code>/review")
@roles_required(Role.OFFICER)
@guarded(_staff_page)
def review(code: str) -> Any:
    item = _order(code)
    form = ReviewForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.staff_order", code=code))
    grant = {"yes": True, "no": False}.get(form.grant_zero_rate.data or "")
    orders.review(
        db.session(),
        item,
        form.decision.data or "",
        actor=_user(),
        settings=h.settings(),
        reason=form.reason.data,
        grant_zero_rate=grant,
        now=h.now(),
        ip=h.ip(),
    )
    flash(_("The decision is recorded."), "success")
    return redirect(url_for("store.staff_order", code=code))


@bp.post("/staff/store/orders/<code>/payments/<int:payment_id>/billing")
@roles_required(Role.OFFICER)
@guarded(_staff_page)
def issue_billing(code: str, payment_id: int) -> Any:
    item = _order(code)
    form = BillingForm(prefix=f"p{payment_id}")
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.staff_order", code=code))
    manual.issue_billing(
        db.session(),
        item,
        payment_id,
        billing_code=form.billing_code.data,
        instructions=form.instructions.data or "",
        actor_id=_user().id,
        now=h.now(),
        ip=h.ip(),
    )
    flash(_("The payment details are sent to the buyer."), "success")
    return redirect(url_for("store.staff_order", code=code))


@bp.post("/staff/store/orders/<code>/payments/<int:payment_id>/confirm")
@roles_required(Role.OFFICER)
@guarded(_staff_page)
def confirm_payment(code: str, payment_id: int) -> Any:
    item = _order(code)
    payment = next((p for p in item.payments if p.id == payment_id), None)
    form = ConfirmForm(prefix=f"c{payment_id}", method=payment.method if payment else None)
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.staff_order", code=code) + f"#payment-{payment_id}")
    done = manual.confirm(
        db.session(),
        item,
        payment_id,
        reference=form.reference.data,
        actor_id=_user().id,
        now=h.now(),
        settings=h.settings(),
        ip=h.ip(),
    )
    flash(
        _("The payment is confirmed.") if done else _("This payment was confirmed already."),
        "success",
    )
    return redirect(url_for("store.staff_order", code=code))


@bp.post("/staff/store/orders/<code>/payments/<int:payment_id>/refuse")
@roles_required(Role.OFFICER)
@guarded(_staff_page)
def refuse_proof(code: str, payment_id: int) -> Any:
    item = _order(code)
    form = NoteForm()
    if form.validate_on_submit():
        manual.refuse_proof(
            db.session(),
            item,
            payment_id,
            reason=form.note.data or "",
            actor_id=_user().id,
            now=h.now(),
            ip=h.ip(),
        )
        flash(_("The buyer is asked for another proof."), "success")
    return redirect(url_for("store.staff_order", code=code))


@bp.post("/staff/store/orders/<code>/refund")
@roles_required(Role.OFFICER)
@guarded(_staff_page)
def refund(code: str) -> Any:
    item = _order(code)
    form = NoteForm()
    if form.validate_on_submit():
        confirmed = next((p for p in item.payments if p.status == PaymentStatus.CONFIRMED), None)
        provider = (
            h.provider(confirmed.provider) if confirmed and confirmed.provider == "stripe" else None
        )
        refund_order(
            db.session(),
            item,
            actor_id=_user().id,
            now=h.now(),
            note=form.note.data,
            provider=provider,
            ip=h.ip(),
        )
        flash(_("The order is refunded and its downloads are withdrawn."), "success")
    return redirect(url_for("store.staff_order", code=code))


@bp.post("/staff/store/orders/<code>/items/<int:item_id>/ship")
@roles_required(Role.OFFICER)
@guarded(_staff_page)
def ship(code: str, item_id: int) -> Any:
    item = _order(code)
    form = ShipForm()
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.staff_order", code=code))
    fulfilment.ship_item(
        db.session(),
        item,
        item_id,
        tracking=form.tracking.data or "",
        actor_id=_user().id,
        now=h.now(),
        ip=h.ip(),
    )
    flash(_("The item is marked shipped."), "success")
    return redirect(url_for("store.staff_order", code=code))


@bp.post("/staff/store/orders/<code>/packages")
@roles_required(Role.OFFICER)
@guarded(_staff_page)
def retry_packages(code: str) -> Any:
    item = _order(code)
    if ActionForm().validate_on_submit():
        done = fulfilment.retry_packages(
            db.session(), item, actor_id=_user().id, now=h.now(), settings=h.settings(), ip=h.ip()
        )
        if done:
            flash(_("The package is built and the buyer can download it."), "success")
        else:
            flash(_("The package still cannot be built; see the reason below."), "error")
    return redirect(url_for("store.staff_order", code=code))


def _year() -> int:
    today = h.now().astimezone(WIB).year
    year = request.args.get("year", today, type=int)
    return year if 2000 <= year <= 2200 else today


@bp.get("/staff/store/reports")
@roles_required(Role.OFFICER)
def staff_reports() -> Any:
    year = _year()
    months = reports.monthly(db.session(), year)
    per_product = reports.by_product(db.session(), year)
    month_names = [date(year, m, 1).strftime("%m") for m in range(1, 13)]
    revenue_chart = Markup(  # noqa: S704 - built from escaped parts
        reports.bar_chart(
            month_names,
            [m.revenue for m in months],
            title=_("Revenue per month, %(year)s", year=year),
            value_label="Rp",
        )
    )
    top = per_product[:8]
    product_chart = Markup(  # noqa: S704 - built from escaped parts
        reports.bar_chart(
            [str(i + 1) for i in range(len(top))],
            [r.revenue for r in top],
            title=_("Revenue by product, %(year)s", year=year),
            value_label="Rp",
        )
    )
    return render_template(
        "store/reports.html",
        year=year,
        months=months,
        per_product=per_product,
        revenue_chart=revenue_chart,
        product_chart=product_chart if top else None,
        kind_labels=products.KIND_LABELS,
        total=sum(m.revenue for m in months),
    )


@bp.get("/staff/store/reports.csv")
@roles_required(Role.OFFICER)
def staff_reports_csv() -> Any:
    year = _year()
    response = Response("\ufeff" + reports.orders_csv(db.session(), year), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="penjualan-{year}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/staff/store/tariffs")
@roles_required(Role.OFFICER)
def staff_tariffs() -> Any:
    rows = tariffs.list_tariffs(db.session())
    forms = {
        t.id: TariffForm(prefix=f"t{t.id}", amount=t.amount, regulation=t.regulation) for t in rows
    }
    return render_template("store/tariffs.html", rows=rows, forms=forms)


@bp.post("/staff/store/tariffs/<int:tariff_id>")
@roles_required(Role.OFFICER)
@guarded(lambda **_: url_for("store.staff_tariffs"))
def set_tariff(tariff_id: int) -> Any:
    form = TariffForm(prefix=f"t{tariff_id}")
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(url_for("store.staff_tariffs"))
    tariffs.set_amount(
        db.session(),
        tariff_id,
        int(form.amount.data or 0),
        actor_id=_user().id,
        regulation=form.regulation.data or None,
    )
    flash(_("The tariff is saved."), "success")
    return redirect(url_for("store.staff_tariffs"))

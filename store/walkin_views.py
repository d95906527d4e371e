"""Walk-in sale pages (officers): choose the visitor (or come from the desk console with
the number being served), add items of any kind, place the order, enter the paper
abstract and the signed SPPD, take the payment, print the documents.

The routes join the store's blueprint when this module is imported (by the wiring).
Views parse, call :mod:`store.walkin`, render; a store error on a form becomes a message
on the sale page, and a form with bad fields is shown again with its messages (422)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import uow
from app.accounts.models import Role, User
from app.auth import roles_required
from app.blobs import current_store
from app.events import look_up_ticket
from app.extensions import db
from app.flashing import flashed
from store import http as h
from store import orders, products, requirements, walkin
from store.errors import StoreError
from store.forms import ActionForm
from store.models import OrderStatus, Product
from store.views import _form_errors, _user, bp, guarded
from store.walkin_forms import (
    DeskPaymentForm,
    PaperRequirementsForm,
    PlaceSaleForm,
    StartSaleForm,
    WalkInItemForm,
)


def _sale_page(code: str, **_: Any) -> str:
    return url_for("store.walkin_sale", code=code)


def _ticket_arg() -> int | None:
    raw = (request.values.get("ticket") or request.values.get("ticket_id") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@bp.get("/staff/store/walk-in")
@roles_required(Role.OFFICER)
def walkin_start() -> Any:
    """Whom to sell to: the visitor of the desk number, or an account found by search."""
    ticket_id = _ticket_arg()
    ticket = visitor = None
    if ticket_id is not None:
        with flashed(StoreError):
            ticket = walkin.desk_ticket(db.session(), ticket_id)
        if ticket is not None and ticket.user_id is not None:
            visitor = db.session.get(User, ticket.user_id)
    q = (request.args.get("q") or "").strip()[:80]
    found = walkin.find_visitors(db.session(), q) if q else []
    return render_template(
        "store/walkin_start.html",
        ticket=ticket,
        visitor=visitor,
        q=q,
        found=found,
        form=StartSaleForm(),
        open_sales=walkin.open_sales(db.session(), _user().id),
    )


@bp.post("/staff/store/walk-in")
@roles_required(Role.OFFICER)
def walkin_open() -> Any:
    form = StartSaleForm()
    ticket_id = _ticket_arg()
    back = url_for("store.walkin_start", ticket=ticket_id) if ticket_id else None
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(back or url_for("store.walkin_start"))
    with flashed(StoreError) as outcome:
        order = walkin.start_sale(
            db.session(),
            visitor_id=int(form.visitor_id.data or 0),
            officer=_user(),
            ticket_id=ticket_id,
            now=h.now(),
            ip=h.ip(),
        )
    if outcome.failed:
        uow.discard(db.session())
        return redirect(back or url_for("store.walkin_start"))
    return redirect(url_for("store.walkin_sale", code=order.code))


def _sale_products() -> list[Product]:
    return list(
        db.session.scalars(
            select(Product).where(Product.active.is_(True)).order_by(Product.kind, Product.title)
        )
    )


def _render_sale(order: Any, *, status: int = 200, **forms: Any) -> Any:
    chosen = None
    product_arg = request.args.get("product", type=int)
    if product_arg and order.status == OrderStatus.DRAFT:
        try:
            chosen = products.get_product(db.session(), product_arg, now=h.now())
        except StoreError:
            chosen = None
    ticket = None
    if order.desk_ticket_id is not None:
        ticket = look_up_ticket(db.session(), order.desk_ticket_id)
    item_form = forms.get("item_form") or WalkInItemForm()
    req_form = forms.get("requirements_form") or PaperRequirementsForm()
    if "requirements_form" not in forms and order.abstract is None:
        req_form.variables.data = ", ".join(name for i in order.items for name in i.variables)
        req_form.regions.data = ", ".join(
            walkin_region_name(code) for i in order.items for code in i.regions
        )
    pay_form = forms.get("payment_form") or DeskPaymentForm()
    place_form = forms.get("place_form") or PlaceSaleForm()
    return render_template(
        "store/walkin_sale.html",
        order=order,
        ticket=ticket,
        products=_sale_products(),
        chosen=chosen,
        regions=products.region_choices(chosen) if chosen is not None else [],
        item_form=item_form,
        requirements_form=req_form,
        payment_form=pay_form,
        place_form=place_form,
        action=ActionForm(),
        missing=requirements.missing(db.session(), order) if order.gated else [],
        agreement=requirements.current_agreement(db.session()) if order.gated else None,
    ), status


def walkin_region_name(code: str) -> str:
    from store.regions import name

    return name(code)


@bp.get("/staff/store/walk-in/<code>")
@roles_required(Role.OFFICER)
def walkin_sale(code: str) -> Any:
    return _render_sale(walkin.get_sale(db.session(), code, officer=_user(), now=h.now()))


@bp.post("/staff/store/walk-in/<code>/items")
@roles_required(Role.OFFICER)
@guarded(_sale_page)
def walkin_add_item(code: str) -> Any:
    order = walkin.get_sale(db.session(), code, officer=_user(), now=h.now())
    form = WalkInItemForm()
    product_id = form.product_id.data if form.product_id.raw_data else None
    back = url_for("store.walkin_sale", code=code, product=product_id) + "#add-item"
    if not form.validate_on_submit():
        _form_errors(form)
        return redirect(back)
    with flashed(StoreError, keep_not_found=True) as outcome:
        walkin.add_item(
            db.session(),
            order,
            int(form.product_id.data),
            actor=_user(),
            now=h.now(),
            quantity=form.quantity.data or 1,
            variables=form.variables.data or [],
            regions=form.regions.data or [],
            file_format=form.file_format.data or None,
            ip=h.ip(),
        )
    if outcome.failed:
        # Back to the item being added (the guard's page would lose it).
        uow.discard(db.session())
        return redirect(back)
    flash(_("Added to the sale."), "success")
    return redirect(url_for("store.walkin_sale", code=code) + "#items")


@bp.post("/staff/store/walk-in/<code>/items/<int:item_id>/remove")
@roles_required(Role.OFFICER)
@guarded(_sale_page)
def walkin_remove_item(code: str, item_id: int) -> Any:
    order = walkin.get_sale(db.session(), code, officer=_user(), now=h.now())
    if ActionForm().validate_on_submit():
        walkin.remove_item(db.session(), order, item_id, actor=_user(), now=h.now(), ip=h.ip())
        flash(_("Removed from the sale."), "success")
    return redirect(url_for("store.walkin_sale", code=code) + "#items")


@bp.post("/staff/store/walk-in/<code>/place")
@roles_required(Role.OFFICER)
def walkin_place(code: str) -> Any:
    order = walkin.get_sale(db.session(), code, officer=_user(), now=h.now())
    form = PlaceSaleForm()
    if not form.validate_on_submit():
        return _render_sale(order, status=422, place_form=form)
    upload = form.evidence.data
    evidence = upload.stream if upload and getattr(upload, "filename", "") else None
    target = form.evidence if form.zero_rate_basis.data else form.zero_rate_basis
    with flashed(StoreError, field=target, keep_not_found=True) as outcome:
        order = walkin.place(
            db.session(),
            order,
            actor=_user(),
            settings=h.settings(),
            now=h.now(),
            store=current_store(),
            zero_rate_basis=form.zero_rate_basis.data or None,
            zero_rate_note=form.zero_rate_note.data,
            evidence=evidence,
            max_bytes=h.max_upload(),
            ip=h.ip(),
        )
    if outcome.failed:
        uow.discard(db.session())
        order = walkin.get_sale(db.session(), code, officer=_user(), now=h.now())
        return _render_sale(order, status=422, place_form=form)
    flash(_("The order %(code)s is placed.", code=order.code), "success")
    return redirect(url_for("store.walkin_sale", code=code))


@bp.post("/staff/store/walk-in/<code>/hand-over")
@roles_required(Role.OFFICER)
@guarded(_sale_page)
def walkin_hand_over(code: str) -> Any:
    order = walkin.get_sale(db.session(), code, officer=_user(), now=h.now())
    if ActionForm().validate_on_submit():
        walkin.hand_over(
            db.session(),
            order,
            actor=_user(),
            now=h.now(),
            note=_("Handed over at the desk"),
            ip=h.ip(),
        )
        flash(_("The printed copies are handed over."), "success")
    return redirect(url_for("store.walkin_sale", code=code))


@bp.post("/staff/store/walk-in/<code>/requirements")
@roles_required(Role.OFFICER)
def walkin_requirements(code: str) -> Any:
    order = walkin.get_sale(db.session(), code, officer=_user(), now=h.now())
    form = PaperRequirementsForm()
    if not form.validate_on_submit():
        return _render_sale(order, status=422, requirements_form=form)
    paper = form.paper_abstract.data
    with flashed(StoreError, field=form.signed_sppd, keep_not_found=True) as outcome:
        walkin.give_requirements(
            db.session(),
            current_store(),
            order,
            form.data,
            form.signed_sppd.data.stream,
            actor=_user(),
            max_bytes=h.max_upload(),
            now=h.now(),
            ip=h.ip(),
            paper_abstract=paper.stream if paper and getattr(paper, "filename", "") else None,
        )
    if outcome.failed:
        uow.discard(db.session())
        order = walkin.get_sale(db.session(), code, officer=_user(), now=h.now())
        return _render_sale(order, status=422, requirements_form=form)
    flash(_("The abstract and the signed SPPD are recorded; the order awaits review."), "success")
    return redirect(url_for("store.walkin_sale", code=code))


@bp.post("/staff/store/walk-in/<code>/payment")
@roles_required(Role.OFFICER)
def walkin_payment(code: str) -> Any:
    order = walkin.get_sale(db.session(), code, officer=_user(), now=h.now())
    form = DeskPaymentForm()
    if not form.validate_on_submit():
        return _render_sale(order, status=422, payment_form=form)
    target = form.billing_code if form.method.data == "simponi" else form.method
    with flashed(StoreError, field=target, keep_not_found=True) as outcome:
        payment = walkin.take_payment(
            db.session(),
            order,
            method=form.method.data or "",
            actor=_user(),
            settings=h.settings(),
            now=h.now(),
            billing_code=form.billing_code.data,
            instructions=form.instructions.data or "",
            handover_note=_("Handed over at the desk"),
            ip=h.ip(),
        )
    if outcome.failed:
        uow.discard(db.session())
        order = walkin.get_sale(db.session(), code, officer=_user(), now=h.now())
        return _render_sale(order, status=422, payment_form=form)
    if payment.method == "cash":
        flash(_("The cash payment is recorded. Print the receipt."), "success")
    else:
        flash(_("The payment details are issued to the visitor."), "success")
    return redirect(url_for("store.walkin_sale", code=code) + "#documents")


@bp.post("/staff/store/walk-in/<code>/cancel")
@roles_required(Role.OFFICER)
@guarded(_sale_page)
def walkin_cancel(code: str) -> Any:
    order = walkin.get_sale(db.session(), code, officer=_user(), now=h.now())
    if ActionForm().validate_on_submit():
        orders.cancel(db.session(), order, actor=_user(), now=h.now(), ip=h.ip())
        flash(_("The order is cancelled."), "success")
    return redirect(url_for("store.walkin_sale", code=code))

"""Plugs the store into an app: config defaults, pages, the publication panel, labels for
templates, upload limits, and the CLI."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l

from app.config import Setting, declare, set_defaults
from app.pagecache import watch_tables
from catalog.models import Publication
from catalog.panels import register_panel

SETTINGS = declare(
    Setting("STORE_PAYMENT_DAYS", int, 7, "Days an approved order waits for payment"),
    Setting(
        "STORE_PACKAGE_DOWNLOADS", int, 5, "How often a microdata or map package can be downloaded"
    ),
    Setting("STORE_PACKAGE_DAYS", int, 30, "For how many days a package can be downloaded"),
    Setting(
        "STORE_MAX_UPLOAD_BYTES",
        int,
        10 * 1024 * 1024,
        "Largest payment proof, Rp0 evidence or signed SPPD scan",
    ),
    Setting("STORE_BANK_DETAILS", str, "", "Transfer details offered for bank transfers"),
    Setting(
        "STORE_STRIPE_SECRET_KEY",
        str,
        None,
        "Stripe Checkout: offered only when the secret key is set",
        secret=True,
    ),
    Setting("STORE_STRIPE_WEBHOOK_SECRET", str, None, "Stripe webhook secret", secret=True),
    Setting("STORE_STRIPE_API_BASE", str, None, "Tests: a local stand-in of Stripe's API"),
    Setting("STORE_WEBHOOK_RATE_LIMIT", str, "120 per minute", "Stripe webhook calls allowed"),
)

ACTION_LABELS = {
    "created": _l("order created"),
    "checkout": _l("checked out"),
    "abstract_submitted": _l("abstract of use given"),
    "agreement_accepted": _l("data-use agreement accepted"),
    "scan_uploaded": _l("signed agreement uploaded"),
    "submitted": _l("sent for review"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
    "revision_asked": _l("revision asked"),
    "zero_rate_granted": _l("Rp0 granted"),
    "zero_rate_refused": _l("Rp0 refused"),
    "payment_requested": _l("payment asked for"),
    "billing_issued": _l("payment details issued"),
    "proof_uploaded": _l("proof of payment uploaded"),
    "proof_refused": _l("proof of payment refused"),
    "checkout_opened": _l("card payment opened"),
    "checkout_expired": _l("card payment expired"),
    "paid": _l("paid"),
    "fulfilled": _l("delivered"),
    "shipped": _l("shipped"),
    "package_downloaded": _l("package downloaded"),
    "package_failed": _l("package could not be built"),
    "item_added": _l("product added at the desk"),
    "item_removed": _l("product removed at the desk"),
    "agreement_signed": _l("data-use agreement signed on paper"),
    "cash_received": _l("cash received at the desk"),
    "cancelled": _l("cancelled"),
    "expired": _l("expired"),
    "refunded": _l("refunded"),
}
PAYMENT_LABELS = {
    "requested": _l("waiting for the officer's details"),
    "issued": _l("waiting for your payment"),
    "proof_uploaded": _l("proof received, being checked"),
    "confirmed": _l("confirmed"),
    "failed": _l("failed"),
    "refunded": _l("refunded"),
}
METHOD_LABELS = {
    "simponi": _l("SIMPONI billing code"),
    "bank_transfer": _l("Bank transfer"),
    "card": _l("Card (Stripe)"),
    "cash": _l("Cash at the desk"),
    None: _l("Rp0, no payment"),
}


def init_app(app: Flask) -> None:
    from app.accounts.retention import recorded_in, register_activity
    from app.accounts.rights import register_section
    from store.models import Order
    from store.personal_data import SECTION

    # What this feature holds about a person: in their download, and erased on request.
    register_section(app, SECTION)
    register_activity(app, recorded_in(Order.user_id, Order.updated_at))  # see retention
    from app.events import access_changing
    from app.security import allow_large_body
    from store import cli, models, views, walkin_views
    from store.cutting import FORMAT_LABELS
    from store.products import objection_to_access

    del models, walkin_views  # the tables, for the metadata; walk-in routes join the blueprint
    set_defaults(app, SETTINGS)
    # A publication sold as a paid digital product cannot become free to download.
    access_changing.connect(objection_to_access)
    app.register_blueprint(views.bp)
    # A data file's format as buyers know it ("SPSS (.sav)"), wherever an order shows it.
    app.jinja_env.filters["file_format"] = lambda code: FORMAT_LABELS.get(code or "", code)
    register_panel(app, _offers_panel, order=30)
    # The offers panel is on cached publication pages.
    watch_tables(("store_products", "store_tariffs", "store_variables", "store_product_files"))
    for endpoint in (
        "store.upload_scan",
        "store.upload_proof",
        "store.checkout",
        "store.walkin_requirements",
        "store.walkin_place",
        "store_api.accept_order_agreement",
        "store_api.upload_order_payment_proof",
    ):
        allow_large_body(app, endpoint, "STORE_MAX_UPLOAD_BYTES")
    cli.register(app)
    _links(app)
    _audit_labels()

    @app.context_processor
    def store_context() -> dict[str, Any]:
        from store import labels, orders, products, regions, requirements

        return {
            "store_status_label": orders.status_label,
            "store_kind_label": lambda kind: products.KIND_LABELS.get(kind, kind),
            "store_action_label": lambda action: ACTION_LABELS.get(action, action),
            "store_payment_label": lambda s: PAYMENT_LABELS.get(str(getattr(s, "value", s)), s),
            "store_method_label": lambda m: METHOD_LABELS.get(m, m),
            "store_missing_label": lambda m: requirements.MISSING_LABELS.get(m, m),
            "store_zero_label": lambda b: orders.ZERO_RATE_BASES.get(b or "", b),
            "store_zero_state_label": labels.zero_rate_label,
            "store_event_note": labels.event_note,
            "store_area_label": labels.area_level_label,
            "region_name": regions.name,
        }

    app.jinja_env.filters["region_name"] = _region_name


def _links(app: Flask) -> None:
    from app.accounts.models import Role
    from app.navigation import account_link, staff_link, ticket_link

    section = _l("Sales")
    staff_link(
        app,
        section,
        _l("Sales orders"),
        "store.staff_orders",
        Role.OFFICER,
        description=_l("Review abstracts and agreements, confirm payments, ship, refund."),
    )
    staff_link(
        app,
        section,
        _l("Walk-in sale"),
        "store.walkin_start",
        Role.OFFICER,
        description=_l("Sell to a visitor at the desk: any product, paper SPPD, cash."),
    )
    # On the desk console, while a sales number is served.
    ticket_link(app, "sales", _l("Sell to this visitor"), "store.walkin_start", Role.OFFICER)
    staff_link(app, section, _l("Sales reports"), "store.staff_reports", Role.OFFICER)
    staff_link(app, section, _l("Tariffs"), "store.staff_tariffs", Role.OFFICER)
    account_link(
        app,
        _l("My orders"),
        "store.my_orders",
        description=_l("Publications, microdata and maps you ordered, and their downloads."),
    )
    account_link(app, _l("Cart"), "store.cart")


def _region_name(code: str) -> str:
    from store.regions import name

    return name(code)


def _offers_panel(publication: Publication) -> str:
    from app.extensions import db
    from store.products import products_for_publication

    offers = products_for_publication(db.session(), publication.id)
    if not offers:
        return ""
    return render_template("store/_publication_panel.html", offers=offers)


def _audit_labels() -> None:
    """Name the store's audited steps for the admins' audit log."""
    from app.audit import label_actions
    from store.products import KIND_LABELS

    label_actions(
        {
            "store.billing_issued": _l("Billing code issued"),
            "store.payment_confirmed": _l("Payment confirmed"),
            "store.cash_received": _l("Cash payment received"),
            "store.review_approve": _l("Order approved"),
            "store.review_reject": _l("Order rejected"),
            "store.order_cancelled": _l("Order cancelled"),
            "store.order_refunded": _l("Order refunded"),
            "store.item_shipped": _l("Item sent"),
            "store.package_failed": _l("Package could not be made"),
            "store.packages_retried": _l("Packages made again"),
            "store.product_file_added": _l("Product file added"),
            "store.variables_imported": _l("Variables imported"),
            "store.tariff_changed": _l("Tariff changed"),
            "store.sppd_published": _l("Data use agreement published"),
            "store.walkin_started": _l("Walk-in sale started"),
            "store.walkin_item_added": _l("Item added to a walk-in sale"),
            "store.walkin_item_removed": _l("Item removed from a walk-in sale"),
            "store.walkin_requirements": _l("Walk-in buyer's documents recorded"),
            "store.walkin_placed": _l("Walk-in sale placed"),
        },
        values={"kind": {str(getattr(k, "value", k)): v for k, v in KIND_LABELS.items()}},
    )

"""Store tables: products and their tariffs, orders with their items and state log, the
abstract of use, SPPD texts and acceptances, payments, Stripe events and document counters.

Money is whole Rupiah (``Integer``); every table is prefixed ``store_``.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, UTCDateTime, str_enum, utcnow
from catalog.models import Publication


class ProductKind(enum.StrEnum):
    PRINTED = "printed"  # a printed publication: stock and shipping
    DIGITAL = "digital"  # a digital publication of the catalogue: stamped download
    MICRODATA = "microdata"  # a microdata set: variables and regions, abstract and SPPD
    MAP = "map"  # a digital map of statistical working areas (wilkerstat): idem


#: Kinds behind the requirements gate (abstract of use and SPPD, officer review).
GATED_KINDS = frozenset({ProductKind.MICRODATA, ProductKind.MAP})
#: Kinds delivered as a package of files.
PACKAGE_KINDS = GATED_KINDS


class TariffUnit(enum.StrEnum):
    ITEM = "item"  # per copy or per set
    REGION = "region"  # per region chosen (microdata per regency, maps per area)


class Tariff(Base):
    """One line of the tariff table (the regulation's amounts are data, not code)."""

    __tablename__ = "store_tariffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    unit: Mapped[TariffUnit] = mapped_column(
        str_enum(TariffUnit, "store_tariff_unit"), default=TariffUnit.ITEM
    )
    amount: Mapped[int] = mapped_column(Integer)  # whole Rupiah
    regulation: Mapped[str] = mapped_column(String(120), default="PP 13/2024")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Product(Base):
    __tablename__ = "store_products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[ProductKind] = mapped_column(str_enum(ProductKind, "store_product_kind"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    tariff_id: Mapped[int] = mapped_column(ForeignKey("store_tariffs.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # publications (printed and digital)
    publication_id: Mapped[int | None] = mapped_column(
        ForeignKey("publications.id", ondelete="SET NULL"), index=True
    )
    stock: Mapped[int | None] = mapped_column(Integer)  # printed copies for sale
    shipping_fee: Mapped[int] = mapped_column(Integer, default=0)  # per order, printed only
    # microdata
    survey: Mapped[str | None] = mapped_column(String(40))  # SUSENAS, SAKERNAS, ...
    period: Mapped[str | None] = mapped_column(String(40))  # "Maret 2024"
    coverage: Mapped[str | None] = mapped_column(String(16))  # province | regency
    formats: Mapped[str] = mapped_column(String(120), default="")  # "csv,dta,sav"
    region_variable: Mapped[str | None] = mapped_column(String(40))  # column holding the regency
    # wilkerstat maps
    area_level: Mapped[str | None] = mapped_column(String(16))  # province | regency | district
    area_code: Mapped[str | None] = mapped_column(String(16))
    year: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    tariff: Mapped[Tariff] = relationship(lazy="joined")
    publication: Mapped[Publication | None] = relationship()
    variables: Mapped[list[Variable]] = relationship(
        back_populates="product", order_by="Variable.position", cascade="all, delete-orphan"
    )
    files: Mapped[list[ProductFile]] = relationship(
        back_populates="product", order_by="ProductFile.id", cascade="all, delete-orphan"
    )

    @property
    def gated(self) -> bool:
        return self.kind in GATED_KINDS

    @property
    def format_list(self) -> list[str]:
        return [f for f in self.formats.split(",") if f]


class Variable(Base):
    """One variable of a microdata set, with its label (importable from DDI-Codebook)."""

    __tablename__ = "store_variables"
    __table_args__ = (UniqueConstraint("product_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("store_products.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(back_populates="variables")


class ProductFile(Base):
    """A data file of a microdata set or map, packaged on fulfilment."""

    __tablename__ = "store_product_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("store_products.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    blob_key: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(120), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(back_populates="files")


class OrderStatus(enum.StrEnum):
    DRAFT = "draft"  # the cart
    REQUIREMENTS = "requirements"  # abstract and SPPD to give
    UNDER_REVIEW = "under_review"  # an officer checks them (and any Rp0 claim)
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    FULFILLED = "fulfilled"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    EXPIRED = "expired"


class ZeroRate(enum.StrEnum):
    NONE = "none"
    CLAIMED = "claimed"
    GRANTED = "granted"
    REFUSED = "refused"


class Order(Base):
    __tablename__ = "store_orders"
    __table_args__ = (Index("ix_store_orders_status_updated", "status", "updated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(
        str_enum(OrderStatus, "store_order_status", 20), default=OrderStatus.DRAFT
    )
    subtotal: Mapped[int] = mapped_column(Integer, default=0)
    shipping_fee: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    shipping_address: Mapped[str | None] = mapped_column(Text)
    zero_rate: Mapped[ZeroRate] = mapped_column(
        str_enum(ZeroRate, "store_zero_rate"), default=ZeroRate.NONE
    )
    zero_rate_basis: Mapped[str | None] = mapped_column(String(20))  # government | education ...
    zero_rate_note: Mapped[str | None] = mapped_column(String(1000))
    zero_rate_evidence_key: Mapped[str | None] = mapped_column(String(64))
    review_note: Mapped[str | None] = mapped_column(String(2000))  # reason or revision asked
    invoice_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    receipt_no: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payment_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Where the order was placed: "online" by the buyer, or "desk" by an officer for a
    # walk-in visitor (SOP-1-02 in person), who is then ``entered_by``.
    channel: Mapped[str] = mapped_column(String(10), default="online", server_default="online")
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The desk's queue ticket and guest-book visit it was sold under (plain numbers: the
    # store does not know the desk's tables; the desk attaches its record by them).
    desk_ticket_id: Mapped[int | None] = mapped_column(Integer, index=True)
    desk_visit_id: Mapped[int | None] = mapped_column(Integer)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.id", cascade="all, delete-orphan"
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="OrderEvent.id", cascade="all, delete-orphan"
    )
    abstract: Mapped[Abstract | None] = relationship(
        back_populates="order", cascade="all, delete-orphan"
    )
    acceptance: Mapped[Acceptance | None] = relationship(
        back_populates="order", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="order", order_by="Payment.id", cascade="all, delete-orphan"
    )

    @property
    def gated(self) -> bool:
        return any(item.product.gated for item in self.items)

    @property
    def has_printed(self) -> bool:
        return any(item.product.kind == ProductKind.PRINTED for item in self.items)

    @property
    def at_desk(self) -> bool:
        """Sold to a walk-in visitor at the desk (printed copies handed over there)."""
        return self.channel == "desk"


class OrderItem(Base):
    __tablename__ = "store_order_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("store_orders.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("store_products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_price: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[int] = mapped_column(Integer, default=0)
    variables_json: Mapped[str] = mapped_column(Text, default="[]")
    regions_json: Mapped[str] = mapped_column(Text, default="[]")
    file_format: Mapped[str | None] = mapped_column(String(16))
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    tracking_note: Mapped[str | None] = mapped_column(String(300))
    package_key: Mapped[str | None] = mapped_column(String(64))
    package_name: Mapped[str | None] = mapped_column(String(200))
    downloads_used: Mapped[int] = mapped_column(Integer, default=0)
    downloads_max: Mapped[int] = mapped_column(Integer, default=0)
    download_until: Mapped[datetime | None] = mapped_column(UTCDateTime())

    order: Mapped[Order] = relationship(back_populates="items")
    product: Mapped[Product] = relationship(lazy="joined")

    @property
    def variables(self) -> list[str]:
        return list(json.loads(self.variables_json or "[]"))

    @property
    def regions(self) -> list[str]:
        return list(json.loads(self.regions_json or "[]"))


class OrderEvent(Base):
    """One step of an order: a state transition or an action, with actor, time, place."""

    __tablename__ = "store_order_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("store_orders.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(2000))
    ip: Mapped[str | None] = mapped_column(String(45))

    order: Mapped[Order] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class Abstract(Base):
    """The structured abstract of data use (one per order; revised in place, logged)."""

    __tablename__ = "store_abstracts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("store_orders.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(Text)
    variables: Mapped[str] = mapped_column(Text)
    regions: Mapped[str] = mapped_column(Text)
    outputs: Mapped[str] = mapped_column(Text)
    completion_date: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # The visitor's paper form, scanned, when the abstract was typed in at the desk.
    scan_key: Mapped[str | None] = mapped_column(String(64))
    scan_name: Mapped[str | None] = mapped_column(String(200))
    scan_content_type: Mapped[str | None] = mapped_column(String(120))

    order: Mapped[Order] = relationship(back_populates="abstract")


class AbstractRevision(Base):
    """A copy of each abstract as submitted, so that an officer can compare revisions."""

    __tablename__ = "store_abstract_revisions"
    __table_args__ = (UniqueConstraint("order_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("store_orders.id", ondelete="CASCADE"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(Text)
    variables: Mapped[str] = mapped_column(Text)
    regions: Mapped[str] = mapped_column(Text)
    outputs: Mapped[str] = mapped_column(Text)
    completion_date: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AgreementText(Base):
    """A version of the SPPD (data-use agreement) text. The newest is the current one."""

    __tablename__ = "store_agreement_texts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Acceptance(Base):
    """Who accepted which SPPD text for an order, when, from where; and the signed scan."""

    __tablename__ = "store_acceptances"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("store_orders.id", ondelete="CASCADE"), unique=True
    )
    agreement_id: Mapped[int] = mapped_column(ForeignKey("store_agreement_texts.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    text_sha256: Mapped[str] = mapped_column(String(64))
    scan_key: Mapped[str | None] = mapped_column(String(64))
    scan_name: Mapped[str | None] = mapped_column(String(200))
    scan_content_type: Mapped[str | None] = mapped_column(String(120))
    scan_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    order: Mapped[Order] = relationship(back_populates="acceptance")
    agreement: Mapped[AgreementText] = relationship(lazy="joined")


class PaymentStatus(enum.StrEnum):
    REQUESTED = "requested"  # manual: waiting for the officer's billing code or details
    ISSUED = "issued"  # manual: billing issued; stripe: checkout session open
    PROOF_UPLOADED = "proof_uploaded"  # manual: the buyer sent a proof
    CONFIRMED = "confirmed"
    FAILED = "failed"  # session expired, proof refused
    REFUNDED = "refunded"


class Payment(Base):
    __tablename__ = "store_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("store_orders.id", ondelete="CASCADE"), index=True
    )
    provider: Mapped[str] = mapped_column(String(16))  # manual | stripe | waiver
    method: Mapped[str | None] = mapped_column(String(20))  # simponi | bank_transfer | card
    status: Mapped[PaymentStatus] = mapped_column(
        str_enum(PaymentStatus, "store_payment_status", 20), default=PaymentStatus.REQUESTED
    )
    amount: Mapped[int] = mapped_column(Integer)
    billing_code: Mapped[str | None] = mapped_column(String(40))  # SIMPONI: 15 digits
    # What proves the money arrived, given by the confirming officer: the NTPN of a
    # SIMPONI payment (16 letters and digits) or the bank's reference of a transfer.
    reference: Mapped[str | None] = mapped_column(String(40))
    instructions: Mapped[str | None] = mapped_column(Text)
    proof_key: Mapped[str | None] = mapped_column(String(64))
    proof_name: Mapped[str | None] = mapped_column(String(200))
    proof_content_type: Mapped[str | None] = mapped_column(String(120))
    proof_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    external_id: Mapped[str | None] = mapped_column(String(255), unique=True)  # stripe session
    external_ref: Mapped[str | None] = mapped_column(String(255), index=True)  # payment intent
    checkout_url: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    order: Mapped[Order] = relationship(back_populates="payments")


class WebhookEvent(Base):
    """A provider event seen once: its id is the primary key, so a replay inserts nothing."""

    __tablename__ = "store_webhook_events"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    provider: Mapped[str] = mapped_column(String(16), default="stripe")
    type: Mapped[str] = mapped_column(String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    result: Mapped[str | None] = mapped_column(String(200))


class Counter(Base):
    """Document number sequences (invoices, receipts) per year, taken under a row lock."""

    __tablename__ = "store_counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)

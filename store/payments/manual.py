"""The manual provider: the buyer asks to pay by SIMPONI billing code or bank transfer, an
officer issues the code (exactly 15 digits) or the transfer details — configured
transfer details (``STORE_BANK_DETAILS``) are issued at once, without an officer — and
the buyer is mailed them; the buyer uploads a proof, and an officer confirms it with the
NTPN (SIMPONI) or the bank's reference (transfer), which pays and fulfils the order.
No officer issues, checks or confirms the payment of an order they placed
(:mod:`store.duties`)."""

from __future__ import annotations

from datetime import datetime
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app import audit
from app.uow import transactional, unit_of_work
from storage import BlobStore
from store import mails
from store.duties import Duty, ensure_not_own_order
from store.errors import InvalidChoice, WrongState
from store.files import save_upload
from store.fulfilment import mark_paid
from store.models import Order, OrderStatus, Payment, PaymentStatus
from store.orders import Settings, lock_order, log_event
from store.payments import Started
from store.payments.references import (
    billing_code_error,
    clean_billing_code,
    clean_reference,
    reference_error,
)

METHODS = {"simponi": _l("SIMPONI billing code (PNBP)"), "bank_transfer": _l("Bank transfer")}
OPEN = (PaymentStatus.REQUESTED, PaymentStatus.ISSUED, PaymentStatus.PROOF_UPLOADED)


def _payable(order: Order) -> None:
    if order.status != OrderStatus.AWAITING_PAYMENT:
        raise WrongState(_l("This order cannot be paid now."))


class ManualProvider:
    """``bank_details`` (``STORE_BANK_DETAILS``): when configured, a buyer who chooses a
    bank transfer gets them at once, without waiting for an officer."""

    name = "manual"

    def __init__(self, bank_details: str = "") -> None:
        self.bank_details = bank_details.strip()

    def start(
        self,
        session: Session,
        order: Order,
        *,
        method: str | None,
        now: datetime,
        urls: dict[str, str] | None = None,
    ) -> Started:
        with unit_of_work(session):
            return self._start(session, order, method=method, now=now)

    def _start(
        self, session: Session, order: Order, *, method: str | None, now: datetime
    ) -> Started:
        if method not in METHODS:
            raise InvalidChoice(_l("Choose SIMPONI or bank transfer."))
        order = lock_order(session, order.id)
        _payable(order)
        for payment in order.payments:
            if payment.provider == "manual" and payment.status in OPEN:
                if payment.status == PaymentStatus.REQUESTED:
                    payment.method = method
                    self._offer_bank_details(session, order, payment, now=now)
                return Started(payment)
        payment = Payment(
            order_id=order.id,
            provider="manual",
            method=method,
            amount=order.total,
            status=PaymentStatus.REQUESTED,
            created_at=now,
        )
        session.add(payment)
        session.flush()
        log_event(session, order, "payment_requested", actor_id=order.user_id, now=now, note=method)
        self._offer_bank_details(session, order, payment, now=now)
        return Started(payment)

    def _offer_bank_details(
        self, session: Session, order: Order, payment: Payment, *, now: datetime
    ) -> None:
        """Issue the configured transfer details at once (nothing for an officer to add)."""
        if payment.method != "bank_transfer" or not self.bank_details:
            return
        payment.billing_code = None
        payment.instructions = self.bank_details[:4000]
        payment.status = PaymentStatus.ISSUED
        log_event(session, order, "billing_issued", actor_id=None, now=now, note="bank_transfer")
        mails.payment_details(session, order, payment)

    def refund(self, payment: Payment) -> None:
        """The officer returns the money by bank transfer outside the system."""


def _payment(order: Order, payment_id: int) -> Payment:
    for payment in order.payments:
        if payment.id == payment_id:
            return payment
    raise InvalidChoice()


@transactional
def issue_billing(
    session: Session,
    order: Order,
    payment_id: int,
    *,
    billing_code: str | None,
    instructions: str,
    actor_id: int,
    now: datetime,
    ip: str | None = None,
) -> Payment:
    """An officer issues the SIMPONI billing code or the bank-transfer details."""
    order = lock_order(session, order.id)
    ensure_not_own_order(order, actor_id, Duty.BILLING)
    _payable(order)
    payment = _payment(order, payment_id)
    if payment.provider != "manual" or payment.status not in (
        PaymentStatus.REQUESTED,
        PaymentStatus.ISSUED,
    ):
        raise WrongState()
    code: str | None = None
    if payment.method == "simponi":
        error = billing_code_error(billing_code)
        if error is not None:
            raise InvalidChoice(error, field="billing_code")
        code = clean_billing_code(billing_code)
    text = instructions.strip()[:4000] or None
    if payment.method == "bank_transfer" and text is None:
        raise InvalidChoice(_l("Give the transfer details for the buyer."), field="instructions")
    payment.billing_code = code
    payment.instructions = text
    payment.status = PaymentStatus.ISSUED
    log_event(session, order, "billing_issued", actor_id=actor_id, now=now, note=code, ip=ip)
    audit.record(
        session,
        "store.billing_issued",
        actor_id=actor_id,
        subject_type="store_order",
        subject_id=order.code,
        detail={"payment": payment.id, "billing_code": code},
    )
    mails.payment_details(session, order, payment)
    return payment


@transactional
def upload_proof(
    session: Session,
    store: BlobStore,
    order: Order,
    payment_id: int,
    stream: BinaryIO,
    *,
    actor_id: int,
    max_bytes: int,
    now: datetime,
    ip: str | None = None,
) -> Payment:
    order = lock_order(session, order.id)
    _payable(order)
    payment = _payment(order, payment_id)
    if payment.provider != "manual" or payment.status not in (
        PaymentStatus.ISSUED,
        PaymentStatus.PROOF_UPLOADED,
    ):
        raise WrongState(_l("Wait for the billing code or transfer details first."))
    key, content_type, ext = save_upload(session, store, stream, max_bytes=max_bytes)
    payment.proof_key = key
    payment.proof_content_type = content_type
    payment.proof_name = f"bukti-bayar-{order.code}.{ext}"
    payment.proof_uploaded_at = now
    payment.status = PaymentStatus.PROOF_UPLOADED
    log_event(session, order, "proof_uploaded", actor_id=actor_id, now=now, ip=ip)
    return payment


@transactional
def confirm(
    session: Session,
    order: Order,
    payment_id: int,
    *,
    reference: str | None,
    actor_id: int,
    now: datetime,
    settings: Settings,
    store: BlobStore | None = None,
    ip: str | None = None,
) -> bool:
    """An officer confirms a manual payment with what proves it — the NTPN of a SIMPONI
    payment, the bank's reference of a transfer — and the order is paid and fulfilled.
    Repeated or concurrent confirmations find it paid and change nothing (False)."""
    order = lock_order(session, order.id)
    ensure_not_own_order(order, actor_id, Duty.CONFIRM)
    payment = _payment(order, payment_id)
    if payment.provider != "manual":
        raise WrongState()
    if payment.status == PaymentStatus.CONFIRMED:
        return False  # confirmed by someone else first: nothing changed
    if payment.status not in (PaymentStatus.ISSUED, PaymentStatus.PROOF_UPLOADED):
        raise WrongState(_l("Issue the billing code or transfer details first."))
    error = reference_error(payment.method, reference)
    if error is not None:
        raise InvalidChoice(error, field="reference")
    payment.reference = clean_reference(payment.method, reference)
    done = mark_paid(
        session, order, payment, actor_id=actor_id, now=now, settings=settings, store=store, ip=ip
    )
    if done:
        audit.record(
            session,
            "store.payment_confirmed",
            actor_id=actor_id,
            subject_type="store_order",
            subject_id=order.code,
            detail={
                "payment": payment.id,
                "amount": payment.amount,
                "reference": payment.reference,
            },
        )
    return done


@transactional
def refuse_proof(
    session: Session,
    order: Order,
    payment_id: int,
    *,
    reason: str,
    actor_id: int,
    now: datetime,
    ip: str | None = None,
) -> Payment:
    """The proof does not show the payment: the buyer uploads another."""
    order = lock_order(session, order.id)
    ensure_not_own_order(order, actor_id, Duty.CHECK_PROOF)
    payment = _payment(order, payment_id)
    if payment.status != PaymentStatus.PROOF_UPLOADED:
        raise WrongState()
    payment.status = PaymentStatus.ISSUED
    payment.note = reason.strip()[:1000] or None
    log_event(session, order, "proof_refused", actor_id=actor_id, now=now, note=payment.note, ip=ip)
    return payment

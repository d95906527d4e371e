"""The tariff table: amounts from the regulation (PP 13/2024 annex), kept as data.

Officers change an amount here (audited); a price is computed from the product's tariff
line when an item is put in the cart and frozen on the item from then on.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.uow import transactional
from store.errors import InvalidChoice
from store.models import Product, Tariff, TariffUnit


def list_tariffs(session: Session) -> list[Tariff]:
    return list(session.scalars(select(Tariff).order_by(Tariff.code)))


def upsert_tariff(
    session: Session,
    code: str,
    *,
    label: str,
    amount: int,
    unit: TariffUnit = TariffUnit.ITEM,
    regulation: str = "PP 13/2024",
) -> Tariff:
    """Create or update a tariff line (no commit: the caller's transaction)."""
    tariff = session.scalar(select(Tariff).where(Tariff.code == code))
    if tariff is None:
        tariff = Tariff(code=code, label=label, amount=amount, unit=unit, regulation=regulation)
        session.add(tariff)
        session.flush()
    return tariff


@transactional
def set_amount(
    session: Session, tariff_id: int, amount: int, *, actor_id: int, regulation: str | None = None
) -> Tariff:
    """Change one tariff's amount (whole Rupiah, >= 0); audited, committed."""
    if amount < 0:
        raise InvalidChoice()
    tariff = session.get(Tariff, tariff_id, with_for_update=True)
    if tariff is None:
        raise InvalidChoice()
    old = tariff.amount
    tariff.amount = int(amount)
    if regulation:
        tariff.regulation = regulation[:120]
    tariff.updated_by_id = actor_id
    audit.record(
        session,
        "store.tariff_changed",
        actor_id=actor_id,
        subject_type="store_tariff",
        subject_id=tariff.id,
        detail={"code": tariff.code, "from": old, "to": tariff.amount},
    )
    return tariff


def price(product: Product, *, quantity: int = 1, regions: list[str] | None = None) -> int:
    """Unit price times what is counted: copies, or regions for per-region tariffs."""
    tariff = product.tariff
    if tariff.unit == TariffUnit.REGION:
        return tariff.amount * max(1, len(regions or []))
    return tariff.amount * max(1, quantity)

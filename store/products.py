"""Products on sale: listing, one product, the buyer's choice of variables and regions, and
the import of a microdata set's variable list from a DDI-Codebook document."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app import audit
from catalog.models import Access, Publication
from store import regions as region_list
from store.errors import FreeInLibrary, InvalidChoice, ProductNotFound
from store.models import Product, ProductKind, Tariff, Variable

PER_PAGE = 20

KIND_LABELS = {
    ProductKind.PRINTED: _l("Printed publication"),
    ProductKind.DIGITAL: _l("Digital publication"),
    ProductKind.MICRODATA: _l("Microdata"),
    ProductKind.MAP: _l("Wilkerstat map"),
}


@dataclass(frozen=True)
class ProductPage:
    rows: list[Product]
    total: int
    page: int
    pages: int


def list_products(
    session: Session, *, kind: ProductKind | None = None, page: int = 1, per_page: int = PER_PAGE
) -> ProductPage:
    # A digital copy of a publication the library gives away is not on sale (see
    # :func:`free_in_library`), even if such a product was made before the rule.
    free = select(Publication.id).where(Publication.access == Access.OPEN)
    query = select(Product).where(
        Product.active.is_(True),
        ~((Product.kind == ProductKind.DIGITAL) & Product.publication_id.in_(free)),
    )
    if kind is not None:
        query = query.where(Product.kind == kind)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = list(
        session.scalars(
            query.order_by(Product.kind, Product.title)
            .limit(per_page)
            .offset((max(1, page) - 1) * per_page)
        )
    )
    return ProductPage(rows, total, page, max(1, -(-total // per_page)))


def get_product(session: Session, product_id: int, *, staff: bool = False) -> Product:
    product = session.scalar(
        select(Product)
        .where(Product.id == product_id)
        .options(selectinload(Product.variables), selectinload(Product.files))
    )
    if product is None or (not product.active and not staff):
        raise ProductNotFound()
    return product


def products_for_publication(session: Session, publication_id: int) -> list[Product]:
    """The products on sale for a publication, as its page offers them: never a digital
    copy of a publication the library gives away (the page has its download button)."""
    found = session.scalars(
        select(Product)
        .where(Product.publication_id == publication_id, Product.active.is_(True))
        .order_by(Product.kind)
    )
    return [p for p in found if not free_in_library(p)]


# --- one publication is either given away or sold, never both --------------------------


def free_in_library(product: Product) -> bool:
    """Whether ``product`` is a digital copy of a publication the library lets everyone
    download for free (its access policy is ``open``)."""
    publication = product.publication
    return (
        product.kind == ProductKind.DIGITAL
        and publication is not None
        and publication.access == Access.OPEN
    )


def check_offer(product: Product) -> None:
    """Refuse (:class:`FreeInLibrary`) a paid digital product of a publication that is
    free to download in the library. Every way a product is created or sold asks here:
    the demo seed, the cart and checkout (for products made before the rule)."""
    if free_in_library(product) and product.tariff.amount > 0:
        raise FreeInLibrary()


def objection_to_access(
    sender: Any, *, session: Session, publication_id: int, access: str, **_: Any
) -> Any:
    """The ``app.events.access_changing`` receiver: a publication sold as a paid digital
    product cannot become free to download (the catalogue cannot import the store, so
    it asks through the event). Withdraw the product first, or set its tariff to Rp0."""
    if access != Access.OPEN.value:
        return None
    titles = list(
        session.scalars(
            select(Product.title)
            .join(Tariff, Tariff.id == Product.tariff_id)
            .where(
                Product.publication_id == publication_id,
                Product.kind == ProductKind.DIGITAL,
                Product.active.is_(True),
                Tariff.amount > 0,
            )
            .order_by(Product.id)
        )
    )
    if not titles:
        return None
    return _l(
        "It cannot be free to download while the store sells it as a paid digital product "
        "(%(titles)s). Withdraw that product from sale first.",
        titles=", ".join(titles[:3]),
    )


@dataclass(frozen=True)
class Choice:
    """What the buyer picked for one item, checked against the product."""

    quantity: int
    variables: list[str]
    regions: list[str]
    file_format: str | None


def check_choice(
    product: Product,
    *,
    quantity: int = 1,
    variables: list[str] | None = None,
    regions: list[str] | None = None,
    file_format: str | None = None,
) -> Choice:
    """Validate a buyer's choice; raise :class:`InvalidChoice` saying what is wrong."""
    if product.kind == ProductKind.PRINTED:
        if not 1 <= quantity <= 50:
            raise InvalidChoice(_l("Choose between 1 and 50 copies."))
        return Choice(quantity, [], [], None)
    if product.kind == ProductKind.DIGITAL:
        return Choice(1, [], [], None)
    offered_regions = [code for code, _name in region_list.choices_for(_coverage(product))]
    chosen_regions = list(dict.fromkeys(regions or []))
    if not chosen_regions:
        raise InvalidChoice(_l("Choose at least one region."))
    if any(code not in offered_regions for code in chosen_regions):
        raise InvalidChoice(_l("A chosen region is not offered for this product."))
    fmt = file_format or (product.format_list[0] if product.format_list else None)
    if product.format_list and fmt not in product.format_list:
        raise InvalidChoice(_l("This file format is not offered."))
    chosen_vars: list[str] = []
    if product.kind == ProductKind.MICRODATA:
        names = [v.name for v in product.variables]
        chosen_vars = list(dict.fromkeys(variables or []))
        if not chosen_vars:
            raise InvalidChoice(_l("Choose at least one variable."))
        unknown = [name for name in chosen_vars if name not in names]
        if unknown:
            raise InvalidChoice(_l("Unknown variables: %(names)s.", names=", ".join(unknown[:10])))
        chosen_vars.sort(key=names.index)
    return Choice(1, chosen_vars, sorted(chosen_regions), fmt)


def _coverage(product: Product) -> str | None:
    if product.kind == ProductKind.MAP:
        return "regency" if product.area_level in ("regency", "district") else "province"
    return product.coverage


def region_choices(product: Product) -> list[tuple[str, str]]:
    return region_list.choices_for(_coverage(product))


# --- DDI-Codebook ----------------------------------------------------------------------


def parse_ddi(data: bytes) -> list[tuple[str, str]]:
    """``(name, label)`` of every ``<var>`` in a DDI-Codebook (2.x) document."""
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise InvalidChoice(_l("DDI documents with a DTD are not accepted."))
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DTD, hence no entity expansion
    except ET.ParseError:
        raise InvalidChoice(_l("The DDI document is not well-formed XML.")) from None
    found: list[tuple[str, str]] = []
    for element in root.iter():
        if _local(element.tag) != "var":
            continue
        name = (element.get("name") or "").strip()
        if not name:
            continue
        label = ""
        for child in element:
            if _local(child.tag) == "labl":
                label = " ".join((child.text or "").split())
                break
        found.append((name[:64], label[:300]))
    if not found:
        raise InvalidChoice(_l("The DDI document has no variables."))
    return found


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def import_ddi(session: Session, product_id: int, data: bytes, *, actor_id: int | None) -> int:
    """Replace a microdata set's variable list with the DDI document's; returns the count."""
    product = session.scalar(
        select(Product).where(Product.id == product_id).with_for_update(of=Product)
    )
    if product is None or product.kind != ProductKind.MICRODATA:
        raise ProductNotFound()
    variables = parse_ddi(data)
    set_variables(session, product, variables)
    audit.record(
        session,
        "store.variables_imported",
        actor_id=actor_id,
        subject_type="store_product",
        subject_id=product.id,
        detail={"count": len(variables)},
    )
    session.commit()
    return len(variables)


def set_variables(session: Session, product: Product, variables: list[tuple[str, str]]) -> None:
    product.variables.clear()
    session.flush()
    seen: set[str] = set()
    for position, (name, label) in enumerate(variables):
        if name in seen:
            continue
        seen.add(name)
        product.variables.append(Variable(name=name, label=label, position=position))

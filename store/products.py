"""Products on sale: listing, one product, the buyer's choice of variables and regions, the
import of a microdata set's variable list from a DDI-Codebook document, and the data files
of microdata sets and maps (:func:`attach_file`, which refuses a file that could not be
cut to an order)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app import audit
from app.blobs import save_blob
from app.pagination import offset, page_count
from app.uow import transactional
from catalog.models import Access, Publication
from catalog.visibility import is_public, public_clause
from storage import BlobStore
from store import cutting
from store import regions as region_list
from store.errors import FreeInLibrary, InvalidChoice, ProductNotFound, UncuttableFile
from store.models import PACKAGE_KINDS, Product, ProductFile, ProductKind, Tariff, Variable

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


def on_offer(now: datetime) -> ColumnElement[bool]:
    """Products the public may see at ``now``: those of no publication, or of one the
    public may see (a publication under embargo is not sold before its release)."""
    return or_(
        Product.publication_id.is_(None),
        Product.publication_id.in_(select(Publication.id).where(public_clause(now))),
    )


def list_products(
    session: Session,
    *,
    now: datetime,
    kind: ProductKind | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> ProductPage:
    # A digital copy of a publication the library gives away is not on sale (see
    # :func:`free_in_library`), even if such a product was made before the rule.
    free = select(Publication.id).where(Publication.access == Access.OPEN)
    query = select(Product).where(
        Product.active.is_(True),
        ~((Product.kind == ProductKind.DIGITAL) & Product.publication_id.in_(free)),
        on_offer(now),
    )
    if kind is not None:
        query = query.where(Product.kind == kind)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = list(
        session.scalars(
            query.order_by(Product.kind, Product.title)
            .limit(per_page)
            .offset(offset(page, per_page))
        )
    )
    return ProductPage(rows, total, page, page_count(total, per_page))


def get_product(
    session: Session, product_id: int, *, now: datetime, staff: bool = False
) -> Product:
    """A product on sale at ``now``; for ``staff`` also one withdrawn from sale or of a
    publication not yet released."""
    product = session.scalar(
        select(Product)
        .where(Product.id == product_id)
        .options(selectinload(Product.variables), selectinload(Product.files))
    )
    if product is None or (not product.active and not staff):
        raise ProductNotFound()
    publication = product.publication
    if not staff and publication is not None and not is_public(publication, now):
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


def choose(
    session: Session,
    product_id: int,
    *,
    now: datetime,
    quantity: int = 1,
    variables: list[str] | None = None,
    regions: list[str] | None = None,
    file_format: str | None = None,
) -> tuple[Product, Choice]:
    """The product a buyer (online or at the desk) adds and their checked choice: it must
    be on sale (:func:`check_offer`) and the choice must fit it (:func:`check_choice`)."""
    product = get_product(session, product_id, now=now)
    check_offer(product)
    choice = check_choice(
        product, quantity=quantity, variables=variables, regions=regions, file_format=file_format
    )
    return product, choice


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


@transactional
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


# --- data files ------------------------------------------------------------------------

#: The attribute of a map's features that holds the region code when the product names none.
MAP_REGION_ATTRIBUTE = "kode"

_CUT_REASONS: dict[str, Callable[[dict[str, str]], Any]] = {
    "unknown_format": lambda p: _l(
        "The format of %(name)s is not supported: microdata come as CSV, SPSS (.sav), Stata "
        "(.dta) or DBF, maps as GeoJSON, a zipped Shapefile (.zip) or GeoPackage (.gpkg).",
        **p,
    ),
    "unreadable": lambda p: _l("%(name)s cannot be read as %(format)s (%(detail)s).", **p),
    "no_region_field": lambda p: _l(
        "%(name)s has no column or attribute %(field)s holding the region code, so it "
        "cannot be cut to the regions of an order.",
        **p,
    ),
    "unknown_regions": lambda p: _l(
        "%(name)s has records whose region code is not a region of this product: %(codes)s.", **p
    ),
    "duplicate_column": lambda p: _l("%(name)s has the column %(column)s more than once.", **p),
    "ragged": lambda p: _l(
        "Row %(row)s of %(name)s does not have as many values as its header.", **p
    ),
    "memo_field": lambda p: _l("%(name)s has memo fields, which cannot be cut.", **p),
    "shapefile_parts": lambda p: _l(
        "%(name)s must hold exactly one shapefile: a .shp with its .shx and .dbf (and .prj).", **p
    ),
    "empty": lambda p: _l("%(name)s holds no records.", **p),
    "missing_regions": lambda p: _l(
        "No data file of the product holds the regions %(codes)s.", **p
    ),
    "missing_variables": lambda p: _l(
        "No data file of the product holds the variables %(names)s.", **p
    ),
    "internal": lambda p: _l("%(name)s could not be cut exactly to the order.", **p),
    "no_files": lambda p: _l("The product has no data file in the format %(format)s.", **p),
    "not_microdata": lambda p: _l("%(name)s is a map file, not microdata.", **p),
    "not_map": lambda p: _l("%(name)s is a microdata file, not a map.", **p),
    "format_not_offered": lambda p: _l(
        "The product is not offered in the format of %(name)s (%(format)s); offered: %(offered)s.",
        **p,
    ),
    "no_variables": lambda p: _l("%(name)s holds none of the product's variables.", **p),
    "duplicate_file": lambda p: _l("The product already has a file named %(name)s.", **p),
    "build_failed": lambda p: _l(
        "The package could not be assembled (%(detail)s). Build it again later, or refund "
        "the order.",
        detail=p.get("detail", ""),
    ),
}


def describe_cut_error(exc: cutting.CutError) -> Any:
    """The translated sentence for a cutting failure."""
    sentence = _CUT_REASONS.get(exc.code)
    return sentence(exc.params) if sentence is not None else str(exc)


def region_field(product: Product) -> str | None:
    """The column (microdata) or attribute (maps) holding each record's region code."""
    if product.region_variable:
        return product.region_variable
    return MAP_REGION_ATTRIBUTE if product.kind == ProductKind.MAP else None


def offered_regions(product: Product) -> tuple[str, ...]:
    return tuple(code for code, _name in region_choices(product))


def kind_formats(product: Product) -> tuple[str, ...]:
    if product.kind == ProductKind.MAP:
        return cutting.MAP_FORMATS
    return cutting.MICRODATA_FORMATS


def safe_filename(filename: str) -> str:
    stem = PurePath(filename.replace("\\", "/")).name
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._")
    return stem[-120:] or "data"


def check_file(product: Product, filename: str, data: bytes) -> cutting.FileSummary:
    """Refuse (:class:`cutting.CutError`) a data file that could not be cut to every order
    the product can take: its format, readability, region column and region codes are
    checked, then the file is cut once to everything the product offers."""
    fmt = cutting.format_of(filename)
    if fmt is None:
        raise cutting.CutError("unknown_format", name=filename)
    if fmt not in kind_formats(product):
        code = "not_map" if product.kind == ProductKind.MAP else "not_microdata"
        raise cutting.CutError(code, name=filename)
    if product.format_list and fmt not in product.format_list:
        raise cutting.CutError(
            "format_not_offered",
            name=filename,
            format=cutting.FORMAT_LABELS[fmt],
            offered=", ".join(product.format_list),
        )
    offered = offered_regions(product)
    field = region_field(product)
    summary = cutting.inspect(filename, data, region_field=field, offered=offered)
    variables: tuple[str, ...] | None = None
    if product.kind == ProductKind.MICRODATA:
        variables = tuple(v.name for v in product.variables if v.name in summary.variables)
        if not variables:
            raise cutting.CutError("no_variables", name=filename)
    trial = cutting.cut(
        filename,
        data,
        cutting.Selection(
            regions=summary.regions, offered=offered, region_field=field, variables=variables
        ),
    )
    if trial is None or trial.records != summary.records:
        raise cutting.CutError("internal", name=filename)
    return summary


def attach_file(
    session: Session,
    store: BlobStore,
    product: Product,
    filename: str,
    data: bytes,
    *,
    actor_id: int | None,
    content_type: str = "application/octet-stream",
) -> ProductFile:
    """Add a data file to a microdata set or map, refused (:class:`UncuttableFile`, with
    the reason) when it could not be cut to an order. The caller commits."""
    if product.kind not in PACKAGE_KINDS:
        raise InvalidChoice(_l("Only microdata sets and maps have data files."))
    name = safe_filename(filename)
    if any(pf.filename == name for pf in product.files):
        raise UncuttableFile(describe_cut_error(cutting.CutError("duplicate_file", name=name)))
    try:
        summary = check_file(product, name, data)
    except cutting.CutError as exc:
        raise UncuttableFile(describe_cut_error(exc)) from None
    ref = save_blob(session, store, io.BytesIO(data), content_type=content_type)
    pf = ProductFile(filename=name, blob_key=ref.key, content_type=content_type, size=ref.size)
    product.files.append(pf)
    session.flush()
    audit.record(
        session,
        "store.product_file_added",
        actor_id=actor_id,
        subject_type="store_product",
        subject_id=product.id,
        detail={
            "file": name,
            "format": summary.fmt,
            "records": summary.records,
            "regions": list(summary.regions),
        },
    )
    return pf


def coverage_gaps(
    store: BlobStore, product: Product
) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """For each format the product offers, the offered regions and the variables that no
    file of that format holds yet: orders for them could not be delivered (and would wait,
    paid, for an officer). Read by ``pst store add-file`` after each file."""
    offered = offered_regions(product)
    field = region_field(product)
    present = {cutting.format_of(pf.filename) for pf in product.files}
    formats = product.format_list or sorted(f for f in present if f is not None)
    gaps = []
    for fmt in formats:
        regions: set[str] = set()
        variables: set[str] = set()
        for pf in product.files:
            if cutting.format_of(pf.filename) != fmt:
                continue
            with store.open(pf.blob_key) as fh:
                summary = cutting.inspect(
                    pf.filename, fh.read(), region_field=field, offered=offered
                )
            regions |= set(summary.regions)
            variables |= set(summary.variables)
        missing_regions = tuple(code for code in offered if code not in regions)
        missing_variables: tuple[str, ...] = ()
        if product.kind == ProductKind.MICRODATA:
            missing_variables = tuple(v.name for v in product.variables if v.name not in variables)
        if missing_regions or missing_variables:
            gaps.append((fmt, missing_regions, missing_variables))
    return gaps

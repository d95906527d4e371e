"""The requirements gate of microdata and wilkerstat maps (SOP-1-02 step 5).

Three things must be given while an order is in ``requirements``: (a) the structured
abstract of use, (b) acceptance of the *current* SPPD text — versioned, with who, when,
from where and the text's SHA-256 — and (c) the scan of the signed SPPD. When the last
one arrives the order goes to ``under_review`` by itself. After an officer asks for a
revision the abstract must be given again (its ``submitted_at`` must be newer than the
request) before the order returns to review. Payment and fulfilment check the order's
state in their services, so nothing here can be skipped by calling them directly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.uow import transactional
from storage import BlobStore
from store.errors import InvalidChoice, WrongState
from store.files import save_upload
from store.models import (
    Abstract,
    AbstractRevision,
    Acceptance,
    AgreementText,
    Order,
    OrderStatus,
)
from store.orders import lock_order, log_event, move

ABSTRACT_FIELDS = ("title", "purpose", "method", "variables", "regions", "outputs")

MISSING_LABELS = {
    "abstract": _l("the abstract of use"),
    "agreement": _l("acceptance of the current data-use agreement (SPPD)"),
    "scan": _l("the scan of the signed SPPD"),
}

DEFAULT_SPPD_TITLE = "Surat Perjanjian Penggunaan Data (SPPD)"
DEFAULT_SPPD = """\
Pengguna data yang bertanda tangan di bawah ini menyatakan sanggup dan bersedia mematuhi \
ketentuan berikut atas data mikro dan/atau peta digital wilayah kerja statistik \
(wilkerstat) yang diperoleh dari Badan Pusat Statistik (BPS):

1. Data hanya digunakan untuk keperluan penelitian dan analisis sebagaimana tercantum \
dalam abstraksi penggunaan data.
2. Data tidak akan digandakan, diberikan, dipinjamkan, atau dijual kepada pihak lain \
dalam bentuk apa pun.
3. Penggunaan data untuk keperluan lain harus mendapat persetujuan tertulis Kepala BPS \
Provinsi.
4. Pengguna data wajib menyerahkan satu salinan hasil penelitian atau publikasi yang \
menggunakan data ini kepada BPS.
5. Kerahasiaan data individu dijaga: pengguna tidak akan berusaha mengidentifikasi \
responden perorangan, rumah tangga, maupun usaha.
6. Data tetap menjadi milik BPS; setiap publikasi mencantumkan BPS sebagai sumber data.
7. Pelanggaran atas perjanjian ini dapat dikenai sanksi sesuai Undang-Undang Nomor 16 \
Tahun 1997 tentang Statistik dan peraturan perundang-undangan lainnya.
"""


def text_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


def current_agreement(session: Session) -> AgreementText:
    """The newest SPPD text; the built-in first version when none was published.

    Publishing that first version joins the caller's transaction (an order's step holds
    its row lock until it ends); called on its own, it commits by itself."""
    text = session.scalar(select(AgreementText).order_by(AgreementText.version.desc()).limit(1))
    if text is None:
        text = publish_agreement(session, DEFAULT_SPPD_TITLE, DEFAULT_SPPD, actor_id=None)
    return text


@transactional
def publish_agreement(
    session: Session, title: str, body: str, *, actor_id: int | None
) -> AgreementText:
    """A new version of the SPPD text; orders in progress must accept it again."""
    from app import audit

    latest = session.scalar(select(AgreementText.version).order_by(AgreementText.version.desc()))
    text = AgreementText(
        version=(latest or 0) + 1,
        title=title.strip()[:200],
        body=body.strip() + "\n",
        sha256=text_hash(title.strip()[:200], body.strip() + "\n"),
        created_by_id=actor_id,
    )
    session.add(text)
    session.flush()
    audit.record(
        session,
        "store.sppd_published",
        actor_id=actor_id,
        subject_type="store_agreement",
        subject_id=text.version,
        detail={"sha256": text.sha256},
    )
    return text


def missing(session: Session, order: Order) -> list[str]:
    """What the order still lacks (codes of :data:`MISSING_LABELS`), in order."""
    lacking = []
    abstract = order.abstract
    revision_at = _last_revision_request(order)
    if abstract is None or (revision_at is not None and abstract.submitted_at <= revision_at):
        lacking.append("abstract")
    acceptance = order.acceptance
    current = current_agreement(session)
    if acceptance is None or acceptance.agreement_id != current.id:
        lacking.append("agreement")
    if acceptance is None or acceptance.scan_key is None:
        lacking.append("scan")
    return lacking


@dataclass(frozen=True)
class FieldChange:
    """One field of the abstract in the previous and the current revision."""

    field: str
    before: Any
    after: Any

    @property
    def changed(self) -> bool:
        return bool(self.before != self.after)


@dataclass(frozen=True)
class RevisionComparison:
    before: int
    after: int
    fields: list[FieldChange]


def compare_revisions(session: Session, order: Order) -> RevisionComparison | None:
    """The current abstract beside the revision before it (None for a first abstract,
    or when the earlier one was given before revisions were kept)."""
    abstract = order.abstract
    if abstract is None or abstract.revision < 2:
        return None
    previous = session.scalar(
        select(AbstractRevision).where(
            AbstractRevision.order_id == order.id,
            AbstractRevision.revision == abstract.revision - 1,
        )
    )
    if previous is None:
        return None
    fields = [
        FieldChange(key, getattr(previous, key), getattr(abstract, key))
        for key in (*ABSTRACT_FIELDS, "completion_date")
    ]
    return RevisionComparison(previous.revision, abstract.revision, fields)


def _last_revision_request(order: Order) -> datetime | None:
    times = [e.at for e in order.events if e.action == "revision_asked"]
    return max(times) if times else None


def _require(order: Order) -> None:
    if order.status != OrderStatus.REQUIREMENTS or not order.gated:
        raise WrongState(_l("The requirements can be given only while the order asks for them."))


@transactional
def submit_abstract(
    session: Session,
    order: Order,
    data: dict[str, Any],
    *,
    actor_id: int,
    now: datetime,
    ip: str | None = None,
) -> Order:
    """Give (or revise) the abstract of use; the order goes to review when complete."""
    order = lock_order(session, order.id)
    _require(order)
    clean = {key: " ".join(str(data.get(key) or "").split()) for key in ABSTRACT_FIELDS}
    for key in ("purpose", "method", "outputs"):  # keep paragraphs in the long fields
        clean[key] = str(data.get(key) or "").strip()
    if any(not clean[key] for key in ABSTRACT_FIELDS):
        raise InvalidChoice(_l("Fill in every field of the abstract."))
    completion = data.get("completion_date")
    if not isinstance(completion, date):
        raise InvalidChoice(_l("Give the completion date."))
    if completion < now.date():
        raise InvalidChoice(_l("The completion date must not be in the past."))
    abstract = order.abstract
    if abstract is None:
        abstract = Abstract(order_id=order.id, revision=0)
        session.add(abstract)
        order.abstract = abstract
    abstract.title = clean["title"][:300]
    for key in ABSTRACT_FIELDS[1:]:
        setattr(abstract, key, clean[key][:20000])
    abstract.completion_date = completion
    abstract.submitted_at = now
    abstract.revision = (abstract.revision or 0) + 1
    # Each revision is kept as given, so that the officer can compare it with the last.
    session.add(
        AbstractRevision(
            order_id=order.id,
            revision=abstract.revision,
            completion_date=completion,
            submitted_at=now,
            **{key: getattr(abstract, key) for key in ABSTRACT_FIELDS},
        )
    )
    log_event(session, order, "abstract_submitted", actor_id=actor_id, now=now, ip=ip)
    _advance(session, order, actor_id=actor_id, now=now, ip=ip)
    return order


@transactional
def accept_agreement(
    session: Session,
    order: Order,
    *,
    actor_id: int,
    text_sha256: str,
    ip: str | None = None,
    user_agent: str | None = None,
    now: datetime,
) -> Acceptance:
    """Accept the current SPPD text; ``text_sha256`` proves which text the buyer saw."""
    order = lock_order(session, order.id)
    _require(order)
    current = current_agreement(session)
    if text_sha256 != current.sha256:
        raise WrongState(_l("The agreement text has changed. Please read it again."))
    acceptance = order.acceptance
    if acceptance is None:
        acceptance = Acceptance(order_id=order.id)
        session.add(acceptance)
        order.acceptance = acceptance
    elif acceptance.agreement_id != current.id:
        acceptance.scan_key = None  # a scan of the old text does not sign the new one
        acceptance.scan_uploaded_at = None
    acceptance.agreement_id = current.id
    acceptance.agreement = current
    acceptance.user_id = actor_id
    acceptance.accepted_at = now
    acceptance.ip = (ip or "")[:45] or None
    acceptance.user_agent = (user_agent or "")[:300] or None
    acceptance.text_sha256 = current.sha256
    log_event(
        session,
        order,
        "agreement_accepted",
        actor_id=actor_id,
        now=now,
        note=f"SPPD v{current.version} sha256={current.sha256}",
        ip=ip,
    )
    _advance(session, order, actor_id=actor_id, now=now, ip=ip)
    return acceptance


@transactional
def upload_scan(
    session: Session,
    store: BlobStore,
    order: Order,
    stream: BinaryIO,
    *,
    actor_id: int,
    max_bytes: int,
    now: datetime,
    ip: str | None = None,
) -> Order:
    """Attach the scan of the signed SPPD (after accepting the text)."""
    order = lock_order(session, order.id)
    _require(order)
    if order.acceptance is None:
        raise WrongState(_l("Accept the data-use agreement first."))
    key, content_type, ext = save_upload(session, store, stream, max_bytes=max_bytes)
    order.acceptance.scan_key = key
    order.acceptance.scan_content_type = content_type
    order.acceptance.scan_name = f"SPPD-{order.code}-ditandatangani.{ext}"
    order.acceptance.scan_uploaded_at = now
    log_event(session, order, "scan_uploaded", actor_id=actor_id, now=now, ip=ip)
    _advance(session, order, actor_id=actor_id, now=now, ip=ip)
    return order


def _advance(
    session: Session, order: Order, *, actor_id: int, now: datetime, ip: str | None = None
) -> None:
    session.flush()
    if not missing(session, order):
        move(
            session,
            order,
            OrderStatus.UNDER_REVIEW,
            actor_id=actor_id,
            now=now,
            action="submitted",
            ip=ip,
        )


def mismatches(order: Order) -> dict[str, list[str]]:
    """Where the abstract and the choice disagree (a hint for the officer, who decides):
    chosen variables and regions the abstract does not mention (``variables``,
    ``regions``), and variables of the product that the abstract names but the buyer
    did not choose (``extra_variables``: data the stated use needs but the order lacks,
    or a use broader than the data asked for)."""
    import re

    from store import regions as region_list

    abstract = order.abstract
    if abstract is None:
        return {"variables": [], "regions": [], "extra_variables": []}
    # Variable names are compared as whole words, so that R10 is not found in R102.
    said_vars = set(re.findall(r"[a-z0-9_]+", abstract.variables.lower()))
    said_regions = abstract.regions.lower()
    variables: list[str] = []
    regions: list[str] = []
    extra: list[str] = []
    for item in order.items:
        chosen = {name.lower() for name in item.variables}
        for name in item.variables:
            if name.lower() not in said_vars and name not in variables:
                variables.append(name)
        if item.product.gated:
            for variable in item.product.variables:
                name = variable.name
                if name.lower() in said_vars and name.lower() not in chosen and name not in extra:
                    extra.append(name)
        for code in item.regions:
            label = region_list.name(code).lower()
            short = label.replace("kabupaten ", "").replace("provinsi ", "")
            if code not in said_regions and short not in said_regions and code not in regions:
                regions.append(code)
    return {"variables": variables, "regions": regions, "extra_variables": extra}

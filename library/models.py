"""Library tables: downloads and their codes, download rights, stamping plans of masters,
hardcopy holdings, reading-room requests and softcopy requests; usage statistics
(:mod:`library.usage`)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, UTCDateTime, str_enum, utcnow
from catalog.models import Publication


class DownloadStatus(enum.StrEnum):
    STARTED = "started"  # the row exists before the first byte leaves
    COMPLETE = "complete"  # the last byte was handed to the server
    FAILED = "failed"  # storage or stamping error, or the client went away
    ABANDONED = "abandoned"  # started long ago, never finished (its worker died)


class Download(Base):
    """One stamped copy handed out: who, what, when, from where, and what it hashed to.

    The download code printed on (and hidden in) the copy leads back here, which is how
    a leaked file is traced (``pst watermark identify``).
    """

    __tablename__ = "downloads"
    __table_args__ = (Index("ix_downloads_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(String(8), default="web")  # web | api
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[DownloadStatus] = mapped_column(
        str_enum(DownloadStatus, "download_status"), default=DownloadStatus.STARTED
    )
    method: Mapped[str | None] = mapped_column(String(12))  # fast | fallback
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    size: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(300))
    #: A reader's scanned pages (``publication_id`` is then their print record): the
    #: copy was stamped from the request's private scan, not from a catalogue master.
    scan_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("scan_requests.id", ondelete="SET NULL"), index=True
    )

    user: Mapped[User] = relationship()
    publication: Mapped[Publication] = relationship()


class Entitlement(Base):
    """A right to download one publication beyond its access policy: a fulfilled
    softcopy request, a purchase (the store), or an officer's grant. Revoked, not deleted."""

    __tablename__ = "entitlements"
    __table_args__ = (UniqueConstraint("user_id", "publication_id", "source", "source_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(24))  # softcopy_request | purchase | officer
    source_ref: Mapped[str] = mapped_column(String(64), default="")
    #: The service that gave the right ("store-order:42", "library-softcopy:7"): the
    #: downloads it allows are follow-ons of that service (one service record).
    service_key: Mapped[str | None] = mapped_column(String(80))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MasterPlan(Base):
    """The stamping plan of a master PDF (object offsets, page objects, page geometry),
    made once so that a download copies bytes instead of parsing the file."""

    __tablename__ = "master_plans"

    master_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_json: Mapped[str | None] = mapped_column(Text)  # None: the fast path cannot stamp it
    reason: Mapped[str | None] = mapped_column(String(300))  # why not
    page_sizes_json: Mapped[str] = mapped_column(Text, default="[]")  # [[w, h] pt, ...] as seen
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HoldingLocation(enum.StrEnum):
    DISPLAY = "display"  # on the shelves of the reading room
    STORAGE = "storage"  # in the storage room: an officer fetches it


class HoldingStatus(enum.StrEnum):
    AVAILABLE = "available"
    IN_USE = "in_use"  # in the reading room with a reader
    MISSING = "missing"
    WITHDRAWN = "withdrawn"


class Holding(Base):
    """One printed copy of a publication."""

    __tablename__ = "holdings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    inventory_no: Mapped[str] = mapped_column(String(40), unique=True)
    barcode: Mapped[str | None] = mapped_column(String(64), unique=True)
    location: Mapped[HoldingLocation] = mapped_column(
        str_enum(HoldingLocation, "holding_location"), default=HoldingLocation.STORAGE
    )
    shelf: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[HoldingStatus] = mapped_column(
        str_enum(HoldingStatus, "holding_status"), default=HoldingStatus.AVAILABLE
    )
    note: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    publication: Mapped[Publication] = relationship()


class ReadingStatus(enum.StrEnum):
    REQUESTED = "requested"  # waiting for an officer to fetch a copy
    READY = "ready"  # the copy is in the reading room for the reader
    RETURNED = "returned"
    CANCELLED = "cancelled"


class ReadingRequest(Base):
    """A reader's request to read a printed copy in the reading room."""

    __tablename__ = "reading_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    holding_id: Mapped[int | None] = mapped_column(ForeignKey("holdings.id", ondelete="SET NULL"))
    status: Mapped[ReadingStatus] = mapped_column(
        str_enum(ReadingStatus, "reading_status"), default=ReadingStatus.REQUESTED, index=True
    )
    note: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    publication: Mapped[Publication] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    holding: Mapped[Holding | None] = relationship()
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])


class SoftcopyStatus(enum.StrEnum):
    OPEN = "open"
    PROCESSING = "processing"  # a PDF was attached and is being ingested
    FULFILLED = "fulfilled"
    DECLINED = "declined"


class SoftcopyRequest(Base):
    """A reader's request for the softcopy of a publication that is not online."""

    __tablename__ = "softcopy_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    kat_no: Mapped[str | None] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(Text)
    status: Mapped[SoftcopyStatus] = mapped_column(
        str_enum(SoftcopyStatus, "softcopy_status"), default=SoftcopyStatus.OPEN, index=True
    )
    publication_id: Mapped[int | None] = mapped_column(
        ForeignKey("publications.id", ondelete="SET NULL")
    )
    job_id: Mapped[str | None] = mapped_column(String(36))
    answer: Mapped[str | None] = mapped_column(String(1000))  # to the reader (e.g. why declined)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notified: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    publication: Mapped[Publication | None] = relationship()
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])


class ScanStatus(enum.StrEnum):
    OPEN = "open"
    PROCESSING = "processing"  # scanned; OCR and ingest running
    FULFILLED = "fulfilled"
    DECLINED = "declined"


class ScanRequest(Base):
    """A reader's request for a scan of some pages of a printed publication, delivered
    to that reader only: the scan is a private blob (``scan_key``) of this request,
    stamped with the reader's name when downloaded, never a catalogue item.

    ``result_id`` is only set on requests fulfilled before scans became private (their
    scan was catalogued as a publication of its own)."""

    __tablename__ = "scan_requests"
    # One open request per reader for the same pages of a publication: concurrent
    # posts of the form cannot both pass the "already requested" check.
    __table_args__ = (
        Index(
            "uq_scan_requests_open",
            "user_id",
            "publication_id",
            "pages",
            unique=True,
            sqlite_where=text("status IN ('open', 'processing')"),
            postgresql_where=text("status IN ('open', 'processing')"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    pages: Mapped[str] = mapped_column(String(100))  # e.g. "12-20, 31"
    purpose: Mapped[str] = mapped_column(Text)
    status: Mapped[ScanStatus] = mapped_column(
        str_enum(ScanStatus, "scan_status"), default=ScanStatus.OPEN, index=True
    )
    result_id: Mapped[int | None] = mapped_column(
        ForeignKey("publications.id", ondelete="SET NULL")
    )
    #: The delivered scan: SHA-256 key of the private PDF in blob storage, its pages and size.
    scan_key: Mapped[str | None] = mapped_column(String(64))
    scan_pages: Mapped[int | None] = mapped_column(Integer)
    scan_size: Mapped[int | None] = mapped_column(BigInteger)
    job_id: Mapped[str | None] = mapped_column(String(36))
    answer: Mapped[str | None] = mapped_column(String(1000))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    publication: Mapped[Publication] = relationship(foreign_keys=[publication_id])
    result: Mapped[Publication | None] = relationship(foreign_keys=[result_id])
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])


# --- usage statistics (library/usage.py) ---------------------------------------------------


class UsageAction(enum.StrEnum):
    """What a visitor did with a publication, in COUNTER's terms: a view of its page is an
    investigation; reading it online and downloading it are requests."""

    VIEW = "view"
    READ = "read"
    DOWNLOAD = "download"


class UsageSalt(Base):
    """The random salt of one WIB day, shared by every host: anonymous visitors are told
    apart by a hash of their address and browser under it. Deleted once the day is
    over (:func:`library.usage.roll_up`), so the day's hashes can no longer be linked to
    anyone."""

    __tablename__ = "usage_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))


class UsageVisit(Base):
    """One visitor's use of one publication in one way on one WIB day (COUNTER's unique
    item request). ``hits`` counts the uses with double clicks filtered out (a use within
    30 seconds of the previous one is the same use). The visitor is a keyed hash, never
    an address, browser or account; the rows of a past day are rolled up into
    :class:`UsageMonth` and deleted."""

    __tablename__ = "usage_visits"
    __table_args__ = (
        UniqueConstraint("day", "publication_id", "action", "visitor"),
        Index("ix_usage_visits_publication", "publication_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    month: Mapped[str] = mapped_column(String(7))  # "2026-12": the report's key, kept
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(8))  # a UsageAction value
    visitor: Mapped[str] = mapped_column(String(64))  # HMAC-SHA256 under the day's salt
    hits: Mapped[int] = mapped_column(Integer, default=1)
    #: When the visitor last did this (Unix seconds): the double-click window's start.
    last_seen: Mapped[int] = mapped_column(BigInteger)


class UsageMonth(Base):
    """How often one publication was used in one way in one WIB month: ``total`` uses
    (double clicks filtered) by ``uniques`` visitor-days. Only days that are over are
    here; the current day is still in :class:`UsageVisit`."""

    __tablename__ = "usage_months"
    __table_args__ = (
        UniqueConstraint("month", "publication_id", "action"),
        Index("ix_usage_months_publication", "publication_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    publication_id: Mapped[int] = mapped_column(ForeignKey("publications.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(8))
    total: Mapped[int] = mapped_column(Integer, default=0)
    uniques: Mapped[int] = mapped_column(Integer, default=0)

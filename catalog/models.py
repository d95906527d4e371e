"""Catalogue tables: publications with BPS metadata, their subjects and page texts."""

from __future__ import annotations

import enum
import json
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, UTCDateTime, str_enum, utcnow


class Access(enum.StrEnum):
    """How a publication may be used. Most BPS publications are free to download."""

    OPEN = "open"
    READ_ONLY = "read_only"
    SALE = "sale"


class Kind(enum.StrEnum):
    PUBLICATION = "publication"
    BRS = "brs"  # Berita Resmi Statistik, the official statistical news releases


class Status(enum.StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


publication_subjects = Table(
    "publication_subjects",
    Base.metadata,
    Column(
        "publication_id",
        ForeignKey("publications.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("subject_id", ForeignKey("subjects.id", ondelete="CASCADE"), primary_key=True),
)


class Subject(Base):
    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Series(Base):
    """A run of editions of one publication (yearly "Provinsi Bengkulu Dalam Angka").

    ``key`` is the title folded by :func:`series_key`; its unique constraint keeps two
    officers creating the same series at once from making two (one insert loses)."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    key: Mapped[str] = mapped_column(String(300), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def series_key(title: str) -> str:
    """A series title folded for comparison: case and runs of spaces do not count."""
    return " ".join(title.casefold().split())


class Publication(Base):
    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    title_en: Mapped[str | None] = mapped_column(String(500))
    subtitle: Mapped[str | None] = mapped_column(String(500))
    kat_no: Mapped[str | None] = mapped_column(String(32), index=True)
    pub_no: Mapped[str | None] = mapped_column(String(32), index=True)
    issn: Mapped[str | None] = mapped_column(String(16))
    isbn: Mapped[str | None] = mapped_column(String(20))
    bps_pub_id: Mapped[str | None] = mapped_column(String(64), index=True)
    release_date: Mapped[date | None] = mapped_column(Date, index=True)
    # The release moment (BPS's advance release calendar, "Rencana Terbit"): the release
    # date at CATALOG_RELEASE_TIME WIB, or at ``release_time`` when staff set one. Kept
    # in step by catalog.release (a flush hook); None (no date) is public at once.
    # Before it the publication is under embargo: catalog.visibility hides it everywhere.
    release_time: Mapped[time | None] = mapped_column(Time)
    release_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # True while the after-release work (catalog.release.release_due) is still to do.
    release_pending: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    period: Mapped[str | None] = mapped_column(String(64))
    region_code: Mapped[str] = mapped_column(String(8), default="1700")
    region_name: Mapped[str] = mapped_column(String(120), default="Provinsi Bengkulu")
    language: Mapped[str] = mapped_column(String(8), default="id")
    abstract: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[Kind] = mapped_column(str_enum(Kind, "publication_kind"), default=Kind.PUBLICATION)
    access: Mapped[Access] = mapped_column(str_enum(Access, "access"), default=Access.OPEN)
    printed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[Status] = mapped_column(
        str_enum(Status, "publication_status"), default=Status.ACTIVE, index=True
    )
    withdrawn_reason: Mapped[str | None] = mapped_column(String(500))
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    file_size: Mapped[int] = mapped_column(BigInteger, default=0)
    # A catalogue record of a printed publication not yet digitised has no file: these
    # three stay empty until a softcopy is attached (see catalog.cataloguing.create_record).
    sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    original_key: Mapped[str | None] = mapped_column(String(64))
    master_key: Mapped[str | None] = mapped_column(String(64))
    cover_key: Mapped[str | None] = mapped_column(String(64))
    outline_json: Mapped[str | None] = mapped_column(Text)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    subjects: Mapped[list[Subject]] = relationship(
        secondary=publication_subjects, order_by=Subject.name, lazy="selectin"
    )
    series: Mapped[Series | None] = relationship()

    @property
    def outline(self) -> list[dict[str, Any]]:
        return json.loads(self.outline_json) if self.outline_json else []

    @property
    def year(self) -> int | None:
        return self.release_date.year if self.release_date else None

    @property
    def has_file(self) -> bool:
        """Whether a softcopy exists (False for a print-only catalogue record)."""
        return self.master_key is not None

    @property
    def active(self) -> bool:
        return self.status == Status.ACTIVE

    def embargoed(self, now: datetime) -> bool:
        """Whether ``now`` is before the release moment (see catalog.visibility)."""
        return self.release_at is not None and self.release_at > now


class PublicationPage(Base):
    """The extracted text of one page, kept so the index can always be rebuilt."""

    __tablename__ = "publication_pages"
    __table_args__ = (UniqueConstraint("publication_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")


class PublicationVersion(Base):
    """One version of a publication's file: the first ingest and each correction.

    A corrected file replaces the master the reader, downloads and page images use; the
    files of earlier versions are kept (their blobs stay registered) with who replaced
    them, when and why, and the publication page says it was updated.
    """

    __tablename__ = "publication_versions"
    __table_args__ = (UniqueConstraint("publication_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    original_key: Mapped[str | None] = mapped_column(String(64))
    master_key: Mapped[str] = mapped_column(String(64))
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    file_size: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    created_by: Mapped[User | None] = relationship()
